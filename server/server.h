// The pathwised server as a library: gRPC (BrownianService, SolverService, McmcService,
// health, reflection) on one port, Prometheus metrics on another, a worker
// pool, and graceful draining. pathwised_main.cc adds flags, signals and
// logging; tests start it in-process on free loopback ports.
#ifndef PATHWISE_SERVER_SERVER_H_
#define PATHWISE_SERVER_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/brownian_limits.h"
#include "server/caller_quota.h"
#include "server/mcmc_service.h"
#include "server/metrics_endpoint.h"
#include "server/server_security.h"
#include "server/solver_service.h"
#include "server/transport_options.h"

namespace prometheus {
class Exposer;
}

namespace pathwise::server {

class BrownianServiceImpl;
class SolverServiceImpl;
class McmcServiceImpl;
class Evaluator;
class Metrics;
class WorkerPool;

inline constexpr char kBrownianServiceName[] = "pathwise.v1.BrownianService";
inline constexpr char kSolverServiceName[] = "pathwise.v1.SolverService";
inline constexpr char kMcmcServiceName[] = "pathwise.v1.McmcService";

struct ServerOptions {
  // gRPC address, host:port; port 0 picks a free port (see PathwiseServer::port()).
  std::string listen = "127.0.0.1:50051";
  // Prometheus address, host:port (port 0: a free port); empty: no metrics endpoint.
  std::string metrics_listen = "127.0.0.1:9464";
  // The metrics endpoint's HTTP threads and request timeout.
  MetricsEndpointOptions metrics_endpoint;
  int threads = 0;        // worker pool size; 0: one per hardware thread
  BrownianLimits limits;  // BrownianService
  // SolverService: request limits, admission, progress interval. Its largest
  // message (one path) is limits.max_response_bytes.
  SolverServiceOptions solver;
  // McmcService: request limits, admission, progress interval (run.max_message_bytes
  // is limits.max_response_bytes). The receive limit fits mcmc.limits.max_data_values.
  McmcServiceOptions mcmc;
  // gRPC server reflection. Process-wide: once a server enabled it, every
  // later server in the process has it too.
  bool reflection = true;
  // On Shutdown, how long to keep answering new calls UNAVAILABLE after the
  // last in-flight call finished, before gRPC stops (calls that race with
  // gRPC's own shutdown may be reset as CANCELLED instead). Within the grace.
  absl::Duration drain_settle = absl::Milliseconds(100);
  // TLS, mTLS and bearer tokens for the gRPC port (the metrics port stays
  // plaintext); default: plaintext, no token.
  SecurityOptions security;
  // Per-caller limits of both services (caller_quota.h).
  CallerLimits callers;
  // Memory gRPC's transport may use (a grpc::ResourceQuota); 0: gRPC's
  // default, no bound.
  uint64_t transport_memory_bytes = 0;
  // Receive limit, streams per connection, keepalive, connection idle time and age.
  TransportOptions transport;
};

class PathwiseServer {
 public:
  // Binds both ports and starts serving; health is SERVING for "",
  // kBrownianServiceName, kSolverServiceName and kMcmcServiceName. Errors: UNAVAILABLE when a port
  // cannot be bound, INVALID_ARGUMENT for bad options.
  static absl::StatusOr<std::unique_ptr<PathwiseServer>> Start(const ServerOptions& options);
  ~PathwiseServer();  // Shutdown(absl::ZeroDuration()) if not done yet

  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }            // 0 without a metrics endpoint
  int max_request_bytes() const { return max_request_bytes_; }  // the receive limit in force
  int threads() const;
  // Response bytes of the calls being answered now (see BrownianLimits::max_inflight_bytes).
  uint64_t inflight_bytes() const;
  Metrics& metrics() { return *metrics_; }
  SolverServiceImpl& solver() { return *solver_; }
  const CallerQuota& callers() const { return *callers_; }
  McmcServiceImpl& mcmc() { return *mcmc_; }

  // Calls of every service started and not yet done.
  int active_calls() const;
  // Returns the heap's free pages to the system (glibc malloc_trim) when no
  // call is in flight; else does nothing. pathwised calls it once a second:
  // glibc keeps what a burst of calls freed in its per-thread arenas, so
  // without it an idle server's resident memory stays at its busiest.
  void ReleaseIdleMemory() const;

  // Health NOT_SERVING (overall and per service), and new calls (and new
  // stream messages) answered UNAVAILABLE, while the server keeps running.
  void SetDraining();
  // SetDraining(); waits (at most `grace`) for in-flight calls to finish,
  // then for drain_settle, while new calls get UNAVAILABLE; then stops gRPC,
  // which refuses new calls and cancels what is left when `grace` is over;
  // then stops the workers and the metrics endpoint. Idempotent; returns when
  // everything has stopped.
  void Shutdown(absl::Duration grace);

 private:
  PathwiseServer() = default;

  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<CallerQuota> callers_;
  std::unique_ptr<Evaluator> evaluator_;
  std::unique_ptr<BrownianServiceImpl> service_;
  std::unique_ptr<SolverServiceImpl> solver_;
  std::unique_ptr<McmcServiceImpl> mcmc_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  absl::Duration drain_settle_;
  int port_ = 0;
  int metrics_port_ = 0;
  int max_request_bytes_ = 0;
  std::mutex shutdown_mutex_;
  bool shut_down_ = false;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SERVER_H_
