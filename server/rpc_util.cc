#include "server/rpc_util.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

namespace pathwise::server {

absl::Status DrainingError() {
  return absl::UnavailableError("the server is shutting down; retry on another replica");
}

grpc::StatusCode CancelledCode(const grpc::CallbackServerContext* context) {
  return std::chrono::system_clock::now() >= context->deadline()
             ? grpc::StatusCode::DEADLINE_EXCEEDED
             : grpc::StatusCode::CANCELLED;
}

void LogError(const char* method, const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("event=rpc_error method={} code={} msg=\"{}\"", method,
                  absl::StatusCodeToString(status.code()), std::string(status.message()));
  } else {
    spdlog::debug("event=rpc_rejected method={} code={} msg=\"{}\"", method,
                  absl::StatusCodeToString(status.code()), std::string(status.message()));
  }
}

}  // namespace pathwise::server
