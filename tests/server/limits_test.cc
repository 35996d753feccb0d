// Server limits (max dim, paths, queries, response bytes, message size,
// in-flight bytes): RESOURCE_EXHAUSTED naming the limit.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "pathwise/v1/brownian.grpc.pb.h"
#include "tests/server/running_server.h"
#include "tests/server/sample_calls.h"
#include "tests/server/wait_for.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerOptions options = TestOptions();
    options.limits.max_dim = 8;
    options.limits.max_paths = 10;
    options.limits.max_queries = 100;
    options.limits.max_response_bytes = 4096;
    running_ = StartServer(options).release();
  }
  static void TearDownTestSuite() {
    delete running_;
    running_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(running_, nullptr); }
  static grpc::Status Try(const v1::SampleRequest& request) {
    v1::SampleResponse response;
    return Call(*running_->stub, request, &response);
  }
  static Running* running_;
};
Running* LimitsTest::running_ = nullptr;

TEST_F(LimitsTest, AtTheLimitsIsFine) {
  // 8 * 8 * 8 values of 8 bytes = 4096 bytes.
  std::vector<double> times(8, 1.0);
  EXPECT_TRUE(Try(MakeRequest(1, 8, v1::LEVY_AREA_NONE, times, {}, 8)).ok());
}

TEST_F(LimitsTest, OverMaxDimIsResourceExhaustedNamingTheLimit) {
  const grpc::Status status = Try(MakeRequest(1, 9, v1::LEVY_AREA_NONE, {1.0}, {}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "path.dim: 9 exceeds the limit max_dim = 8");
}

TEST_F(LimitsTest, OverMaxPathsIsResourceExhaustedNamingTheLimit) {
  const grpc::Status status = Try(MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {}, 11));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "path_count: 11 exceeds the limit max_paths = 10");
}

TEST_F(LimitsTest, OverMaxQueriesIsResourceExhaustedNamingTheLimit) {
  std::vector<double> times(60, 1.0);
  std::vector<std::pair<double, double>> intervals(41, {0.0, 1.0});
  const grpc::Status status = Try(MakeRequest(1, 1, v1::LEVY_AREA_NONE, times, intervals));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("max_queries = 100"), std::string::npos)
      << status.error_message();
}

TEST_F(LimitsTest, OverMaxResponseBytesIsResourceExhaustedNamingTheLimit) {
  // 4 paths * 10 queries * 8 dims * 2 arrays * 8 bytes = 5120 > 4096.
  std::vector<double> times(10, 1.0);
  const grpc::Status status = Try(MakeRequest(1, 8, v1::LEVY_AREA_SPACE_TIME, times, {}, 4));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("max_response_bytes = 4096"), std::string::npos)
      << status.error_message();
}

TEST_F(LimitsTest, OversizedMessageIsResourceExhausted) {
  // Far more bytes than max_queries intervals can take: gRPC's own limit.
  std::vector<double> times(200000, 1.0);
  const grpc::Status status = Try(MakeRequest(1, 1, v1::LEVY_AREA_NONE, times, {}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
}

TEST_F(LimitsTest, StreamMessagesAreCheckedAgainstTheLimitsToo) {
  grpc::ClientContext context;
  auto stream = running_->stub->SampleStream(&context);
  ASSERT_TRUE(stream->Write(MakeRequest(1, 9, v1::LEVY_AREA_NONE, {1.0}, {})));
  v1::SampleResponse response;
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(InflightBytesTest, ACallThatWouldExceedMaxInflightBytesIsResourceExhausted) {
  ServerOptions options = TestOptions();
  options.limits.max_response_bytes = uint64_t{32} << 20;  // HeavyRequest: exactly 32 MiB
  options.limits.max_inflight_bytes = uint64_t{40} << 20;
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  const v1::SampleRequest heavy = HeavyRequest();
  grpc::ClientContext first_context;
  v1::SampleResponse first_response;
  std::promise<grpc::Status> first_done;
  running->stub->async()->Sample(&first_context, &heavy, &first_response,
                                 [&](grpc::Status s) { first_done.set_value(std::move(s)); });
  // Waits bounded by time, generously: under a sanitizer on a busy machine
  // the first call's response takes seconds to build.
  WaitFor([&] { return running->server->inflight_bytes() != 0; }, milliseconds(60000));
  ASSERT_EQ(running->server->inflight_bytes(), uint64_t{32} << 20);
  // A second heavy call does not fit; a small one does.
  v1::SampleResponse response;
  const grpc::Status second = Call(*running->stub, heavy, &response);
  EXPECT_EQ(second.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(second.error_message().find("max_inflight_bytes = 41943040"), std::string::npos)
      << second.error_message();
  EXPECT_TRUE(
      Call(*running->stub, MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {}), &response).ok());
  first_context.TryCancel();
  auto first = first_done.get_future();
  ASSERT_EQ(first.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  // Everything admitted is released once the calls are done.
  WaitFor([&] { return running->server->inflight_bytes() == 0; }, milliseconds(60000));
  EXPECT_EQ(running->server->inflight_bytes(), 0u);
}

}  // namespace
}  // namespace pathwise::server
