// Admission by work and memory, busy refusals with google.rpc.RetryInfo, and
// the server's time limit on solves (server/solve_admission.h,
// server/work_estimate.h, server/solve_run.h), on loopback.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/metric_family.h>

#include <chrono>
#include <string>

#include "server/solve_admission.h"
#include "server/solve_request.h"
#include "server/work_estimate.h"
#include "tests/server/overload_calls.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

SolveEstimate EstimateOf(const v1::SolveRequest& request, int threads = 2,
                         uint64_t buffer_bytes = uint64_t{64} << 20) {
  auto inputs = ValidateSolveRequest(request, SolveLimits{});
  EXPECT_TRUE(inputs.ok()) << inputs.status();
  return EstimateSolve(inputs->options, inputs->plan, inputs->sde->state_dim(), threads,
                       buffer_bytes);
}

// The value of pathwise_rejections_total{limit}, 0 before its first use.
double Rejections(PathwiseServer& server, const std::string& limit) {
  for (const prometheus::MetricFamily& family : server.metrics().registry()->Collect()) {
    if (family.name != "pathwise_rejections_total") continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      if (!metric.label.empty() && metric.label[0].value == limit) return metric.counter.value;
    }
  }
  return 0.0;
}

// ---------------------------------------------------------- the estimate --

TEST(WorkEstimate, ConstantStepsArePathsTimesSpanOverDtPlusTheSaveTimes) {
  // dt = 1e-3 over [0, 2]: 2000 steps; the must-hit times 1.0 and t1 may
  // cut two more; 100 paths.
  const SolveEstimate e = EstimateOf(OuSolve(100, 1e-3));
  EXPECT_EQ(e.steps_per_path, 2000u + 2u);
  EXPECT_EQ(e.path_steps, 100u * 2002u);
  // Statistics at the one fixed time 1.0, 1 state, 2 blocks: 8 x (4 x 2 + 3)
  // bytes of moments, plus 100 paths x (1 value + a completion byte) for quantiles.
  EXPECT_EQ(e.statistics_bytes, 8u * 11u + 100u * 9u);
  EXPECT_EQ(e.response_bytes, 0u);  // no path output
}

TEST(WorkEstimate, HeldPathsAreAWindowOfBlocksBoundedByTheBuffer) {
  v1::SolveRequest request = OuSolve(1000, 1e-3, v1::OUTPUT_PATHS);
  request.mutable_saveat()->set_steps(true);  // every step, t0 and 1.0: 16 bytes each
  const SolveEstimate wide = EstimateOf(request, 2, uint64_t{1} << 40);
  EXPECT_EQ(wide.path_bytes, (2002u + 1u + 1u) * 16u);
  EXPECT_EQ(wide.window_blocks, 2u * 2u + 2u);  // 2 x threads + 2
  EXPECT_EQ(wide.response_bytes, 6u * 64u * wide.path_bytes);
  // A 4 MiB buffer holds a block of 64 such paths (2 MiB) twice.
  const SolveEstimate narrow = EstimateOf(request, 2, uint64_t{4} << 20);
  EXPECT_EQ(narrow.window_blocks, 2u);
  // A buffer smaller than one block still allows one.
  EXPECT_EQ(EstimateOf(request, 2, 1).window_blocks, 1u);
}

// ------------------------------------------------------------- loopback --

class AdmissionTest : public TwoCallersTest {};

TEST_F(AdmissionTest, BusyServerRefusesWithRetryInfo) {
  ServerOptions options = TestOptions(2);
  options.solver.admission.max_solves = 1;
  Start(options);
  BackgroundSolve long_solve(alice_, OuSolve(4096, 1e-5));
  ASSERT_TRUE(
      WaitFor([&] { return server().solver().admission().solves() == 1; }, milliseconds(5000)));
  const grpc::Status refused = Drain(bob_, OuSolve(1, 1e-2));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("server busy"), std::string::npos);
  EXPECT_NE(refused.error_message().find("max_concurrent_solves = 1"), std::string::npos)
      << refused.error_message();
  const auto retry = DetailOf<google::rpc::RetryInfo>(refused);
  ASSERT_TRUE(retry.has_value()) << "no RetryInfo detail";
  EXPECT_EQ(retry->retry_delay().seconds(), 1);
  EXPECT_FALSE(DetailOf<google::rpc::QuotaFailure>(refused).has_value());
  EXPECT_EQ(Rejections(server(), "max_concurrent_solves"), 1.0);
}

TEST_F(AdmissionTest, QueuedWorkIsBoundedByPathSteps) {
  ServerOptions options = TestOptions(2);
  // 4096 paths x 200 002 steps = 8.2e8 path-steps fit once, not twice.
  options.solver.admission.max_queued_path_steps = uint64_t{1} << 30;
  Start(options);
  BackgroundSolve long_solve(alice_, OuSolve(4096, 1e-5));
  ASSERT_TRUE(
      WaitFor([&] { return server().solver().admission().solves() == 1; }, milliseconds(5000)));
  EXPECT_GT(server().solver().admission().queued_path_steps(), uint64_t{1} << 29);
  // Few paths but much work (4e8 path-steps; 2.5e8 are left): refused by
  // work, not by a count.
  const grpc::Status busy = Drain(bob_, OuSolve(200, 1e-6));
  EXPECT_EQ(busy.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(busy.error_message().find("max_queued_path_steps = 1073741824"), std::string::npos)
      << busy.error_message();
  EXPECT_TRUE(DetailOf<google::rpc::RetryInfo>(busy).has_value());
  EXPECT_TRUE(Drain(bob_, OuSolve(64, 1e-3)).ok());  // small work still goes through

  // A solve larger than the whole budget is no matter of waiting: no RetryInfo.
  const grpc::Status alone = Drain(bob_, OuSolve(8192, 1e-6));
  EXPECT_EQ(alone.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(alone.error_message().find("even on an idle server"), std::string::npos)
      << alone.error_message();
  EXPECT_FALSE(DetailOf<google::rpc::RetryInfo>(alone).has_value());
}

TEST_F(AdmissionTest, StatisticsMemoryIsBoundedServerWide) {
  ServerOptions options = TestOptions(2);
  options.solver.admission.max_solve_memory_bytes = uint64_t{3} << 19;
  Start(options);
  // Quantiles keep every path's value at the save time: 100 000 paths x 9
  // bytes, 0.95 MB with the block moments; two do not fit in 1.5 MiB.
  v1::SolveRequest heavy = OuSolve(100000, 1e-3);
  BackgroundSolve first(alice_, heavy);
  ASSERT_TRUE(
      WaitFor([&] { return server().solver().admission().solves() == 1; }, milliseconds(5000)));
  EXPECT_GT(server().solver().admission().memory_bytes(), 900000u);
  const grpc::Status busy = Drain(bob_, heavy);
  EXPECT_EQ(busy.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(busy.error_message().find("max_solve_memory_bytes = 1572864"), std::string::npos)
      << busy.error_message();
  EXPECT_TRUE(DetailOf<google::rpc::RetryInfo>(busy).has_value());
  EXPECT_EQ(Rejections(server(), "max_solve_memory_bytes"), 1.0);
}

TEST_F(AdmissionTest, ASolveWhoseBlockOfPathsExceedsTheCallersBytesIsRefusedOutright) {
  ServerOptions options = TestOptions(2);
  options.callers.max_inflight_bytes = uint64_t{64} << 20;
  options.solver.admission.max_solve_memory_bytes = uint64_t{1} << 40;
  Start(options);
  // Every step saved: 2 million points of 16 bytes a path, 2 GB a block of 64.
  v1::SolveRequest request = OuSolve(64, 1e-6, v1::OUTPUT_PATHS);
  request.mutable_saveat()->set_steps(true);
  const grpc::Status refused = Drain(alice_, request);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("max_inflight_bytes_per_caller = 67108864 even with "
                                         "nothing else in flight"),
            std::string::npos)
      << refused.error_message();
  EXPECT_FALSE(DetailOf<google::rpc::RetryInfo>(refused).has_value());
  EXPECT_EQ(server().solver().admission().solves(), 0u);
}

TEST_F(AdmissionTest, ASolveWithoutDeadlineEndsAtTheServersLimit) {
  ServerOptions options = TestOptions(2);
  options.solver.run.max_solve_time = milliseconds(500);
  Start(options);
  const auto start = OverloadClock::now();
  const grpc::Status status = Drain(alice_, OuSolve(4096, 1e-5), milliseconds(0));
  const double took = std::chrono::duration<double>(OverloadClock::now() - start).count();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_NE(status.error_message().find("the server's limit max_solve_seconds = 0.5"),
            std::string::npos)
      << status.error_message();
  EXPECT_GE(took, 0.5);
  EXPECT_LT(took, 5.0);
  EXPECT_EQ(Rejections(server(), "max_solve_seconds"), 1.0);
  EXPECT_TRUE(
      WaitFor([&] { return server().solver().admission().solves() == 0; }, milliseconds(5000)));

  // A call whose own deadline comes first ends by that deadline, as gRPC's.
  const grpc::Status own = Drain(alice_, OuSolve(4096, 1e-5), milliseconds(200));
  EXPECT_EQ(own.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(own.error_message().find("max_solve_seconds"), std::string::npos)
      << own.error_message();
}

}  // namespace
}  // namespace pathwise::server
