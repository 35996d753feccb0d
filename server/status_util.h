// Errors of the server: absl::Status everywhere, converted to grpc::Status in
// exactly one place (ToGrpcStatus). Field violations travel as an absl::Status
// payload holding a google.rpc.BadRequest and reach the client as the
// grpc-status-details-bin trailer (a google.rpc.Status with that detail).
#ifndef PATHWISE_SERVER_STATUS_UTIL_H_
#define PATHWISE_SERVER_STATUS_UTIL_H_

#include <grpcpp/support/status.h>

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

// The one conversion absl::Status -> grpc::Status. Codes keep their numbers
// (they are the same in both); payloads become google.rpc.Status details.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_STATUS_UTIL_H_
