// Transport limits of pathwised (server/transport_options.h,
// server/metrics_endpoint.h), each observed on a real server on loopback: the
// receive limit covers the largest legal request and refuses one byte more;
// pings faster than allowed close the connection; idle and old connections
// are closed; streams per connection are capped; a half-open connection to
// the metrics port does not blind the scrapes. Also libprotobuf's log lines
// for a request with invalid UTF-8 go through spdlog, not to stderr.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pathwise/v1/brownian.grpc.pb.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "server/protobuf_log.h"
#include "server/transport_options.h"
#include "tests/server/http_client.h"
#include "tests/server/running_server.h"
#include "tests/server/sample_calls.h"

namespace pathwise::server {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A channel of its own (its own TCP connection: gRPC shares connections only
// between channels with equal arguments) with extra channel arguments.
std::shared_ptr<grpc::Channel> OwnChannel(const PathwiseServer& server,
                                          grpc::ChannelArguments args) {
  static int serial = 0;
  args.SetInt("pathwise.test_channel", ++serial);
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server.port()),
                                   grpc::InsecureChannelCredentials(), args);
}

std::chrono::system_clock::time_point In(std::chrono::milliseconds ms) {
  return std::chrono::system_clock::now() + ms;
}

TEST(TransportOptionsTest, DefaultReceiveLimitIsTheDocumentedArithmetic) {
  // docs/server.md: 2 x 8 x 2^20 + 2 x 8 x 4096 + 16 MiB + 4 MiB + 64 KiB.
  EXPECT_EQ(LargestRequestBytes(BrownianLimits{}, SolveLimits{}), 37879808u);
  EXPECT_EQ(ReceiveLimitBytes(TransportOptions{}, BrownianLimits{}, SolveLimits{}), 37879808);
  TransportOptions set;
  set.max_request_bytes = 1000;
  EXPECT_EQ(ReceiveLimitBytes(set, BrownianLimits{}, SolveLimits{}), 1000);
  // Many Sample queries: the Sample bound (20 bytes an interval) is the larger.
  BrownianLimits many;
  many.max_queries = uint64_t{1} << 22;
  EXPECT_EQ(LargestRequestBytes(many, SolveLimits{}), uint64_t{20} * (1 << 22) + (64 << 10));
}

TEST(TransportOptionsTest, OutOfRangeOptionsAreRefusedNamingTheField) {
  ServerOptions options = TestOptions();
  options.transport.min_ping_interval = absl::ZeroDuration();
  auto server = PathwiseServer::Start(options);
  ASSERT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(server.status().message().find("min_ping_interval"), std::string::npos);
  options = TestOptions();
  options.transport.max_connection_age_grace = absl::Hours(24 * 30);
  EXPECT_NE(PathwiseServer::Start(options).status().message().find("max_connection_age_grace"),
            std::string::npos);
  options = TestOptions();
  options.transport.max_concurrent_streams = 0;
  EXPECT_NE(PathwiseServer::Start(options).status().message().find("max_concurrent_streams"),
            std::string::npos);
  options = TestOptions();
  options.metrics_listen = "127.0.0.1:0";
  options.metrics_endpoint.threads = 0;
  EXPECT_NE(PathwiseServer::Start(options).status().message().find("metrics_threads"),
            std::string::npos);
}

// The largest legal SolveRequest under the default limits: every list at
// its limit (saveat.ts, step_to.ts, y0) and potential data and model text at
// their budgets. Left without a method, so validation refuses it quickly.
v1::SolveRequest LargestLegalRequest() {
  const SolveLimits limits;
  v1::SolveRequest r;
  r.set_t0(0.0);
  r.set_t1(1.0);
  for (uint64_t i = 0; i < limits.max_times; ++i) {
    const double t = static_cast<double>(i + 1) / static_cast<double>(limits.max_times);
    r.mutable_saveat()->add_ts(t);
    r.mutable_step()->mutable_step_to()->add_ts(t);
  }
  for (uint32_t i = 0; i < limits.max_state_dim; ++i) r.add_y0(0.5);
  v1::LangevinModel* langevin = r.mutable_model()->mutable_langevin();
  langevin->set_gamma(1.0);
  langevin->set_u(1.0);
  v1::BuiltinPotential* potential = langevin->mutable_builtin();
  potential->set_name(std::string(kModelTextBytes, 'n'));
  potential->set_data_cols(31);
  for (uint64_t i = 0; i < kPotentialDataBytes / 8; ++i) potential->add_data(1.0);
  return r;
}

grpc::Status Solve(v1::SolverService::Stub& stub, const v1::SolveRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(In(std::chrono::seconds(60)));
  auto reader = stub.Solve(&context, request);
  v1::SolveResponse response;
  while (reader->Read(&response)) {
  }
  return reader->Finish();
}

TEST(TransportTest, TheLargestLegalRequestIsReadAndOneByteMoreIsRefused) {
  auto running = StartServer(TestOptions());
  ASSERT_NE(running, nullptr);
  v1::SolveRequest request = LargestLegalRequest();
  const size_t size = request.ByteSizeLong();
  ASSERT_LE(size, static_cast<size_t>(running->server->max_request_bytes()));
  // Read and validated: the server's own error, naming the missing method.
  grpc::Status status = Solve(*running->solver, request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("method"), std::string::npos) << status.error_message();

  // Padded (potential name) to one byte over the limit: gRPC refuses it unread.
  const size_t over = static_cast<size_t>(running->server->max_request_bytes()) + 1 - size;
  v1::BuiltinPotential* potential = request.mutable_model()->mutable_langevin()->mutable_builtin();
  potential->set_name(potential->name() + std::string(over, 'n'));
  // The name's length prefix may grow by a byte; trim back to exactly limit + 1.
  while (request.ByteSizeLong() > static_cast<size_t>(running->server->max_request_bytes()) + 1) {
    potential->mutable_name()->pop_back();
  }
  ASSERT_EQ(request.ByteSizeLong(), static_cast<size_t>(running->server->max_request_bytes()) + 1);
  status = Solve(*running->solver, request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
}

// An idle SampleStream: the call stays in flight while nothing is sent.
struct IdleStream {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<v1::SampleRequest, v1::SampleResponse>> stream;

  IdleStream(v1::BrownianService::Stub& stub, std::chrono::milliseconds deadline) {
    context.set_deadline(In(deadline));
    stream = stub.SampleStream(&context);
  }
  // Waits for the stream's end (the read fails) and returns its status.
  grpc::Status Finish() {
    v1::SampleResponse response;
    while (stream->Read(&response)) {
    }
    return stream->Finish();
  }
};

TEST(TransportTest, PingsFasterThanAllowedCloseTheConnectionWithTooManyPings) {
  auto running = StartServer(TestOptions());  // 10 s between pings, 2 strikes
  ASSERT_NE(running, nullptr);
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 100);  // gRPC sends at most one a second
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  auto channel = OwnChannel(*running->server, args);
  auto stub = v1::BrownianService::NewStub(channel);
  const auto start = Clock::now();
  IdleStream idle(*stub, std::chrono::seconds(30));
  const grpc::Status status = idle.Finish();
  // The pings after the first within 10 s are strikes; the third strike is
  // GOAWAY ENHANCE_YOUR_CALM "too_many_pings", which gRPC reports so.
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("Too many pings"), std::string::npos)
      << status.error_message();
  EXPECT_LT(SecondsSince(start), 20.0);
}

TEST(TransportTest, PingsAtTheAllowedRateKeepTheConnection) {
  ServerOptions options = TestOptions();
  options.transport.min_ping_interval = absl::Milliseconds(500);
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 1000);  // twice the allowed interval
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  auto stub = v1::BrownianService::NewStub(OwnChannel(*running->server, args));
  IdleStream idle(*stub, std::chrono::seconds(6));
  // Five pings or so, and the stream lives until its deadline.
  EXPECT_EQ(idle.Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST(TransportTest, IdleConnectionsAreClosed) {
  ServerOptions options = TestOptions();
  options.transport.max_connection_idle = absl::Milliseconds(300);
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  auto channel = OwnChannel(*running->server, grpc::ChannelArguments());
  auto stub = v1::BrownianService::NewStub(channel);
  v1::SampleResponse response;
  ASSERT_TRUE(Call(*stub, MakeRequest(1, 1, v1::LEVY_AREA_NONE, {0.5}, {}), &response).ok());
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  // The server's GOAWAY takes the channel back to IDLE.
  const auto start = Clock::now();
  while (channel->GetState(false) == GRPC_CHANNEL_READY && SecondsSince(start) < 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(channel->GetState(false), GRPC_CHANNEL_IDLE);
  EXPECT_LT(SecondsSince(start), 5.0);
  // And the next call simply reconnects.
  EXPECT_TRUE(Call(*stub, MakeRequest(1, 1, v1::LEVY_AREA_NONE, {0.5}, {}), &response).ok());
}

TEST(TransportTest, OldConnectionsAreClosedAfterTheGrace) {
  ServerOptions options = TestOptions();
  options.transport.max_connection_age = absl::Milliseconds(300);
  options.transport.max_connection_age_grace = absl::Milliseconds(300);
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  auto stub = v1::BrownianService::NewStub(OwnChannel(*running->server, grpc::ChannelArguments()));
  const auto start = Clock::now();
  IdleStream idle(*stub, std::chrono::seconds(30));
  const grpc::Status status = idle.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_LT(SecondsSince(start), 10.0);
}

TEST(TransportTest, StreamsPerConnectionAreCapped) {
  ServerOptions options = TestOptions();
  options.transport.max_concurrent_streams = 1;
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  auto channel = OwnChannel(*running->server, grpc::ChannelArguments());
  auto stub = v1::BrownianService::NewStub(channel);
  v1::SampleResponse response;
  const v1::SampleRequest request = MakeRequest(1, 1, v1::LEVY_AREA_NONE, {0.5}, {});
  ASSERT_TRUE(Call(*stub, request, &response).ok());  // connected
  {
    IdleStream idle(*stub, std::chrono::seconds(30));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the stream is open
    // A second call on the same connection waits for the first to end.
    grpc::ClientContext context;
    context.set_deadline(In(std::chrono::milliseconds(500)));
    EXPECT_EQ(stub->Sample(&context, request, &response).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
    idle.context.TryCancel();
    idle.Finish();
  }
  EXPECT_TRUE(Call(*stub, request, &response).ok());
}

// Sends the first half of a request line and nothing more.
int HalfOpenRequest(int port) {
  const int fd = ConnectLoopback(port);
  const std::string half = "GET /metr";
  if (fd >= 0) {
    EXPECT_EQ(write(fd, half.data(), half.size()), static_cast<ssize_t>(half.size()));
  }
  return fd;
}

TEST(MetricsEndpointTest, AHalfOpenConnectionDoesNotBlindTheScrapes) {
  ServerOptions options = TestOptions();
  options.metrics_listen = "127.0.0.1:0";
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  const int port = running->server->metrics_port();
  const int stalled = HalfOpenRequest(port);
  ASSERT_GE(stalled, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // it holds a worker now
  const auto start = Clock::now();
  const std::string scrape = HttpGet(port, "/metrics");
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_NE(scrape.find("pathwise_serving 1"), std::string::npos) << scrape.substr(0, 200);
  close(stalled);
}

TEST(MetricsEndpointTest, StalledConnectionsAreDroppedAfterTheRequestTimeout) {
  ServerOptions options = TestOptions();
  options.metrics_listen = "127.0.0.1:0";
  options.metrics_endpoint.threads = 2;
  options.metrics_endpoint.request_timeout = absl::Milliseconds(500);
  auto running = StartServer(options);
  ASSERT_NE(running, nullptr);
  const int port = running->server->metrics_port();
  // As many stalled connections as workers: the scrape waits for a timeout.
  std::vector<int> stalled;
  for (int i = 0; i < options.metrics_endpoint.threads; ++i) {
    stalled.push_back(HalfOpenRequest(port));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = Clock::now();
  const std::string scrape = HttpGet(port, "/metrics");
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_NE(scrape.find("pathwise_serving 1"), std::string::npos) << scrape.substr(0, 200);
  for (int fd : stalled) close(fd);
}

// A Solve whose expression state name is not UTF-8, as raw bytes:
// SolveRequest.model (1) { Model.expression (2) { ExpressionModel.state (1): "\xff" } }.
grpc::Status SolveWithInvalidUtf8(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::GenericStub generic(channel);
  grpc::ClientContext context;
  context.set_deadline(In(std::chrono::seconds(10)));
  const std::string bytes("\x0a\x05\x12\x03\x0a\x01\xff", 7);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, "/pathwise.v1.SolverService/Solve", grpc::StubOptions(), &request,
                    &response, [&](grpc::Status s) { done.set_value(s); });
  return done.get_future().get();
}

TEST(ProtobufLogTest, InvalidUtf8IsLoggedThroughSpdlogAtDebugOnly) {
  auto running = StartServer(TestOptions());
  ASSERT_NE(running, nullptr);
  std::ostringstream logged;
  auto previous_logger = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "transport_test", std::make_shared<spdlog::sinks::ostream_sink_mt>(logged));
  spdlog::set_default_logger(logger);
  RouteProtobufLogsToSpdlog();

  // At info: nothing on stderr (libprotobuf's own handler prints an ERROR
  // line there), nothing logged.
  spdlog::set_level(spdlog::level::info);
  testing::internal::CaptureStderr();
  grpc::Status status = SolveWithInvalidUtf8(running->channel);
  const std::string stderr_text = testing::internal::GetCapturedStderr();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(stderr_text.find("UTF-8"), std::string::npos) << stderr_text;
  EXPECT_EQ(logged.str().find("UTF-8"), std::string::npos) << logged.str();

  // At debug: one logfmt line.
  spdlog::set_level(spdlog::level::debug);
  status = SolveWithInvalidUtf8(running->channel);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  logger->flush();
  EXPECT_NE(logged.str().find("[debug] event=protobuf_log"), std::string::npos) << logged.str();
  EXPECT_NE(logged.str().find("invalid UTF-8 data when parsing"), std::string::npos);

  spdlog::set_level(spdlog::level::info);
  spdlog::set_default_logger(previous_logger);
}

TEST(ProtobufLogTest, LevelsSayWhoseProblemItIs) {
  EXPECT_EQ(ProtobufLogLevel(google::protobuf::LOGLEVEL_ERROR,
                             "String field 'a.B.c' contains invalid UTF-8 data when parsing a "
                             "protocol buffer."),
            spdlog::level::debug);
  EXPECT_EQ(ProtobufLogLevel(google::protobuf::LOGLEVEL_ERROR,
                             "String field 'a.B.c' contains invalid UTF-8 data when serializing a "
                             "protocol buffer."),
            spdlog::level::err);
  EXPECT_EQ(ProtobufLogLevel(google::protobuf::LOGLEVEL_WARNING, "x"), spdlog::level::warn);
}

}  // namespace
}  // namespace pathwise::server
