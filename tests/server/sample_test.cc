// Sample and SampleStream against pathwised in-process: answers equal the
// core's bit for bit, streaming in order, deadlines and cancellation.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <future>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "pathwise/v1/brownian.grpc.pb.h"
#include "server/evaluator.h"
#include "tests/server/sample_calls.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST_F(ServerTest, SampleEqualsCoreBitForBitForEveryLevyKind) {
  for (v1::LevyArea kind :
       {v1::LEVY_AREA_NONE, v1::LEVY_AREA_SPACE_TIME, v1::LEVY_AREA_SPACE_TIME_TIME}) {
    const v1::SampleRequest request =
        MakeRequest(42, 3, kind, {1.5, 0.25, 2.0, 0.0}, {{0.1, 0.2}, {0.3, 1.9}, {0.0, 2.0}}, 2);
    v1::SampleResponse response;
    const grpc::Status status = Call(stub(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.query_count(), 7u);
    EXPECT_EQ(response.w_size(), 2 * 7 * 3);
    EXPECT_EQ(response.h_size(), kind == v1::LEVY_AREA_NONE ? 0 : 2 * 7 * 3);
    EXPECT_EQ(response.k_size(), kind == v1::LEVY_AREA_SPACE_TIME_TIME ? 2 * 7 * 3 : 0);
    ExpectEqualsCore(response, request);
  }
}

TEST_F(ServerTest, OutOfOrderRepeatedAndOverlappingQueriesGiveTheSameBitsAsAlone) {
  const std::vector<std::pair<double, double>> intervals = {{1.0, 1.5}, {0.25, 0.5}, {1.0, 1.5},
                                                            {0.3, 1.7}, {0.4, 0.4},  {0.25, 0.5}};
  const v1::SampleRequest batch = MakeRequest(3, 2, v1::LEVY_AREA_SPACE_TIME, {}, intervals);
  v1::SampleResponse all;
  ASSERT_TRUE(Call(stub(), batch, &all).ok());
  ExpectEqualsCore(all, batch);
  for (size_t q = 0; q < intervals.size(); ++q) {
    const v1::SampleRequest one = MakeRequest(3, 2, v1::LEVY_AREA_SPACE_TIME, {}, {intervals[q]});
    v1::SampleResponse alone;
    ASSERT_TRUE(Call(stub(), one, &alone).ok());
    for (int j = 0; j < 2; ++j) {
      const int i = static_cast<int>(q) * 2 + j;
      EXPECT_EQ(std::memcmp(alone.w().data() + j, all.w().data() + i, sizeof(double)), 0)
          << "query " << q;
      EXPECT_EQ(std::memcmp(alone.h().data() + j, all.h().data() + i, sizeof(double)), 0)
          << "query " << q;
    }
  }
  // Repeats within one request are equal; a zero-length interval is zero.
  EXPECT_EQ(all.w(0), all.w(4));
  EXPECT_EQ(all.w(2), all.w(10));
  EXPECT_EQ(all.w(8), 0.0);
}

TEST_F(ServerTest, MultiPathBatchEqualsOneCallPerPath) {
  const std::vector<double> times = {0.5, 1.0, 2.0};
  const v1::SampleRequest batch = MakeRequest(11, 2, v1::LEVY_AREA_NONE, times, {}, 4, 100);
  v1::SampleResponse all;
  ASSERT_TRUE(Call(stub(), batch, &all).ok());
  ASSERT_EQ(all.path_count(), 4u);
  std::set<double> distinct;
  for (uint32_t p = 0; p < 4; ++p) {
    const v1::SampleRequest one = MakeRequest(11, 2, v1::LEVY_AREA_NONE, times, {}, 1, 100 + p);
    v1::SampleResponse single;
    ASSERT_TRUE(Call(stub(), one, &single).ok());
    for (int i = 0; i < 3 * 2; ++i) {
      EXPECT_EQ(single.w(i), all.w(static_cast<int>(p) * 6 + i)) << "path " << p;
    }
    distinct.insert(single.w(0));
  }
  EXPECT_EQ(distinct.size(), 4u) << "ensemble members must differ";
}

TEST_F(ServerTest, LargeBatchSplitAcrossWorkersEqualsCore) {
  std::vector<double> times;
  for (int i = 0; i < 500; ++i) times.push_back(2.0 * ((i * 37) % 500) / 500.0);
  const v1::SampleRequest request =
      MakeRequest(8, 4, v1::LEVY_AREA_SPACE_TIME_TIME, times, {{0.5, 1.5}}, 40);
  ASSERT_GT(uint64_t{40} * 501 * 4, Evaluator::kInlineValues * 4) << "must use the pool";
  v1::SampleResponse response;
  ASSERT_TRUE(Call(stub(), request, &response).ok());
  ExpectEqualsCore(response, request);
}

TEST_F(ServerTest, PathCountZeroMeansOnePathAndNoQueriesGiveAnEmptyAnswer) {
  v1::SampleRequest request = MakeRequest(1, 5, v1::LEVY_AREA_NONE, {1.0}, {}, 0);
  v1::SampleResponse response;
  ASSERT_TRUE(Call(stub(), request, &response).ok());
  EXPECT_EQ(response.path_count(), 1u);
  EXPECT_EQ(response.w_size(), 5);
  request.clear_times();
  ASSERT_TRUE(Call(stub(), request, &response).ok());
  EXPECT_EQ(response.query_count(), 0u);
  EXPECT_EQ(response.w_size(), 0);
  EXPECT_EQ(response.dim(), 5u);
}

TEST_F(ServerTest, StreamAnswersEachRequestInOrder) {
  grpc::ClientContext context;
  auto stream = stub().SampleStream(&context);
  std::vector<v1::SampleRequest> requests;
  for (int i = 0; i < 6; ++i) {
    // Alternate small (inline) and large (worker pool) requests.
    std::vector<double> times;
    const int n = i % 2 == 0 ? 3 : 3000;
    for (int j = 0; j < n; ++j) times.push_back(2.0 * (j + 1) / n);
    requests.push_back(
        MakeRequest(100 + i, 1 + i, static_cast<v1::LevyArea>(i % 3), times, {}, 1 + i % 3));
  }
  // Write two ahead, then one per response: responses must come back in order.
  size_t written = 0;
  for (; written < 2; ++written) ASSERT_TRUE(stream->Write(requests[written]));
  for (size_t read = 0; read < requests.size(); ++read) {
    v1::SampleResponse response;
    ASSERT_TRUE(stream->Read(&response)) << "response " << read;
    EXPECT_EQ(response.dim(), requests[read].path().dim());
    ExpectEqualsCore(response, requests[read]);
    if (written < requests.size()) {
      ASSERT_TRUE(stream->Write(requests[written++]));
    }
  }
  ASSERT_TRUE(stream->WritesDone());
  v1::SampleResponse extra;
  EXPECT_FALSE(stream->Read(&extra));
  const grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(ServerTest, StreamEndsWithTheErrorOfAnInvalidRequestAfterEarlierAnswers) {
  grpc::ClientContext context;
  auto stream = stub().SampleStream(&context);
  const v1::SampleRequest good = MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {});
  v1::SampleRequest bad = good;
  bad.set_times(0, 3.0);
  ASSERT_TRUE(stream->Write(good));
  v1::SampleResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ExpectEqualsCore(response, good);
  ASSERT_TRUE(stream->Write(bad));
  EXPECT_FALSE(stream->Read(&response));
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "times[0]: must lie within [t0, t1] = [0, 2]");
}

TEST_F(ServerTest, ShortDeadlineGivesDeadlineExceededAndTheServerCarriesOn) {
  v1::SampleResponse response;
  const auto begin = Clock::now();
  const grpc::Status status = Call(stub(), HeavyRequest(), &response, milliseconds(5));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_LT(Clock::now() - begin, std::chrono::seconds(5));
  const v1::SampleRequest small = MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {});
  ASSERT_TRUE(Call(stub(), small, &response).ok());
  ExpectEqualsCore(response, small);
}

TEST_F(ServerTest, ClientCancellationGivesCancelled) {
  grpc::ClientContext context;
  v1::SampleRequest request = HeavyRequest();
  v1::SampleResponse response;
  std::promise<grpc::Status> done;
  stub().async()->Sample(&context, &request, &response,
                         [&](grpc::Status s) { done.set_value(std::move(s)); });
  std::this_thread::sleep_for(milliseconds(10));
  context.TryCancel();
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(future.get().error_code(), grpc::StatusCode::CANCELLED);
  v1::SampleResponse after;
  EXPECT_TRUE(Call(stub(), MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {}), &after).ok());
}

TEST_F(ServerTest, StreamHonoursDeadlineAndCancellation) {
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + milliseconds(50));
    auto stream = stub().SampleStream(&context);
    ASSERT_TRUE(stream->Write(HeavyRequest()));
    v1::SampleResponse response;
    EXPECT_FALSE(stream->Read(&response));
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    auto stream = stub().SampleStream(&context);
    const v1::SampleRequest small = MakeRequest(2, 1, v1::LEVY_AREA_NONE, {1.0}, {});
    ASSERT_TRUE(stream->Write(small));
    v1::SampleResponse response;
    ASSERT_TRUE(stream->Read(&response));
    ASSERT_TRUE(stream->Write(HeavyRequest()));
    std::this_thread::sleep_for(milliseconds(10));
    context.TryCancel();
    EXPECT_FALSE(stream->Read(&response));
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  v1::SampleResponse after;
  EXPECT_TRUE(Call(stub(), MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {}), &after).ok());
}

}  // namespace
}  // namespace pathwise::server
