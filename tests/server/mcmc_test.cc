// McmcService.Sample in-process on a free loopback port, through a real
// channel: a Gaussian target's means within 5 MCSE of the truth, the streamed
// draws against the diagnostics, event order, determinism bit for bit,
// invalid fields named in the BadRequest trailer, cancellation, deadlines,
// admission, a request with the breast-cancer table's 146 kB of data, health.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pathwise/v1/mcmc.grpc.pb.h"
#include "server/server.h"
#include "tests/server/mcmc_requests.h"
#include "tests/server/running_server.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

ServerOptions McmcTestOptions() {
  ServerOptions options = TestOptions(2);
  options.mcmc.run.progress_interval = milliseconds(100);
  return options;
}

struct Collected {
  grpc::Status status;
  std::vector<v1::McmcResponse> events;
};

Collected Collect(v1::McmcService::Stub& stub, const v1::McmcRequest& request,
                  grpc::ClientContext* context = nullptr) {
  grpc::ClientContext local;
  if (context == nullptr) context = &local;
  Collected out;
  auto reader = stub.Sample(context, request);
  v1::McmcResponse event;
  while (reader->Read(&event)) out.events.push_back(event);
  out.status = reader->Finish();
  return out;
}

// draws[chain] = the chain's positions [draw][dim], concatenated in stream order.
std::vector<std::vector<double>> DrawsOf(const Collected& c, uint32_t chains) {
  std::vector<std::vector<double>> draws(chains);
  for (const v1::McmcResponse& e : c.events) {
    if (!e.has_draws()) continue;
    std::vector<double>& chain = draws.at(e.draws().chain());
    EXPECT_EQ(e.draws().first_draw() * e.draws().dim(), chain.size());  // in order, no gap
    chain.insert(chain.end(), e.draws().x().begin(), e.draws().x().end());
  }
  return draws;
}

// A run of several seconds, long enough to be cancelled or time out in the middle.
v1::McmcRequest LongRequest() {
  v1::McmcRequest request = GaussianMcmcRequest();
  request.set_num_chains(16);
  request.set_num_draws(1000000);
  return request;
}

class McmcServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { running_ = StartServer(McmcTestOptions()).release(); }
  static void TearDownTestSuite() {
    delete running_;
    running_ = nullptr;
  }
  static Running* running_;
};
Running* McmcServiceTest::running_ = nullptr;

TEST_F(McmcServiceTest, GaussianMeansWithinFiveMcseOfTheTruth) {
  v1::McmcRequest request = GaussianMcmcRequest();
  request.set_return_draws(true);
  const Collected got = Collect(*running_->mcmc, request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();

  // Order: Progress and Draws, then McmcDiagnostics once, McmcSummary last.
  ASSERT_GE(got.events.size(), 3u);
  ASSERT_TRUE(got.events.back().has_summary());
  ASSERT_TRUE(got.events[got.events.size() - 2].has_diagnostics());
  for (size_t i = 0; i + 2 < got.events.size(); ++i) {
    EXPECT_TRUE(got.events[i].has_draws() || got.events[i].has_progress()) << i;
  }
  const v1::McmcDiagnostics& d = got.events[got.events.size() - 2].diagnostics();
  const v1::McmcSummary& s = got.events.back().summary();
  const uint32_t chains = request.num_chains(), draws = request.num_draws();
  EXPECT_EQ(s.num_chains(), chains);
  EXPECT_EQ(s.draws(), uint64_t{chains} * draws);
  EXPECT_EQ(s.unstable_chains(), 0u);
  EXPECT_GT(s.gradient_evaluations_warmup(), 0u);
  EXPECT_GT(s.gradient_evaluations_sampling(), 0u);
  EXPECT_GT(s.steps_accepted(), 0u);
  EXPECT_GT(s.step_size(), 0.0);
  EXPECT_EQ(s.inverse_mass_size(), 2);
  EXPECT_NE(s.algorithm().find("align"), std::string::npos) << s.algorithm();

  ASSERT_EQ(d.dim(), 2u);
  ASSERT_EQ(d.mean_size(), 2);
  ASSERT_EQ(d.rhat_size(), 2);
  const std::vector<std::vector<double>> x = DrawsOf(got, chains);
  for (int j = 0; j < 2; ++j) {
    // The CLT: the posterior mean estimate is within 5 of its standard
    // errors (the MCSE, from the bulk autocorrelation) of the truth.
    EXPECT_LT(std::abs(d.mean(j) - kGaussianMean[j]), 5 * d.mcse_mean(j))
        << "coordinate " << j << " mean " << d.mean(j) << " mcse " << d.mcse_mean(j);
    // For a Gaussian, sd's standard error is about sd / sqrt(2 ESS).
    EXPECT_LT(std::abs(d.sd(j) - kGaussianSd[j]), 5 * kGaussianSd[j] / std::sqrt(2 * d.ess_bulk(j)))
        << "coordinate " << j << " sd " << d.sd(j);
    EXPECT_LT(d.rhat(j), 1.05);
    EXPECT_GT(d.ess_bulk(j), 50.0);
    // The streamed draws are the ones summarized (summed in another order).
    double sum = 0.0;
    for (uint32_t c = 0; c < chains; ++c) {
      ASSERT_EQ(x[c].size(), size_t{draws} * 2) << "chain " << c;
      for (uint32_t n = 0; n < draws; ++n) sum += x[c][2 * n + j];
    }
    EXPECT_NEAR(sum / (chains * draws), d.mean(j), 1e-12 * (1 + std::abs(d.mean(j))));
  }
}

TEST_F(McmcServiceTest, SameRequestSameDrawsBitForBit) {
  v1::McmcRequest request = GaussianMcmcRequest();
  request.set_num_draws(50);
  request.set_return_draws(true);
  const Collected a = Collect(*running_->mcmc, request);
  const Collected b = Collect(*running_->mcmc, request);
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  ASSERT_TRUE(b.status.ok()) << b.status.error_message();
  const auto xa = DrawsOf(a, request.num_chains());
  const auto xb = DrawsOf(b, request.num_chains());
  for (uint32_t c = 0; c < request.num_chains(); ++c) {
    ASSERT_EQ(xa[c].size(), 100u);
    EXPECT_EQ(std::memcmp(xa[c].data(), xb[c].data(), xa[c].size() * sizeof(double)), 0) << c;
  }
  EXPECT_EQ(a.events.back().summary().inverse_mass(0), b.events.back().summary().inverse_mass(0));
  // Another seed, other draws.
  request.set_seed(request.seed() + 1);
  const auto xc = DrawsOf(Collect(*running_->mcmc, request), request.num_chains());
  EXPECT_NE(xa[0], xc[0]);
}

TEST_F(McmcServiceTest, InvalidFieldIsNamedInTheBadRequestTrailer) {
  v1::McmcRequest request = GaussianMcmcRequest();
  request.set_method(v1::EULER);
  const Collected got = Collect(*running_->mcmc, request);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(got.events.empty());
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(got.status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "method");
  EXPECT_NE(bad.field_violations(0).description().find("not a Langevin method"), std::string::npos);
}

// Found by fuzz/mcmc_request_fuzzer: a warm-up so short that the Brownian
// tree cannot resolve its iterations is refused by the sampler when it lays
// out the grid, after validation; the call must still end INVALID_ARGUMENT
// with a BadRequest violation (it ended with a bare status before).
TEST_F(McmcServiceTest, GridTooFineForTheTreeIsInvalidArgumentWithAViolation) {
  v1::McmcRequest request = GaussianMcmcRequest();
  request.set_warmup_time(3.7857651905393032e-270);
  const Collected got = Collect(*running_->mcmc, request);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << got.status.error_message();
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(got.status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_FALSE(bad.field_violations(0).field().empty());
}

TEST_F(McmcServiceTest, CancelStopsTheRunAndFreesItsAdmission) {
  grpc::ClientContext context;
  auto reader = running_->mcmc->Sample(&context, LongRequest());
  v1::McmcResponse event;
  const auto start = Clock::now();
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_TRUE(event.has_progress());  // the first event of a long run
  EXPECT_EQ(event.progress().num_paths(), 16u);
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_TRUE(event.has_progress());
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The chains stop within a step: the run's admission is released soon.
  while (running_->server->mcmc().admission().runs() > 0 &&
         Clock::now() - start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(running_->server->mcmc().admission().runs(), 0u);
}

TEST_F(McmcServiceTest, DeadlineIsDeadlineExceeded) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + milliseconds(300));
  const auto start = Clock::now();
  const Collected got = Collect(*running_->mcmc, LongRequest(), &context);
  EXPECT_EQ(got.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  while (running_->server->mcmc().admission().runs() > 0 &&
         Clock::now() - start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(running_->server->mcmc().admission().runs(), 0u);
}

TEST_F(McmcServiceTest, HealthServesTheMcmcService) {
  auto health = grpc::health::v1::Health::NewStub(running_->channel);
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(kMcmcServiceName);
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// The breast-cancer table's size (146 kB of doubles) is accepted even where
// BrownianService's own receive limit (from max_queries) is smaller.
TEST(McmcLargeDataTest, BreastCancerSizedDataIsAccepted) {
  ServerOptions options = McmcTestOptions();
  options.limits.max_queries = 100;  // BrownianLimits::MaxRequestBytes() = 66 kB
  std::unique_ptr<Running> running = StartServer(options);
  ASSERT_NE(running, nullptr);
  const v1::McmcRequest request = LargeDataMcmcRequest();
  ASSERT_GT(request.ByteSizeLong(), size_t{145000});
  ASSERT_GT(request.ByteSizeLong(), static_cast<size_t>(options.limits.MaxRequestBytes()));
  const Collected got = Collect(*running->mcmc, request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  ASSERT_TRUE(got.events.back().has_summary());
  EXPECT_EQ(got.events.back().summary().draws(), 16u);
  EXPECT_EQ(got.events[got.events.size() - 2].diagnostics().dim(), 31u);
}

TEST(McmcAdmissionTest, OneRunTooManyIsBusyNamingTheLimitWithRetryInfo) {
  ServerOptions options = McmcTestOptions();
  options.mcmc.admission.max_runs = 1;
  std::unique_ptr<Running> running = StartServer(options);
  ASSERT_NE(running, nullptr);
  grpc::ClientContext first;
  auto reader = running->mcmc->Sample(&first, LongRequest());
  v1::McmcResponse event;
  ASSERT_TRUE(reader->Read(&event));  // admitted and running
  const Collected second = Collect(*running->mcmc, GaussianMcmcRequest());
  EXPECT_EQ(second.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(second.status.error_message().find("max_concurrent_mcmc = 1"), std::string::npos)
      << second.status.error_message();
  // The server is busy: retry later (overload_status.h).
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(second.status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_TRUE(details.details(0).Is<google::rpc::RetryInfo>());
  first.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
}

}  // namespace
}  // namespace pathwise::server
