// Invalid Sample requests: INVALID_ARGUMENT naming each field, with
// google.rpc.BadRequest details; undecodable bytes.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cmath>
#include <future>
#include <limits>
#include <string>

#include "pathwise/v1/brownian.grpc.pb.h"
#include "tests/server/sample_calls.h"

namespace pathwise::server {
namespace {

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
    // Found fuzzing the wire: K was NaN for such a short query.
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

}  // namespace
}  // namespace pathwise::server
