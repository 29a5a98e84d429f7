// Table: column-aligned human output, the way Kafka's tools print lists.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace partita::cli {

class Table {
public:
    explicit Table(std::vector<std::string> headers);

    void addRow(std::vector<std::string> cells);
    bool empty() const { return m_rows.empty(); }
    // Columns padded to their widest cell, two spaces apart; the last column is not padded.
    void print(std::ostream& out) const;

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
};

}  // namespace partita::cli
