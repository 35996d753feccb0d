// The one conversion absl::Status -> grpc::Status, used by RpcCall for every
// call (and by the wire fuzzers, which link nothing else of the server).
#ifndef PATHWISE_SERVER_GRPC_STATUS_H_
#define PATHWISE_SERVER_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace pathwise::server {

// Codes keep their numbers (they are the same in both); payloads (a
// google.rpc.BadRequest, see bad_request.h) become google.rpc.Status details,
// which reach the client as the grpc-status-details-bin trailer.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_GRPC_STATUS_H_
