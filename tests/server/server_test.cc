// pathwised in-process on a free loopback port, called through real channels:
// answers equal the core's bit for bit, streaming, validation and limits,
// deadlines and cancellation, health, reflection, metrics, graceful shutdown.
#include "server/server.h"

#include <arpa/inet.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/brownian/batch.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pathwise/v1/brownian.grpc.pb.h"
#include "server/evaluator.h"
#include "server/metrics.h"
#include "server/sample_request.h"
#include "src/proto/grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/server/running_server.h"

namespace pathwise::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------- helpers --

v1::SampleRequest MakeRequest(uint64_t seed, uint32_t dim, v1::LevyArea kind,
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
v1::SampleRequest HeavyRequest() {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 2.0);
  std::vector<std::pair<double, double>> intervals;
  for (int i = 0; i < 4096; ++i) {
    double s = u(rng), t = u(rng);
    intervals.emplace_back(std::min(s, t), std::max(s, t));
  }
  return MakeRequest(99, 32, v1::LEVY_AREA_NONE, {}, intervals, 32);
}

brownian::BatchResult CoreAnswer(const v1::SampleRequest& request) {
  auto result = brownian::SampleBatch(ToBatchRequest(request));
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : brownian::BatchResult{};
}

bool SameBits(const google::protobuf::RepeatedField<double>& a, const std::vector<double>& b) {
  return static_cast<size_t>(a.size()) == b.size() &&
         (b.empty() || std::memcmp(a.data(), b.data(), b.size() * sizeof(double)) == 0);
}

void ExpectEqualsCore(const v1::SampleResponse& response, const v1::SampleRequest& request) {
  const brownian::BatchResult core = CoreAnswer(request);
  EXPECT_EQ(response.dim(), core.dim);
  EXPECT_EQ(response.path_count(), core.path_count);
  EXPECT_EQ(response.query_count(), core.query_count);
  EXPECT_EQ(response.algorithm(), "vbt-philox-1");
  EXPECT_TRUE(SameBits(response.w(), core.w)) << "w differs";
  EXPECT_TRUE(SameBits(response.h(), core.h)) << "h differs";
  EXPECT_TRUE(SameBits(response.k(), core.k)) << "k differs";
}

grpc::Status Call(v1::BrownianService::Stub& stub, const v1::SampleRequest& request,
                  v1::SampleResponse* response,
                  std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  return stub.Sample(&context, request, response);
}

google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
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

// ------------------------------------------------- a shared default server --

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { running_ = StartServer(TestOptions()).release(); }
  static void TearDownTestSuite() {
    delete running_;
    running_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(running_, nullptr); }
  static v1::BrownianService::Stub& stub() { return *running_->stub; }
  static Running* running_;
};
Running* ServerTest::running_ = nullptr;

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

struct InvalidCase {
  const char* name;
  void (*mutate)(v1::SampleRequest&);
  const char* field;  // expected first violation
};

const InvalidCase kInvalidCases[] = {
    {"dim zero", [](v1::SampleRequest& r) { r.mutable_path()->set_dim(0); }, "path.dim"},
    {"t0 nan", [](v1::SampleRequest& r) { r.mutable_path()->set_t0(std::nan("")); }, "path.t0"},
    {"t1 inf",
     [](v1::SampleRequest& r) {
       r.mutable_path()->set_t1(std::numeric_limits<double>::infinity());
     },
     "path.t1"},
    {"t1 before t0", [](v1::SampleRequest& r) { r.mutable_path()->set_t1(-1.0); }, "path.t1"},
    {"t1 equals t0", [](v1::SampleRequest& r) { r.mutable_path()->set_t1(0.0); }, "path.t1"},
    {"span overflows",
     [](v1::SampleRequest& r) {
       r.mutable_path()->set_t0(-1.7e308);
       r.mutable_path()->set_t1(1.7e308);
     },
     "path.t1"},
    {"tol negative", [](v1::SampleRequest& r) { r.mutable_path()->set_tol(-0.5); }, "path.tol"},
    {"tol nan", [](v1::SampleRequest& r) { r.mutable_path()->set_tol(std::nan("")); }, "path.tol"},
    {"tol above span", [](v1::SampleRequest& r) { r.mutable_path()->set_tol(2.5); }, "path.tol"},
    {"tol below 2^-52 span", [](v1::SampleRequest& r) { r.mutable_path()->set_tol(1e-300); },
     "path.tol"},
    {"levy_area unknown",
     [](v1::SampleRequest& r) { r.mutable_path()->set_levy_area(static_cast<v1::LevyArea>(7)); },
     "path.levy_area"},
    {"time above t1", [](v1::SampleRequest& r) { r.set_times(1, 2.5); }, "times[1]"},
    {"time below t0", [](v1::SampleRequest& r) { r.set_times(0, -0.1); }, "times[0]"},
    {"time nan", [](v1::SampleRequest& r) { r.set_times(1, std::nan("")); }, "times[1]"},
    {"interval reversed",
     [](v1::SampleRequest& r) {
       r.mutable_intervals(0)->set_s(1.0);
       r.mutable_intervals(0)->set_t(0.5);
     },
     "intervals[0]"},
    {"interval outside", [](v1::SampleRequest& r) { r.mutable_intervals(1)->set_t(9.0); },
     "intervals[1]"},
    {"interval inf",
     [](v1::SampleRequest& r) {
       r.mutable_intervals(1)->set_s(-std::numeric_limits<double>::infinity());
     },
     "intervals[1]"},
    // Found fuzzing the wire (issue 14): K was NaN for such a short query.
    {"interval too short for Lévy areas",
     [](v1::SampleRequest& r) {
       r.mutable_intervals(0)->set_s(1.63041663127611e-322);
       r.mutable_intervals(0)->set_t(2.5865632706146828e-231);
     },
     "intervals[0]"},
    {"time too short for Lévy areas", [](v1::SampleRequest& r) { r.set_times(0, 1e-300); },
     "times[0]"},
    {"path_index overflow",
     [](v1::SampleRequest& r) {
       r.mutable_path()->set_path_index(UINT64_MAX - 1);
       r.set_path_count(3);
     },
     "path_count"},
};

TEST_F(ServerTest, EveryInvalidFieldIsInvalidArgumentNamingItWithBadRequestDetails) {
  for (const InvalidCase& c : kInvalidCases) {
    SCOPED_TRACE(c.name);
    v1::SampleRequest request =
        MakeRequest(1, 2, v1::LEVY_AREA_SPACE_TIME, {0.5, 1.0}, {{0.1, 0.2}, {0.3, 0.4}});
    c.mutate(request);
    v1::SampleResponse response;
    const grpc::Status status = Call(stub(), request, &response);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_EQ(status.error_message().rfind(std::string(c.field) + ": ", 0), 0u)
        << status.error_message();
    const google::rpc::BadRequest bad = BadRequestOf(status);
    ASSERT_EQ(bad.field_violations_size(), 1);
    EXPECT_EQ(bad.field_violations(0).field(), c.field);
    EXPECT_FALSE(bad.field_violations(0).description().empty());
  }
}

TEST_F(ServerTest, TolMessageStatesTheRule) {
  v1::SampleRequest request = MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {});
  request.mutable_path()->set_tol(-1.0);
  v1::SampleResponse response;
  const grpc::Status status = Call(stub(), request, &response);
  EXPECT_EQ(status.error_message(),
            "path.tol: must be > 0 and <= t1 - t0 = 2, or 0 for the default");
}

TEST_F(ServerTest, EachBadQueryGetsItsOwnViolation) {
  v1::SampleRequest request =
      MakeRequest(1, 1, v1::LEVY_AREA_NONE, {0.5, 5.0, 1.0, -1.0}, {{0.3, 0.2}, {0.1, 0.2}});
  v1::SampleResponse response;
  const grpc::Status status = Call(stub(), request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const google::rpc::BadRequest bad = BadRequestOf(status);
  ASSERT_EQ(bad.field_violations_size(), 3);
  EXPECT_EQ(bad.field_violations(0).field(), "times[1]");
  EXPECT_EQ(bad.field_violations(1).field(), "times[3]");
  EXPECT_EQ(bad.field_violations(2).field(), "intervals[0]");
  EXPECT_EQ(status.error_message(),
            "times[1]: must lie within [t0, t1] = [0, 2]; times[3]: must lie within [t0, t1] = "
            "[0, 2]; intervals[0]: needs s <= t");
}

TEST_F(ServerTest, BytesThatAreNotASampleRequestAreInvalidArgument) {
  grpc::GenericStub generic(running_->channel);
  for (const std::string& bytes : {std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11),
                                   std::string("\x0a\x7f", 2), std::string("\x22\x05\x01", 3)}) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::ClientContext context;
    std::promise<grpc::Status> done;
    generic.UnaryCall(&context, "/pathwise.v1.BrownianService/Sample", grpc::StubOptions(),
                      &request, &response, [&](grpc::Status s) { done.set_value(s); });
    const grpc::Status status = done.get_future().get();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  }
  // The server is still fine.
  v1::SampleResponse response;
  EXPECT_TRUE(Call(stub(), MakeRequest(1, 1, v1::LEVY_AREA_NONE, {1.0}, {}), &response).ok());
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

TEST_F(ServerTest, HealthIsServingOverallAndPerService) {
  auto health = grpc::health::v1::Health::NewStub(running_->channel);
  for (const char* service : {"", "pathwise.v1.BrownianService"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health->Check(&context, request, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("no.such.Service");
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_EQ(health->Check(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerTest, ReflectionListsTheServicesAndDescribesBrownianService) {
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(running_->channel);
  grpc::ClientContext context;
  auto stream = reflection->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  ASSERT_TRUE(stream->Write(request));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::set<std::string> names;
  for (const auto& s : response.list_services_response().service()) names.insert(s.name());
  EXPECT_TRUE(names.count("pathwise.v1.BrownianService"));
  EXPECT_TRUE(names.count("grpc.health.v1.Health"));
  EXPECT_TRUE(names.count("grpc.reflection.v1alpha.ServerReflection"));

  request.set_file_containing_symbol("pathwise.v1.BrownianService");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_file_descriptor_response()) << response.DebugString();
  std::set<std::string> files;
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.insert(file.name());
  }
  EXPECT_TRUE(files.count("pathwise/v1/brownian.proto"));
  EXPECT_TRUE(files.count("pathwise/v1/common.proto"));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

// ------------------------------------------------------------- limits ------

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
  for (int i = 0; i < 2000 && running->server->inflight_bytes() == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(1));
  }
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
  for (int i = 0; i < 2000 && running->server->inflight_bytes() != 0; ++i) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_EQ(running->server->inflight_bytes(), 0u);
}

// ------------------------------------------------------------- metrics -----

std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[8192];
      for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) out.append(buffer, n);
    }
  }
  close(fd);
  return out;
}

// Samples of a Prometheus text exposition: "name{a="x",b="y"}" -> value,
// labels sorted by name; and the declared TYPE of each family.
struct Exposition {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
  double Get(const std::string& key) const {
    auto it = samples.find(key);
    return it == samples.end() ? std::nan("") : it->second;
  }
};

Exposition Parse(const std::string& body) {
  Exposition out;
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      out.types[name] = type;
      continue;
    }
    if (line[0] == '#') continue;
    std::string name = line.substr(0, line.find_first_of("{ "));
    std::map<std::string, std::string> labels;
    size_t pos = name.size();
    if (line[pos] == '{') {
      const size_t end = line.find('}', pos);
      std::string inner = line.substr(pos + 1, end - pos - 1);
      size_t i = 0;
      while (i < inner.size()) {
        const size_t eq = inner.find('=', i);
        const size_t q1 = inner.find('"', eq);
        const size_t q2 = inner.find('"', q1 + 1);
        labels[inner.substr(i, eq - i)] = inner.substr(q1 + 1, q2 - q1 - 1);
        i = q2 + 1;
        if (i < inner.size() && inner[i] == ',') ++i;
      }
      pos = end + 1;
    }
    std::string key = name;
    if (!labels.empty()) {
      key += "{";
      bool first = true;
      for (const auto& [k, v] : labels) {
        key += (first ? "" : ",") + k + "=\"" + v + "\"";
        first = false;
      }
      key += "}";
    }
    out.samples[key] = std::stod(line.substr(pos + 1));
  }
  return out;
}

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
    metrics = Parse(body);
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

// ------------------------------------------------------------ shutdown -----

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
