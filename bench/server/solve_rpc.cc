// Solve throughput through the RPC against the in-process core (docs/benchmarks.md §6):
// path-steps per second of OU/ShARK over an ensemble, statistics-only and
// full paths, each next to SolveEnsemble on the same number of threads.
//
// The server runs in this process on a loopback port and the client reads
// the stream here too, so the RPC figures include decoding every message.
// Runs are interleaved (core, stats, paths, core, ...) and the median of
// --reps is reported, so a noisy neighbour hurts all three alike.
//
//   bench_solve_rpc [--paths 10000] [--dt 0.01] [--threads 2] [--reps 5]
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "core/integrate/ensemble.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "server/server.h"
#include "server/solve_request.h"

ABSL_FLAG(uint32_t, paths, 10000, "ensemble size");
ABSL_FLAG(double, dt, 0.01, "constant step over [0, 1]");
ABSL_FLAG(int, threads, 2, "server worker threads = in-process solve threads");
ABSL_FLAG(int, reps, 5, "interleaved repetitions (the median is reported)");

namespace {

using Clock = std::chrono::steady_clock;
using pathwise::v1::SolveRequest;

SolveRequest OuShark(pathwise::v1::Output output) {
  SolveRequest r;
  r.mutable_model()->mutable_builtin()->set_name("ou");
  r.set_method(pathwise::v1::SHARK);
  r.set_t1(1.0);
  r.add_y0(1.0);
  r.mutable_step()->mutable_constant()->set_dt(absl::GetFlag(FLAGS_dt));
  r.mutable_saveat()->set_steps(true);  // full paths: every step
  r.set_num_paths(absl::GetFlag(FLAGS_paths));
  r.set_output(output);
  return r;
}

// Seconds of one in-process solve (statistics at the fixed times, no paths kept).
double InProcess(const SolveRequest& request, int threads) {
  auto inputs = pathwise::server::ValidateSolveRequest(request, {});
  if (!inputs.ok()) std::abort();
  inputs->options.threads = threads;
  const auto start = Clock::now();
  auto solution =
      pathwise::integrate::SolveEnsemble(*inputs->sde, *inputs->method, inputs->options);
  if (!solution.ok()) std::abort();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct RpcRun {
  double seconds = 0;
  uint64_t steps = 0;
  uint64_t bytes = 0;
};

RpcRun ThroughRpc(pathwise::v1::SolverService::Stub& stub, const SolveRequest& request) {
  RpcRun run;
  grpc::ClientContext context;
  const auto start = Clock::now();
  auto reader = stub.Solve(&context, request);
  pathwise::v1::SolveResponse event;
  while (reader->Read(&event)) {
    run.bytes += event.ByteSizeLong();
    if (event.has_summary()) run.steps = event.summary().steps_accepted();
  }
  if (!reader->Finish().ok()) std::abort();
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return run;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Solve throughput through the RPC vs in-process (OU/ShARK).");
  absl::ParseCommandLine(argc, argv);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const int threads = absl::GetFlag(FLAGS_threads);
  pathwise::server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.metrics_listen = "";
  options.threads = threads;
  auto server = pathwise::server::PathwiseServer::Start(options);
  if (!server.ok()) return 1;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                           grpc::InsecureChannelCredentials(), args);
  auto stub = pathwise::v1::SolverService::NewStub(channel);

  const SolveRequest stats = OuShark(pathwise::v1::OUTPUT_STATISTICS);
  const SolveRequest paths = OuShark(pathwise::v1::OUTPUT_PATHS);
  std::vector<double> core_s, stats_s, paths_s;
  RpcRun last_stats, last_paths;
  ThroughRpc(*stub, stats);  // warm-up: connection, caches
  for (int rep = 0; rep < absl::GetFlag(FLAGS_reps); ++rep) {
    core_s.push_back(InProcess(stats, threads));
    last_stats = ThroughRpc(*stub, stats);
    stats_s.push_back(last_stats.seconds);
    last_paths = ThroughRpc(*stub, paths);
    paths_s.push_back(last_paths.seconds);
  }
  const double steps = static_cast<double>(last_stats.steps);
  const double core = steps / Median(core_s);
  std::printf("OU/ShARK, %u paths, dt %g on [0, 1] (%.0f path-steps), %d threads, median of %d\n",
              absl::GetFlag(FLAGS_paths), absl::GetFlag(FLAGS_dt), steps, threads,
              absl::GetFlag(FLAGS_reps));
  std::printf("%-34s %14s %10s %12s\n", "run", "path-steps/s", "vs core", "bytes");
  std::printf("%-34s %14.4g %9.1f%% %12s\n", "in-process SolveEnsemble (stats)", core, 100.0, "-");
  std::printf("%-34s %14.4g %9.1f%% %12llu\n", "RPC, statistics only", steps / Median(stats_s),
              100.0 * Median(core_s) / Median(stats_s),
              static_cast<unsigned long long>(last_stats.bytes));
  std::printf("%-34s %14.4g %9.1f%% %12llu\n", "RPC, full paths (every step)",
              steps / Median(paths_s), 100.0 * Median(core_s) / Median(paths_s),
              static_cast<unsigned long long>(last_paths.bytes));
  (*server)->Shutdown(absl::Seconds(1));
  return 0;
}
