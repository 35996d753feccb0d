#include "client/cli/csv_table.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "client/cli/args.h"

namespace pathwise::cli {
namespace {

std::string Trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(Trim(field));
  if (!line.empty() && line.back() == ',') fields.push_back("");
  return fields;
}

bool ToNumber(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno != ERANGE;
}

}  // namespace

CsvTable ParseCsvTable(const std::string& text, const std::string& source) {
  CsvTable table;
  std::stringstream lines(text);
  std::string line;
  size_t line_number = 0;
  bool first = true;
  while (std::getline(lines, line)) {
    ++line_number;
    if (Trim(line).empty()) continue;
    const std::vector<std::string> fields = Fields(line);
    std::vector<double> row(fields.size());
    size_t bad = fields.size();
    for (size_t j = 0; j < fields.size() && bad == fields.size(); ++j) {
      if (!ToNumber(fields[j], &row[j])) bad = j;
    }
    if (first) {
      first = false;
      table.cols = static_cast<uint32_t>(fields.size());
      if (bad != fields.size()) {
        table.header = fields;
        continue;
      }
    }
    if (fields.size() != table.cols) {
      throw UsageError{source + ":" + std::to_string(line_number) + ": " +
                       std::to_string(fields.size()) + " fields, expected " +
                       std::to_string(table.cols)};
    }
    if (bad != fields.size()) {
      throw UsageError{source + ":" + std::to_string(line_number) + ": column " +
                       std::to_string(bad + 1) + ": '" + fields[bad] + "' is not a number"};
    }
    table.values.insert(table.values.end(), row.begin(), row.end());
  }
  if (table.values.empty()) throw UsageError{source + ": no rows of numbers"};
  return table;
}

CsvTable ReadCsvTable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError{"--data-file: cannot read '" + path + "'"};
  std::stringstream text;
  text << in.rdbuf();
  return ParseCsvTable(text.str(), path);
}

}  // namespace pathwise::cli
