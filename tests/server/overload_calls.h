// What the overload tests share (caller_limits_test.cc, admission_test.cc):
// a server with two token callers, alice and bob, each with its own
// channel; solves of a chosen length, run in the background and cancelled
// at the end; and the google.rpc details of a RESOURCE_EXHAUSTED.
#ifndef PATHWISE_TESTS_SERVER_OVERLOAD_CALLS_H_
#define PATHWISE_TESTS_SERVER_OVERLOAD_CALLS_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pathwise/v1/mcmc.grpc.pb.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "server/auth_tokens.h"
#include "server/overload_status.h"
#include "tests/server/running_server.h"
#include "tests/server/wait_for.h"

namespace pathwise::server {

using OverloadClock = std::chrono::steady_clock;

// OU with Euler steps of `dt` over [0, 2], statistics only: 2 / dt steps a
// path (dt = 1e-6: about a tenth of a second a path, minutes for thousands).
inline v1::SolveRequest OuSolve(uint32_t paths, double dt,
                                v1::Output output = v1::OUTPUT_STATISTICS) {
  v1::SolveRequest request;
  v1::BuiltinModel* model = request.mutable_model()->mutable_builtin();
  model->set_name("ou");
  (*model->mutable_params())["theta"] = 1.5;
  (*model->mutable_params())["sigma"] = 0.8;
  request.set_method(v1::EULER);
  request.set_t1(2.0);
  request.add_y0(1.0);
  request.mutable_step()->mutable_constant()->set_dt(dt);
  request.mutable_saveat()->add_ts(1.0);
  request.set_seed(3);
  request.set_num_paths(paths);
  request.set_output(output);
  return request;
}

// A caller: its channel (its own connection) and token (empty: none).
struct Caller {
  std::shared_ptr<grpc::Channel> channel;
  std::string token;

  // A context with the token and a deadline (`timeout` zero: none).
  std::unique_ptr<grpc::ClientContext> Context(
      std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
    if (timeout > std::chrono::milliseconds::zero()) {
      context->set_deadline(std::chrono::system_clock::now() + timeout);
    }
    return context;
  }
};

// A channel of its own (a distinct argument keeps gRPC from sharing one
// connection between channels), without BDP probing so that the flow
// control window stays at 64 KiB and an unread answer stays unsent.
inline std::shared_ptr<grpc::Channel> OwnChannel(int port, int id) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetInt("pathwise.test.channel", id);
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials(), args);
}

// Reads a Solve to its end.
inline grpc::Status Drain(const Caller& caller, const v1::SolveRequest& request,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60),
                          std::vector<v1::SolveResponse>* events = nullptr) {
  auto context = caller.Context(timeout);
  auto stub = v1::SolverService::NewStub(caller.channel);
  auto reader = stub->Solve(context.get(), request);
  v1::SolveResponse event;
  while (reader->Read(&event)) {
    if (events != nullptr) events->push_back(event);
  }
  return reader->Finish();
}

// A quick Estimate: E[y(1)] of OU to RMSE 0.05 (milliseconds of work).
inline v1::EstimateRequest QuickEstimate() {
  const v1::SolveRequest solve = OuSolve(1, 0.25);
  v1::EstimateRequest request;
  *request.mutable_model() = solve.model();
  request.set_method(v1::EULER);
  request.set_t1(1.0);
  request.add_y0(1.0);
  request.set_seed(3);
  request.set_functional("y");
  request.set_target_rmse(0.05);
  request.set_coarsest_dt(0.25);
  request.set_max_level(3);
  return request;
}

// Reads a server stream to its end, dropping its events.
template <typename Event, typename Reader>
grpc::Status ReadToEnd(Reader& reader) {
  Event event;
  while (reader.Read(&event)) {
  }
  return reader.Finish();
}

// Reads an Estimate to its end.
inline grpc::Status DrainEstimate(const Caller& caller, const v1::EstimateRequest& request) {
  auto context = caller.Context();
  auto stub = v1::SolverService::NewStub(caller.channel);
  return ReadToEnd<v1::EstimateResponse>(*stub->Estimate(context.get(), request));
}

// Reads an McmcService.Sample to its end.
inline grpc::Status DrainMcmc(const Caller& caller, const v1::McmcRequest& request) {
  auto context = caller.Context();
  auto stub = v1::McmcService::NewStub(caller.channel);
  return ReadToEnd<v1::McmcResponse>(*stub->Sample(context.get(), request));
}

// A Solve (or, with an McmcRequest, an McmcService.Sample) read on its own
// thread until it ends or Cancel(); the destructor cancels and joins.
class BackgroundSolve {
 public:
  BackgroundSolve(const Caller& caller, const v1::SolveRequest& request,
                  std::chrono::milliseconds timeout = std::chrono::seconds(60))
      : context_(caller.Context(timeout)) {
    thread_ = std::thread([this, stub = v1::SolverService::NewStub(caller.channel), request] {
      status_ = ReadToEnd<v1::SolveResponse>(*stub->Solve(context_.get(), request));
    });
  }
  BackgroundSolve(const Caller& caller, const v1::McmcRequest& request,
                  std::chrono::milliseconds timeout = std::chrono::seconds(60))
      : context_(caller.Context(timeout)) {
    thread_ = std::thread([this, stub = v1::McmcService::NewStub(caller.channel), request] {
      status_ = ReadToEnd<v1::McmcResponse>(*stub->Sample(context_.get(), request));
    });
  }
  ~BackgroundSolve() {
    context_->TryCancel();
    thread_.join();
  }
  void Cancel() { context_->TryCancel(); }
  // Its final status, once it ended.
  grpc::Status Finish() {
    thread_.join();
    thread_ = std::thread([] {});
    return status_;
  }

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::Status status_;
  std::thread thread_;
};

// The detail of type T in a status's google.rpc.Status, if there is one.
template <typename T>
std::optional<T> DetailOf(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return std::nullopt;
  for (const google::protobuf::Any& any : details.details()) {
    T detail;
    if (any.UnpackTo(&detail)) return detail;
  }
  return std::nullopt;
}

// A server whose callers are alice and bob (tokens), on free loopback ports.
class TwoCallersTest : public ::testing::Test {
 protected:
  // Starts the server with `options` plus the token file.
  void Start(ServerOptions options) {
    char pattern[] = "/tmp/pathwise-overload-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    const std::string file = dir_ + "/tokens";
    std::ofstream(file) << "alice alice-token\nbob bob-token\n";
    auto tokens = TokenStore::Load(file);
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    options.security.tokens = *std::move(tokens);
    running_ = StartServer(options);
    ASSERT_NE(running_, nullptr);
    alice_ = {OwnChannel(running_->server->port(), 1), "alice-token"};
    bob_ = {OwnChannel(running_->server->port(), 2), "bob-token"};
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  PathwiseServer& server() { return *running_->server; }

  std::string dir_;
  std::unique_ptr<Running> running_;
  Caller alice_, bob_;
};

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_OVERLOAD_CALLS_H_
