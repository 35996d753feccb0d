// A numeric CSV table from a file (`pathwise mcmc --data-file`): rows of
// comma-separated numbers, all of the same length; a first line that is not
// all numbers is a header naming the columns. Blank lines are skipped.
#ifndef PATHWISE_CLIENT_CLI_CSV_TABLE_H_
#define PATHWISE_CLIENT_CLI_CSV_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace pathwise::cli {

struct CsvTable {
  std::vector<std::string> header;  // column names, or empty
  std::vector<double> values;       // row-major
  uint32_t cols = 0;
};

// Parses CSV text; `source` names it in errors. Throws UsageError naming the
// line and column of a field that is not a number or a row of another length.
CsvTable ParseCsvTable(const std::string& text, const std::string& source);

// Reads and parses a file; UsageError when it cannot be read.
CsvTable ReadCsvTable(const std::string& path);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_CSV_TABLE_H_
