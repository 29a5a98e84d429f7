// Table: column-aligned human output, the way Kafka's tools print lists.
#include "table.h"

#include <algorithm>

namespace partita::cli {

Table::Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}

void Table::addRow(std::vector<std::string> cells) {
    cells.resize(m_headers.size());
    m_rows.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const {
    std::vector<size_t> widths(m_headers.size());
    for (size_t c = 0; c < m_headers.size(); ++c) widths[c] = m_headers[c].size();
    for (const auto& row : m_rows)
        for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (size_t c = 0; c < cells.size(); ++c) {
            text += cells[c];
            if (c + 1 < cells.size()) text.append(widths[c] - cells[c].size() + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
    };
    line(m_headers);
    for (const auto& row : m_rows) line(row);
}

}  // namespace partita::cli
