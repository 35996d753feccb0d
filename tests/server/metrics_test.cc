// The Prometheus endpoint scraped over HTTP: calls counted by method and
// code, the types of the families, promtool's lint where installed.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "pathwise/v1/brownian.grpc.pb.h"
#include "tests/server/http_client.h"
#include "tests/server/running_server.h"
#include "tests/server/sample_calls.h"
#include "tests/util/prometheus_text.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using testing::Exposition;

TEST(MetricsTest, ScrapedOverHttpCountsCallsAndPassesPromtool) {
  ServerOptions options = TestOptions();
  options.metrics_listen = "127.0.0.1:0";
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  const int port = running->server->metrics_port();
  ASSERT_GT(port, 0);

  const v1::SampleRequest good =
      MakeRequest(1, 2, v1::LEVY_AREA_SPACE_TIME, {0.5, 1.0}, {{0.1, 0.9}}, 3);
  v1::SampleResponse response;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Call(*running->stub, good, &response).ok());
  v1::SampleRequest bad = good;
  bad.mutable_path()->set_dim(0);
  EXPECT_FALSE(Call(*running->stub, bad, &response).ok());
  {
    grpc::ClientContext context;
    auto stream = running->stub->SampleStream(&context);
    ASSERT_TRUE(stream->Write(good));
    ASSERT_TRUE(stream->Read(&response));
    stream->WritesDone();
    ASSERT_TRUE(stream->Finish().ok());
  }

  // Calls are counted when gRPC reports them done, just after the client
  // sees them: poll for a bounded time.
  Exposition metrics;
  std::string body;
  for (int attempt = 0; attempt < 200; ++attempt) {  // at most ~10 s
    const std::string http = HttpGet(port, "/metrics");
    ASSERT_NE(http.find(" 200 "), std::string::npos) << http.substr(0, 200);
    body = http.substr(http.find("\r\n\r\n") + 4);
    metrics = testing::ParsePrometheusText(body);
    // Every call's OnDone accounting has run (each may land after its client saw it).
    const bool settled =
        metrics.Get("pathwise_rpcs_total{code=\"OK\",method=\"Sample\"}") == 3 &&
        metrics.Get("pathwise_rpcs_total{code=\"INVALID_ARGUMENT\",method=\"Sample\"}") == 1 &&
        metrics.Get("pathwise_rpcs_total{code=\"OK\",method=\"SampleStream\"}") == 1 &&
        metrics.Get("pathwise_rpcs_in_flight{method=\"Sample\"}") == 0 &&
        metrics.Get("pathwise_inflight_response_bytes") == 0;
    if (settled) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(metrics.Get("pathwise_rpcs_total{code=\"OK\",method=\"Sample\"}"), 3);
  EXPECT_EQ(metrics.Get("pathwise_rpcs_total{code=\"INVALID_ARGUMENT\",method=\"Sample\"}"), 1);
  EXPECT_EQ(metrics.Get("pathwise_rpcs_total{code=\"OK\",method=\"SampleStream\"}"), 1);
  EXPECT_EQ(metrics.Get("pathwise_rpcs_total{code=\"INTERNAL\",method=\"Sample\"}"), 0);
  EXPECT_EQ(metrics.Get("pathwise_rpc_duration_seconds_count{method=\"Sample\"}"), 4);
  EXPECT_EQ(metrics.Get("pathwise_rpc_duration_seconds_count{method=\"SampleStream\"}"), 1);
  EXPECT_GT(metrics.Get("pathwise_rpc_duration_seconds_sum{method=\"Sample\"}"), 0);
  EXPECT_EQ(metrics.Get("pathwise_rpcs_in_flight{method=\"Sample\"}"), 0);
  EXPECT_EQ(metrics.Get("pathwise_stream_messages_total"), 1);
  // 4 answered requests of 3 paths * 3 queries.
  EXPECT_EQ(metrics.Get("pathwise_brownian_queries_total"), 4 * 9);
  EXPECT_GT(metrics.Get("pathwise_brownian_levels_descended_total"), 0);
  EXPECT_GE(metrics.Get("pathwise_brownian_levels_reused_total"), 0);
  const double ratio = metrics.Get("pathwise_brownian_cache_hit_ratio");
  EXPECT_GE(ratio, 0.0);
  EXPECT_LE(ratio, 1.0);
  EXPECT_GT(metrics.Get("process_resident_memory_bytes"), 1e6);
  EXPECT_GT(metrics.Get("process_cpu_seconds_total"), 0);
  EXPECT_EQ(metrics.Get("pathwise_serving"), 1);
  EXPECT_EQ(metrics.Get("pathwise_inflight_response_bytes"), 0);
  EXPECT_EQ(metrics.Get("pathwise_build_info{algorithm=\"vbt-philox-1\"}"), 1);
  EXPECT_EQ(metrics.types["pathwise_rpcs_total"], "counter");
  EXPECT_EQ(metrics.types["pathwise_rpc_duration_seconds"], "histogram");
  EXPECT_EQ(metrics.types["pathwise_rpcs_in_flight"], "gauge");

#ifdef PATHWISE_PROMTOOL
  const std::string file = ::testing::TempDir() + "/pathwise_metrics.txt";
  std::ofstream(file) << body;
  const std::string command = std::string(PATHWISE_PROMTOOL) + " check metrics < " + file + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string lint;
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) lint += buffer;
  EXPECT_EQ(pclose(pipe), 0) << "promtool check metrics:\n" << lint;
#else
  GTEST_SKIP() << "promtool not installed: lint skipped (scrape and parse checked)";
#endif
}

}  // namespace
}  // namespace pathwise::server
