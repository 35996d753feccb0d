// One RPC from arrival to completion: the single place where every handler of
// every service starts and finishes a call. Starting counts the call (its
// service's active calls, the in-flight gauge) and admits it (UNAVAILABLE
// while the service drains); finishing converts its absl::Status to the
// grpc::Status it ends with (the one such conversion), logs failures, and,
// once gRPC is done with it, records its final code and handling time.
//
// A reactor holds an RpcCall as a member: it calls Admit() before any work,
// Conclude() for the status it passes to Finish(), Cancel() from OnCancel()
// and Done() from OnDone(). A handler answering with the default reactor
// calls Done() before Finish().
#ifndef PATHWISE_SERVER_RPC_CALL_H_
#define PATHWISE_SERVER_RPC_CALL_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "server/auth_tokens.h"
#include "server/grpc_status.h"
#include "server/metrics.h"

namespace pathwise::server {

// The calls one service is answering, and whether it takes new ones.
class CallGate {
 public:
  // The callers' tokens (null: none needed); RpcCall names each call's caller
  // from its own authorization metadata with them.
  void SetTokens(std::shared_ptr<const TokenStore> tokens) { tokens_ = std::move(tokens); }
  const TokenStore* tokens() const { return tokens_.get(); }
  // While draining, new calls (and new stream messages) get UNAVAILABLE.
  void SetDraining(bool draining) { draining_.store(draining); }
  bool draining() const { return draining_.load(); }
  // Calls (unary or streaming) started and not yet done.
  int active_calls() const { return active_calls_.load(); }

 private:
  friend class RpcCall;
  std::atomic<bool> draining_{false};
  std::atomic<int> active_calls_{0};
  std::shared_ptr<const TokenStore> tokens_;  // set before the server starts
};

class RpcCall {
 public:
  // Starts the call.
  RpcCall(CallGate& gate, Metrics& metrics, RpcMethod method,
          const grpc::CallbackServerContext* context);
  RpcCall(const RpcCall&) = delete;
  RpcCall& operator=(const RpcCall&) = delete;

  // OK when the call (or a stream's next message) may go on; UNAVAILABLE
  // while the service drains.
  absl::Status Admit() const;

  // The status to finish with; logs failures and remembers the code.
  grpc::Status Conclude(const absl::Status& status);

  // The client cancelled or the deadline passed.
  void Cancel() { cancelled_.store(true); }
  // Polled by the call's work; stays valid until Done().
  const std::atomic<bool>* cancelled() const { return &cancelled_; }

  // The authenticated caller (a name from the token file); empty when the
  // server needs no token. Logged with every failed call.
  const std::string& caller() const { return caller_; }

  // The code the call ends with, as the client sees it: DEADLINE_EXCEEDED or
  // CANCELLED when cancelled, else the concluded one.
  grpc::StatusCode FinalCode() const;

  // Ends the call, once: counts it by method and FinalCode() and observes its
  // handling time.
  void Done();

 private:
  using Clock = std::chrono::steady_clock;

  CallGate& gate_;
  Metrics& metrics_;
  const RpcMethod method_;
  const grpc::CallbackServerContext* context_;
  const Clock::time_point start_;
  const std::string caller_;
  std::atomic<bool> cancelled_{false};
  grpc::StatusCode code_ = grpc::StatusCode::OK;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_RPC_CALL_H_
