// Error messages that point into an expression's text.
//
// Every error a user can cause names the expression (the label the caller
// passed, e.g. "model.expression.drift[1]"), the line and column, quotes the
// line with a caret under the problem, and says what was expected:
//
//   model.expression.drift[1]:1:8: unknown identifier 'thet'; did you mean 'theta'?
//     kappa*(thet - x)
//            ^
#ifndef PATHWISE_CORE_EXPR_DIAGNOSTIC_H_
#define PATHWISE_CORE_EXPR_DIAGNOSTIC_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pathwise::expr {

// An expression's text and the label that names it in errors.
struct Source {
  absl::string_view label;
  absl::string_view text;
};

// The message for a problem at byte `offset` of source.text (clamped to the
// text), as described above. Control characters in the quoted line are shown
// as '?' so that the caret stays aligned and the message stays printable.
std::string FormatDiagnostic(const Source& source, size_t offset, absl::string_view message);

// InvalidArgumentError(FormatDiagnostic(...)).
absl::Status SourceError(const Source& source, size_t offset, absl::string_view message);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_DIAGNOSTIC_H_
