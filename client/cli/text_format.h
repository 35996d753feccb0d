// Numbers and rows as text: the shortest round-trip form of a double, CSV
// fields, aligned tables, JSON values.
#ifndef PATHWISE_CLIENT_CLI_TEXT_FORMAT_H_
#define PATHWISE_CLIENT_CLI_TEXT_FORMAT_H_

#include <string>
#include <vector>

namespace pathwise::cli {

using Row = std::vector<std::string>;

// The shortest text that reads back as exactly v ("nan", "inf", "-inf" when not finite).
std::string Num(double v);

// v for JSON: Num(v), or null when not finite (JSON has no NaN or infinity).
std::string JsonNum(double v);

// A JSON string literal, escaped.
std::string JsonString(const std::string& s);

// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
std::string CsvField(const std::string& s);

// Rows as CSV lines, or as a table: columns padded to a common width, two
// spaces apart, trailing spaces removed. Each line ends in '\n'.
std::string RenderRows(const std::vector<Row>& rows, bool csv);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_TEXT_FORMAT_H_
