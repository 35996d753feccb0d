// SolverService.Estimate in-process on a free loopback port, through real
// channels: the GBM call against Black-Scholes, the same bits as the core,
// event order and progress, cancellation, deadlines, admission and limits,
// invalid requests, metrics.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/estimate/estimate.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "prometheus/text_serializer.h"
#include "server/estimate_request.h"
#include "server/server.h"
#include "tests/server/call_checks.h"
#include "tests/server/estimate_calls.h"
#include "tests/server/running_server.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

ServerOptions EstimateTestOptions(int threads = 2) {
  ServerOptions options = TestOptions(threads);
  options.solver.run.progress_interval = milliseconds(100);
  return options;
}

// An estimate that runs for minutes unless stopped: Euler's corrections
// decay slowly, and the target needs ~1e10 path steps.
v1::EstimateRequest LongRequest() { return GbmCallRequest(1e-5, v1::EULER); }

struct Collected {
  grpc::Status status;
  std::vector<v1::EstimateResponse> events;
  std::vector<Clock::time_point> arrivals;
};

Collected Collect(v1::SolverService::Stub& stub, const v1::EstimateRequest& request,
                  grpc::ClientContext* context = nullptr) {
  grpc::ClientContext local;
  if (context == nullptr) context = &local;
  Collected out;
  auto reader = stub.Estimate(context, request);
  v1::EstimateResponse event;
  while (reader->Read(&event)) {
    out.events.push_back(event);
    out.arrivals.push_back(Clock::now());
  }
  out.status = reader->Finish();
  return out;
}

// The last LevelStatistics of each level.
std::map<uint32_t, v1::LevelStatistics> LastLevels(const Collected& c) {
  std::map<uint32_t, v1::LevelStatistics> levels;
  for (const auto& e : c.events) {
    if (e.has_level()) levels[e.level().level()] = e.level();
  }
  return levels;
}

class EstimateServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    running_ = StartServer(EstimateTestOptions());
    ASSERT_NE(running_, nullptr);
  }
  v1::SolverService::Stub& solver() { return *running_->solver; }
  const SolveAdmission& admission() { return running_->server->solver().admission(); }

  std::unique_ptr<Running> running_;
};

// The estimate is within 3 of its own RMSE estimates of Black-Scholes (a
// normal estimator misses by more with probability 0.3%; the seed is fixed),
// and the RMSE estimate meets the target (Giles' stopping rule).
TEST_F(EstimateServiceTest, GbmCallMatchesBlackScholes) {
  const double target = 1e-3;
  const Collected got = Collect(solver(), GbmCallRequest(target));
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  ASSERT_FALSE(got.events.empty());
  ASSERT_TRUE(got.events.back().has_result());
  const v1::EstimateResult& result = got.events.back().result();
  EXPECT_TRUE(result.converged());
  EXPECT_LE(result.rmse_estimate(), target);
  EXPECT_NEAR(result.value(), BlackScholesCall(), 3.0 * result.rmse_estimate());
  EXPECT_EQ(result.algorithm(), "giles-mlmc-1/vbt-philox-1");
  EXPECT_GT(result.wall_seconds(), 0.0);
  EXPECT_NEAR(result.rmse_estimate(), std::hypot(result.standard_error(), result.bias_estimate()),
              1e-15);
  // Every level reported, with dt_l = coarsest_dt 2^-l and the path steps the
  // result counts.
  const auto levels = LastLevels(got);
  ASSERT_EQ(levels.size(), result.levels());
  double steps = 0.0;
  double value = 0.0;
  for (const auto& [l, level] : levels) {
    EXPECT_EQ(level.dt(), std::ldexp(0.25, -static_cast<int>(l)));
    EXPECT_GE(level.paths(), 256u);
    steps += static_cast<double>(level.paths()) * level.path_steps_per_sample();
    value += level.mean();
  }
  EXPECT_NEAR(steps, static_cast<double>(result.total_path_steps()), 0.5);
  EXPECT_NEAR(value, result.value(), 1e-12);
  // The result is the last event, and only once.
  for (size_t i = 0; i + 1 < got.events.size(); ++i) EXPECT_FALSE(got.events[i].has_result());
}

// The pool runs the blocks in any order on any thread; the estimate is the
// core's to the bit, and the same request gives the same bits again.
TEST_F(EstimateServiceTest, SameRequestSameBitsAsTheCore) {
  v1::EstimateRequest request = GbmCallRequest(2e-3);
  request.set_antithetic(true);
  const Collected first = Collect(solver(), request);
  const Collected second = Collect(solver(), request);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  ASSERT_TRUE(second.status.ok()) << second.status.error_message();
  v1::EstimateResult a = first.events.back().result(), b = second.events.back().result();
  a.clear_wall_seconds();
  b.clear_wall_seconds();
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());

  auto inputs = ValidateEstimateRequest(request, SolveLimits{}, EstimateLimits{});
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  auto core = estimate::Estimate(*inputs->sde, *inputs->method, inputs->scope, inputs->options);
  ASSERT_TRUE(core.ok()) << core.status();
  const double value = a.value(), se = a.standard_error(), bias = a.bias_estimate();
  EXPECT_EQ(std::memcmp(&core->value, &value, sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(&core->standard_error, &se, sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(&core->bias_estimate, &bias, sizeof(double)), 0);
  EXPECT_EQ(core->total_path_steps, a.total_path_steps());
  EXPECT_EQ(core->levels.size(), a.levels());
}

TEST_F(EstimateServiceTest, MonteCarloReportsNoBiasAndOneLevel) {
  v1::EstimateRequest request = GbmCallRequest(2e-3);
  request.set_estimator(v1::ESTIMATOR_MONTE_CARLO);
  request.set_max_level(3);
  const Collected got = Collect(solver(), request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  const v1::EstimateResult& result = got.events.back().result();
  EXPECT_EQ(result.levels(), 1u);
  EXPECT_EQ(result.bias_estimate(), 0.0);
  EXPECT_EQ(result.rmse_estimate(), result.standard_error());
  const auto levels = LastLevels(got);
  ASSERT_EQ(levels.size(), 1u);
  EXPECT_EQ(levels.begin()->first, 3u);
}

TEST_F(EstimateServiceTest, PathStepBudgetEndsWithANonConvergedResult) {
  v1::EstimateRequest request = GbmCallRequest(1e-4);
  request.set_max_path_steps(200000);
  const Collected got = Collect(solver(), request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  const v1::EstimateResult& result = got.events.back().result();
  EXPECT_FALSE(result.converged());
  EXPECT_LE(result.total_path_steps(), 200000u);
}

TEST_F(EstimateServiceTest, ProgressArrivesAtLeastOnceASecond) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + milliseconds(1500));
  const Collected got = Collect(solver(), LongRequest(), &context);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  int progress = 0;
  uint64_t last_done = 0;
  for (const auto& e : got.events) {
    if (!e.has_progress()) continue;
    ++progress;
    EXPECT_GE(e.progress().paths_done(), last_done);
    EXPECT_LE(e.progress().paths_done(), e.progress().num_paths());
    last_done = e.progress().paths_done();
  }
  EXPECT_GE(progress, 2);  // every 100 ms here
  EXPECT_GT(last_done, 0u);
  for (size_t i = 1; i < got.arrivals.size(); ++i) {
    EXPECT_LT(got.arrivals[i] - got.arrivals[i - 1], milliseconds(1000));
  }
}

TEST_F(EstimateServiceTest, CancellationStopsTheWorkPromptly) {
  grpc::ClientContext context;
  auto reader = solver().Estimate(&context, LongRequest());
  v1::EstimateResponse event;
  ASSERT_TRUE(reader->Read(&event));  // the estimate runs
  EXPECT_EQ(admission().solves(), 1u);
  const auto cancel_at = Clock::now();
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // A block is 64 samples of at most a few thousand steps (milliseconds); the
  // estimate left alone would run for minutes.
  EXPECT_TRUE(WaitFor([&] { return admission().solves() == 0; }, milliseconds(1000)));
  EXPECT_LT(Clock::now() - cancel_at, milliseconds(1000));
  // The pool is free again: a small estimate goes through at once.
  EXPECT_TRUE(Collect(solver(), GbmCallRequest(1e-2)).status.ok());
}

TEST_F(EstimateServiceTest, DeadlineEndsTheEstimateWithDeadlineExceeded) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + milliseconds(300));
  const auto start = Clock::now();
  const Collected got = Collect(solver(), LongRequest(), &context);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  EXPECT_TRUE(WaitFor([&] { return admission().solves() == 0; }, milliseconds(1000)));
}

// Shutdown cancels a running estimate at the end of its grace period and
// returns once its driver has stopped (the driver's thread outlives the call
// by nothing that touches the server).
TEST(EstimateShutdownTest, ShutdownStopsARunningEstimate) {
  auto running = StartServer(EstimateTestOptions());
  ASSERT_NE(running, nullptr);
  grpc::ClientContext context;
  auto reader = running->solver->Estimate(&context, LongRequest());
  v1::EstimateResponse event;
  ASSERT_TRUE(reader->Read(&event));
  const auto start = Clock::now();
  running->server->Shutdown(absl::Milliseconds(200));
  EXPECT_LT(Clock::now() - start, milliseconds(3000));
  while (reader->Read(&event)) {
  }
  EXPECT_FALSE(reader->Finish().ok());
  EXPECT_EQ(running->server->solver().admission().solves(), 0u);
  running.reset();
}

TEST(EstimateAdmissionTest, AnEstimateCountsAsOneSolveAgainstMaxConcurrentSolves) {
  ServerOptions options = EstimateTestOptions();
  options.solver.admission.max_solves = 1;
  auto running = StartServer(options);
  grpc::ClientContext context;
  auto reader = running->solver->Estimate(&context, LongRequest());
  v1::EstimateResponse event;
  ASSERT_TRUE(reader->Read(&event));
  const Collected second = Collect(*running->solver, GbmCallRequest(1e-2));
  EXPECT_EQ(second.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(second.status.error_message().find("max_concurrent_solves = 1"), std::string::npos)
      << second.status.error_message();
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
  const SolveAdmission& admission = running->server->solver().admission();
  ASSERT_TRUE(WaitFor([&] { return admission.solves() == 0; }, milliseconds(1000)));
  EXPECT_TRUE(Collect(*running->solver, GbmCallRequest(1e-2)).status.ok());
}

TEST(EstimateAdmissionTest, PathStepsOverTheServersLimitAreResourceExhausted) {
  ServerOptions options = EstimateTestOptions();
  options.solver.estimate.max_path_steps = 1000000;
  auto running = StartServer(options);
  v1::EstimateRequest request = GbmCallRequest(1e-2);
  request.set_max_path_steps(1000001);
  const Collected got = Collect(*running->solver, request);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(got.status.error_message().find("max_estimate_path_steps = 1000000"), std::string::npos)
      << got.status.error_message();
}

TEST_F(EstimateServiceTest, InvalidRequestsAreInvalidArgumentNamingTheField) {
  struct Case {
    const char* field;
    void (*mutate)(v1::EstimateRequest&);
  };
  const Case cases[] = {
      {"target_rmse", [](v1::EstimateRequest& r) { r.set_target_rmse(0); }},
      {"functional", [](v1::EstimateRequest& r) { r.set_functional("max(S - 1, 0)"); }},
      {"method", [](v1::EstimateRequest& r) { r.set_method(v1::SHARK); }},
      {"coarsest_dt", [](v1::EstimateRequest& r) { r.set_coarsest_dt(3); }},
      {"max_level", [](v1::EstimateRequest& r) { r.set_max_level(40); }},
      {"brownian.tol", [](v1::EstimateRequest& r) { r.mutable_brownian()->set_tol(1); }},
      {"estimator", [](v1::EstimateRequest& r) { r.set_estimator(static_cast<v1::Estimator>(5)); }},
  };
  for (const Case& c : cases) {
    v1::EstimateRequest request = GbmCallRequest(1e-3);
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

// A path that leaves the model's domain fails the estimate naming the level
// and sample, as INVALID_ARGUMENT (the request's model cannot be estimated),
// after the events so far.
TEST_F(EstimateServiceTest, ASampleThatFailsEndsTheEstimateNamingIt) {
  v1::EstimateRequest request = GbmCallRequest(1e-3);
  request.set_functional("log(y - 1.5)");  // NaN whenever y < 1.5: at the first sample or so
  const Collected got = Collect(solver(), request);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(got.status.error_message().find("level "), std::string::npos)
      << got.status.error_message();
  EXPECT_NE(got.status.error_message().find("sample "), std::string::npos);
}

TEST_F(EstimateServiceTest, CallsAreCountedByMethodInTheMetrics) {
  ASSERT_TRUE(Collect(solver(), GbmCallRequest(1e-2)).status.ok());
  ASSERT_FALSE(Collect(solver(), GbmCallRequest(0)).status.ok());
  // Counted when gRPC is done with the call, just after the client's Finish.
  const std::vector<std::string> series = {
      "pathwise_rpcs_total{code=\"OK\",method=\"Estimate\"} 1",
      "pathwise_rpcs_total{code=\"INVALID_ARGUMENT\",method=\"Estimate\"} 1",
      "pathwise_rpc_duration_seconds_count{method=\"Estimate\"} 2"};
  std::string text;
  const bool counted = WaitFor(
      [&] {
        text = prometheus::TextSerializer().Serialize(
            running_->server->metrics().registry()->Collect());
        for (const std::string& s : series) {
          if (text.find(s) == std::string::npos) return false;
        }
        return true;
      },
      milliseconds(2000));
  EXPECT_TRUE(counted) << text;
}

}  // namespace
}  // namespace pathwise::server
