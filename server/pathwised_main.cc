// pathwised: the pathwise gRPC server.
//
// Exit codes: 0 stopped by SIGTERM/SIGINT after draining; 1 bad flags (as
// Abseil exits for an unknown flag or a value it cannot parse), or a second
// signal cut the drain short; 3 an address could not be bound (already in use,
// or not of this host), named on stderr.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "core/brownian/path_spec.h"
#include "pathwise/version.h"
#include "server/auth_tokens.h"
#include "server/protobuf_log.h"
#include "server/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "gRPC address host:port (port 0: any free port). Use 0.0.0.0:50051 to accept "
          "connections from other machines.");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9464",
          "Prometheus address host:port, scraped at /metrics; empty disables the endpoint.");
ABSL_FLAG(int, threads, 0,
          "Worker threads that evaluate large requests (split by path ranges); 0 means one per "
          "hardware thread.");
ABSL_FLAG(uint32_t, max_dim, 4096,
          "Largest PathSpec.dim accepted; above it a call gets RESOURCE_EXHAUSTED.");
ABSL_FLAG(uint64_t, max_queries, uint64_t{1} << 20,
          "Largest len(times) + len(intervals) per request; above it RESOURCE_EXHAUSTED.");
ABSL_FLAG(uint64_t, max_paths, uint64_t{1} << 16,
          "Largest path_count per request; above it RESOURCE_EXHAUSTED.");
ABSL_FLAG(uint64_t, max_response_bytes, uint64_t{64} << 20,
          "Largest response, counted as 8 bytes per returned double (w, h and k); above it "
          "RESOURCE_EXHAUSTED. At most 1 GiB.");
ABSL_FLAG(uint64_t, max_inflight_bytes, uint64_t{1} << 30,
          "Largest sum of the response bytes of all calls being answered at once (bounds "
          "memory, about twice this at peak); above it a call gets RESOURCE_EXHAUSTED. At least "
          "max_response_bytes.");
ABSL_FLAG(uint32_t, max_solve_paths, 1u << 20,
          "SolverService: largest num_paths per Solve; above it RESOURCE_EXHAUSTED.");
ABSL_FLAG(uint32_t, max_state_dim, 4096,
          "SolverService: largest model state dimension (y0 length); above it RESOURCE_EXHAUSTED.");
ABSL_FLAG(uint64_t, max_steps, uint64_t{1} << 30,
          "SolverService: largest max_steps per path a request may ask for.");
ABSL_FLAG(uint64_t, max_times, uint64_t{1} << 20,
          "SolverService: largest len(saveat.ts), len(step_to.ts) and len(adaptive.step_ts).");
ABSL_FLAG(uint64_t, max_points, uint64_t{1} << 27,
          "SolverService: largest num_paths * fixed save times * state_dim of one Solve (values "
          "sent as paths or kept for exact quantiles; 8 bytes each).");
ABSL_FLAG(uint32_t, max_concurrent_solves, 16,
          "SolverService admission: solves running at once (an Estimate counts as one); one more "
          "gets RESOURCE_EXHAUSTED at once (no queue).");
ABSL_FLAG(uint64_t, max_estimate_path_steps, uint64_t{1} << 34,
          "SolverService: largest max_path_steps of one Estimate (its budget of path steps; a "
          "request's 0 means this); above it RESOURCE_EXHAUSTED.");
ABSL_FLAG(uint64_t, max_queued_paths, uint64_t{1} << 22,
          "SolverService admission: paths of running solves not yet solved (the queue depth); a "
          "Solve that would exceed it gets RESOURCE_EXHAUSTED at once.");
// Per-caller limits and overload (docs/server.md, "Per-caller limits and overload").
ABSL_FLAG(uint32_t, max_concurrent_solves_per_caller, 4,
          "Solves one caller may run at once (the caller: its --auth_tokens_file name, else its "
          "IP address without the port); one more gets RESOURCE_EXHAUSTED with a QuotaFailure.");
ABSL_FLAG(uint64_t, max_queued_paths_per_caller, uint64_t{1} << 20,
          "Paths of one caller's running solves not yet solved; beyond it RESOURCE_EXHAUSTED "
          "with a QuotaFailure.");
ABSL_FLAG(uint64_t, max_inflight_bytes_per_caller, uint64_t{256} << 20,
          "Response bytes one caller may hold in flight (Sample/SampleStream answers, a Solve's "
          "unread paths); beyond it RESOURCE_EXHAUSTED with a QuotaFailure. At least "
          "max_response_bytes.");
ABSL_FLAG(uint64_t, max_queued_path_steps, uint64_t{1} << 36,
          "SolverService admission by work: estimated path-steps (paths x steps per path) of "
          "running solves not yet solved; beyond it RESOURCE_EXHAUSTED with a RetryInfo (a "
          "single solve above it: split it).");
ABSL_FLAG(uint64_t, max_solve_memory_bytes, uint64_t{2} << 30,
          "SolverService admission by memory: estimated bytes of the running solves' statistics "
          "and unread paths; beyond it RESOURCE_EXHAUSTED with a RetryInfo (a single solve above "
          "it: split it).");
ABSL_FLAG(double, max_solve_seconds, 600,
          "Longest a Solve may run when the call has no earlier deadline of its own; then it "
          "ends with DEADLINE_EXCEEDED naming this limit. 0: no limit.");
ABSL_FLAG(absl::Duration, solve_slice, absl::Milliseconds(50),
          "How long a solve holds a worker before it yields it to other callers' work (its "
          "results do not change), in [0, 10s]; 0: a block of 64 paths runs to its end.");
ABSL_FLAG(uint64_t, transport_memory_bytes, 0,
          "Memory gRPC's transport may use for connections and messages being read (a gRPC "
          "ResourceQuota); 0: unbounded (gRPC's default).");
ABSL_FLAG(absl::Duration, progress_interval, absl::Milliseconds(500),
          "SolverService and McmcService: time between Progress events of a running solve or "
          "MCMC run, in [1ms, 1s].");
ABSL_FLAG(uint32_t, max_mcmc_chains, 256, "McmcService: largest num_chains of one request.");
ABSL_FLAG(uint64_t, max_mcmc_draw_values, uint64_t{1} << 26,
          "McmcService: largest num_chains * num_draws * dim of one request.");
ABSL_FLAG(uint64_t, max_mcmc_steps_per_chain, uint64_t{1} << 24,
          "McmcService: steps per chain (warm-up and sampling); a chain reaching it is flagged "
          "unstable, a constant step that needs more is refused.");
ABSL_FLAG(uint64_t, max_mcmc_data_values, uint64_t{1} << 21,
          "McmcService: largest target.builtin.data (doubles); the gRPC receive limit is raised "
          "to fit it.");
ABSL_FLAG(uint32_t, max_concurrent_mcmc, 8,
          "McmcService admission: MCMC runs at once; one more gets RESOURCE_EXHAUSTED at once.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM/SIGINT: health turns NOT_SERVING, new calls get UNAVAILABLE, and in-flight "
          "calls get this long to finish before they are cancelled; then the process exits 0.");
ABSL_FLAG(bool, reflection, true, "Serve gRPC server reflection (grpc.reflection.v1alpha).");
ABSL_FLAG(std::string, log_level, "info",
          "Least severe log level: trace, debug, info, warn, error. Rejected calls are logged "
          "at debug.");

// Transport limits of the gRPC port and the metrics endpoint (docs/server.md,
// "Transport limits").
ABSL_FLAG(uint64_t, max_request_bytes, 0,
          "Largest request message read; larger ones get RESOURCE_EXHAUSTED from gRPC. 0: the "
          "largest legal request from the limits above (docs/server.md), 37879808 with the "
          "defaults.");
ABSL_FLAG(uint32_t, max_concurrent_streams, 100,
          "HTTP/2 streams (calls) open at once on one connection; a client's further calls wait "
          "on its side.");
ABSL_FLAG(absl::Duration, keepalive_min_ping_interval, absl::Seconds(10),
          "Shortest interval between a client's pings while the server sends nothing; more than "
          "2 faster pings close the connection (GOAWAY too_many_pings). Clients without calls in "
          "flight may not ping.");
ABSL_FLAG(absl::Duration, keepalive_time, absl::Seconds(60),
          "The server pings clients that have calls in flight this often, and closes the "
          "connection (cancelling the calls) when a ping is not answered within "
          "--keepalive_timeout.");
ABSL_FLAG(absl::Duration, keepalive_timeout, absl::Seconds(20),
          "How long the server waits for the answer to its keepalive ping.");
ABSL_FLAG(absl::Duration, max_connection_idle, absl::Minutes(5),
          "A connection without calls for this long is closed (clients reconnect on their next "
          "call).");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(30),
          "A connection is asked to close (GOAWAY) at this age, +-10% jitter, so clients "
          "reconnect and spread over new replicas; its calls get --max_connection_age_grace.");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Hours(1),
          "How long calls on a connection past --max_connection_age may still run before it is "
          "closed.");
ABSL_FLAG(int, metrics_threads, 4,
          "HTTP threads of the metrics endpoint; a connection holds one until its request is "
          "answered or --metrics_request_timeout passes.");
ABSL_FLAG(absl::Duration, metrics_request_timeout, absl::Seconds(2),
          "How long a metrics connection may take to send its request, in [1ms, 1h].");

// Security of the gRPC port (docs/server.md, "Security").
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain: serve TLS (with --tls_key_file). Re-read every 30 s, so a "
          "renewed certificate applies to new connections without a restart.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle: also require client certificates signed by it (mutual TLS).");
ABSL_FLAG(std::string, auth_tokens_file, "",
          "File of callers, one `NAME TOKEN` or `NAME sha256:HEX` a line (# comments): every "
          "call except grpc.health.v1.Health then needs metadata `authorization: Bearer "
          "<token>`. Re-read on SIGHUP.");

namespace {

constexpr int kExitBadFlags = 1;  // Abseil's own code for flags it cannot parse
constexpr int kExitCannotListen = 3;

constexpr char kUsage[] =
    "the pathwise gRPC server (pathwise.v1.BrownianService, pathwise.v1.SolverService, "
    "grpc.health.v1.Health, server reflection) with Prometheus metrics.\n"
    "Usage: pathwised [--listen=127.0.0.1:50051] [--metrics_listen=127.0.0.1:9464] [flags]";
constexpr char kExitCodes[] =
    "Exit codes: 0 stopped by SIGTERM/SIGINT after draining; 1 bad flags, or a second signal\n"
    "cut the drain short; 3 an address could not be bound (already in use, or not of this\n"
    "host), named on stderr.\n";

// The flags defined here, as Abseil names their file ("pathwised", not the
// path of this file in the build tree, which --help would otherwise print).
bool IsOwnFile(absl::string_view file) { return absl::EndsWith(file, "pathwised_main.cc"); }

void ConfigureFlagsUsage() {
  absl::FlagsUsageConfig config;
  config.normalize_filename = [](absl::string_view file) {
    return IsOwnFile(file) ? std::string("pathwised") : std::string(file);
  };
  const auto own = [](absl::string_view file) { return file == "pathwised"; };
  config.contains_help_flags = own;
  config.contains_helpshort_flags = own;
  config.version_string = [] { return std::string("pathwised ") + pathwise::kVersionLine + "\n"; };
  absl::SetFlagsUsageConfig(config);
}

// --help: every flag of pathwised with its help and default, on stdout, and
// exit 0 (Abseil's own --help exits 1).
void PrintHelp() {
  std::vector<absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (flag->Filename() == "pathwised") flags.push_back(flag);
  }
  std::sort(flags.begin(), flags.end(),
            [](const auto* a, const auto* b) { return a->Name() < b->Name(); });
  std::printf("pathwised: %s\n\nFlags:\n", kUsage);
  for (const absl::CommandLineFlag* flag : flags) {
    std::printf("  --%s (%s)\n      default: %s\n", std::string(flag->Name()).c_str(),
                flag->Help().c_str(), flag->DefaultValue().c_str());
  }
  std::printf(
      "  --help    this text\n  --version the version and the Brownian path algorithm\n\n%s",
      kExitCodes);
}

bool IsHelpWord(const char* word) {
  for (const char* help :
       {"--help", "-help", "--helpfull", "-helpfull", "--helpshort", "-helpshort", "-h"}) {
    if (std::strcmp(word, help) == 0) return true;
  }
  return false;
}

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("pathwised");
  spdlog::set_default_logger(logger);
  // logfmt: one event per line, key=value pairs.
  spdlog::set_pattern("ts=%Y-%m-%dT%H:%M:%S.%fZ level=%l %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::trace);
}

// glibc gives every thread that contends for the heap its own arena, up to
// 8 per core; gRPC's threads and the workers then spread what one burst of
// calls allocates over many arenas, whose free pages do not all go back to
// the system. The soak (tests/soak) measured resident memory after its load
// at +7.6 % .. +20.2 % of its post-warm-up value with the default and
// -12.4 % with 2 arenas, at the same small-call latency. So pathwised keeps
// one arena per worker thread, unless MALLOC_ARENA_MAX says otherwise.
void LimitMallocArenas(int threads) {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;
  const int workers = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
  mallopt(M_ARENA_MAX, std::max(2, workers));
}

// glibc serves an allocation above its mmap threshold with its own mapping,
// returned to the system on free, but it raises that threshold (up to 32 MiB)
// each time such a block is freed; from then on the large buffers of a burst
// (responses, statistics, a solve's state) come from the heap and keep its
// pages after they are freed. In the soak the resident memory after the load
// was +7.7 % and +34.7 % of its post-warm-up value with the moving threshold
// and +0.8 % with it fixed at 1 MiB (tests/soak; docs/server.md, "Hardening
// checks"). Setting it also stops the adjustment (mallopt(3)). The
// environment (MALLOC_MMAP_THRESHOLD_, or glibc.malloc.mmap_threshold in
// GLIBC_TUNABLES) still wins.
void FixMallocMmapThreshold() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") != nullptr ||
      (tunables != nullptr && std::strstr(tunables, "glibc.malloc.mmap_threshold") != nullptr)) {
    return;
  }
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

// SIGHUP: re-read the token file; a bad file keeps the callers in force.
void ReloadTokens(pathwise::server::TokenStore* tokens) {
  if (tokens == nullptr) {
    spdlog::info(
        "event=reload msg=\"SIGHUP: no --auth_tokens_file; TLS files are re-read "
        "periodically anyway\"");
    return;
  }
  if (absl::Status status = tokens->Reload(); !status.ok()) {
    spdlog::error("event=reload_failed msg=\"auth_tokens_file: {}; the previous callers stay\"",
                  std::string(status.message()));
    return;
  }
  spdlog::info("event=reload auth_tokens_file={} callers={}", tokens->path(), tokens->size());
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  ConfigureFlagsUsage();
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (IsHelpWord(argv[i])) {
      PrintHelp();
      return 0;
    }
    if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-version") == 0) {
      std::printf("pathwised %s\n", pathwise::kVersionLine);
      return 0;
    }
  }
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles (a
  // debug aid that gRPC's locks pay for on every call): off in production.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  SetUpLogging(absl::GetFlag(FLAGS_log_level));
  pathwise::server::RouteProtobufLogsToSpdlog();

  // Signals are taken by sigwait below: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);  // re-read --auth_tokens_file
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  LimitMallocArenas(absl::GetFlag(FLAGS_threads));
  FixMallocMmapThreshold();

  pathwise::server::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.limits.max_dim = absl::GetFlag(FLAGS_max_dim);
  options.limits.max_queries = absl::GetFlag(FLAGS_max_queries);
  options.limits.max_paths = absl::GetFlag(FLAGS_max_paths);
  options.limits.max_response_bytes = absl::GetFlag(FLAGS_max_response_bytes);
  options.limits.max_inflight_bytes = absl::GetFlag(FLAGS_max_inflight_bytes);
  options.solver.limits.max_paths = absl::GetFlag(FLAGS_max_solve_paths);
  options.solver.limits.max_state_dim = absl::GetFlag(FLAGS_max_state_dim);
  options.solver.limits.max_steps = absl::GetFlag(FLAGS_max_steps);
  options.solver.limits.max_times = absl::GetFlag(FLAGS_max_times);
  options.solver.limits.max_points = absl::GetFlag(FLAGS_max_points);
  options.solver.admission.max_solves = absl::GetFlag(FLAGS_max_concurrent_solves);
  options.solver.estimate.max_path_steps = absl::GetFlag(FLAGS_max_estimate_path_steps);
  options.solver.admission.max_queued_paths = absl::GetFlag(FLAGS_max_queued_paths);
  options.solver.admission.max_queued_path_steps = absl::GetFlag(FLAGS_max_queued_path_steps);
  options.solver.admission.max_solve_memory_bytes = absl::GetFlag(FLAGS_max_solve_memory_bytes);
  options.callers.max_solves = absl::GetFlag(FLAGS_max_concurrent_solves_per_caller);
  options.callers.max_queued_paths = absl::GetFlag(FLAGS_max_queued_paths_per_caller);
  options.callers.max_inflight_bytes = absl::GetFlag(FLAGS_max_inflight_bytes_per_caller);
  options.transport_memory_bytes = absl::GetFlag(FLAGS_transport_memory_bytes);
  options.solver.run.slice = absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_solve_slice));
  if (const double seconds = absl::GetFlag(FLAGS_max_solve_seconds);
      !(seconds >= 0.0 && seconds <= 1e9)) {
    spdlog::error("event=start_failed msg=\"max_solve_seconds: must be in [0, 1e9]\"");
    return kExitBadFlags;
  } else {
    options.solver.run.max_solve_time =
        std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
  }
  options.solver.run.progress_interval =
      absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_progress_interval));
  options.mcmc.limits.max_chains = absl::GetFlag(FLAGS_max_mcmc_chains);
  options.mcmc.limits.max_draw_values = absl::GetFlag(FLAGS_max_mcmc_draw_values);
  options.mcmc.limits.max_steps_per_chain = absl::GetFlag(FLAGS_max_mcmc_steps_per_chain);
  options.mcmc.limits.max_data_values = absl::GetFlag(FLAGS_max_mcmc_data_values);
  options.mcmc.limits.max_dim = absl::GetFlag(FLAGS_max_state_dim);
  options.mcmc.admission.max_runs = absl::GetFlag(FLAGS_max_concurrent_mcmc);
  options.mcmc.run.progress_interval = options.solver.run.progress_interval;
  options.reflection = absl::GetFlag(FLAGS_reflection);
  options.transport.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  options.transport.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.transport.min_ping_interval = absl::GetFlag(FLAGS_keepalive_min_ping_interval);
  options.transport.keepalive_time = absl::GetFlag(FLAGS_keepalive_time);
  options.transport.keepalive_timeout = absl::GetFlag(FLAGS_keepalive_timeout);
  options.transport.max_connection_idle = absl::GetFlag(FLAGS_max_connection_idle);
  options.transport.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.transport.max_connection_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  options.metrics_endpoint.threads = absl::GetFlag(FLAGS_metrics_threads);
  options.metrics_endpoint.request_timeout = absl::GetFlag(FLAGS_metrics_request_timeout);
  options.security.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.security.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.security.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  std::shared_ptr<pathwise::server::TokenStore> tokens;
  if (const std::string path = absl::GetFlag(FLAGS_auth_tokens_file); !path.empty()) {
    auto loaded = pathwise::server::TokenStore::Load(path);
    if (!loaded.ok()) {
      spdlog::error("event=start_failed msg=\"auth_tokens_file: {}\"",
                    std::string(loaded.status().message()));
      return kExitBadFlags;
    }
    tokens = *std::move(loaded);
    options.security.tokens = tokens;
  }
  const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
  if (grace < absl::ZeroDuration()) {
    spdlog::error("event=start_failed msg=\"shutdown_grace: must be >= 0\"");
    return kExitBadFlags;
  }

  auto server = pathwise::server::PathwiseServer::Start(options);
  if (!server.ok()) {
    spdlog::error("event=start_failed msg=\"{}\"", std::string(server.status().message()));
    return absl::IsUnavailable(server.status()) ? kExitCannotListen : kExitBadFlags;
  }
  const std::string metrics =
      options.metrics_listen.empty()
          ? std::string("off")
          : absl::StrCat("http://",
                         options.metrics_listen.substr(0, options.metrics_listen.rfind(':')), ":",
                         (*server)->metrics_port(), "/metrics");
  spdlog::info(
      "event=start listen={}:{} metrics={} threads={} algorithm={} max_dim={} max_queries={} "
      "max_paths={} max_response_bytes={} max_inflight_bytes={} max_concurrent_solves={} "
      "max_queued_paths={} max_concurrent_solves_per_caller={} max_solve_seconds={} "
      "max_request_bytes={} shutdown_grace={} pid={} security={}",
      options.listen.substr(0, options.listen.rfind(':')), (*server)->port(), metrics,
      (*server)->threads(), std::string(pathwise::brownian::kAlgorithmVersion),
      options.limits.max_dim, options.limits.max_queries, options.limits.max_paths,
      options.limits.max_response_bytes, options.limits.max_inflight_bytes,
      options.solver.admission.max_solves, options.solver.admission.max_queued_paths,
      options.callers.max_solves, absl::GetFlag(FLAGS_max_solve_seconds),
      (*server)->max_request_bytes(), absl::FormatDuration(grace), getpid(),
      pathwise::server::SecurityMode(options.security));

  // Signals, and once a second without one: idle memory back to the system.
  int signal_number = 0;
  for (;;) {
    const timespec second{1, 0};
    signal_number = sigtimedwait(&signals, nullptr, &second);
    if (signal_number < 0) {
      (*server)->ReleaseIdleMemory();
      continue;
    }
    if (signal_number != SIGHUP) break;
    ReloadTokens(tokens.get());
  }
  spdlog::info("event=shutdown_begin signal={} grace={}",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT", absl::FormatDuration(grace));
  // A second signal while draining stops at once.
  std::thread([signals] {
    int again = 0;
    while (sigwait(&signals, &again) != 0 || again == SIGHUP) {
      again = 0;  // SIGHUP while draining: ignored
    }
    spdlog::warn("event=shutdown_forced signal={}", again == SIGTERM ? "SIGTERM" : "SIGINT");
    std::_Exit(1);
  }).detach();
  const auto begin = std::chrono::steady_clock::now();
  (*server)->Shutdown(grace);
  spdlog::info("event=shutdown_done seconds={:.3f}",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
  server->reset();
  return 0;
}
