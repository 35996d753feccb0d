// RpcCall: the start and finish of every call (active calls, draining,
// metrics by method and code) and the one absl::Status -> grpc::Status
// conversion (no network).
#include "server/rpc_call.h"

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/bad_request.h"
#include "server/metrics.h"

namespace pathwise::server {
namespace {

// The value of a series of `family` whose labels include every given pair; -1 when absent.
double Series(Metrics& metrics, const std::string& family,
              const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const prometheus::MetricFamily& f : metrics.registry()->Collect()) {
    if (f.name != family) continue;
    for (const prometheus::ClientMetric& m : f.metric) {
      int matched = 0;
      for (const auto& [name, value] : labels) {
        for (const prometheus::ClientMetric::Label& l : m.label) {
          if (l.name == name && l.value == value) ++matched;
        }
      }
      if (matched != static_cast<int>(labels.size())) continue;
      if (f.type == prometheus::MetricType::Counter) return m.counter.value;
      if (f.type == prometheus::MetricType::Gauge) return m.gauge.value;
      if (f.type == prometheus::MetricType::Histogram) {
        return static_cast<double>(m.histogram.sample_count);
      }
    }
  }
  return -1.0;
}

TEST(RpcCall, CountsTheCallFromStartToDoneByMethodAndCode) {
  Metrics metrics;
  CallGate gate;
  {
    RpcCall call(gate, metrics, RpcMethod::kSolve, nullptr);
    EXPECT_EQ(gate.active_calls(), 1);
    EXPECT_EQ(Series(metrics, "pathwise_rpcs_in_flight", {{"method", "Solve"}}), 1.0);
    EXPECT_TRUE(call.Admit().ok());
    const grpc::Status out = call.Conclude(absl::InvalidArgumentError("y0: must not be empty"));
    EXPECT_EQ(out.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(out.error_message(), "y0: must not be empty");
    EXPECT_EQ(call.FinalCode(), grpc::StatusCode::INVALID_ARGUMENT);
    call.Done();
  }
  EXPECT_EQ(gate.active_calls(), 0);
  EXPECT_EQ(Series(metrics, "pathwise_rpcs_in_flight", {{"method", "Solve"}}), 0.0);
  EXPECT_EQ(
      Series(metrics, "pathwise_rpcs_total", {{"method", "Solve"}, {"code", "INVALID_ARGUMENT"}}),
      1.0);
  EXPECT_EQ(Series(metrics, "pathwise_rpcs_total", {{"method", "Solve"}, {"code", "OK"}}), 0.0);
  EXPECT_EQ(Series(metrics, "pathwise_rpc_duration_seconds", {{"method", "Solve"}}), 1.0);
}

TEST(RpcCall, WhileDrainingCallsAreUnavailable) {
  Metrics metrics;
  CallGate gate;
  gate.SetDraining(true);
  RpcCall call(gate, metrics, RpcMethod::kSample, nullptr);
  const absl::Status admitted = call.Admit();
  EXPECT_EQ(admitted.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(call.Conclude(admitted).error_code(), grpc::StatusCode::UNAVAILABLE);
  call.Done();
  EXPECT_EQ(Series(metrics, "pathwise_rpcs_total", {{"method", "Sample"}, {"code", "UNAVAILABLE"}}),
            1.0);
  gate.SetDraining(false);
  RpcCall next(gate, metrics, RpcMethod::kSample, nullptr);
  EXPECT_TRUE(next.Admit().ok());
  next.Done();
}

TEST(ToGrpcStatus, KeepsCodeMessageAndBadRequestDetails) {
  const absl::Status status =
      InvalidArgumentWithViolations({{"path.tol", "must be > 0"}, {"times[1]", "must be finite"}});
  EXPECT_EQ(status.message(), "path.tol: must be > 0; times[1]: must be finite");
  const grpc::Status out = ToGrpcStatus(status);
  EXPECT_EQ(out.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(out.error_message(), "path.tol: must be > 0; times[1]: must be finite");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(out.error_details()));
  EXPECT_EQ(details.code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(), kBadRequestTypeUrl);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(1).field(), "times[1]");
  EXPECT_EQ(bad.field_violations(1).description(), "must be finite");
}

TEST(ToGrpcStatus, EveryCanonicalCodeKeepsItsNumberAndOkHasNoDetails) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  for (int code = 1; code <= 16; ++code) {
    const grpc::Status out = ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(code), "x"));
    EXPECT_EQ(static_cast<int>(out.error_code()), code);
    EXPECT_TRUE(out.error_details().empty());
  }
}

}  // namespace
}  // namespace pathwise::server
