// Load generator for pathwised: N concurrent closed-loop callers (gRPC
// callback API, one call in flight each) against an in-process server on a
// loopback port, or against --server. Scenarios (docs/benchmarks.md §3):
//   small: Sample with d = 1, 16 intervals, space-time -> RPC/s, p50/p99 latency
//   large: Sample with d = 256, 4096 intervals, space-time -> response MB/s,
//          compared with the core's in-process rate on the same requests.
// Prints a Markdown table.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "core/brownian/batch.h"
#include "pathwise/v1/brownian.grpc.pb.h"
#include "server/sample_request.h"
#include "server/server.h"

ABSL_FLAG(std::string, server, "",
          "Address of a running pathwised; empty starts one in this process on a free loopback "
          "port.");
ABSL_FLAG(int, server_threads, 0, "Worker threads of the in-process server (0: one per core).");
ABSL_FLAG(std::string, scenarios, "small,large", "Comma-separated: small, large.");
ABSL_FLAG(std::string, small_callers, "1,4,16,32,64",
          "Concurrent callers in the small scenario; a comma-separated list runs each.");
ABSL_FLAG(int, large_callers, 2, "Concurrent callers in the large scenario.");
ABSL_FLAG(int, channels, 2, "Channels (TCP connections) the callers are spread over.");
ABSL_FLAG(double, seconds, 5.0, "Measured seconds per scenario (after a 1 s warm-up).");
ABSL_FLAG(bool, client_retries, false,
          "Keep gRPC's client retry machinery on (its default); off saves client CPU per call.");

namespace {

using Clock = std::chrono::steady_clock;
using pathwise::v1::BrownianService;
using pathwise::v1::SampleRequest;
using pathwise::v1::SampleResponse;

SampleRequest MakeRequest(uint32_t dim, int intervals) {
  SampleRequest request;
  pathwise::v1::PathSpec* path = request.mutable_path();
  path->set_seed(2024);
  path->set_dim(dim);
  path->set_t0(0.0);
  path->set_t1(1.0);
  path->set_levy_area(pathwise::v1::LEVY_AREA_SPACE_TIME);
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int i = 0; i < intervals; ++i) {
    double s = u(rng), t = u(rng);
    auto* q = request.add_intervals();
    q->set_s(std::min(s, t));
    q->set_t(std::max(s, t));
  }
  return request;
}

struct Stats {
  uint64_t ok = 0;
  uint64_t errors = 0;
  uint64_t response_bytes = 0;    // bytes of doubles received (w and h)
  std::vector<double> latencies;  // seconds, measured calls only
};

// One caller: issues the next call from the completion of the previous one.
class Caller {
 public:
  Caller(BrownianService::Stub* stub, SampleRequest request, uint64_t first_path)
      : stub_(stub), request_(std::move(request)), path_index_(first_path) {
    stats_.latencies.reserve(1 << 20);
  }

  void Start(std::atomic<int>* phase) {
    phase_ = phase;
    Issue();
  }
  void WaitStopped() {
    std::unique_lock<std::mutex> lock(mutex_);
    stopped_cv_.wait(lock, [this] { return stopped_; });
  }
  const Stats& stats() const { return stats_; }

 private:
  void Issue() {
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    request_.mutable_path()->set_path_index(path_index_++);
    response_.Clear();
    start_ = Clock::now();
    stub_->async()->Sample(context_.get(), &request_, &response_,
                           [this](grpc::Status status) { Done(status); });
  }

  void Done(const grpc::Status& status) {
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    const int phase = phase_->load();
    if (phase == 1) {  // measuring
      if (status.ok()) {
        ++stats_.ok;
        stats_.response_bytes += 8 * static_cast<uint64_t>(response_.w_size() + response_.h_size());
        stats_.latencies.push_back(seconds);
      } else {
        ++stats_.errors;
        if (stats_.errors == 1) {
          std::fprintf(stderr, "call failed: %d %s\n", status.error_code(),
                       status.error_message().c_str());
        }
      }
    }
    if (phase < 2) {
      Issue();
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
    stopped_cv_.notify_all();
  }

  BrownianService::Stub* stub_;
  SampleRequest request_;
  SampleResponse response_;
  uint64_t path_index_;
  std::unique_ptr<grpc::ClientContext> context_;
  Clock::time_point start_;
  std::atomic<int>* phase_ = nullptr;
  Stats stats_;
  std::mutex mutex_;
  std::condition_variable stopped_cv_;
  bool stopped_ = false;
};

struct Result {
  double seconds = 0;
  Stats total;
  double cpu_seconds = 0;
};

double ProcessCpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

Result RunLoad(const std::vector<std::unique_ptr<BrownianService::Stub>>& stubs,
               const SampleRequest& request, int callers, double seconds) {
  std::atomic<int> phase{0};  // 0 warm-up, 1 measuring, 2 stopping
  std::vector<std::unique_ptr<Caller>> all;
  for (int c = 0; c < callers; ++c) {
    all.push_back(
        std::make_unique<Caller>(stubs[c % stubs.size()].get(), request, uint64_t{1000000} * c));
  }
  for (auto& caller : all) caller->Start(&phase);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double cpu0 = ProcessCpuSeconds();
  const auto begin = Clock::now();
  phase.store(1);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  phase.store(2);
  const auto end = Clock::now();
  const double cpu1 = ProcessCpuSeconds();
  for (auto& caller : all) caller->WaitStopped();
  Result result;
  result.seconds = std::chrono::duration<double>(end - begin).count();
  result.cpu_seconds = cpu1 - cpu0;
  for (auto& caller : all) {
    const Stats& s = caller->stats();
    result.total.ok += s.ok;
    result.total.errors += s.errors;
    result.total.response_bytes += s.response_bytes;
    result.total.latencies.insert(result.total.latencies.end(), s.latencies.begin(),
                                  s.latencies.end());
  }
  std::sort(result.total.latencies.begin(), result.total.latencies.end());
  return result;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i = std::min(sorted.size() - 1, static_cast<size_t>(p * (sorted.size() - 1) + 0.5));
  return sorted[i];
}

// The core alone: the same requests evaluated in this process by `threads`
// threads (each its own paths), response bytes per second.
double CoreRate(const SampleRequest& request, int threads, double seconds) {
  const pathwise::brownian::BatchRequest base = pathwise::server::ToBatchRequest(request);
  const std::vector<pathwise::brownian::Interval> queries = pathwise::brownian::QueriesOf(base);
  std::atomic<uint64_t> bytes{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  const auto begin = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      pathwise::brownian::BatchRequest one = base;
      for (uint64_t i = 0; !stop.load(); ++i) {
        one.path.path_index = uint64_t{1000000} * t + i;
        pathwise::brownian::BatchResult result;
        pathwise::brownian::SizeResult(one, result);
        pathwise::brownian::EvaluatePaths(one, queries, 0, 1, result);
        bytes += 8 * (result.w.size() + result.h.size());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true);
  for (auto& w : workers) w.join();
  return static_cast<double>(bytes.load()) /
         std::chrono::duration<double>(Clock::now() - begin).count();
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Load generator for pathwised; prints Markdown.");
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles (a
  // debug aid that gRPC's locks pay for on every call): off in production.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const double seconds = absl::GetFlag(FLAGS_seconds);

  std::unique_ptr<pathwise::server::PathwiseServer> server;
  std::string target = absl::GetFlag(FLAGS_server);
  if (target.empty()) {
    pathwise::server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.metrics_listen = "";
    options.threads = absl::GetFlag(FLAGS_server_threads);
    auto started = pathwise::server::PathwiseServer::Start(options);
    if (!started.ok()) {
      std::fprintf(stderr, "cannot start the server: %s\n",
                   std::string(started.status().message()).c_str());
      return 1;
    }
    server = *std::move(started);
    target = "127.0.0.1:" + std::to_string(server->port());
  }
  std::vector<std::unique_ptr<BrownianService::Stub>> stubs;
  for (int c = 0; c < std::max(1, absl::GetFlag(FLAGS_channels)); ++c) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    args.SetInt("pathwise.bench.channel", c);  // distinct args: a connection each
    args.SetInt(GRPC_ARG_ENABLE_RETRIES, absl::GetFlag(FLAGS_client_retries) ? 1 : 0);
    stubs.push_back(BrownianService::NewStub(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args)));
  }

  const unsigned cores = std::thread::hardware_concurrency();
  std::printf("Machine: %u hardware threads; server %s; %.1f s measured per scenario.\n\n", cores,
              server ? "in-process (loopback TCP)" : target.c_str(), seconds);
  const std::string scenarios = absl::GetFlag(FLAGS_scenarios);
  if (scenarios.find("small") != std::string::npos) {
    const SampleRequest small = MakeRequest(1, 16);
    std::printf(
        "| scenario | callers | RPC/s | p50 ms | p90 ms | p99 ms | max ms | errors | CPU s/s |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    for (absl::string_view item : absl::StrSplit(absl::GetFlag(FLAGS_small_callers), ',')) {
      int callers = 0;
      if (!absl::SimpleAtoi(item, &callers) || callers < 1) {
        std::fprintf(stderr, "--small_callers: '%s' is not a positive integer\n",
                     std::string(item).c_str());
        return 2;
      }
      const Result r = RunLoad(stubs, small, callers, seconds);
      std::printf(
          "| small: d=1, 16 intervals, space-time | %d | %.0f | %.3f | %.3f | %.3f | %.3f | %llu "
          "| %.2f |\n",
          callers, static_cast<double>(r.total.ok) / r.seconds,
          1e3 * Percentile(r.total.latencies, 0.50), 1e3 * Percentile(r.total.latencies, 0.90),
          1e3 * Percentile(r.total.latencies, 0.99),
          1e3 * (r.total.latencies.empty() ? 0 : r.total.latencies.back()),
          static_cast<unsigned long long>(r.total.errors), r.cpu_seconds / r.seconds);
      std::fflush(stdout);
    }
    std::printf("\n");
  }
  if (scenarios.find("large") != std::string::npos) {
    const SampleRequest large = MakeRequest(256, 4096);
    const int callers = absl::GetFlag(FLAGS_large_callers);
    const Result r = RunLoad(stubs, large, callers, seconds);
    const double served = static_cast<double>(r.total.response_bytes) / r.seconds;
    // Compare with the core alone on as many threads as the server's pool.
    const int threads = server ? server->threads() : static_cast<int>(cores);
    const double core_all = CoreRate(large, threads, seconds);
    const double core_one = CoreRate(large, 1, seconds);
    std::printf(
        "| scenario | callers | responses/s | served MB/s | p50 ms | p99 ms | core MB/s (%d "
        "threads) | core MB/s (1 thread) | served / core |\n",
        threads);
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    std::printf(
        "| large: d=256, 4096 intervals, space-time (16 MiB) | %d | %.2f | %.1f | %.1f | %.1f | "
        "%.1f | %.1f | %.0f %% |\n",
        callers, static_cast<double>(r.total.ok) / r.seconds, served / 1e6,
        1e3 * Percentile(r.total.latencies, 0.50), 1e3 * Percentile(r.total.latencies, 0.99),
        core_all / 1e6, core_one / 1e6, 100.0 * served / core_all);
    if (r.total.errors != 0)
      std::printf("\n(%llu errors)\n", static_cast<unsigned long long>(r.total.errors));
  }
  stubs.clear();
  if (server) server->Shutdown(absl::Seconds(5));
  return 0;
}
