#include "server/rpc_call.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "google/rpc/status.pb.h"
#include "server/server_security.h"

namespace pathwise::server {
namespace {

// The code a cancelled call ends with, as the client sees it:
// DEADLINE_EXCEEDED when its deadline has passed, else CANCELLED.
grpc::StatusCode CancelledCode(const grpc::CallbackServerContext* context) {
  return std::chrono::system_clock::now() >= context->deadline()
             ? grpc::StatusCode::DEADLINE_EXCEEDED
             : grpc::StatusCode::CANCELLED;
}

// The caller whose token the call carries (the token processor already let
// it through, server_security.h); empty without tokens. Read from the call's
// own metadata, not from the auth context: gRPC 1.51 hands the processor the
// connection's auth context, shared by every call on the connection, so a
// property added per call would race with the other calls' reads and grow
// with every call. The token itself is never kept or logged.
std::string CallerOf(const grpc::CallbackServerContext* context, const TokenStore* tokens) {
  if (context == nullptr || tokens == nullptr) return "";
  const auto& metadata = context->client_metadata();
  const auto authorization = metadata.find(kAuthorizationMetadataKey);
  if (authorization == metadata.end()) return "";
  return AuthenticatedCaller(
      *tokens, absl::string_view(authorization->second.data(), authorization->second.size()));
}

// Server-side failures (INTERNAL, UNKNOWN) at error level, client errors at
// debug level only; with the caller's name when there is one.
void LogError(RpcMethod method, const std::string& caller, const absl::Status& status) {
  const std::string who = caller.empty() ? "" : " caller=" + caller;
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("event=rpc_error method={}{} code={} msg=\"{}\"", MethodName(method), who,
                  absl::StatusCodeToString(status.code()), std::string(status.message()));
  } else {
    spdlog::debug("event=rpc_rejected method={}{} code={} msg=\"{}\"", MethodName(method), who,
                  absl::StatusCodeToString(status.code()), std::string(status.message()));
  }
}

}  // namespace

RpcCall::RpcCall(CallGate& gate, Metrics& metrics, RpcMethod method,
                 const grpc::CallbackServerContext* context)
    : gate_(gate),
      metrics_(metrics),
      method_(method),
      context_(context),
      start_(Clock::now()),
      caller_(CallerOf(context, gate.tokens())) {
  gate_.active_calls_.fetch_add(1);
  metrics_.RpcStarted(method_);
}

absl::Status RpcCall::Admit() const {
  if (gate_.draining()) {
    return absl::UnavailableError("the server is shutting down; retry on another replica");
  }
  return absl::OkStatus();
}

grpc::Status RpcCall::Conclude(const absl::Status& status) {
  if (!status.ok()) LogError(method_, caller_, status);
  grpc::Status out = ToGrpcStatus(status);
  code_ = out.error_code();
  return out;
}

grpc::StatusCode RpcCall::FinalCode() const {
  return cancelled_.load() ? CancelledCode(context_) : code_;
}

void RpcCall::Done() {
  metrics_.RpcFinished(method_, FinalCode(),
                       std::chrono::duration<double>(Clock::now() - start_).count());
  gate_.active_calls_.fetch_sub(1);
}

}  // namespace pathwise::server
