// RETURN_IF_ERROR / ASSIGN_OR_RETURN: the small macro pair this Abseil lacks.
#ifndef PATHWISE_CORE_UTIL_STATUS_MACROS_H_
#define PATHWISE_CORE_UTIL_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define PATHWISE_STATUS_CONCAT_INNER(a, b) a##b
#define PATHWISE_STATUS_CONCAT(a, b) PATHWISE_STATUS_CONCAT_INNER(a, b)

// Returns the status of `expr` from the enclosing function unless it is OK.
#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    ::absl::Status pathwise_status_ = (expr);            \
    if (!pathwise_status_.ok()) return pathwise_status_; \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates the StatusOr `expr`; on error returns
// its status, else assigns (moves) the value to `lhs` (which may declare a variable).
#define ASSIGN_OR_RETURN(lhs, expr) \
  PATHWISE_ASSIGN_OR_RETURN_IMPL(PATHWISE_STATUS_CONCAT(pathwise_statusor_, __LINE__), lhs, expr)

#define PATHWISE_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()

#endif  // PATHWISE_CORE_UTIL_STATUS_MACROS_H_
