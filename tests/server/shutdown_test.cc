// Draining and graceful shutdown: health turns NOT_SERVING, new calls get
// UNAVAILABLE, in-flight calls finish within the grace, the rest is cancelled.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pathwise/v1/brownian.grpc.pb.h"
#include "tests/server/running_server.h"
#include "tests/server/sample_calls.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

grpc::health::v1::HealthCheckResponse::ServingStatus HealthOf(Running& running) {
  auto health = grpc::health::v1::Health::NewStub(running.channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("pathwise.v1.BrownianService");
  grpc::health::v1::HealthCheckResponse response;
  if (!health->Check(&context, request, &response).ok()) {
    return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

TEST(ShutdownTest, DrainingTurnsHealthNotServingAndRefusesNewCallsWithUnavailable) {
  auto running = StartServer(TestOptions());
  ASSERT_NE(running, nullptr);
  EXPECT_EQ(HealthOf(*running), grpc::health::v1::HealthCheckResponse::SERVING);
  running->server->SetDraining();
  EXPECT_EQ(HealthOf(*running), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  v1::SampleResponse response;
  const grpc::Status status =
      Call(*running->stub, MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  grpc::ClientContext context;
  auto stream = running->stub->SampleStream(&context);
  stream->Write(MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {}));
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(ShutdownTest, GracefulShutdownUnderLoadFinishesInFlightCalls) {
  ServerOptions options = TestOptions();
  // Long enough for every caller to send its next call and learn of the drain
  // even on a loaded machine (see ServerOptions::drain_settle).
  options.drain_settle = absl::Milliseconds(500);
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  // Medium requests (~0.3 M values) from four callers, until the server is gone.
  std::vector<double> times;
  for (int i = 0; i < 2000; ++i) times.push_back(2.0 * (i + 1) / 2000);
  const v1::SampleRequest medium = MakeRequest(4, 8, v1::LEVY_AREA_NONE, times, {}, 16);
  const size_t expected_values = size_t{16} * 2000 * 8;
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::map<grpc::StatusCode, int> codes;
  int incomplete = 0;
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      for (int i = 0; i < 10000 && !stop.load(); ++i) {
        v1::SampleResponse response;
        const grpc::Status status =
            Call(*running->stub, medium, &response, std::chrono::seconds(30));
        std::lock_guard<std::mutex> lock(mutex);
        ++codes[status.error_code()];
        if (status.ok() && static_cast<size_t>(response.w_size()) != expected_values) ++incomplete;
        if (status.error_code() == grpc::StatusCode::UNAVAILABLE) return;
      }
    });
  }
  // Wait for the load to run, then start one more call and drain at once.
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (codes[grpc::StatusCode::OK] >= 4) break;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  grpc::ClientContext last_context;
  v1::SampleResponse last_response;
  std::promise<grpc::Status> last_done;
  running->stub->async()->Sample(&last_context, &medium, &last_response,
                                 [&](grpc::Status s) { last_done.set_value(std::move(s)); });
  std::this_thread::sleep_for(milliseconds(2));
  const auto begin = Clock::now();
  running->server->Shutdown(absl::Seconds(10));
  const auto took = Clock::now() - begin;
  stop.store(true);
  for (std::thread& t : callers) t.join();

  EXPECT_LT(took, std::chrono::seconds(10)) << "in-flight calls should drain well within grace";
  auto last = last_done.get_future();
  ASSERT_EQ(last.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  const grpc::Status last_status = last.get();
  EXPECT_TRUE(last_status.ok() || last_status.error_code() == grpc::StatusCode::UNAVAILABLE)
      << last_status.error_code() << " " << last_status.error_message();
  if (last_status.ok()) {
    EXPECT_EQ(static_cast<size_t>(last_response.w_size()), expected_values);
  }
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_GE(codes[grpc::StatusCode::OK], 4);
  EXPECT_EQ(incomplete, 0);
  for (const auto& [code, count] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::UNAVAILABLE)
        << "unexpected code " << code << " x" << count;
  }
}

TEST(ShutdownTest, GraceRunsOutCancelsWhatIsLeft) {
  auto running = StartServer(TestOptions());
  ASSERT_NE(running, nullptr);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<v1::SampleResponse> responses(3);
  std::vector<std::promise<grpc::Status>> done(3);
  const v1::SampleRequest heavy = HeavyRequest();
  for (int i = 0; i < 3; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    running->stub->async()->Sample(contexts.back().get(), &heavy, &responses[i],
                                   [&done, i](grpc::Status s) { done[i].set_value(std::move(s)); });
  }
  std::this_thread::sleep_for(milliseconds(20));
  const auto begin = Clock::now();
  running->server->Shutdown(absl::Milliseconds(1));
  EXPECT_LT(Clock::now() - begin, std::chrono::seconds(5));
  for (auto& d : done) {
    auto f = d.get_future();
    ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    const grpc::StatusCode code = f.get().error_code();
    EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::CANCELLED ||
                code == grpc::StatusCode::UNAVAILABLE)
        << code;
  }
}

}  // namespace
}  // namespace pathwise::server
