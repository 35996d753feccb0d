// What the streaming-service tests read off a finished call: the
// google.rpc.BadRequest in its status details, and a bounded wait for the
// server's side of a call to settle.
#ifndef PATHWISE_TESTS_SERVER_CALL_CHECKS_H_
#define PATHWISE_TESTS_SERVER_CALL_CHECKS_H_

#include <grpcpp/support/status.h>

#include <chrono>
#include <thread>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pathwise::server {

// The BadRequest in the status details (empty when there is none).
inline google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::BadRequest bad;
  if (!details.ParseFromString(status.error_details()) || details.details_size() == 0) return bad;
  details.details(0).UnpackTo(&bad);
  return bad;
}

// Waits until `done` holds or `limit` passes; returns whether it held.
template <typename F>
bool WaitFor(F done, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_CALL_CHECKS_H_
