// The Prometheus text exposition format (0.0.4): writing values and label values, and a parser for scrapes.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace partita::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

struct PrometheusSample {
    std::string name;
    Labels labels;  // in the order written
    double value = 0;
    std::optional<int64_t> timestampMs;

    // The value of a label, empty when absent.
    std::string label(std::string_view key) const;
};

struct PrometheusParseError {
    size_t line = 0;  // 1-based
    std::string message;
};

struct PrometheusText {
    std::vector<PrometheusSample> samples;
    std::map<std::string, std::string> types;  // from "# TYPE name type"
    std::map<std::string, std::string> help;   // from "# HELP name text", unescaped
    std::vector<PrometheusParseError> errors;  // malformed lines, skipped; the rest still parses

    // The first sample of that name whose labels include every given pair.
    const PrometheusSample* find(std::string_view name, const Labels& having = {}) const;
    // The sum of every sample of that name with those labels (a topic-less total over topics, ...).
    std::optional<double> sum(std::string_view name, const Labels& having = {}) const;
};

// Parses a scrape. Comments other than HELP and TYPE are ignored, as are blank lines; a bad line is
// reported with its number and skipped, so one odd exporter line does not lose the whole scrape.
PrometheusText parsePrometheusText(std::string_view text);

// `\`, `"` and newline escaped, as label values must be.
std::string escapeLabelValue(std::string_view value);
// `\` and newline escaped, as HELP text must be.
std::string escapeHelp(std::string_view help);
// A sample value: integers without a fraction, NaN, +Inf, -Inf as the format spells them.
std::string formatValue(double value);
// name{k="v",...} with the values escaped; just the name without labels.
std::string formatSeries(std::string_view name, const Labels& labels);
// Metric and label names: [a-zA-Z_:][a-zA-Z0-9_:]* (labels without ':').
bool isValidMetricName(std::string_view name);
bool isValidLabelName(std::string_view name);

}  // namespace partita::metrics
