// SolverService in-process on a free loopback port, through real channels:
// Solve equals the core bit for bit and Euler from Sample increments to
// rounding; statistics against the OU closed forms; event order, message
// splitting, progress, flow control, cancellation, deadlines, admission,
// invalid requests, ListCapabilities, health and metrics.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/integrate/ensemble.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pathwise/v1/brownian.grpc.pb.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "server/capabilities.h"
#include "server/server.h"
#include "server/solve_encoding.h"
#include "server/solve_request.h"
#include "tests/server/call_checks.h"
#include "tests/server/running_server.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------- helpers --

ServerOptions SolveTestOptions(int threads = 2) {
  ServerOptions options = TestOptions(threads);
  options.solver.run.progress_interval = milliseconds(100);
  return options;
}

// OU, dy = theta (mu - y) dt + sigma dW, with constant steps.
v1::SolveRequest OuRequest(v1::Method method, uint32_t paths, double dt, v1::Output output) {
  v1::SolveRequest request;
  v1::BuiltinModel* model = request.mutable_model()->mutable_builtin();
  model->set_name("ou");
  (*model->mutable_params())["theta"] = 1.5;
  (*model->mutable_params())["mu"] = 0.5;
  (*model->mutable_params())["sigma"] = 0.8;
  request.set_method(method);
  request.set_t1(2.0);
  request.add_y0(2.0);
  request.mutable_step()->mutable_constant()->set_dt(dt);
  for (double t : {0.25, 0.5, 1.0, 2.0}) request.mutable_saveat()->add_ts(t);
  request.set_seed(11);
  request.set_first_path(100);
  request.set_num_paths(paths);
  request.set_output(output);
  return request;
}

// A solve long enough (about 20 s of work) to be cancelled, time out or
// report progress in the middle.
v1::SolveRequest LongRequest(uint32_t paths = 4096) {
  v1::SolveRequest request = OuRequest(v1::EULER, paths, 1e-5, v1::OUTPUT_STATISTICS);
  return request;
}

struct Collected {
  grpc::Status status;
  std::vector<v1::SolveResponse> events;
  std::vector<Clock::time_point> arrivals;
};

Collected Collect(v1::SolverService::Stub& stub, const v1::SolveRequest& request,
                  grpc::ClientContext* context = nullptr) {
  grpc::ClientContext local;
  if (context == nullptr) context = &local;
  Collected out;
  auto reader = stub.Solve(context, request);
  v1::SolveResponse event;
  while (reader->Read(&event)) {
    out.events.push_back(event);
    out.arrivals.push_back(Clock::now());
  }
  out.status = reader->Finish();
  return out;
}

// The core's answer for a validated request.
integrate::EnsembleSolution CoreSolve(const v1::SolveRequest& request) {
  auto inputs = ValidateSolveRequest(request, SolveLimits{});
  EXPECT_TRUE(inputs.ok()) << inputs.status();
  auto solution = integrate::SolveEnsemble(*inputs->sde, *inputs->method, inputs->options);
  EXPECT_TRUE(solution.ok()) << solution.status();
  return *std::move(solution);
}

bool SameBits(const google::protobuf::RepeatedField<double>& a, const std::vector<double>& b) {
  return a.size() == static_cast<int>(b.size()) &&
         (b.empty() || std::memcmp(a.data(), b.data(), b.size() * sizeof(double)) == 0);
}

std::vector<v1::Path> PathsOf(const Collected& c) {
  std::vector<v1::Path> paths;
  for (const auto& e : c.events) {
    if (e.has_paths())
      paths.insert(paths.end(), e.paths().paths().begin(), e.paths().paths().end());
  }
  return paths;
}

// Statistics messages concatenated (each covers consecutive save times).
v1::Statistics StatisticsOf(const Collected& c) {
  v1::Statistics all;
  for (const auto& e : c.events) {
    if (!e.has_statistics()) continue;
    const v1::Statistics& s = e.statistics();
    all.set_state_dim(s.state_dim());
    all.set_count(s.count());
    all.mutable_quantile_levels()->CopyFrom(s.quantile_levels());
    all.mutable_ts()->MergeFrom(s.ts());
    all.mutable_mean()->MergeFrom(s.mean());
    all.mutable_variance()->MergeFrom(s.variance());
    all.mutable_stderr()->MergeFrom(s.stderr());
    all.mutable_quantiles()->MergeFrom(s.quantiles());
    all.mutable_block_counts()->CopyFrom(s.block_counts());
    all.mutable_block_mean()->MergeFrom(s.block_mean());
    all.mutable_block_m2()->MergeFrom(s.block_m2());
  }
  return all;
}

class SolveServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    running_ = StartServer(SolveTestOptions());
    ASSERT_NE(running_, nullptr);
  }
  v1::SolverService::Stub& solver() { return *running_->solver; }
  const SolveAdmission& admission() { return running_->server->solver().admission(); }

  std::unique_ptr<Running> running_;
};

// ------------------------------------------------------------- answers --

TEST_F(SolveServiceTest, PathsAndStatisticsEqualTheCoreBitForBit) {
  const v1::SolveRequest request = OuRequest(v1::SHARK, 300, 0.01, v1::OUTPUT_PATHS_AND_STATISTICS);
  const Collected got = Collect(solver(), request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  const integrate::EnsembleSolution want = CoreSolve(request);

  const std::vector<v1::Path> paths = PathsOf(got);
  ASSERT_EQ(paths.size(), want.paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(paths[i].path_index(), want.paths[i].path_index);
    EXPECT_TRUE(SameBits(paths[i].ts(), want.paths[i].ts)) << "path " << i;
    EXPECT_TRUE(SameBits(paths[i].ys(), want.paths[i].ys)) << "path " << i;
    EXPECT_EQ(paths[i].steps_accepted(), want.paths[i].steps_accepted);
  }
  const v1::Statistics stats = StatisticsOf(got);
  EXPECT_EQ(stats.count(), want.statistics.count);
  EXPECT_TRUE(SameBits(stats.ts(), want.statistics.ts));
  EXPECT_TRUE(SameBits(stats.mean(), want.statistics.mean));
  EXPECT_TRUE(SameBits(stats.variance(), want.statistics.variance));
  EXPECT_TRUE(SameBits(stats.stderr(), want.statistics.std_error));
  EXPECT_TRUE(SameBits(stats.quantiles(), want.statistics.quantiles));

  const v1::Summary& summary = got.events.back().summary();
  ASSERT_TRUE(got.events.back().has_summary());
  EXPECT_EQ(summary.paths(), 300u);
  EXPECT_EQ(summary.steps_accepted(), want.summary.steps_accepted);
  EXPECT_EQ(summary.drift_evaluations(), want.summary.drift_evaluations);
  EXPECT_EQ(summary.brownian_tol(), want.summary.brownian_tol);
  EXPECT_EQ(summary.levy_area(), v1::LEVY_AREA_SPACE_TIME_TIME);  // the default for every method
  EXPECT_EQ(summary.algorithm(), "vbt-philox-1");
  EXPECT_EQ(summary.status_counts().at("SOLVE_STATUS_SUCCESS"), 300u);
  EXPECT_GT(summary.wall_seconds(), 0.0);
}

// The protocol's merge rule (solver.proto, Statistics.block_counts): the
// blocks of `parts`, in order, folded left by Chan, Golub & LeVeque's formula.
struct FoldedMoments {
  uint64_t count = 0;
  std::vector<double> mean, variance, std_error;
};

FoldedMoments FoldBlocks(const std::vector<v1::Statistics>& parts) {
  const size_t nt = static_cast<size_t>(parts.front().ts_size());
  const size_t n = parts.front().state_dim(), size = nt * n;
  FoldedMoments out;
  std::vector<double> m2(size, 0.0);
  out.mean.assign(size, 0.0);
  for (const v1::Statistics& part : parts) {
    const size_t blocks = static_cast<size_t>(part.block_counts_size());
    for (size_t b = 0; b < blocks; ++b) {
      const uint64_t nb_count = part.block_counts(static_cast<int>(b));
      if (nb_count == 0) continue;
      const double na = static_cast<double>(out.count), nb = static_cast<double>(nb_count);
      const double total = na + nb;
      for (size_t k = 0; k < nt; ++k) {
        for (size_t j = 0; j < n; ++j) {
          const int wire = static_cast<int>((k * blocks + b) * n + j);
          const double mean_b = part.block_mean(wire), m2_b = part.block_m2(wire);
          double& mean = out.mean[k * n + j];
          if (out.count == 0) {
            mean = mean_b;
            m2[k * n + j] = m2_b;
            continue;
          }
          const double delta = mean_b - mean;
          mean = mean + delta * (nb / total);
          m2[k * n + j] = m2[k * n + j] + (m2_b + delta * delta * (na * nb / total));
        }
      }
      out.count += nb_count;
    }
  }
  for (size_t i = 0; i < size; ++i) {
    const double var = out.count >= 2 ? m2[i] / static_cast<double>(out.count - 1) : 0.0;
    out.variance.push_back(var);
    out.std_error.push_back(out.count > 0 ? std::sqrt(var / static_cast<double>(out.count)) : 0.0);
  }
  return out;
}

TEST_F(SolveServiceTest, BlockMomentsFoldedInOrderEqualTheStatisticsBitForBit) {
  // 300 paths: four full blocks of 64 and one of 44; one message per save time.
  v1::SolveRequest request = OuRequest(v1::SHARK, 300, 0.01, v1::OUTPUT_STATISTICS);
  const v1::Statistics plain = StatisticsOf(Collect(solver(), request));
  EXPECT_EQ(plain.block_counts_size(), 0);  // only when asked for
  EXPECT_EQ(plain.block_mean_size(), 0);
  request.set_block_moments(true);
  const Collected got = Collect(solver(), request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  const v1::Statistics stats = StatisticsOf(got);
  ASSERT_EQ(stats.block_counts_size(), 5);
  EXPECT_EQ(stats.block_counts(4), 44u);
  EXPECT_EQ(stats.block_mean_size(), 4 * 5);  // [4 times][5 blocks][n = 1]
  EXPECT_EQ(stats.block_m2_size(), 4 * 5);
  EXPECT_TRUE(
      SameBits(stats.mean(), std::vector<double>(plain.mean().begin(), plain.mean().end())));
  const FoldedMoments folded = FoldBlocks({stats});
  EXPECT_EQ(folded.count, stats.count());
  EXPECT_TRUE(SameBits(stats.mean(), folded.mean));
  EXPECT_TRUE(SameBits(stats.variance(), folded.variance));
  EXPECT_TRUE(SameBits(stats.stderr(), folded.std_error));

  // Split at a block boundary (members 0..127 and 128..299): the two solves'
  // blocks folded in order give the unsplit solve's bits.
  v1::SolveRequest head = request, tail = request;
  head.set_num_paths(128);
  tail.set_first_path(request.first_path() + 128);
  tail.set_num_paths(172);
  tail.set_output(v1::OUTPUT_PATHS_AND_STATISTICS);  // block moments with paths too
  const FoldedMoments split =
      FoldBlocks({StatisticsOf(Collect(solver(), head)), StatisticsOf(Collect(solver(), tail))});
  EXPECT_EQ(split.count, stats.count());
  EXPECT_TRUE(SameBits(stats.mean(), split.mean));
  EXPECT_TRUE(SameBits(stats.variance(), split.variance));
  EXPECT_TRUE(SameBits(stats.stderr(), split.std_error));
}

TEST_F(SolveServiceTest, ResultsDoNotDependOnTheServersThreadCount) {
  const v1::SolveRequest request = OuRequest(v1::SHARK, 500, 0.02, v1::OUTPUT_PATHS_AND_STATISTICS);
  auto one = StartServer(SolveTestOptions(1));
  auto three = StartServer(SolveTestOptions(3));
  const Collected a = Collect(*one->solver, request);
  const Collected b = Collect(*three->solver, request);
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  const auto pa = PathsOf(a), pb = PathsOf(b);
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(pa[i].SerializeAsString(), pb[i].SerializeAsString()) << i;
  }
  EXPECT_EQ(StatisticsOf(a).SerializeAsString(), StatisticsOf(b).SerializeAsString());
}

// Member i is BrownianService's path (seed, first_path + i) with the
// Summary's tol and Lévy kind: Euler from Sample's increments, computed here,
// equals the server's Euler solve to rounding.
TEST_F(SolveServiceTest, EulerSolveEqualsEulerFromSampleIncrements) {
  v1::SolveRequest request;
  v1::ExpressionModel* model = request.mutable_model()->mutable_expression();
  model->add_state("x");
  model->add_drift("-a*x + b");
  model->add_diffusion("s*(1 + 0.1*x*x)");  // multiplicative: Itô Euler as written
  (*model->mutable_params())["a"] = 1.3;
  (*model->mutable_params())["b"] = 0.2;
  (*model->mutable_params())["s"] = 0.4;
  request.set_method(v1::EULER);
  request.set_t0(0.5);
  request.set_t1(1.5);
  request.add_y0(0.7);
  const double dt = 1.0 / 64;
  request.mutable_step()->mutable_constant()->set_dt(dt);
  request.mutable_saveat()->set_steps(true);
  request.set_seed(2024);
  request.set_first_path(7);
  request.set_num_paths(5);
  const Collected got = Collect(solver(), request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  const v1::Summary& summary = got.events.back().summary();
  // Euler names no kind, so it runs on the default path, the one every method shares.
  EXPECT_EQ(summary.levy_area(), v1::LEVY_AREA_SPACE_TIME_TIME);
  const std::vector<v1::Path> paths = PathsOf(got);
  ASSERT_EQ(paths.size(), 5u);

  for (uint32_t i = 0; i < 5; ++i) {
    v1::SampleRequest sample;
    v1::PathSpec* spec = sample.mutable_path();
    spec->set_seed(2024);
    spec->set_path_index(7 + i);
    spec->set_dim(1);
    spec->set_t0(0.5);
    spec->set_t1(1.5);
    spec->set_tol(summary.brownian_tol());
    spec->set_levy_area(summary.levy_area());
    std::vector<double> grid;
    for (int k = 0; k <= 64; ++k) grid.push_back(0.5 + k * dt);
    for (int k = 0; k < 64; ++k) {
      v1::Interval* q = sample.add_intervals();
      q->set_s(grid[k]);
      q->set_t(grid[k + 1]);
    }
    grpc::ClientContext context;
    v1::SampleResponse increments;
    ASSERT_TRUE(running_->stub->Sample(&context, sample, &increments).ok());
    double x = 0.7;
    const v1::Path& path = paths[i];
    ASSERT_EQ(path.path_index(), 7u + i);
    ASSERT_EQ(path.ys_size(), 64);
    for (int k = 0; k < 64; ++k) {
      const double h = grid[k + 1] - grid[k];
      x = x + (-1.3 * x + 0.2) * h + 0.4 * (1 + 0.1 * x * x) * increments.w(k);
      EXPECT_NEAR(path.ts(k), grid[k + 1], 1e-15);
      EXPECT_NEAR(path.ys(k), x, 1e-12 * (1 + std::abs(x))) << "path " << i << " step " << k;
    }
  }
}

// OU closed forms: E y_t = mu + (y0 - mu) e^{-theta t},
// Var y_t = sigma^2 / (2 theta) (1 - e^{-2 theta t}). With N = 20000 paths the
// mean's standard error is sqrt(Var / N) and the variance's is about
// Var sqrt(2 / (N - 1)) (Gaussian); both must hold to 5 standard errors (a
// false alarm about once in 1.7 million per check). ShARK's bias at dt = 0.01
// is O(dt^2), far below these.
// Replay through the wire: an adaptive solve of a step-doubled method with
// saveat.steps, re-requested with step_to at t0 and each path's saved times
// and the Summary's brownian_tol, gives every saved state bit for bit.
TEST_F(SolveServiceTest, StepToAtTheSavedStepsReplaysAnAdaptiveSolve) {
  for (v1::Method method : {v1::EULER, v1::MILSTEIN}) {
    v1::SolveRequest request;
    v1::BuiltinModel* model = request.mutable_model()->mutable_builtin();
    model->set_name("cir");
    (*model->mutable_params())["a"] = 1.0;
    (*model->mutable_params())["b"] = 1.0;
    (*model->mutable_params())["sigma"] = 1.2;
    request.set_method(method);
    request.set_t1(1.0);
    request.add_y0(1.0);
    v1::AdaptiveStep* adaptive = request.mutable_step()->mutable_adaptive();
    adaptive->set_rtol(1e-3);
    adaptive->set_atol(1e-3);
    adaptive->set_dtmin(0x1p-14);
    request.mutable_saveat()->set_steps(true);
    request.set_seed(5);
    request.set_num_paths(4);
    const Collected got = Collect(solver(), request);
    ASSERT_TRUE(got.status.ok()) << got.status.error_message();
    const v1::Summary& summary = got.events.back().summary();
    EXPECT_GT(summary.steps_rejected(), 0u) << "the test needs rejected steps";
    for (const v1::Path& p : PathsOf(got)) {
      ASSERT_EQ(p.status(), v1::SOLVE_STATUS_SUCCESS);
      EXPECT_EQ(p.ts_size(), 2 * static_cast<int>(p.steps_accepted()));  // midpoints too
      v1::SolveRequest replay = request;
      replay.mutable_step()->mutable_step_to()->add_ts(0.0);
      for (double t : p.ts()) replay.mutable_step()->mutable_step_to()->add_ts(t);
      replay.set_first_path(p.path_index());
      replay.set_num_paths(1);
      replay.mutable_brownian()->set_tol(summary.brownian_tol());
      const Collected again = Collect(solver(), replay);
      ASSERT_TRUE(again.status.ok()) << again.status.error_message();
      const std::vector<v1::Path> q = PathsOf(again);
      ASSERT_EQ(q.size(), 1u);
      EXPECT_TRUE(SameBits(q[0].ts(), {p.ts().begin(), p.ts().end()})) << p.path_index();
      EXPECT_TRUE(SameBits(q[0].ys(), {p.ys().begin(), p.ys().end()})) << p.path_index();
    }
  }
}

TEST_F(SolveServiceTest, OuStatisticsMatchTheClosedFormsAtEverySaveTime) {
  const uint32_t n = 20000;
  const Collected got = Collect(solver(), OuRequest(v1::SHARK, n, 0.01, v1::OUTPUT_STATISTICS));
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  const v1::Statistics stats = StatisticsOf(got);
  ASSERT_EQ(stats.ts_size(), 4);
  EXPECT_EQ(stats.count(), n);
  const double theta = 1.5, mu = 0.5, sigma = 0.8, y0 = 2.0;
  for (int k = 0; k < 4; ++k) {
    const double t = stats.ts(k);
    const double mean = mu + (y0 - mu) * std::exp(-theta * t);
    const double var = sigma * sigma / (2 * theta) * (1 - std::exp(-2 * theta * t));
    EXPECT_NEAR(stats.mean(k), mean, 5 * std::sqrt(var / n)) << "t = " << t;
    EXPECT_NEAR(stats.variance(k), var, 5 * var * std::sqrt(2.0 / (n - 1))) << "t = " << t;
    EXPECT_NEAR(stats.stderr(k), std::sqrt(stats.variance(k) / n), 1e-15);
    // The median of a Gaussian is its mean.
    EXPECT_NEAR(stats.quantiles(k * 3 + 1), mean, 5 * 1.2533 * std::sqrt(var / n)) << t;
  }
}

// Builtin models are Itô; a Stratonovich method (Heun) solves the same
// process through the drift-corrected Stratonovich form. GBM:
// E y_1 = y0 e^{mu}; with N = 20000 the mean's standard error is
// sqrt(Var / N), Var = y0^2 e^{2 mu} (e^{sigma^2} − 1); 5 standard errors
// (adaptive Heun at rtol 1e-3 is far more accurate than that).
TEST_F(SolveServiceTest, AStratonovichMethodOnAnItoBuiltinSolvesTheSameProcess) {
  v1::SolveRequest request;
  v1::BuiltinModel* model = request.mutable_model()->mutable_builtin();
  model->set_name("gbm");
  (*model->mutable_params())["mu"] = 0.5;
  (*model->mutable_params())["sigma"] = 0.3;
  request.set_method(v1::HEUN);
  request.set_t1(1.0);
  request.add_y0(1.0);
  request.mutable_step()->mutable_adaptive()->set_rtol(1e-3);
  request.mutable_step()->mutable_adaptive()->set_atol(1e-4);
  request.set_num_paths(20000);
  request.set_output(v1::OUTPUT_STATISTICS);
  const Collected got = Collect(solver(), request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  const v1::Statistics stats = StatisticsOf(got);
  const double mean = std::exp(0.5), var = std::exp(1.0) * (std::exp(0.09) - 1);
  EXPECT_NEAR(stats.mean(0), mean, 5 * std::sqrt(var / 20000));
}

// ------------------------------------------------------ stream shape --

TEST_F(SolveServiceTest, EventsComeInOrderWithTheSummaryLast) {
  const v1::SolveRequest request =
      OuRequest(v1::SHARK, 1000, 0.01, v1::OUTPUT_PATHS_AND_STATISTICS);
  const Collected got = Collect(solver(), request);
  ASSERT_TRUE(got.status.ok());
  ASSERT_FALSE(got.events.empty());
  EXPECT_TRUE(got.events.back().has_summary());
  int phase = 0;  // 0: paths, 1: statistics, 2: summary
  uint64_t next_index = 100;
  for (const auto& e : got.events) {
    if (e.has_progress()) continue;
    const int p = e.has_paths() ? 0 : e.has_statistics() ? 1 : 2;
    EXPECT_GE(p, phase);
    phase = p;
    if (!e.has_paths()) continue;
    EXPECT_LE(e.paths().paths_size(), 64);
    for (const auto& path : e.paths().paths()) EXPECT_EQ(path.path_index(), next_index++);
  }
  EXPECT_EQ(next_index, 1100u);
}

TEST_F(SolveServiceTest, StatisticsOnlySendsOneStatisticsMessagePerSaveTime) {
  const Collected got = Collect(solver(), OuRequest(v1::SHARK, 100, 0.01, v1::OUTPUT_STATISTICS));
  ASSERT_TRUE(got.status.ok());
  std::vector<double> times;
  for (const auto& e : got.events) {
    EXPECT_FALSE(e.has_paths());
    if (!e.has_statistics()) continue;
    ASSERT_EQ(e.statistics().ts_size(), 1);
    EXPECT_EQ(e.statistics().quantiles_size(), 3);
    times.push_back(e.statistics().ts(0));
  }
  EXPECT_EQ(times, (std::vector<double>{0.25, 0.5, 1.0, 2.0}));
}

TEST_F(SolveServiceTest, LargePathBatchesAreSplitUnderTheMessageBudget) {
  // 64 paths × 20001 save points × 16 bytes ≈ 20 MiB per block: several messages.
  v1::SolveRequest request = OuRequest(v1::EULER, 64, 1e-4, v1::OUTPUT_PATHS);
  request.mutable_saveat()->Clear();
  request.mutable_saveat()->set_steps(true);
  const Collected got = Collect(solver(), request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  int batches = 0;
  for (const auto& e : got.events) {
    if (!e.has_paths()) continue;
    ++batches;
    EXPECT_LE(e.ByteSizeLong(), kMessageBudgetBytes + 400000);
  }
  EXPECT_GE(batches, 4);
  EXPECT_EQ(PathsOf(got).size(), 64u);
}

TEST_F(SolveServiceTest, ProgressArrivesAtLeastOnceASecondOnALongSolve) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + milliseconds(2500));
  const Collected got = Collect(solver(), LongRequest(), &context);
  // Ends by the deadline; what counts is the progress on the way.
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ASSERT_GE(got.events.size(), 5u);  // interval 100 ms over ~2.5 s
  uint64_t last_done = 0;
  for (size_t i = 0; i < got.events.size(); ++i) {
    ASSERT_TRUE(got.events[i].has_progress());
    const v1::Progress& p = got.events[i].progress();
    EXPECT_EQ(p.num_paths(), 4096u);
    EXPECT_GE(p.paths_done(), last_done);
    last_done = p.paths_done();
    if (i > 0) {
      EXPECT_LT(got.arrivals[i] - got.arrivals[i - 1], milliseconds(1000));
    }
  }
  EXPECT_GT(got.events.back().progress().steps_accepted(), 0u);
}

// ------------------------------------------- cancellation and limits --

TEST_F(SolveServiceTest, CancellationMidStreamStopsTheWorkersPromptly) {
  grpc::ClientContext context;
  auto reader = solver().Solve(&context, LongRequest());
  v1::SolveResponse event;
  ASSERT_TRUE(reader->Read(&event));  // a progress event: the solve runs
  EXPECT_EQ(admission().solves(), 1u);
  const auto cancel_at = Clock::now();
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // Each path is 200 000 steps (tens of ms): stopping "within one step"
  // means far less than a path's time, let alone the remaining ~20 s.
  EXPECT_TRUE(WaitFor([&] { return admission().solves() == 0; }, milliseconds(1000)));
  EXPECT_LT(Clock::now() - cancel_at, milliseconds(1000));
  EXPECT_EQ(admission().queued_paths(), 0u);
  // The pool is free again: a small solve goes through at once.
  EXPECT_TRUE(Collect(solver(), OuRequest(v1::SHARK, 10, 0.1, v1::OUTPUT_PATHS)).status.ok());
}

TEST_F(SolveServiceTest, DeadlineEndsTheSolveWithDeadlineExceeded) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + milliseconds(300));
  const auto start = Clock::now();
  const Collected got = Collect(solver(), LongRequest(), &context);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  EXPECT_TRUE(WaitFor([&] { return admission().solves() == 0; }, milliseconds(1000)));
}

TEST(SolveAdmissionTest, BeyondMaxConcurrentSolvesIsResourceExhaustedAtOnce) {
  ServerOptions options = SolveTestOptions();
  options.solver.admission.max_solves = 1;
  auto running = StartServer(options);
  grpc::ClientContext context;
  auto reader = running->solver->Solve(&context, LongRequest());
  v1::SolveResponse event;
  ASSERT_TRUE(reader->Read(&event));
  const auto start = Clock::now();
  const Collected second =
      Collect(*running->solver, OuRequest(v1::SHARK, 10, 0.1, v1::OUTPUT_PATHS));
  EXPECT_LT(Clock::now() - start, milliseconds(500));
  EXPECT_EQ(second.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(second.status.error_message().find("max_concurrent_solves = 1"), std::string::npos)
      << second.status.error_message();
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
  const SolveAdmission& admission = running->server->solver().admission();
  ASSERT_TRUE(WaitFor([&] { return admission.solves() == 0; }, milliseconds(1000)));
  EXPECT_TRUE(
      Collect(*running->solver, OuRequest(v1::SHARK, 10, 0.1, v1::OUTPUT_PATHS)).status.ok());
}

TEST(SolveAdmissionTest, BeyondMaxQueuedPathsIsResourceExhaustedNamingTheLimit) {
  ServerOptions options = SolveTestOptions();
  options.solver.admission.max_queued_paths = 1000;
  auto running = StartServer(options);
  const Collected over =
      Collect(*running->solver, OuRequest(v1::SHARK, 1001, 0.1, v1::OUTPUT_STATISTICS));
  EXPECT_EQ(over.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(over.status.error_message().find("max_queued_paths = 1000"), std::string::npos);
  EXPECT_TRUE(Collect(*running->solver, OuRequest(v1::SHARK, 1000, 0.1, v1::OUTPUT_STATISTICS))
                  .status.ok());
}

// A client that stops reading holds back the solve: with path output only a
// window of blocks is solved ahead of what was written, instead of the whole
// ensemble piling up in memory.
TEST_F(SolveServiceTest, ASlowReaderHoldsBackThePathOutput) {
  v1::SolveRequest request = OuRequest(v1::EULER, 64 * 40, 1e-3, v1::OUTPUT_PATHS);
  request.mutable_saveat()->set_steps(true);  // 2000 points a path: 2 MiB a block
  grpc::ClientContext context;
  auto reader = solver().Solve(&context, request);
  v1::SolveResponse event;
  ASSERT_TRUE(reader->Read(&event));
  std::this_thread::sleep_for(milliseconds(1500));  // enough to solve it all if unbounded
  const uint64_t queued = admission().queued_paths();
  EXPECT_GT(queued, 64u * 20) << "solved far ahead of the reader";
  uint64_t paths = event.has_paths() ? event.paths().paths_size() : 0;
  while (reader->Read(&event)) {
    if (event.has_paths()) paths += event.paths().paths_size();
  }
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_EQ(paths, 64u * 40);
}

TEST_F(SolveServiceTest, InvalidRequestsAreInvalidArgumentNamingTheField) {
  struct Case {
    const char* field;
    void (*mutate)(v1::SolveRequest&);
  };
  const Case cases[] = {
      {"model.builtin.name",
       [](v1::SolveRequest& r) { r.mutable_model()->mutable_builtin()->set_name("nope"); }},
      {"model.builtin.params.kappa",
       [](v1::SolveRequest& r) {
         (*r.mutable_model()->mutable_builtin()->mutable_params())["kappa"] = 1;
       }},
      {"y0", [](v1::SolveRequest& r) { r.clear_y0(); }},
      {"method", [](v1::SolveRequest& r) { r.set_method(v1::ALIGN); }},
      {"step.constant.dt",
       [](v1::SolveRequest& r) { r.mutable_step()->mutable_constant()->set_dt(-1); }},
      {"saveat.ts[1]", [](v1::SolveRequest& r) { r.mutable_saveat()->set_ts(1, 0.1); }},
      {"saveat.ts[3]", [](v1::SolveRequest& r) { r.mutable_saveat()->set_ts(3, 2.5); }},
      {"brownian.tol", [](v1::SolveRequest& r) { r.mutable_brownian()->set_tol(5.0); }},
  };
  for (const Case& c : cases) {
    v1::SolveRequest request = OuRequest(v1::SHARK, 10, 0.01, v1::OUTPUT_PATHS);
    c.mutate(request);
    const Collected got = Collect(solver(), request);
    EXPECT_EQ(got.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_EQ(got.status.error_message().rfind(c.field, 0), 0u)
        << c.field << ": " << got.status.error_message();
    const google::rpc::BadRequest bad = BadRequestOf(got.status);
    ASSERT_EQ(bad.field_violations_size(), 1) << c.field;
    EXPECT_EQ(bad.field_violations(0).field(), c.field);
    EXPECT_TRUE(got.events.empty());
  }
}

TEST_F(SolveServiceTest, TooManyPathsIsResourceExhaustedNamingTheLimit) {
  const Collected got =
      Collect(solver(), OuRequest(v1::SHARK, (1u << 20) + 1, 0.01, v1::OUTPUT_STATISTICS));
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(got.status.error_message().find("max_paths"), std::string::npos);
}

TEST_F(SolveServiceTest, BytesThatAreNotASolveRequestAreInvalidArgument) {
  grpc::GenericStub generic(running_->channel);
  grpc::ClientContext context;
  const std::string junk = "\xff\xff\xff\xff";
  grpc::Slice slice(junk);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, "/pathwise.v1.SolverService/ListCapabilities", grpc::StubOptions(),
                    &request, &response, [&](grpc::Status s) { done.set_value(s); });
  const grpc::Status status = done.get_future().get();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("pathwise.v1.ListCapabilitiesRequest"), std::string::npos);

  const Collected got = [&] {
    // A Solve with bytes that are not a SolveRequest, through a raw stream.
    grpc::ClientContext ctx;
    grpc::CompletionQueue cq;
    auto call = generic.PrepareCall(&ctx, "/pathwise.v1.SolverService/Solve", &cq);
    void* tag;
    bool ok;
    call->StartCall(reinterpret_cast<void*>(1));
    cq.Next(&tag, &ok);
    call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
    cq.Next(&tag, &ok);
    grpc::ByteBuffer out;
    call->Read(&out, reinterpret_cast<void*>(3));
    cq.Next(&tag, &ok);
    EXPECT_FALSE(ok);  // no event
    Collected c;
    call->Finish(&c.status, reinterpret_cast<void*>(4));
    cq.Next(&tag, &ok);
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    return c;
  }();
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(got.status.error_message().find("pathwise.v1.SolveRequest"), std::string::npos);
}

// ------------------------------------------------------- service info --

TEST_F(SolveServiceTest, ListCapabilitiesEqualsTheCatalogAndTheLimits) {
  grpc::ClientContext context;
  v1::Capabilities caps;
  ASSERT_TRUE(solver().ListCapabilities(&context, v1::ListCapabilitiesRequest(), &caps).ok());
  EXPECT_EQ(caps.SerializeAsString(), BuildCapabilities(SolveLimits{}).SerializeAsString());
  EXPECT_EQ(caps.methods_size(), 13);
}

// The server's own Estimate and MCMC limits (flags), not the defaults.
TEST(SolveServiceCapabilitiesTest, ListCapabilitiesPublishesTheServersEstimateAndMcmcLimits) {
  ServerOptions options = TestOptions(1);
  options.solver.estimate.max_path_steps = 1 << 20;
  options.mcmc.limits.max_chains = 12;
  options.mcmc.limits.max_steps_per_chain = 1 << 22;
  std::unique_ptr<Running> running = StartServer(options);
  ASSERT_NE(running, nullptr);
  grpc::ClientContext context;
  v1::Capabilities caps;
  ASSERT_TRUE(
      running->solver->ListCapabilities(&context, v1::ListCapabilitiesRequest(), &caps).ok());
  EXPECT_EQ(caps.limits().max_estimate_path_steps(), 1u << 20);
  EXPECT_EQ(caps.limits().max_mcmc_chains(), 12u);
  EXPECT_EQ(caps.limits().max_mcmc_steps_per_chain(), 1u << 22);
  EXPECT_EQ(caps.limits().max_mcmc_dim(), McmcLimits{}.max_dim);
}

TEST_F(SolveServiceTest, HealthIsServingForTheSolverService) {
  auto health = grpc::health::v1::Health::NewStub(running_->channel);
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(kSolverServiceName);
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(SolveServiceTest, WhileDrainingSolveIsUnavailable) {
  running_->server->SetDraining();
  const Collected got = Collect(solver(), OuRequest(v1::SHARK, 10, 0.1, v1::OUTPUT_PATHS));
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace pathwise::server
