// A PathwiseServer started in-process on a free loopback port, with a channel
// and stubs of both services: what every in-process server test starts from.
#ifndef PATHWISE_TESTS_SERVER_RUNNING_SERVER_H_
#define PATHWISE_TESTS_SERVER_RUNNING_SERVER_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "pathwise/v1/brownian.grpc.pb.h"
#include "pathwise/v1/mcmc.grpc.pb.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "server/server.h"

namespace pathwise::server {

struct Running {
  std::unique_ptr<PathwiseServer> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::BrownianService::Stub> stub;
  std::unique_ptr<v1::SolverService::Stub> solver;
  std::unique_ptr<v1::McmcService::Stub> mcmc;
};

// Loopback, a free port, no metrics endpoint (civetweb takes a second to
// stop: only where needed), `threads` workers.
inline ServerOptions TestOptions(int threads = 2) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.metrics_listen = "";
  options.threads = threads;
  return options;
}

// Null (and a test failure) when the server does not start.
inline std::unique_ptr<Running> StartServer(const ServerOptions& options) {
  auto running = std::make_unique<Running>();
  auto server = PathwiseServer::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return nullptr;
  running->server = *std::move(server);
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  running->channel =
      grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(running->server->port()),
                                grpc::InsecureChannelCredentials(), args);
  running->stub = v1::BrownianService::NewStub(running->channel);
  running->solver = v1::SolverService::NewStub(running->channel);
  running->mcmc = v1::McmcService::NewStub(running->channel);
  return running;
}

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_RUNNING_SERVER_H_
