// Request errors that name the fields at fault: INVALID_ARGUMENT with a
// google.rpc.BadRequest payload. The server works in absl::Status throughout;
// RpcCall (rpc_call.h) turns the payload into the grpc-status-details-bin
// trailer (a google.rpc.Status with that detail).
#ifndef PATHWISE_SERVER_BAD_REQUEST_H_
#define PATHWISE_SERVER_BAD_REQUEST_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace pathwise::server {

// The type URL of google.rpc.BadRequest, as used in google.protobuf.Any.
inline constexpr char kBadRequestTypeUrl[] = "type.googleapis.com/google.rpc.BadRequest";

struct FieldViolation {
  std::string field;        // e.g. "path.tol", "times[3]"
  std::string description;  // e.g. "must be > 0 and <= t1 - t0 = 1"
};

// INVALID_ARGUMENT whose message lists "field: description" for each
// violation (joined by "; ") and whose payload is a google.rpc.BadRequest
// with one field violation per entry. `violations` must not be empty.
absl::Status InvalidArgumentWithViolations(const std::vector<FieldViolation>& violations);

// Splits a core error message "field: description" into its two parts and
// prefixes the field (e.g. "path."). A message without ": " becomes the
// description of field `prefix` without its trailing dot.
FieldViolation ViolationFromCoreMessage(absl::string_view message, absl::string_view prefix);

// A core error "field: description" as a violation of prefix + field. Codes
// other than INVALID_ARGUMENT keep their code, with the prefixed message.
// Expression diagnostics carry a position after the field
// ("model.expression.drift[0]:1:8: ..."): it goes to the description.
absl::Status FromCoreStatus(const absl::Status& status, absl::string_view prefix);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_BAD_REQUEST_H_
