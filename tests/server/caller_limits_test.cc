// Per-caller limits (server/caller_quota.h) and fairness between callers
// (server/worker_pool.h, solve slices in server/solve_run.h): one caller at
// its limit gets RESOURCE_EXHAUSTED with a google.rpc.QuotaFailure naming the
// limit while another goes through; a caller's minutes-long solves do not
// keep another caller's small calls waiting; yielding changes no bit.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "pathwise/v1/brownian.grpc.pb.h"
#include "server/caller_quota.h"
#include "tests/server/mcmc_requests.h"
#include "tests/server/overload_calls.h"
#include "tests/server/sample_calls.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// ------------------------------------------------------------- the caller --

TEST(QuotaCaller, IsTheTokenNameElseTheAddressWithoutItsPort) {
  EXPECT_EQ(QuotaCaller("alice", "ipv4:10.0.0.7:51234"), "alice");
  EXPECT_EQ(QuotaCaller("", "ipv4:10.0.0.7:51234"), "10.0.0.7");
  EXPECT_EQ(QuotaCaller("", "ipv4:10.0.0.7:40000"), "10.0.0.7");  // another connection
  EXPECT_EQ(QuotaCaller("", "ipv6:[::1]:51234"), "::1");
  EXPECT_EQ(QuotaCaller("", "ipv6:[2001:db8::2]:8"), "2001:db8::2");
  EXPECT_EQ(QuotaCaller("", "unix:/run/pathwise.sock"), "unix:/run/pathwise.sock");
}

// ------------------------------------------------------- the bookkeeping --

TEST(CallerQuota, CountsEachCallerOnItsOwnAndForgetsIdleCallers) {
  Metrics metrics;
  CallerQuota quota(CallerLimits{2, 100, 1000}, metrics);
  EXPECT_TRUE(quota.AdmitSolve("a", 60, 100).ok());
  EXPECT_TRUE(quota.AdmitSolve("a", 40, 100).ok());
  const absl::Status third = quota.AdmitSolve("a", 1, 0);
  EXPECT_EQ(third.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(third.message().find("max_concurrent_solves_per_caller = 2"), std::string::npos)
      << third.message();
  EXPECT_TRUE(third.GetPayload(kQuotaFailureTypeUrl).has_value());
  EXPECT_TRUE(quota.AdmitSolve("b", 100, 0).ok());  // another caller
  quota.SolveDone("a", 40, 100);
  const absl::Status paths = quota.AdmitSolve("a", 41, 0);  // 60 + 41 > 100
  EXPECT_NE(paths.message().find("max_queued_paths_per_caller = 100"), std::string::npos)
      << paths.message();
  quota.PathsDone("a", 60);
  EXPECT_TRUE(quota.ReserveBytes("a", 900).ok());  // 100 + 900
  const absl::Status bytes = quota.ReserveBytes("a", 1);
  EXPECT_NE(bytes.message().find("max_inflight_bytes_per_caller = 1000"), std::string::npos)
      << bytes.message();
  quota.ReleaseBytes("a", 900);
  quota.SolveDone("a", 0, 100);
  quota.SolveDone("b", 100, 0);
  EXPECT_EQ(quota.callers(), 0u);
}

// -------------------------------------------------------------- loopback --

class CallerLimitsTest : public TwoCallersTest {};

TEST_F(CallerLimitsTest, ACallerAtItsSolveLimitGetsQuotaFailureWhileAnotherGoesThrough) {
  ServerOptions options = TestOptions(2);
  options.callers.max_solves = 1;
  Start(options);
  BackgroundSolve long_solve(alice_, OuSolve(4096, 1e-5));
  ASSERT_TRUE(
      WaitFor([&] { return server().callers().usage("alice").solves == 1; }, milliseconds(5000)));

  const grpc::Status refused = Drain(alice_, OuSolve(1, 1e-2));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("max_concurrent_solves_per_caller = 1"), std::string::npos)
      << refused.error_message();
  const auto quota = DetailOf<google::rpc::QuotaFailure>(refused);
  ASSERT_TRUE(quota.has_value()) << "no QuotaFailure detail";
  ASSERT_EQ(quota->violations_size(), 1);
  EXPECT_EQ(quota->violations(0).subject(), "caller:alice");
  EXPECT_EQ(quota->violations(0).description(), "max_concurrent_solves_per_caller = 1");
  EXPECT_FALSE(DetailOf<google::rpc::RetryInfo>(refused).has_value());

  const grpc::Status bob = Drain(bob_, OuSolve(1, 1e-2));
  EXPECT_TRUE(bob.ok()) << bob.error_message();
}

// An Estimate and an MCMC run (McmcService.Sample) are each one solve of
// their caller (and of the server): refused with QuotaFailure while that
// caller is at its limit, while another's go through.
TEST_F(CallerLimitsTest, EstimatesAndMcmcRunsCountAsTheirCallersSolves) {
  ServerOptions options = TestOptions(2);
  options.callers.max_solves = 1;
  Start(options);
  BackgroundSolve long_solve(alice_, OuSolve(4096, 1e-5));
  ASSERT_TRUE(
      WaitFor([&] { return server().callers().usage("alice").solves == 1; }, milliseconds(5000)));

  for (const grpc::Status& refused :
       {DrainEstimate(alice_, QuickEstimate()), DrainMcmc(alice_, GaussianMcmcRequest())}) {
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(refused.error_message().find("max_concurrent_solves_per_caller = 1"),
              std::string::npos)
        << refused.error_message();
    EXPECT_TRUE(DetailOf<google::rpc::QuotaFailure>(refused).has_value());
  }
  EXPECT_EQ(server().mcmc().admission().runs(), 0u);  // the refused run holds nothing

  const grpc::Status estimate = DrainEstimate(bob_, QuickEstimate());
  EXPECT_TRUE(estimate.ok()) << estimate.error_message();
  const grpc::Status mcmc = DrainMcmc(bob_, GaussianMcmcRequest());
  EXPECT_TRUE(mcmc.ok()) << mcmc.error_message();
}

// A caller at max_concurrent_solves_per_caller = 1 that starts each call as
// soon as the last one's status arrives is never refused: a run gives its
// slot back before its status is sent, not when gRPC later destroys the call
// (a CI run of 2026-12-06 saw a sequential solve refused that way). So the
// slot is free the moment the status is in hand, with no waiting; repeated
// to catch a race that a single call could miss.
TEST_F(CallerLimitsTest, AnEndedCallsSlotIsFreeWhenItsStatusArrives) {
  ServerOptions options = TestOptions(2);
  options.callers.max_solves = 1;
  Start(options);
  for (int i = 0; i < 20; ++i) {
    const grpc::Status solve = Drain(alice_, OuSolve(2, 1e-2));
    ASSERT_TRUE(solve.ok()) << "solve " << i << ": " << solve.error_message();
    EXPECT_EQ(server().callers().usage("alice").solves, 0u) << "after solve " << i;
    EXPECT_EQ(server().solver().admission().solves(), 0u) << "after solve " << i;
  }
  for (int i = 0; i < 5; ++i) {
    const grpc::Status mcmc = DrainMcmc(alice_, GaussianMcmcRequest());
    ASSERT_TRUE(mcmc.ok()) << "MCMC run " << i << ": " << mcmc.error_message();
    EXPECT_EQ(server().callers().usage("alice").solves, 0u) << "after MCMC run " << i;
    EXPECT_EQ(server().mcmc().admission().runs(), 0u) << "after MCMC run " << i;
  }
  for (int i = 0; i < 5; ++i) {
    const grpc::Status estimate = DrainEstimate(alice_, QuickEstimate());
    ASSERT_TRUE(estimate.ok()) << "estimate " << i << ": " << estimate.error_message();
    EXPECT_EQ(server().callers().usage("alice").solves, 0u) << "after estimate " << i;
  }
}

// An MCMC run of `draws` draws per chain, with constant steps of `dt`: its
// estimated steps per chain are ceil((50 + draws) / dt) + one per interval
// (200 warm-up iterations and `draws` kept draws), mcmc::EstimateSamplerCost.
v1::McmcRequest ConstantStepMcmc(uint32_t chains, uint32_t draws, double dt) {
  v1::McmcRequest request = GaussianMcmcRequest();  // warm-up 50, thin_time 1
  request.set_num_chains(chains);
  request.set_num_draws(draws);
  request.mutable_step()->mutable_constant()->set_dt(dt);
  return request;
}

// An MCMC run's work (chains x steps per chain) counts against the server's
// path-step budget, shared with the solves: a run that alone exceeds it is
// refused without RetryInfo; while a run holds most of it, other callers'
// solves and runs are refused as busy (RetryInfo); the end gives it back.
TEST_F(CallerLimitsTest, AnMcmcRunsEstimatedWorkCountsAgainstTheServersBudget) {
  ServerOptions options = TestOptions(2);
  // 16 chains x 10^6 draws at dt = 0.25: 16 x (4 x 10^6 + 200 + 10^6 + 200)
  // = 8.0006400e7 path-steps; at dt = 0.125, 16 x 9000600 = 1.44e8.
  options.solver.admission.max_queued_path_steps = 100000000;
  Start(options);
  const uint64_t run_steps = 16 * (4000000 + 400 + 1000000);

  const grpc::Status alone = DrainMcmc(alice_, ConstantStepMcmc(16, 1000000, 0.125));
  EXPECT_EQ(alone.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(alone.error_message().find("num_chains 16 x about 9000600 steps per chain exceeds the "
                                       "limit max_queued_path_steps = 100000000"),
            std::string::npos)
      << alone.error_message();
  EXPECT_FALSE(DetailOf<google::rpc::RetryInfo>(alone).has_value());

  BackgroundSolve run(alice_, ConstantStepMcmc(16, 1000000, 0.25));
  ASSERT_TRUE(
      WaitFor([&] { return server().solver().admission().queued_path_steps() == run_steps; },
              milliseconds(5000)))
      << server().solver().admission().queued_path_steps();
  EXPECT_EQ(server().callers().usage("alice").solves, 1u);

  // 200 x 2 / 1e-5 = 4e7 path-steps: alone they fit, not beside the run.
  const grpc::Status solve = Drain(bob_, OuSolve(200, 1e-5));
  EXPECT_EQ(solve.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(solve.error_message().find("max_queued_path_steps"), std::string::npos)
      << solve.error_message();
  EXPECT_TRUE(DetailOf<google::rpc::RetryInfo>(solve).has_value());
  const grpc::Status second = DrainMcmc(bob_, ConstantStepMcmc(16, 1000000, 0.25));
  EXPECT_EQ(second.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(DetailOf<google::rpc::RetryInfo>(second).has_value()) << second.error_message();

  run.Cancel();
  EXPECT_TRUE(WaitFor(
      [&] {
        return server().solver().admission().solves() == 0 &&
               server().solver().admission().queued_path_steps() == 0 &&
               server().solver().admission().memory_bytes() == 0 &&
               server().callers().usage("alice").solves == 0;
      },
      milliseconds(10000)));
}

TEST_F(CallerLimitsTest, ACallersQueuedPathsAreBounded) {
  ServerOptions options = TestOptions(2);
  options.callers.max_queued_paths = 5000;
  Start(options);
  BackgroundSolve long_solve(alice_, OuSolve(4096, 1e-5));
  ASSERT_TRUE(
      WaitFor([&] { return server().callers().usage("alice").solves == 1; }, milliseconds(5000)));
  const grpc::Status refused = Drain(alice_, OuSolve(1000, 1e-2));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("max_queued_paths_per_caller = 5000"), std::string::npos)
      << refused.error_message();
  EXPECT_TRUE(DetailOf<google::rpc::QuotaFailure>(refused).has_value());
  EXPECT_TRUE(Drain(bob_, OuSolve(1000, 1e-2)).ok());
}

// 1024 intervals x 16 components x `paths`: 128 KiB of answer a path.
v1::SampleRequest KiBRequest(uint32_t paths) {
  std::vector<std::pair<double, double>> intervals;
  for (int i = 0; i < 1024; ++i) intervals.emplace_back(i / 1024.0, (i + 1) / 1024.0);
  return MakeRequest(7, 16, v1::LEVY_AREA_NONE, {}, intervals, paths);
}

TEST_F(CallerLimitsTest, UnreadStreamsOfOneCallerDoNotExhaustTheServersBytes) {
  ServerOptions options = TestOptions(2);
  options.limits.max_response_bytes = uint64_t{8} << 20;
  options.limits.max_inflight_bytes = uint64_t{64} << 20;
  options.callers.max_inflight_bytes = uint64_t{8} << 20;
  Start(options);
  // Alice asks for 5 MiB on a stream and never reads it: the answer cannot be
  // sent past the 64 KiB flow-control window, so its bytes stay reserved.
  auto stream_context = alice_.Context(seconds(30));
  auto alice_stub = v1::BrownianService::NewStub(alice_.channel);
  auto stream = alice_stub->SampleStream(stream_context.get());
  ASSERT_TRUE(stream->Write(KiBRequest(40)));
  ASSERT_TRUE(
      WaitFor([&] { return server().callers().usage("alice").inflight_bytes == uint64_t{5} << 20; },
              milliseconds(5000)));

  v1::SampleResponse response;
  auto context = alice_.Context(seconds(30));
  const grpc::Status refused = alice_stub->Sample(context.get(), KiBRequest(40), &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("max_inflight_bytes_per_caller = 8388608"),
            std::string::npos)
      << refused.error_message();
  const auto quota = DetailOf<google::rpc::QuotaFailure>(refused);
  ASSERT_TRUE(quota.has_value());
  EXPECT_EQ(quota->violations(0).subject(), "caller:alice");

  auto bob_context = bob_.Context(seconds(30));
  const grpc::Status bob = v1::BrownianService::NewStub(bob_.channel)
                               ->Sample(bob_context.get(), KiBRequest(40), &response);
  EXPECT_TRUE(bob.ok()) << bob.error_message();
  stream_context->TryCancel();
  stream->Finish().IgnoreError();
}

TEST(CallerLimitsNoTokens, OneAddressWithManyConnectionsIsOneCaller) {
  ServerOptions options = TestOptions(2);
  options.callers.max_solves = 1;
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  const Caller first{OwnChannel(running->server->port(), 1), ""};
  const Caller second{OwnChannel(running->server->port(), 2), ""};
  BackgroundSolve long_solve(first, OuSolve(4096, 1e-5));
  ASSERT_TRUE(WaitFor([&] { return running->server->callers().usage("127.0.0.1").solves == 1; },
                      milliseconds(5000)));
  const grpc::Status refused = Drain(second, OuSolve(1, 1e-2));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  const auto quota = DetailOf<google::rpc::QuotaFailure>(refused);
  ASSERT_TRUE(quota.has_value());
  EXPECT_EQ(quota->violations(0).subject(), "caller:127.0.0.1");
}

// ------------------------------------------------------------- fairness --

// Alice runs solves of minutes (blocks of 64 paths of 2 million steps, each
// block many seconds) on every worker; Bob's small Sample (16 384 values, on
// the pool) and 1-path Solve still finish within a bound: the solves yield
// their workers every slice and Bob's lane gets every other turn.
TEST_F(CallerLimitsTest, LongSolvesDoNotHoldUpAnotherCallersSmallCalls) {
  ServerOptions options = TestOptions(2);
  options.solver.run.slice = milliseconds(20);
  Start(options);
  std::vector<std::unique_ptr<BackgroundSolve>> long_solves;
  for (int i = 0; i < 4; ++i) {
    long_solves.push_back(std::make_unique<BackgroundSolve>(alice_, OuSolve(4096, 1e-6)));
  }
  ASSERT_TRUE(
      WaitFor([&] { return server().callers().usage("alice").solves == 4; }, milliseconds(5000)));
  std::this_thread::sleep_for(milliseconds(300));  // every worker deep in a block

  auto bob_stub = v1::BrownianService::NewStub(bob_.channel);
  for (int round = 0; round < 3; ++round) {
    const auto start = OverloadClock::now();
    v1::SampleResponse response;
    auto context = bob_.Context(seconds(30));
    const grpc::Status sample = bob_stub->Sample(
        context.get(), MakeRequest(1, 16, v1::LEVY_AREA_NONE, {}, {{0.0, 1.0}}, 1024), &response);
    const double sample_seconds =
        std::chrono::duration<double>(OverloadClock::now() - start).count();
    ASSERT_TRUE(sample.ok()) << sample.error_message();
    EXPECT_EQ(response.w_size(), 16384);
    EXPECT_LT(sample_seconds, 2.0) << "round " << round;

    const auto solve_start = OverloadClock::now();
    const grpc::Status solve = Drain(bob_, OuSolve(1, 1e-3), seconds(30));
    const double solve_seconds =
        std::chrono::duration<double>(OverloadClock::now() - solve_start).count();
    EXPECT_TRUE(solve.ok()) << solve.error_message();
    EXPECT_LT(solve_seconds, 2.0) << "round " << round;
  }
  EXPECT_EQ(server().callers().usage("alice").solves, 4u);  // still running
}

// The same solve on a server whose blocks yield every millisecond (paths of
// 10 000 steps, several milliseconds each: most paths are paused mid-way)
// and on one whose blocks never yield: every bit of the paths, the
// statistics and the block moments is equal.
TEST(SolveSlices, YieldingChangesNoBit) {
  v1::SolveRequest request = OuSolve(70, 2e-4, v1::OUTPUT_PATHS_AND_STATISTICS);
  request.mutable_saveat()->clear_ts();
  for (double t : {0.5, 1.0, 1.5}) request.mutable_saveat()->add_ts(t);
  request.set_block_moments(true);
  std::vector<v1::SolveResponse> got[2];
  for (int yielding = 0; yielding < 2; ++yielding) {
    ServerOptions options = TestOptions(2);
    options.solver.run.slice = yielding ? milliseconds(1) : milliseconds(0);
    auto running = StartServer(options);
    ASSERT_NE(running, nullptr);
    const Caller caller{running->channel, ""};
    const grpc::Status status = Drain(caller, request, seconds(60), &got[yielding]);
    ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  }
  auto without_timing = [](std::vector<v1::SolveResponse> events) {
    std::vector<std::string> out;
    for (v1::SolveResponse& e : events) {
      if (e.has_progress()) continue;  // timing-dependent
      if (e.has_summary()) e.mutable_summary()->clear_wall_seconds();
      std::string bytes;
      {
        // Deterministic: the summary's status_counts is a map.
        google::protobuf::io::StringOutputStream stream(&bytes);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        e.SerializeToCodedStream(&coded);
      }
      out.push_back(bytes);
    }
    return out;
  };
  const std::vector<std::string> whole = without_timing(got[0]);
  const std::vector<std::string> sliced = without_timing(got[1]);
  ASSERT_GE(whole.size(), 4u);  // paths, statistics, summary
  EXPECT_TRUE(whole == sliced);
}

}  // namespace
}  // namespace pathwise::server
