// A lab command's result: named scalars and tables, printed as an aligned
// table for people or as JSON for scripts (--format table|json).
#ifndef PATHWISE_TOOLS_LAB_REPORT_H_
#define PATHWISE_TOOLS_LAB_REPORT_H_

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"

namespace pathwise::lab {

using Value = std::variant<double, std::string>;

struct Table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

struct Report {
  std::string title;
  std::vector<std::pair<std::string, Value>> scalars;
  std::vector<Table> tables;
};

enum class Format { kTable, kJson };

absl::StatusOr<Format> ParseFormat(const std::string& name);  // "table" or "json"

std::string Render(const Report& report, Format format);

}  // namespace pathwise::lab

#endif  // PATHWISE_TOOLS_LAB_REPORT_H_
