// What the streaming-service tests read off a finished call: the
// google.rpc.BadRequest in its status details, and (wait_for.h) a bounded
// wait for the server's side of a call to settle.
#ifndef PATHWISE_TESTS_SERVER_CALL_CHECKS_H_
#define PATHWISE_TESTS_SERVER_CALL_CHECKS_H_

#include <grpcpp/support/status.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tests/server/wait_for.h"

namespace pathwise::server {

// The BadRequest in the status details (empty when there is none).
inline google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::BadRequest bad;
  if (!details.ParseFromString(status.error_details()) || details.details_size() == 0) return bad;
  details.details(0).UnpackTo(&bad);
  return bad;
}

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_CALL_CHECKS_H_
