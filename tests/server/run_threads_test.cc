// The server's own threads without gRPC: SolveRun, EstimateRun and McmcRun
// on a real worker pool (lanes, sliced tasks), ticker, metrics and
// admission, each writing to a fake stream that behaves as gRPC's callback
// API does for a reactor, while a client thread cancels some calls. Built
// under ThreadSanitizer by `make test-tsan`, where it checks every hand-over
// of ours (docs/server.md, "Hardening checks": the tests through a real gRPC
// server cannot be clean against Debian's uninstrumented gRPC); in the
// normal build it checks the same runs' events and endings.
//
// Every wait is bounded (kBound): a run that never finishes aborts the test
// instead of hanging it.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/integrate/ensemble.h"
#include "pathwise/v1/mcmc.pb.h"
#include "pathwise/v1/solver.pb.h"
#include "server/caller_quota.h"
#include "server/estimate_request.h"
#include "server/estimate_run.h"
#include "server/mcmc_admission.h"
#include "server/mcmc_request.h"
#include "server/mcmc_run.h"
#include "server/metrics.h"
#include "server/raw_message.h"
#include "server/solve_admission.h"
#include "server/solve_request.h"
#include "server/solve_run.h"
#include "server/ticker.h"
#include "server/work_estimate.h"
#include "server/worker_pool.h"
#include "tests/server/estimate_calls.h"
#include "tests/server/mcmc_requests.h"

namespace pathwise::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;

// The longest any wait of this test may take.
constexpr std::chrono::seconds kBound{30};

// A bounded wait ran out: the runs' threads may still use the fixture, so
// it cannot be torn down; say what and stop.
[[noreturn]] void Hung(const std::string& what) {
  std::fprintf(stderr, "run_threads_test: %s did not happen within %lld s\n", what.c_str(),
               static_cast<long long>(kBound.count()));
  std::fflush(stderr);
  std::abort();
}

// How a call's client and network behave; the random parts from `seed`.
struct Script {
  enum class Cancel {
    kNone,
    kMidRun,       // the client cancels at a random time in [2, 40) ms after Begin
    kAfterFinish,  // ... after the run's Finish, before OnDone
  };
  uint64_t seed = 1;
  int max_delay_us = 0;  // each write completes after a random delay up to this
  int fail_write = -1;   // the write of this index (from 0) fails, as on a broken stream
  Cancel cancel = Cancel::kNone;
};

// One call's stream as gRPC's callback API runs it for a reactor. A write
// is taken at once (gRPC's StartWrite takes a reference to the message's
// slices) and completes later on the stream's own completion thread, which
// parses the message, waits the scripted delay and calls the run's
// OnWriteDone(ok). After Finish the same thread calls Detach (OnDone) once
// no OnCancel is running, and drops the reactor's reference to the run.
// OnCancel comes from the client's thread (the fixture's canceller).
//
// It records what gRPC's contract forbids (a second write while one is in
// flight, a write or a second Finish after Finish) and what the runs' own
// contract forbids (a write after a failed one).
//
// It is the writer of all three kinds of run: their WriteEvent is one
// function, their finishes differ in name only.
class FakeStream final : public SolveWriter, public EstimateWriter, public McmcWriter {
 public:
  FakeStream(std::string name, const Script& script, const google::protobuf::Message& prototype)
      : name_(std::move(name)),
        script_(script),
        prototype_(prototype),
        thread_([this] { CompletionLoop(); }) {}

  ~FakeStream() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  // The reactor's reference to its run and the reactions it forwards;
  // before the run's Begin().
  template <typename Run>
  void Bind(const std::shared_ptr<Run>& run) {
    run_ = run;
    released_run_ = run;
    on_write_done_ = [r = run.get()](bool ok) { r->OnWriteDone(ok); };
    on_cancel_ = [r = run.get()] { r->Cancel(); };
    on_done_ = [r = run.get()] { r->Detach(); };
  }

  void WriteEvent(const grpc::ByteBuffer* message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finishes_ > 0) problems_.push_back("a write after Finish");
    if (write_in_flight_) problems_.push_back("a write while another is in flight");
    if (write_failed_) problems_.push_back("a write after a failed write");
    write_in_flight_ = true;
    ops_.push_back(Op{false, grpc::ByteBuffer(*message), absl::OkStatus()});
    changed_.notify_all();
  }
  void FinishSolve(const absl::Status& status) override { Finish(status); }
  void FinishEstimate(const absl::Status& status) override { Finish(status); }
  void FinishRun(const absl::Status& status) override { Finish(status); }

  // OnCancel; nothing once OnDone has run (gRPC calls no reaction after it).
  void Cancel() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (done_ || !on_cancel_) return;
      ++cancels_running_;
    }
    on_cancel_();
    std::lock_guard<std::mutex> lock(mutex_);
    --cancels_running_;
    cancelled_ = true;
    changed_.notify_all();
  }

  void WaitFinished() {
    Wait("Finish", [this] { return finishes_ > 0; });
  }
  // OnDone has run and the reactor's reference to the run is gone.
  void WaitReleased() {
    Wait("OnDone", [this] { return released_; });
  }
  // Every reference to the run is gone (its pool tasks and threads ended).
  void WaitRunGone() {
    const Clock::time_point deadline = Clock::now() + kBound;
    while (!released_run_.expired()) {
      if (Clock::now() > deadline) Hung(name_ + ": the end of its run");
      std::this_thread::sleep_for(milliseconds(1));
    }
  }

  // Read once released.
  const std::string& name() const { return name_; }
  const Script& script() const { return script_; }
  const absl::Status& status() const { return status_; }
  template <typename Event>
  std::vector<Event> Events() const {
    std::vector<Event> out;
    for (const auto& e : events_) out.push_back(static_cast<const Event&>(*e));
    return out;
  }
  // Finished once, and nothing forbidden happened.
  void CheckContract() const {
    EXPECT_EQ(finishes_, 1) << name_;
    for (const std::string& problem : problems_) ADD_FAILURE() << name_ << ": " << problem;
    if (script_.fail_write >= 0 && status_.code() != absl::StatusCode::kOk) {
      EXPECT_TRUE(write_failed_) << name_ << ": failed without its failed write";
    }
  }

 private:
  struct Op {
    bool finish = false;
    grpc::ByteBuffer message;  // a write
    absl::Status status;       // the finish
  };

  void Finish(const absl::Status& status) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finishes_ > 0) problems_.push_back("a second Finish");
    if (write_in_flight_) problems_.push_back("Finish while a write is in flight");
    if (finishes_++ == 0) status_ = status;
    ops_.push_back(Op{true, grpc::ByteBuffer(), status});
    changed_.notify_all();
  }

  template <typename Condition>
  void Wait(const std::string& what, Condition condition) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_for(lock, kBound, condition)) Hung(name_ + ": " + what);
  }

  // The completion thread: write completions in order, then OnDone.
  void CompletionLoop() {
    std::mt19937_64 rng(script_.seed);
    std::uniform_int_distribution<int> delay_us(0, std::max(0, script_.max_delay_us));
    int writes = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      changed_.wait(lock, [this] { return stop_ || !ops_.empty(); });
      if (ops_.empty()) return;  // the stream is destroyed
      Op op = std::move(ops_.front());
      ops_.pop_front();
      if (op.finish) break;
      lock.unlock();
      std::unique_ptr<google::protobuf::Message> event(prototype_.New());
      const absl::Status parsed = ParseMessage(op.message, *event);
      op.message.Clear();  // sent: gRPC's reference goes
      std::this_thread::sleep_for(microseconds(delay_us(rng)));
      const bool ok = writes++ != script_.fail_write;
      lock.lock();
      if (!parsed.ok()) problems_.push_back(std::string(parsed.message()));
      if (ok) events_.push_back(std::move(event));  // a failed write never reached the client
      write_failed_ = write_failed_ || !ok;
      write_in_flight_ = false;
      lock.unlock();
      on_write_done_(ok);
      lock.lock();
    }
    // The client may cancel after the status was sent; gRPC calls OnDone
    // once no other reaction runs.
    if (script_.cancel == Script::Cancel::kAfterFinish &&
        !changed_.wait_for(lock, kBound, [this] { return cancelled_; })) {
      Hung(name_ + ": the cancel after Finish");
    }
    if (!changed_.wait_for(lock, kBound, [this] { return cancels_running_ == 0; })) {
      Hung(name_ + ": OnCancel's return");
    }
    done_ = true;
    lock.unlock();
    on_done_();
    run_.reset();  // the reactor is deleted
    lock.lock();
    released_ = true;
    changed_.notify_all();
  }

  const std::string name_;
  const Script script_;
  const google::protobuf::Message& prototype_;
  // Set by Bind before the run starts; used by the completion thread and Cancel.
  std::shared_ptr<void> run_;
  std::weak_ptr<void> released_run_;
  std::function<void(bool)> on_write_done_;
  std::function<void()> on_cancel_, on_done_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Op> ops_;
  bool stop_ = false;
  bool write_in_flight_ = false;
  bool write_failed_ = false;
  int finishes_ = 0;
  absl::Status status_;
  std::vector<std::unique_ptr<google::protobuf::Message>> events_;  // as the client got them
  std::vector<std::string> problems_;
  int cancels_running_ = 0;
  bool cancelled_ = false;
  bool done_ = false;  // OnDone called
  bool released_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// --- Requests -----------------------------------------------------------------

// The builtin OU, dX = theta (mu - X) dt + sigma dW, X0 = 2 on [0, 2], Euler
// at constant `dt`, saved at four times.
constexpr int kSaveTimes = 4;
v1::SolveRequest OuRequest(uint32_t paths, double dt, v1::Output output) {
  v1::SolveRequest request;
  v1::BuiltinModel* model = request.mutable_model()->mutable_builtin();
  model->set_name("ou");
  (*model->mutable_params())["theta"] = 1.0;
  (*model->mutable_params())["mu"] = 0.5;
  (*model->mutable_params())["sigma"] = 0.6;
  request.set_method(v1::EULER);
  request.set_t1(2.0);
  request.add_y0(2.0);
  request.mutable_step()->mutable_constant()->set_dt(dt);
  for (double t : {0.5, 1.0, 1.5, 2.0}) request.mutable_saveat()->add_ts(t);
  request.set_seed(3);
  request.set_first_path(1000);
  request.set_num_paths(paths);
  request.set_output(output);
  return request;
}

// About a second of work per thread in the release build (65 536 paths of
// 20 000 steps): it is still running when it is cancelled or times out.
v1::SolveRequest LongOuRequest(v1::Output output) { return OuRequest(1 << 16, 1e-4, output); }

// --- Checks -------------------------------------------------------------------

bool SameBits(const google::protobuf::RepeatedField<double>& a, const std::vector<double>& b) {
  return a.size() == static_cast<int>(b.size()) &&
         (b.empty() || std::memcmp(a.data(), b.data(), b.size() * sizeof(double)) == 0);
}

// The solve's paths and statistics are the core's, bit for bit, however its
// blocks were sliced and interleaved with other calls'.
void CompareWithCore(const v1::SolveRequest& request,
                     const std::vector<v1::SolveResponse>& events) {
  absl::StatusOr<SolveInputs> inputs = ValidateSolveRequest(request, SolveLimits{});
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  absl::StatusOr<integrate::EnsembleSolution> want =
      integrate::SolveEnsemble(*inputs->sde, *inputs->method, inputs->options);
  ASSERT_TRUE(want.ok()) << want.status();
  std::vector<v1::Path> paths;
  v1::Statistics stats;  // the Statistics events' times, concatenated
  for (const v1::SolveResponse& e : events) {
    if (e.has_paths())
      paths.insert(paths.end(), e.paths().paths().begin(), e.paths().paths().end());
    if (e.has_statistics()) {
      stats.mutable_ts()->MergeFrom(e.statistics().ts());
      stats.mutable_mean()->MergeFrom(e.statistics().mean());
      stats.mutable_variance()->MergeFrom(e.statistics().variance());
      stats.mutable_quantiles()->MergeFrom(e.statistics().quantiles());
    }
  }
  if (inputs->options.keep_paths) {
    ASSERT_EQ(paths.size(), want->paths.size());
    for (size_t i = 0; i < paths.size(); ++i) {
      EXPECT_EQ(paths[i].path_index(), want->paths[i].path_index);
      EXPECT_TRUE(SameBits(paths[i].ys(), want->paths[i].ys)) << "path " << i;
    }
  }
  if (want->has_statistics) {
    EXPECT_TRUE(SameBits(stats.ts(), want->statistics.ts));
    EXPECT_TRUE(SameBits(stats.mean(), want->statistics.mean));
    EXPECT_TRUE(SameBits(stats.variance(), want->statistics.variance));
    EXPECT_TRUE(SameBits(stats.quantiles(), want->statistics.quantiles));
  }
}

struct SolveExpect {
  absl::StatusCode code = absl::StatusCode::kOk;
  bool progress = false;      // at least one Progress event
  bool same_as_core = false;  // CompareWithCore
};

// The wire contract of a Solve stream (solver.proto) and its counts:
// Progress until the solution is complete, PathBatch in path order, then
// Statistics, Summary last; a solve that ended early has no Summary.
void CheckSolve(const FakeStream& call, const v1::SolveRequest& request,
                const SolveExpect& expect) {
  SCOPED_TRACE(call.name());
  call.CheckContract();
  EXPECT_EQ(call.status().code(), expect.code) << call.status();
  if (expect.code == absl::StatusCode::kDeadlineExceeded) {
    EXPECT_NE(call.status().message().find("max_solve_seconds"), absl::string_view::npos);
  }
  const uint64_t n = request.num_paths();
  const bool paths = request.output() != v1::OUTPUT_STATISTICS;
  const bool statistics = request.output() != v1::OUTPUT_PATHS;
  const std::vector<v1::SolveResponse> events = call.Events<v1::SolveResponse>();
  uint64_t next_path = request.first_path(), last_done = 0;
  int progress = 0, summaries = 0, statistics_times = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::SolveResponse& e = events[i];
    ASSERT_EQ(summaries, 0) << "event " << i << " after the Summary";
    switch (e.event_case()) {
      case v1::SolveResponse::kProgress:
        ++progress;
        EXPECT_EQ(statistics_times, 0) << "Progress after Statistics";
        EXPECT_EQ(e.progress().num_paths(), n);
        EXPECT_GE(e.progress().paths_done(), last_done);
        EXPECT_LE(e.progress().paths_done(), n);
        last_done = e.progress().paths_done();
        break;
      case v1::SolveResponse::kPaths:
        EXPECT_TRUE(paths);
        EXPECT_EQ(statistics_times, 0) << "PathBatch after Statistics";
        for (const v1::Path& p : e.paths().paths()) {
          ASSERT_EQ(p.path_index(), next_path++) << "event " << i;
          EXPECT_EQ(p.ts_size(), kSaveTimes);
        }
        break;
      case v1::SolveResponse::kStatistics:
        EXPECT_TRUE(statistics);
        EXPECT_EQ(e.statistics().count(), n);
        statistics_times += e.statistics().ts_size();
        break;
      case v1::SolveResponse::kSummary:
        ++summaries;
        break;
      default:
        ADD_FAILURE() << "event " << i << " is empty";
    }
  }
  if (expect.progress) {
    EXPECT_GT(progress, 0);
  }
  const uint64_t paths_sent = next_path - request.first_path();
  if (expect.code != absl::StatusCode::kOk) {
    EXPECT_EQ(summaries, 0);
    EXPECT_LE(paths_sent, n);
    return;
  }
  ASSERT_EQ(summaries, 1);
  const v1::Summary& summary = events.back().summary();
  EXPECT_EQ(summary.paths(), n);
  uint64_t counted = 0;
  for (const auto& [status, count] : summary.status_counts()) counted += count;
  EXPECT_EQ(counted, n);
  EXPECT_EQ(paths_sent, paths ? n : 0);
  EXPECT_EQ(statistics_times, statistics ? kSaveTimes : 0);
  if (expect.same_as_core) CompareWithCore(request, events);
}

// Estimate: Progress and LevelStatistics, EstimateResult last (only when it
// succeeded), within 5 target RMSEs of the Black-Scholes price (the RMSE
// bounds bias and standard error together; 5 of them is the suite's
// threshold for a normal estimate).
void CheckEstimate(const FakeStream& call, const v1::EstimateRequest& request,
                   absl::StatusCode code) {
  SCOPED_TRACE(call.name());
  call.CheckContract();
  EXPECT_EQ(call.status().code(), code) << call.status();
  const std::vector<v1::EstimateResponse> events = call.Events<v1::EstimateResponse>();
  std::map<uint32_t, uint64_t> level_paths;
  uint64_t last_done = 0, last_total = 0;
  int results = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::EstimateResponse& e = events[i];
    ASSERT_EQ(results, 0) << "event " << i << " after the result";
    if (e.has_progress()) {
      EXPECT_LE(e.progress().paths_done(), e.progress().num_paths());
      EXPECT_GE(e.progress().paths_done(), last_done);
      EXPECT_GE(e.progress().num_paths(), last_total);
      last_done = e.progress().paths_done();
      last_total = e.progress().num_paths();
    } else if (e.has_level()) {
      EXPECT_GT(e.level().paths(), level_paths[e.level().level()]) << "level " << e.level().level();
      level_paths[e.level().level()] = e.level().paths();
    } else if (e.has_result()) {
      ++results;
    } else {
      ADD_FAILURE() << "event " << i << " is empty";
    }
  }
  if (code != absl::StatusCode::kOk) {
    EXPECT_EQ(results, 0);
    return;
  }
  ASSERT_EQ(results, 1);
  const v1::EstimateResult& result = events.back().result();
  EXPECT_EQ(result.levels(), level_paths.size());
  EXPECT_LT(std::abs(result.value() - BlackScholesCall()), 5 * request.target_rmse());
}

// McmcService.Sample: Progress and Draws (each chain's in draw order, from
// draw 0), McmcDiagnostics once, McmcSummary last; when it succeeded every
// draw was streamed and the diagnostics' means are the streamed draws'.
void CheckMcmc(const FakeStream& call, const v1::McmcRequest& request, absl::StatusCode code) {
  SCOPED_TRACE(call.name());
  call.CheckContract();
  EXPECT_EQ(call.status().code(), code) << call.status();
  const uint32_t chains = request.num_chains(), dim = request.target().dim();
  const std::vector<v1::McmcResponse> events = call.Events<v1::McmcResponse>();
  std::vector<std::vector<double>> draws(chains);
  int diagnostics = 0, summaries = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::McmcResponse& e = events[i];
    ASSERT_EQ(summaries, 0) << "event " << i << " after the summary";
    if (e.has_progress()) {
      EXPECT_EQ(diagnostics, 0) << "Progress after the diagnostics";
    } else if (e.has_draws()) {
      EXPECT_TRUE(request.return_draws());
      EXPECT_EQ(diagnostics, 0) << "Draws after the diagnostics";
      const v1::Draws& d = e.draws();
      ASSERT_LT(d.chain(), chains);
      ASSERT_EQ(d.dim(), dim);
      std::vector<double>& chain = draws[d.chain()];
      EXPECT_EQ(d.first_draw() * dim, chain.size()) << "chain " << d.chain();
      EXPECT_EQ(d.x_size() % dim, 0u);
      chain.insert(chain.end(), d.x().begin(), d.x().end());
    } else if (e.has_diagnostics()) {
      EXPECT_EQ(diagnostics++, 0);
    } else if (e.has_summary()) {
      EXPECT_EQ(diagnostics, 1);
      ++summaries;
    } else {
      ADD_FAILURE() << "event " << i << " is empty";
    }
  }
  if (code != absl::StatusCode::kOk) {
    EXPECT_EQ(summaries, 0);
    return;
  }
  ASSERT_EQ(summaries, 1);
  const v1::McmcSummary& summary = events.back().summary();
  EXPECT_EQ(summary.num_chains(), chains);
  EXPECT_EQ(summary.draws(), uint64_t{chains} * request.num_draws());
  if (!request.return_draws()) return;
  const v1::McmcDiagnostics& d = events[events.size() - 2].diagnostics();
  for (uint32_t j = 0; j < dim; ++j) {
    double sum = 0.0;
    for (const std::vector<double>& chain : draws) {
      ASSERT_EQ(chain.size(), size_t{request.num_draws()} * dim);
      for (size_t k = j; k < chain.size(); k += dim) sum += chain[k];
    }
    const double mean = sum / (static_cast<double>(chains) * request.num_draws());
    EXPECT_NEAR(mean, d.mean(j), 1e-12 * (1 + std::abs(d.mean(j)))) << "coordinate " << j;
  }
}

// --- The calls ----------------------------------------------------------------

using Cancel = Script::Cancel;
using Code = absl::StatusCode;

constexpr milliseconds kProgressInterval{5};

SolveRunOptions SolveOptions(milliseconds max_solve_time = milliseconds::zero()) {
  SolveRunOptions options;
  options.progress_interval = kProgressInterval;
  options.slice = milliseconds(1);  // tasks pause and go back to their lane often
  options.max_solve_time = max_solve_time;
  return options;
}

struct SolveCase {
  std::string name, caller;
  v1::SolveRequest request;
  SolveRunOptions options;
  Script script;
  SolveExpect expect;
};

// Solves of three callers: path output (paced by the writes' delays against
// the flow-control window), statistics only, both; cancelled mid-run and
// after finishing; a failed write; the server's time limit.
std::vector<SolveCase> SolveCases() {
  const v1::SolveRequest paths = OuRequest(1280, 1e-2, v1::OUTPUT_PATHS);  // 20 blocks, window 8
  return {
      {"solve-paths", "alice", paths, SolveOptions(), {1, 200}, {Code::kOk, false, true}},
      {"solve-paths-slow-reader",
       "bob",
       paths,
       SolveOptions(),
       {2, 1000},
       {Code::kOk, false, true}},
      {"solve-paths-and-statistics",
       "carol",
       OuRequest(300, 1e-2, v1::OUTPUT_PATHS_AND_STATISTICS),
       SolveOptions(),
       {3, 100},
       {Code::kOk, false, true}},
      {"solve-statistics",
       "alice",
       OuRequest(2000, 1e-2, v1::OUTPUT_STATISTICS),
       SolveOptions(),
       {4, 0},
       {Code::kOk, false, true}},
      {"solve-cancelled-paths",
       "bob",
       LongOuRequest(v1::OUTPUT_PATHS),
       SolveOptions(),
       {5, 300, -1, Cancel::kMidRun},
       {Code::kCancelled}},
      {"solve-cancelled-statistics",
       "carol",
       LongOuRequest(v1::OUTPUT_STATISTICS),
       SolveOptions(),
       {6, 0, -1, Cancel::kMidRun},
       {Code::kCancelled}},
      // A 4096-path solve writes far more than 4 times.
      {"solve-failed-write",
       "alice",
       OuRequest(4096, 1e-2, v1::OUTPUT_PATHS),
       SolveOptions(),
       {7, 100, 3},
       {Code::kCancelled}},
      // 200 ms against a progress interval of 5 ms: Progress comes first.
      {"solve-server-time-limit",
       "bob",
       LongOuRequest(v1::OUTPUT_STATISTICS),
       SolveOptions(milliseconds(200)),
       {8, 0},
       {Code::kDeadlineExceeded, true}},
      {"solve-cancelled-after-finish",
       "carol",
       OuRequest(200, 1e-2, v1::OUTPUT_PATHS),
       SolveOptions(),
       {9, 50, -1, Cancel::kAfterFinish},
       {Code::kOk}},
  };
}

struct EstimateCase {
  std::string name, caller;
  v1::EstimateRequest request;
  Script script;
  Code code;
};

// Estimates: one that converges, one whose first write fails, one cancelled
// mid-run (a target far out of reach), one cancelled after finishing.
std::vector<EstimateCase> EstimateCases() {
  return {
      {"estimate", "alice", GbmCallRequest(1e-2), {11, 200}, Code::kOk},
      {"estimate-failed-write", "bob", GbmCallRequest(1e-2), {12, 0, 0}, Code::kCancelled},
      {"estimate-cancelled",
       "carol",
       GbmCallRequest(1e-5, v1::EULER),
       {13, 0, -1, Cancel::kMidRun},
       Code::kCancelled},
      {"estimate-cancelled-after-finish",
       "alice",
       GbmCallRequest(2e-2),
       {14, 100, -1, Cancel::kAfterFinish},
       Code::kOk},
  };
}

struct McmcCase {
  std::string name, caller;
  v1::McmcRequest request;
  size_t max_buffered_bytes;
  Script script;
  Code code;
};

v1::McmcRequest WithDraws(v1::McmcRequest request) {
  request.set_return_draws(true);
  return request;
}

// MCMC runs: draws streamed through a 2 KiB buffer to a slow reader (the
// driver waits for the writes), the same run for another caller (the same
// draws), one cancelled mid-run (16 chains of 10^6 draws: far from done), a
// failed write, one cancelled after finishing.
std::vector<McmcCase> McmcCases() {
  v1::McmcRequest long_run = WithDraws(GaussianMcmcRequest());
  long_run.set_num_chains(16);
  long_run.set_num_draws(1000000);
  return {
      {"mcmc-draws", "alice", WithDraws(GaussianMcmcRequest()), 2048, {21, 300}, Code::kOk},
      {"mcmc-draws-again", "bob", WithDraws(GaussianMcmcRequest()), 1 << 20, {22, 0}, Code::kOk},
      {"mcmc-cancelled",
       "carol",
       long_run,
       1 << 20,
       {26, 100, -1, Cancel::kMidRun},
       Code::kCancelled},
      {"mcmc-failed-write",
       "alice",
       WithDraws(GaussianMcmcRequest()),
       1 << 16,
       {24, 0, 2},
       Code::kCancelled},
      {"mcmc-cancelled-after-finish",
       "bob",
       GaussianMcmcRequest(),
       1 << 20,
       {25, 0, -1, Cancel::kAfterFinish},
       Code::kOk},
  };
}

// --- The fixture ----------------------------------------------------------------

AdmissionLimits Limits() {
  AdmissionLimits limits;
  limits.max_solves = 64;
  limits.max_queued_paths = uint64_t{1} << 24;
  limits.max_queued_path_steps = uint64_t{1} << 40;
  limits.max_solve_memory_bytes = uint64_t{16} << 30;
  return limits;
}

CallerLimits PerCaller() {
  CallerLimits limits;
  limits.max_solves = 16;
  limits.max_queued_paths = uint64_t{1} << 22;
  limits.max_inflight_bytes = uint64_t{1} << 34;
  return limits;
}

class RunThreadsTest : public ::testing::Test {
 protected:
  RunThreadsTest()
      : callers_(PerCaller(), metrics_),
        solves_(Limits(), metrics_, &callers_),
        mcmc_admission_(McmcAdmissionLimits{16, 1024}, metrics_),
        pool_(3),
        ticker_(TickPeriodFor(kProgressInterval)) {}

  void TearDown() override { EndAll(); }

  // Starts every case's call; CheckAll checks each against its case.
  void Start(const std::vector<SolveCase>& cases) {
    for (const SolveCase& c : cases) {
      FakeStream* call = StartSolve(c.name, c.caller, c.request, c.options, c.script);
      if (call != nullptr) checks_.push_back([=] { CheckSolve(*call, c.request, c.expect); });
    }
  }
  void Start(const std::vector<EstimateCase>& cases) {
    for (const EstimateCase& c : cases) {
      FakeStream* call = StartEstimate(c.name, c.caller, c.request, c.script);
      if (call != nullptr) checks_.push_back([=] { CheckEstimate(*call, c.request, c.code); });
    }
  }
  void Start(const std::vector<McmcCase>& cases) {
    for (const McmcCase& c : cases) {
      FakeStream* call = StartMcmc(c.name, c.caller, c.request, c.max_buffered_bytes, c.script);
      if (call != nullptr) checks_.push_back([=] { CheckMcmc(*call, c.request, c.code); });
    }
  }
  void CheckAll() {
    for (const auto& check : checks_) check();
  }
  // A started call by name (once ended).
  const FakeStream& Call(const std::string& name) const {
    for (const auto& call : calls_) {
      if (call->name() == name) return *call;
    }
    Hung("a call named " + name);
  }

  // Admits and starts a call as its reactor would; null when refused.
  FakeStream* StartSolve(const std::string& name, const std::string& caller,
                         const v1::SolveRequest& request, const SolveRunOptions& options,
                         const Script& script) {
    absl::StatusOr<SolveInputs> inputs = ValidateSolveRequest(request, SolveLimits{});
    EXPECT_TRUE(inputs.ok()) << name << ": " << inputs.status();
    if (!inputs.ok()) return nullptr;
    SolveDemand demand{caller, inputs->options.num_paths,
                       EstimateSolve(inputs->options, inputs->plan, inputs->sde->state_dim(),
                                     pool_.size(), options.max_message_bytes)};
    if (absl::Status admitted = solves_.Admit(demand); !admitted.ok()) {
      ADD_FAILURE() << name << ": " << admitted;
      return nullptr;
    }
    FakeStream* call = NewStream(name, script, v1::SolveResponse::default_instance());
    auto run = SolveRun::Create(SolveServices{pool_, metrics_, solves_, ticker_},
                                *std::move(inputs), options, call, std::move(demand));
    Begin(call, run);
    return call;
  }

  FakeStream* StartEstimate(const std::string& name, const std::string& caller,
                            const v1::EstimateRequest& request, const Script& script) {
    absl::StatusOr<EstimateInputs> inputs =
        ValidateEstimateRequest(request, SolveLimits{}, EstimateLimits{});
    EXPECT_TRUE(inputs.ok()) << name << ": " << inputs.status();
    if (!inputs.ok()) return nullptr;
    const SolveDemand demand{caller, 0, {}};  // one solve of no paths
    if (absl::Status admitted = solves_.Admit(demand); !admitted.ok()) {
      ADD_FAILURE() << name << ": " << admitted;
      return nullptr;
    }
    FakeStream* call = NewStream(name, script, v1::EstimateResponse::default_instance());
    auto run = EstimateRun::Create(EstimateServices{pool_, solves_, ticker_}, *std::move(inputs),
                                   demand, kProgressInterval, call);
    Begin(call, run);
    return call;
  }

  FakeStream* StartMcmc(const std::string& name, const std::string& caller,
                        const v1::McmcRequest& request, size_t max_buffered_bytes,
                        const Script& script) {
    absl::StatusOr<McmcInputs> inputs = ValidateMcmcRequest(request, McmcLimits{});
    EXPECT_TRUE(inputs.ok()) << name << ": " << inputs.status();
    if (!inputs.ok()) return nullptr;
    McmcRunOptions options;
    options.progress_interval = kProgressInterval;
    options.max_buffered_bytes = max_buffered_bytes;
    SolveDemand demand = McmcDemand(caller, *inputs, max_buffered_bytes);
    const uint32_t chains = inputs->options.ResolvedNumChains();
    if (absl::Status admitted = mcmc_admission_.Admit(chains); !admitted.ok()) {
      ADD_FAILURE() << name << ": " << admitted;
      return nullptr;
    }
    if (absl::Status admitted = solves_.Admit(demand); !admitted.ok()) {
      mcmc_admission_.Done(chains);
      ADD_FAILURE() << name << ": " << admitted;
      return nullptr;
    }
    FakeStream* call = NewStream(name, script, v1::McmcResponse::default_instance());
    auto run = McmcRun::Create(McmcServices{pool_, metrics_, mcmc_admission_, solves_, ticker_},
                               *std::move(inputs), std::move(demand), options, call);
    Begin(call, run);
    return call;
  }

  // Runs the client's scripted cancellations, waits (bounded) for every
  // call to end and every run to be released, and checks that admission
  // has taken back all it gave.
  void EndAll() {
    if (ended_) return;
    ended_ = true;
    std::thread client([this] { CancelAsScripted(); });
    client.join();
    for (const auto& call : calls_) call->WaitReleased();
    for (const auto& call : calls_) call->WaitRunGone();
    EXPECT_EQ(solves_.solves(), 0u);
    EXPECT_EQ(solves_.queued_paths(), 0u);
    EXPECT_EQ(solves_.queued_path_steps(), 0u);
    EXPECT_EQ(solves_.memory_bytes(), 0u);
    EXPECT_EQ(callers_.callers(), 0u);
    EXPECT_EQ(mcmc_admission_.runs(), 0u);
  }

 private:
  FakeStream* NewStream(const std::string& name, const Script& script,
                        const google::protobuf::Message& prototype) {
    calls_.push_back(std::make_unique<FakeStream>(name, script, prototype));
    return calls_.back().get();
  }

  template <typename Run>
  void Begin(FakeStream* call, const std::shared_ptr<Run>& run) {
    call->Bind(run);
    if (call->script().cancel == Script::Cancel::kMidRun) {
      std::mt19937_64 rng(call->script().seed ^ 0x9e3779b97f4a7c15);
      std::uniform_int_distribution<int> delay_ms(2, 39);
      cancels_.emplace_back(Clock::now() + milliseconds(delay_ms(rng)), call);
    }
    run->Begin();
  }

  // The client's thread: the mid-run cancels at their times, then the
  // cancels after Finish.
  void CancelAsScripted() {
    std::sort(cancels_.begin(), cancels_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [at, call] : cancels_) {
      std::this_thread::sleep_until(at);
      call->Cancel();
    }
    for (const auto& call : calls_) {
      if (call->script().cancel != Script::Cancel::kAfterFinish) continue;
      call->WaitFinished();
      call->Cancel();
    }
  }

 protected:
  Metrics metrics_;
  CallerQuota callers_;
  SolveAdmission solves_;
  McmcAdmission mcmc_admission_;
  WorkerPool pool_;
  Ticker ticker_;

 private:
  std::vector<std::pair<Clock::time_point, FakeStream*>> cancels_;
  std::vector<std::function<void()>> checks_;
  bool ended_ = false;
  std::vector<std::unique_ptr<FakeStream>> calls_;  // last: destroyed before what runs them
};

// Each chain's streamed draws, concatenated.
std::vector<std::vector<double>> DrawsOf(const FakeStream& call) {
  std::vector<std::vector<double>> draws;
  for (const v1::McmcResponse& e : call.Events<v1::McmcResponse>()) {
    if (!e.has_draws()) continue;
    if (draws.size() <= e.draws().chain()) draws.resize(e.draws().chain() + 1);
    draws[e.draws().chain()].insert(draws[e.draws().chain()].end(), e.draws().x().begin(),
                                    e.draws().x().end());
  }
  return draws;
}

TEST_F(RunThreadsTest, ConcurrentSolvesFinishOnceWithTheirEventsInOrder) {
  Start(SolveCases());
  EndAll();
  CheckAll();
}

TEST_F(RunThreadsTest, ConcurrentEstimatesFinishOnceWithTheirEventsInOrder) {
  Start(EstimateCases());
  EndAll();
  CheckAll();
}

TEST_F(RunThreadsTest, ConcurrentMcmcRunsFinishOnceWithTheirEventsInOrder) {
  Start(McmcCases());
  EndAll();
  CheckAll();
  // The same request of two callers, read at different paces: the same draws.
  EXPECT_EQ(DrawsOf(Call("mcmc-draws")), DrawsOf(Call("mcmc-draws-again")));
}

// All three kinds at once: their tasks interleave in the callers' lanes of
// one pool, and the MCMC and estimate drivers wait on the pool while solves'
// sliced tasks come and go.
TEST_F(RunThreadsTest, SolvesEstimatesAndMcmcRunsShareThePool) {
  Start(McmcCases());
  Start(SolveCases());
  Start(EstimateCases());
  EndAll();
  CheckAll();
  EXPECT_EQ(DrawsOf(Call("mcmc-draws")), DrawsOf(Call("mcmc-draws-again")));
}

}  // namespace
}  // namespace pathwise::server
