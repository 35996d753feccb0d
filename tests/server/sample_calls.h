// Sample calls against pathwised in-process: request builders, the core's
// answer to compare with bit for bit, the google.rpc.BadRequest of an error,
// and ServerTest, a default server shared by a test suite (its tests are
// spread over several files: one fixture type, so it lives here).
#ifndef PATHWISE_TESTS_SERVER_SAMPLE_CALLS_H_
#define PATHWISE_TESTS_SERVER_SAMPLE_CALLS_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include "core/brownian/batch.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pathwise/v1/brownian.grpc.pb.h"
#include "server/sample_request.h"
#include "tests/server/running_server.h"

namespace pathwise::server {

inline v1::SampleRequest MakeRequest(uint64_t seed, uint32_t dim, v1::LevyArea kind,
                                     std::vector<double> times,
                                     std::vector<std::pair<double, double>> intervals,
                                     uint32_t path_count = 1, uint64_t path_index = 0) {
  v1::SampleRequest request;
  v1::PathSpec* path = request.mutable_path();
  path->set_seed(seed);
  path->set_path_index(path_index);
  path->set_dim(dim);
  path->set_t0(0.0);
  path->set_t1(2.0);
  path->set_tol(0.0);
  path->set_levy_area(kind);
  request.set_path_count(path_count);
  for (double t : times) request.add_times(t);
  for (auto [s, t] : intervals) {
    v1::Interval* q = request.add_intervals();
    q->set_s(s);
    q->set_t(t);
  }
  return request;
}

// A request heavy enough (about 4 million values, 32 MiB) to still run when a
// short deadline or a cancellation arrives.
inline v1::SampleRequest HeavyRequest() {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 2.0);
  std::vector<std::pair<double, double>> intervals;
  for (int i = 0; i < 4096; ++i) {
    double s = u(rng), t = u(rng);
    intervals.emplace_back(std::min(s, t), std::max(s, t));
  }
  return MakeRequest(99, 32, v1::LEVY_AREA_NONE, {}, intervals, 32);
}

inline brownian::BatchResult CoreAnswer(const v1::SampleRequest& request) {
  auto result = brownian::SampleBatch(ToBatchRequest(request));
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : brownian::BatchResult{};
}

inline bool SameBits(const google::protobuf::RepeatedField<double>& a,
                     const std::vector<double>& b) {
  return static_cast<size_t>(a.size()) == b.size() &&
         (b.empty() || std::memcmp(a.data(), b.data(), b.size() * sizeof(double)) == 0);
}

inline void ExpectEqualsCore(const v1::SampleResponse& response, const v1::SampleRequest& request) {
  const brownian::BatchResult core = CoreAnswer(request);
  EXPECT_EQ(response.dim(), core.dim);
  EXPECT_EQ(response.path_count(), core.path_count);
  EXPECT_EQ(response.query_count(), core.query_count);
  EXPECT_EQ(response.algorithm(), "vbt-philox-1");
  EXPECT_TRUE(SameBits(response.w(), core.w)) << "w differs";
  EXPECT_TRUE(SameBits(response.h(), core.h)) << "h differs";
  EXPECT_TRUE(SameBits(response.k(), core.k)) << "k differs";
}

inline grpc::Status Call(v1::BrownianService::Stub& stub, const v1::SampleRequest& request,
                         v1::SampleResponse* response,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  return stub.Sample(&context, request, response);
}

inline google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::BadRequest bad;
  EXPECT_TRUE(details.ParseFromString(status.error_details())) << "no google.rpc.Status";
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(details.details_size(), 1);
  if (details.details_size() >= 1) {
    EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/google.rpc.BadRequest");
    EXPECT_TRUE(details.details(0).UnpackTo(&bad));
  }
  return bad;
}

// A default server shared by the suite's tests: started once, stopped after.
class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { running_ = StartServer(TestOptions()).release(); }
  static void TearDownTestSuite() {
    delete running_;
    running_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(running_, nullptr); }
  static v1::BrownianService::Stub& stub() { return *running_->stub; }
  static inline Running* running_ = nullptr;
};

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_SAMPLE_CALLS_H_
