// The calls the soak makes against pathwised, as one table (kCalls): every
// RPC of the protos, well-formed and not, with the status codes each may end
// with. A new RPC is one more row and one function.
#ifndef PATHWISE_TESTS_SOAK_SOAK_CALLS_H_
#define PATHWISE_TESTS_SOAK_SOAK_CALLS_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "pathwise/v1/brownian.grpc.pb.h"
#include "pathwise/v1/mcmc.grpc.pb.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "src/proto/grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace pathwise::soak {

using Clock = std::chrono::steady_clock;

// Who makes a call. Each caller has its own token and its own connection.
enum class Caller {
  kSmall,  // small calls whose latency is measured (the victim of the others)
  kMixed,  // every RPC, cancellations, short deadlines, bad bytes, no token
  kHog,    // long solves, and streams it holds open without reading
};
inline constexpr int kCallerCount = 3;
const char* CallerName(Caller caller);

// One connection of one caller, with a stub per service.
struct Connection {
  std::string token;  // bearer token sent with every call; empty: none
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::BrownianService::Stub> brownian;
  std::unique_ptr<v1::SolverService::Stub> solver;
  std::unique_ptr<v1::McmcService::Stub> mcmc;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
  std::unique_ptr<grpc::reflection::v1alpha::ServerReflection::Stub> reflection;
  std::unique_ptr<grpc::GenericStub> generic;
  // Deadlines of a second or more (those meant never to fire) are multiplied
  // by this; the short ones meant to fire are kept (--deadline_scale).
  double deadline_scale = 1.0;
};
std::unique_ptr<Connection> Connect(const std::string& target, const std::string& token,
                                    int distinct);

// How one call ended.
struct Outcome {
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  std::string message;
  Clock::time_point start, end;
  // Solves: when the first event arrived (admitted and running), and whether
  // the summary came.
  std::optional<Clock::time_point> first_event;
  bool summary = false;
};

struct CallContext {
  const Connection& connection;
  const Connection& wrong_token;  // the same server, an unknown token
  const Connection& no_token;
  std::mt19937_64& rng;
};

// One row of the table.
struct CallKind {
  const char* name;
  Caller caller;
  int weight;  // relative frequency among the caller's rows
  std::vector<grpc::StatusCode> allowed;
  // The call runs to its end unless the server refuses it (no client
  // cancellation, no short deadline, no unread stream): an accepted solve of
  // this kind must complete during a drain.
  bool runs_to_end;
  Outcome (*run)(CallContext&);
};
const std::vector<CallKind>& Calls();

// The known-answer queries: a Sample and a Solve's statistics, serialized
// (deterministic: the same request gives the same bytes on any run).
std::string KnownAnswer(const Connection& connection, std::string* error);

// The solves of the drain test: OU, Euler, dt = 1e-3 on [0, 2], `paths`
// paths, statistics only. RunSolve reads the whole stream and calls
// `on_first_event` when the first event (the solve is admitted and running)
// arrives.
v1::SolveRequest DrainSolveRequest(uint32_t paths);
Outcome RunSolve(const Connection& connection, const v1::SolveRequest& request,
                 std::chrono::milliseconds deadline, const std::function<void()>& on_first_event);

}  // namespace pathwise::soak

#endif  // PATHWISE_TESTS_SOAK_SOAK_CALLS_H_
