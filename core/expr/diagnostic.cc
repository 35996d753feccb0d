#include "core/expr/diagnostic.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace pathwise::expr {
namespace {

// Long lines are quoted as a window around the offset, so that a message for
// a 100 000-character expression stays readable.
constexpr size_t kMaxQuoted = 120;

}  // namespace

std::string FormatDiagnostic(const Source& source, size_t offset, absl::string_view message) {
  const absl::string_view text = source.text;
  offset = std::min(offset, text.size());
  size_t line_start = offset;
  while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
  size_t line_end = offset;
  while (line_end < text.size() && text[line_end] != '\n') ++line_end;
  size_t line = 1;
  for (size_t i = 0; i < line_start; ++i) line += text[i] == '\n' ? 1 : 0;
  const size_t column = offset - line_start + 1;

  // Window [from, to) of the line, with the offset inside it.
  size_t from = line_start;
  if (offset - from > kMaxQuoted / 2) from = offset - kMaxQuoted / 2;
  const size_t to = std::min(line_end, from + kMaxQuoted);
  std::string quoted;
  quoted.reserve(to - from);
  for (size_t i = from; i < to; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    quoted.push_back(c < 0x20 || c >= 0x7f ? (c == '\t' ? ' ' : '?') : static_cast<char>(c));
  }
  return absl::StrCat(source.label, ":", line, ":", column, ": ", message, "\n  ", quoted, "\n  ",
                      std::string(offset - from, ' '), "^");
}

absl::Status SourceError(const Source& source, size_t offset, absl::string_view message) {
  return absl::InvalidArgumentError(FormatDiagnostic(source, offset, message));
}

}  // namespace pathwise::expr
