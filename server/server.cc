#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/brownian_service.h"
#include "server/evaluator.h"
#include "server/metrics.h"
#include "server/overload_options.h"
#include "server/worker_pool.h"

namespace pathwise::server {

absl::StatusOr<std::unique_ptr<PathwiseServer>> PathwiseServer::Start(
    const ServerOptions& options) {
  if (options.threads < 0) return absl::InvalidArgumentError("threads: must be >= 0");
  if (options.limits.max_dim == 0 || options.limits.max_queries == 0 ||
      options.limits.max_paths == 0 || options.limits.max_response_bytes == 0) {
    return absl::InvalidArgumentError("limits: every max_* must be >= 1");
  }
  if (options.limits.max_response_bytes > (uint64_t{1} << 30)) {
    return absl::InvalidArgumentError("max_response_bytes: must be <= 1 GiB (a gRPC message)");
  }
  if (options.limits.max_inflight_bytes < options.limits.max_response_bytes) {
    return absl::InvalidArgumentError("max_inflight_bytes: must be >= max_response_bytes");
  }
  const SolverServiceOptions& solver = options.solver;
  if (solver.limits.max_paths == 0 || solver.limits.max_state_dim == 0 ||
      solver.limits.max_steps == 0 || solver.limits.max_times == 0 ||
      solver.limits.max_points == 0 || solver.admission.max_solves == 0 ||
      solver.admission.max_queued_paths == 0) {
    return absl::InvalidArgumentError("solver limits: every max_* must be >= 1");
  }
  if (absl::Status status = ValidateOverloadOptions(options); !status.ok()) return status;
  if (solver.run.progress_interval < std::chrono::milliseconds(1) ||
      solver.run.progress_interval > std::chrono::seconds(1)) {
    return absl::InvalidArgumentError("progress_interval: must be in [1ms, 1s]");
  }
  const McmcServiceOptions& mcmc = options.mcmc;
  if (mcmc.limits.max_dim == 0 || mcmc.limits.max_chains == 0 || mcmc.limits.max_draw_values == 0 ||
      mcmc.limits.max_steps_per_chain == 0 || mcmc.limits.max_data_values == 0 ||
      mcmc.admission.max_runs == 0 || mcmc.admission.max_chains == 0) {
    return absl::InvalidArgumentError("mcmc limits: every max_* must be >= 1");
  }
  if (mcmc.run.progress_interval < std::chrono::milliseconds(1) ||
      mcmc.run.progress_interval > std::chrono::seconds(1)) {
    return absl::InvalidArgumentError("mcmc progress_interval: must be in [1ms, 1s]");
  }
  if (options.drain_settle < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("drain_settle: must be >= 0");
  }
  if (absl::Status s = options.transport.Validate(); !s.ok()) return s;
  std::unique_ptr<PathwiseServer> server(new PathwiseServer());
  server->drain_settle_ = options.drain_settle;
  server->metrics_ = std::make_unique<Metrics>();
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  server->pool_ = std::make_unique<WorkerPool>(threads);
  server->evaluator_ = std::make_unique<Evaluator>(*server->pool_, *server->metrics_);
  server->callers_ = std::make_unique<CallerQuota>(options.callers, *server->metrics_);
  server->service_ = std::make_unique<BrownianServiceImpl>(
      options.limits, *server->evaluator_, *server->metrics_, server->callers_.get());
  SolverServiceOptions solver_options = options.solver;
  solver_options.run.max_message_bytes = options.limits.max_response_bytes;
  solver_options.mcmc = options.mcmc.limits;  // published by ListCapabilities
  server->solver_ = std::make_unique<SolverServiceImpl>(solver_options, *server->pool_,
                                                        *server->metrics_, server->callers_.get());
  McmcServiceOptions mcmc_options = options.mcmc;
  mcmc_options.run.max_message_bytes = options.limits.max_response_bytes;
  server->mcmc_ = std::make_unique<McmcServiceImpl>(mcmc_options, *server->pool_, *server->metrics_,
                                                    server->solver_->admission());

  server->service_->SetTokens(options.security.tokens);
  server->solver_->SetTokens(options.security.tokens);
  server->mcmc_->SetTokens(options.security.tokens);

  if (!options.metrics_listen.empty()) {
    auto exposer = StartMetricsEndpoint(options.metrics_listen, options.metrics_endpoint);
    if (!exposer.ok()) return exposer.status();
    server->exposer_ = *std::move(exposer);
    server->exposer_->RegisterCollectable(server->metrics_->registry());
    server->exposer_->RegisterCollectable(server->metrics_->process_collector());
    const std::vector<int> ports = server->exposer_->GetListeningPorts();
    server->metrics_port_ = ports.empty() ? 0 : ports.front();
  }

  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(options.security);
  if (!credentials.ok()) return credentials.status();

  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // No SO_REUSEPORT: a second server on an address already served must fail
  // to bind (with it, Linux lets both listen and splits the connections).
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (options.transport_memory_bytes > 0) {
    builder.SetResourceQuota(grpc::ResourceQuota("pathwised")
                                 .Resize(static_cast<size_t>(options.transport_memory_bytes)));
  }
  builder.AddListeningPort(options.listen, *credentials, &server->port_);
  builder.RegisterService(server->service_.get());
  builder.RegisterService(server->solver_.get());
  builder.RegisterService(server->mcmc_.get());
  server->max_request_bytes_ =
      ReceiveLimitBytes(options.transport, options.limits, options.solver.limits);
  if (options.transport.max_request_bytes == 0) {
    // Derived: an MCMC target's data must fit too (mcmc_request.h).
    server->max_request_bytes_ =
        std::max(server->max_request_bytes_, mcmc.limits.MaxRequestBytes());
  }
  ApplyTransportOptions(options.transport, server->max_request_bytes_,
                        options.limits.MaxSendBytes(), builder);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    server->server_.reset();
    return absl::UnavailableError(
        absl::StrCat("listen: cannot listen on ", options.listen,
                     " (address already in use, or not an address of this host)"));
  }
  grpc::HealthCheckServiceInterface* health = server->server_->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(kBrownianServiceName, true);
  health->SetServingStatus(kSolverServiceName, true);
  health->SetServingStatus(kMcmcServiceName, true);
  server->metrics_->SetServing(true);
  return server;
}

PathwiseServer::~PathwiseServer() { Shutdown(absl::ZeroDuration()); }

int PathwiseServer::threads() const { return pool_->size(); }

uint64_t PathwiseServer::inflight_bytes() const { return service_->inflight_bytes(); }

int PathwiseServer::active_calls() const {
  return service_->active_calls() + solver_->active_calls() + mcmc_->active_calls();
}

void PathwiseServer::ReleaseIdleMemory() const {
  if (active_calls() == 0) malloc_trim(0);
}

void PathwiseServer::SetDraining() {
  service_->SetDraining(true);
  solver_->SetDraining(true);
  mcmc_->SetDraining(true);
  metrics_->SetServing(false);
  if (server_ != nullptr) server_->GetHealthCheckService()->SetServingStatus(false);
}

void PathwiseServer::Shutdown(absl::Duration grace) {
  std::lock_guard<std::mutex> lock(shutdown_mutex_);
  if (shut_down_) return;
  shut_down_ = true;
  if (server_ != nullptr) {
    const auto deadline = std::chrono::system_clock::now() +
                          absl::ToChronoMilliseconds(absl::Floor(grace, absl::Milliseconds(1)));
    // First drain while still serving: calls that arrive now get a clean
    // UNAVAILABLE from the service (gRPC's own shutdown would reset streams
    // that race with it), and in-flight calls finish.
    SetDraining();
    while (active_calls() > 0 && std::chrono::system_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // Callers whose last call just finished learn of the drain from their next one.
    const auto settle_end = std::min(
        deadline, std::chrono::system_clock::now() + absl::ToChronoMilliseconds(drain_settle_));
    std::this_thread::sleep_until(settle_end);
    // Then stop: refuses new connections and calls, cancels what is left at the deadline.
    server_->Shutdown(deadline);  // returns once every call is done
    server_->Wait();
  }
  if (pool_ != nullptr) pool_->Stop();
  exposer_.reset();  // civetweb takes up to a second to stop
}

}  // namespace pathwise::server
