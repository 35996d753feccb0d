// pathwise_soak: a bounded soak of the pathwised binary (docs/server.md,
// "Hardening checks"). It starts pathwised with a token file of three callers
// on a free loopback port and runs concurrent clients that mix every RPC
// (soak_calls.h: the table of calls), then checks:
//   1. every call ended with a status its row allows, never UNKNOWN or
//      INTERNAL, and the server logged no rpc_error;
//   2. the small caller's calls kept their latency: p99 <= --small_p99_ms
//      while the others hog solves and hold streams unread;
//   3. resident memory after the load is within --rss_tolerance of its value
//      after the warm-up (both measured with no call in flight);
//   4. a known-answer Sample and Solve give the same bytes before and after;
//   5. SIGTERM in the middle of the load: every solve admitted before the
//      signal completes within --shutdown_grace, new calls get UNAVAILABLE,
//      and pathwised exits 0.
// Exit status 0 when every check passed, 1 otherwise; a report on stdout.
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "tests/soak/server_process.h"
#include "tests/soak/soak_calls.h"

ABSL_FLAG(std::string, pathwised, "", "The pathwised binary to soak (required).");
ABSL_FLAG(double, seconds, 60, "Seconds of measured load (after the warm-up).");
ABSL_FLAG(double, warmup_seconds, 30, "Seconds of load before the memory baseline.");
ABSL_FLAG(int, small_clients, 2, "Concurrent clients of the small caller (latency measured).");
ABSL_FLAG(int, mixed_clients, 4, "Concurrent clients of the caller that mixes every call.");
ABSL_FLAG(int, hog_clients, 2, "Concurrent clients of the caller that hogs solves and streams.");
ABSL_FLAG(int, server_threads, 2, "pathwised --threads (0: one per core).");
ABSL_FLAG(double, small_p99_ms, 250,
          "Bound on the p99 latency of the small caller's calls during the load, in ms.");
ABSL_FLAG(bool, check_latency, true, "Check --small_p99_ms (off under sanitizers).");
ABSL_FLAG(bool, check_rss, true, "Check --rss_tolerance (off under sanitizers).");
ABSL_FLAG(double, rss_tolerance, 0.2,
          "Resident memory after the load may exceed its post-warm-up value by this fraction.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(20), "pathwised --shutdown_grace.");
ABSL_FLAG(int, drain_solves, 4, "Solves admitted just before SIGTERM that must complete.");
ABSL_FLAG(uint32_t, drain_solve_paths, 128, "Paths of each of those solves (dt = 1e-3).");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the clients' random choices.");
ABSL_FLAG(double, deadline_scale, 1.0,
          "Factor on the calls' deadlines of a second or more (sanitizer builds run "
          "several times slower).");

namespace pathwise::soak {
namespace {

using std::chrono::milliseconds;

enum class Phase { kWarmUp, kLoad, kDrain };

// Every outcome, by row and status code; the small caller's latencies.
class Tally {
 public:
  void Add(const CallKind& kind, Phase phase, const Outcome& outcome) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_[kind.name][outcome.code];
    const bool allowed =
        std::count(kind.allowed.begin(), kind.allowed.end(), outcome.code) > 0 ||
        // Draining: new calls and streams are refused, and calls racing
        // with gRPC's own stop may be reset as CANCELLED (server.h).
        (phase == Phase::kDrain && (outcome.code == grpc::StatusCode::UNAVAILABLE ||
                                    outcome.code == grpc::StatusCode::CANCELLED));
    if (!allowed && unexpected_.size() < 20) {
      unexpected_.push_back(
          absl::StrFormat("%s: code %d (%s)", kind.name, outcome.code, outcome.message));
    }
    if (!allowed) ++unexpected_count_;
    if (phase == Phase::kLoad && kind.caller == Caller::kSmall) {
      const double ms = 1e3 * std::chrono::duration<double>(outcome.end - outcome.start).count();
      latencies_[kind.name].push_back(ms);
      small_latencies_.push_back(ms);
    }
    if (kind.runs_to_end && outcome.first_event) solves_.push_back(outcome);
  }

  std::mutex mutex_;
  std::map<std::string, std::map<grpc::StatusCode, uint64_t>> counts_;
  std::map<std::string, std::vector<double>> latencies_;
  std::vector<double> small_latencies_;
  std::vector<std::string> unexpected_;
  uint64_t unexpected_count_ = 0;
  std::vector<Outcome> solves_;  // admitted solves of rows that run to their end
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * (values.size() - 1) + 0.5))];
}

struct Connections {
  std::unique_ptr<Connection> by_caller[kCallerCount];
  std::unique_ptr<Connection> wrong_token;
  std::unique_ptr<Connection> no_token;
};

// The clients: each thread belongs to one caller and picks that caller's
// rows at random by weight, one call at a time, until stopped.
class Load {
 public:
  Load(const Connections& connections, Tally& tally) : connections_(connections), tally_(tally) {}

  void Start(Phase phase, uint64_t seed) {
    phase_.store(phase);
    stop_.store(false);
    const int clients[kCallerCount] = {absl::GetFlag(FLAGS_small_clients),
                                       absl::GetFlag(FLAGS_mixed_clients),
                                       absl::GetFlag(FLAGS_hog_clients)};
    for (int caller = 0; caller < kCallerCount; ++caller) {
      for (int i = 0; i < clients[caller]; ++i) {
        threads_.emplace_back(
            [this, caller, seed, i] { Run(static_cast<Caller>(caller), seed * 1000 + i); });
      }
    }
  }
  void SetPhase(Phase phase) { phase_.store(phase); }
  // Waits for every client's current call to end.
  void Stop() {
    stop_.store(true);
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }

 private:
  void Run(Caller caller, uint64_t seed) {
    std::mt19937_64 rng(seed * kCallerCount + static_cast<int>(caller));
    std::vector<const CallKind*> rows;
    std::vector<int> weights;
    for (const CallKind& kind : Calls()) {
      if (kind.caller != caller) continue;
      rows.push_back(&kind);
      weights.push_back(kind.weight);
    }
    std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
    CallContext context{*connections_.by_caller[static_cast<int>(caller)],
                        *connections_.wrong_token, *connections_.no_token, rng};
    while (!stop_.load()) {
      const CallKind& kind = *rows[pick(rng)];
      const Phase phase = phase_.load();
      const Outcome outcome = kind.run(context);
      // A call that started before the signal and ended after it is judged
      // by the drain's rules.
      tally_.Add(kind, std::max(phase, phase_.load()), outcome);
      if (outcome.code == grpc::StatusCode::UNAVAILABLE) {
        std::this_thread::sleep_for(milliseconds(50));  // no busy loop while the server stops
      }
    }
  }

  const Connections& connections_;
  Tally& tally_;
  std::atomic<Phase> phase_{Phase::kWarmUp};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Progress on stderr, so that a slow or stuck run shows where it is.
void Note(const std::string& what) { std::fprintf(stderr, "soak: %s\n", what.c_str()); }

void SleepSeconds(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

// Resident memory with no call in flight: the clients stopped, then a pause.
uint64_t QuietResidentBytes(Load& load, const ServerProcess& server) {
  load.Stop();
  SleepSeconds(2);
  return server.ResidentBytes();
}

struct DrainResult {
  int accepted = 0;   // admitted (first event) before the signal
  int completed = 0;  // of those: OK, with a summary, within the grace
  int probes = 0;     // new calls after the signal, one at a time
  int probes_unavailable = 0;
  // gRPC resets a call that races with its own stop (server.h, drain_settle):
  // the one probe in flight at that moment may end CANCELLED.
  int probes_cancelled = 0;
  double seconds_to_exit = 0;
  std::optional<int> exit_status;
};

// Starts --drain_solves solves, waits until each has its first event, sends
// SIGTERM (the clients keep calling), probes with new calls, and waits for
// the server to exit.
DrainResult Drain(Load& load, ServerProcess& server, const Connections& connections, Tally& tally) {
  const int count = absl::GetFlag(FLAGS_drain_solves);
  const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
  std::mutex mutex;
  std::condition_variable admitted_cv;
  int admitted = 0;
  std::vector<Outcome> outcomes(count);
  std::vector<std::thread> solves;
  for (int i = 0; i < count; ++i) {
    solves.emplace_back([&, i] {
      outcomes[i] = RunSolve(*connections.by_caller[static_cast<int>(Caller::kMixed)],
                             DrainSolveRequest(absl::GetFlag(FLAGS_drain_solve_paths)),
                             milliseconds(600000), [&] {
                               std::lock_guard<std::mutex> lock(mutex);
                               ++admitted;
                               admitted_cv.notify_all();
                             });
    });
  }
  int admitted_before_signal = 0;
  {
    std::unique_lock<std::mutex> lock(mutex);
    admitted_cv.wait_for(lock, std::chrono::seconds(60), [&] { return admitted == count; });
    admitted_before_signal = admitted;
  }
  Note(absl::StrCat(admitted_before_signal, " of ", count, " solves admitted; SIGTERM"));
  load.SetPhase(Phase::kDrain);
  const Clock::time_point signal_time = Clock::now();
  server.Signal(SIGTERM);

  DrainResult result;
  // New calls while draining, then once the port is closed: UNAVAILABLE.
  std::mt19937_64 probe_rng(3);
  CallContext probe{*connections.by_caller[static_cast<int>(Caller::kSmall)],
                    *connections.wrong_token, *connections.no_token, probe_rng};
  const CallKind& small = Calls().front();
  while (true) {
    SleepSeconds(0.2);
    const Outcome outcome = small.run(probe);
    ++result.probes;
    if (outcome.code == grpc::StatusCode::UNAVAILABLE) ++result.probes_unavailable;
    if (outcome.code == grpc::StatusCode::CANCELLED) ++result.probes_cancelled;
    result.exit_status = server.WaitExit(milliseconds(0));
    if (result.exit_status ||
        Clock::now() - signal_time > absl::ToChronoSeconds(grace) + std::chrono::seconds(30)) {
      break;
    }
  }
  if (!result.exit_status) result.exit_status = server.WaitExit(milliseconds(1000));
  result.seconds_to_exit = std::chrono::duration<double>(Clock::now() - signal_time).count();
  for (std::thread& thread : solves) thread.join();
  load.Stop();

  const auto completed_in_grace = [&](const Outcome& o) {
    return o.code == grpc::StatusCode::OK && o.summary &&
           o.end - signal_time <= absl::ToChronoMilliseconds(grace);
  };
  for (const Outcome& o : outcomes) {
    if (!o.first_event || *o.first_event > signal_time) continue;
    ++result.accepted;
    if (completed_in_grace(o)) ++result.completed;
  }
  std::lock_guard<std::mutex> lock(tally.mutex_);
  for (const Outcome& o : tally.solves_) {
    if (*o.first_event > signal_time || o.end < signal_time) continue;  // ended before it
    ++result.accepted;
    if (completed_in_grace(o)) ++result.completed;
  }
  return result;
}

std::string WriteTokens(const std::string& dir) {
  const std::string path = dir + "/tokens";
  std::ofstream file(path);
  file << "# callers of the soak (tests/soak/soak_main.cc)\n"
       << "small soak-token-small\nmixed soak-token-mixed\nhog soak-token-hog\n";
  return path;
}

const char* CodeName(grpc::StatusCode code) {
  static const char* names[] = {"OK",
                                "CANCELLED",
                                "UNKNOWN",
                                "INVALID_ARGUMENT",
                                "DEADLINE_EXCEEDED",
                                "NOT_FOUND",
                                "ALREADY_EXISTS",
                                "PERMISSION_DENIED",
                                "RESOURCE_EXHAUSTED",
                                "FAILED_PRECONDITION",
                                "ABORTED",
                                "OUT_OF_RANGE",
                                "UNIMPLEMENTED",
                                "INTERNAL",
                                "UNAVAILABLE",
                                "DATA_LOSS",
                                "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i <= 16 ? names[i] : "?";
}

int Main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // the report and stderr's notes in order
  const std::string binary = absl::GetFlag(FLAGS_pathwised);
  if (binary.empty()) {
    std::fprintf(stderr, "--pathwised is required\n");
    return 2;
  }
  char dir_template[] = "/tmp/pathwise-soak-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
  std::vector<std::string> args = {"--metrics_listen=", "--auth_tokens_file=" + WriteTokens(dir),
                                   absl::StrCat("--shutdown_grace=", absl::FormatDuration(grace)),
                                   "--progress_interval=50ms",
                                   absl::StrCat("--threads=", absl::GetFlag(FLAGS_server_threads))};
  ServerProcess server;
  const std::string log_path = std::string(dir) + "/pathwised.log";
  if (absl::Status started = server.Start(binary, args, log_path, std::chrono::seconds(60));
      !started.ok()) {
    std::fprintf(stderr, "soak: %s\n", std::string(started.message()).c_str());
    return 1;
  }
  const std::string target = absl::StrCat("127.0.0.1:", server.port());
  Connections connections;
  const char* tokens[kCallerCount] = {"soak-token-small", "soak-token-mixed", "soak-token-hog"};
  for (int caller = 0; caller < kCallerCount; ++caller) {
    connections.by_caller[caller] = Connect(target, tokens[caller], caller);
  }
  connections.wrong_token = Connect(target, "not-a-token", kCallerCount);
  connections.no_token = Connect(target, "", kCallerCount + 1);
  const double deadline_scale = absl::GetFlag(FLAGS_deadline_scale);
  for (auto& connection : connections.by_caller) connection->deadline_scale = deadline_scale;
  connections.wrong_token->deadline_scale = deadline_scale;
  connections.no_token->deadline_scale = deadline_scale;

  std::vector<std::string> failures;
  std::string error;
  const std::string answer_before = KnownAnswer(*connections.by_caller[0], &error);
  if (answer_before.empty()) failures.push_back(error);

  Tally tally;
  Load load(connections, tally);
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  Note("warm-up");
  load.Start(Phase::kWarmUp, seed);
  SleepSeconds(absl::GetFlag(FLAGS_warmup_seconds));
  const uint64_t rss_baseline = QuietResidentBytes(load, server);
  Note(absl::StrFormat("RSS after warm-up %.1f MiB; load", rss_baseline / 1048576.0));
  load.Start(Phase::kLoad, seed + 1);
  SleepSeconds(absl::GetFlag(FLAGS_seconds));
  const uint64_t rss_after = QuietResidentBytes(load, server);
  Note("known answer again");
  const std::string answer_after = KnownAnswer(*connections.by_caller[0], &error);
  if (answer_after.empty()) failures.push_back(error);
  if (answer_before != answer_after) failures.push_back("the known answer changed");

  Note("load, then solves admitted, then SIGTERM");
  load.Start(Phase::kLoad, seed + 2);
  SleepSeconds(1);
  const DrainResult drain = Drain(load, server, connections, tally);

  // ----------------------------------------------------------------- report --
  std::printf("| call | caller | status counts |\n|---|---|---|\n");
  uint64_t total = 0;
  for (const CallKind& kind : Calls()) {
    std::string counts;
    for (const auto& [code, n] : tally.counts_[kind.name]) {
      absl::StrAppend(&counts, counts.empty() ? "" : ", ", CodeName(code), " ", n);
      total += n;
    }
    std::printf("| %s | %s | %s |\n", kind.name, CallerName(kind.caller), counts.c_str());
  }
  std::printf("\n%llu calls. Small caller during the load (ms):\n\n",
              static_cast<unsigned long long>(total));
  std::printf("| call | n | p50 | p99 | max |\n|---|---|---|---|---|\n");
  const auto latency_row = [](const char* name, const std::vector<double>& v) {
    std::printf("| %s | %zu | %.2f | %.2f | %.2f |\n", name, v.size(), Percentile(v, 0.5),
                Percentile(v, 0.99), v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
  };
  for (const auto& [name, values] : tally.latencies_) latency_row(name.c_str(), values);
  latency_row("all small calls", tally.small_latencies_);
  const double p99 = Percentile(tally.small_latencies_, 0.99);
  std::printf("\nRSS after warm-up %.1f MiB, after the load %.1f MiB (%+.1f %%).\n",
              rss_baseline / 1048576.0, rss_after / 1048576.0,
              100.0 * (static_cast<double>(rss_after) / rss_baseline - 1));
  std::printf(
      "SIGTERM: %d solves admitted before it, %d completed within the grace (%s); %d/%d new "
      "calls UNAVAILABLE, %d CANCELLED; exit status %s after %.1f s.\n",
      drain.accepted, drain.completed, absl::FormatDuration(grace).c_str(),
      drain.probes_unavailable, drain.probes, drain.probes_cancelled,
      drain.exit_status ? std::to_string(*drain.exit_status).c_str() : "none (still running)",
      drain.seconds_to_exit);

  // ----------------------------------------------------------------- checks --
  for (const std::string& call : tally.unexpected_)
    failures.push_back("unexpected status: " + call);
  if (tally.unexpected_count_ > tally.unexpected_.size()) {
    failures.push_back(absl::StrCat(tally.unexpected_count_, " unexpected statuses in all"));
  }
  const std::string log = server.Log();
  if (log.find("event=rpc_error") != std::string::npos) {
    failures.push_back("the server logged rpc_error (INTERNAL or UNKNOWN); log: " + log_path);
  }
  if (tally.small_latencies_.empty()) failures.push_back("no small call completed");
  if (absl::GetFlag(FLAGS_check_latency) && p99 > absl::GetFlag(FLAGS_small_p99_ms)) {
    failures.push_back(absl::StrFormat("small calls' p99 %.1f ms > --small_p99_ms = %.1f", p99,
                                       absl::GetFlag(FLAGS_small_p99_ms)));
  }
  if (absl::GetFlag(FLAGS_check_rss) &&
      (rss_baseline == 0 || rss_after > (1 + absl::GetFlag(FLAGS_rss_tolerance)) * rss_baseline)) {
    failures.push_back(absl::StrFormat("RSS %llu bytes after the load, %llu after the warm-up",
                                       static_cast<unsigned long long>(rss_after),
                                       static_cast<unsigned long long>(rss_baseline)));
  }
  if (drain.accepted < absl::GetFlag(FLAGS_drain_solves)) {
    failures.push_back("not every drain solve was admitted before SIGTERM");
  }
  if (drain.completed != drain.accepted) {
    failures.push_back(absl::StrCat(drain.accepted - drain.completed,
                                    " solves admitted before SIGTERM did not complete"));
  }
  if (drain.probes == 0 || drain.probes_cancelled > 1 ||
      drain.probes_unavailable + drain.probes_cancelled != drain.probes) {
    failures.push_back("a new call after SIGTERM was not refused UNAVAILABLE");
  }
  if (drain.exit_status != 0) failures.push_back("pathwised did not exit 0 after SIGTERM");

  for (const std::string& failure : failures) std::printf("FAILED: %s\n", failure.c_str());
  if (!failures.empty()) {
    std::printf("(pathwised's log: %s)\n", log_path.c_str());
    return 1;
  }
  std::printf("soak: passed\n");
  std::remove(log_path.c_str());
  std::remove((std::string(dir) + "/tokens").c_str());
  rmdir(dir);
  return 0;
}

}  // namespace
}  // namespace pathwise::soak

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Soak of pathwised: concurrent mixed load, checks, SIGTERM under load (docs/server.md).");
  absl::ParseCommandLine(argc, argv);
  return pathwise::soak::Main();
}
