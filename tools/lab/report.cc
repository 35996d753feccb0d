#include "tools/lab/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pathwise::lab {
namespace {

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string JsonValue(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return JsonString(*s);
  const double d = std::get<double>(v);
  if (!std::isfinite(d)) return "null";
  return absl::StrFormat("%.17g", d);
}

std::string TextValue(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return absl::StrFormat("%.6g", std::get<double>(v));
}

std::string RenderJson(const Report& r) {
  std::string out = "{\n  \"title\": " + JsonString(r.title);
  for (const auto& [k, v] : r.scalars) out += ",\n  " + JsonString(k) + ": " + JsonValue(v);
  for (const Table& t : r.tables) {
    out += ",\n  " + JsonString(t.name) + ": [";
    for (size_t i = 0; i < t.rows.size(); ++i) {
      out += i == 0 ? "\n    {" : ",\n    {";
      for (size_t c = 0; c < t.columns.size(); ++c) {
        out += (c == 0 ? "" : ", ") + JsonString(t.columns[c]) + ": " + JsonValue(t.rows[i][c]);
      }
      out += "}";
    }
    out += "\n  ]";
  }
  return out + "\n}\n";
}

std::string RenderTable(const Report& r) {
  std::string out = r.title + "\n";
  for (const auto& [k, v] : r.scalars) out += "  " + k + ": " + TextValue(v) + "\n";
  for (const Table& t : r.tables) {
    std::vector<size_t> width(t.columns.size());
    for (size_t c = 0; c < t.columns.size(); ++c) {
      width[c] = t.columns[c].size();
      for (const auto& row : t.rows) width[c] = std::max(width[c], TextValue(row[c]).size());
    }
    out += "\n" + t.name + "\n";
    for (size_t c = 0; c < t.columns.size(); ++c) {
      out += absl::StrFormat("  %*s", static_cast<int>(width[c]), t.columns[c]);
    }
    out += "\n";
    for (const auto& row : t.rows) {
      for (size_t c = 0; c < t.columns.size(); ++c) {
        out += absl::StrFormat("  %*s", static_cast<int>(width[c]), TextValue(row[c]));
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<Format> ParseFormat(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  return absl::InvalidArgumentError("--format: must be table or json");
}

std::string Render(const Report& report, Format format) {
  return format == Format::kJson ? RenderJson(report) : RenderTable(report);
}

}  // namespace pathwise::lab
