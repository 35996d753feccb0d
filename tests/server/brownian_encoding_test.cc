// Unit tests of BrownianService's Sample request checks and response
// encoding, and of BadRequest field violations (no network).
#include "server/brownian_encoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/brownian/batch.h"
#include "google/rpc/error_details.pb.h"
#include "pathwise/v1/brownian.pb.h"
#include "server/bad_request.h"
#include "server/sample_request.h"

namespace pathwise::server {
namespace {

v1::SampleRequest ValidRequest() {
  v1::SampleRequest request;
  request.mutable_path()->set_seed(7);
  request.mutable_path()->set_dim(2);
  request.mutable_path()->set_t0(0.0);
  request.mutable_path()->set_t1(1.0);
  request.mutable_path()->set_levy_area(v1::LEVY_AREA_SPACE_TIME_TIME);
  request.add_times(0.5);
  auto* q = request.add_intervals();
  q->set_s(0.25);
  q->set_t(0.75);
  return request;
}

TEST(EncodeSampleResponse, IsExactlyTheProtobufSerialisation) {
  for (v1::LevyArea kind :
       {v1::LEVY_AREA_NONE, v1::LEVY_AREA_SPACE_TIME, v1::LEVY_AREA_SPACE_TIME_TIME}) {
    v1::SampleRequest request = ValidRequest();
    request.mutable_path()->set_levy_area(kind);
    request.set_path_count(3);
    auto batch = ValidateSampleRequest(request, BrownianLimits{});
    ASSERT_TRUE(batch.ok()) << batch.status();
    auto result = brownian::SampleBatch(*batch);
    ASSERT_TRUE(result.ok()) << result.status();

    v1::SampleResponse expected;
    expected.set_dim(result->dim);
    expected.set_path_count(result->path_count);
    expected.set_query_count(result->query_count);
    expected.mutable_w()->Assign(result->w.begin(), result->w.end());
    expected.mutable_h()->Assign(result->h.begin(), result->h.end());
    expected.mutable_k()->Assign(result->k.begin(), result->k.end());
    expected.set_algorithm(std::string(brownian::kAlgorithmVersion));

    std::vector<grpc::Slice> slices;
    ASSERT_TRUE(EncodeSampleResponse(*result).Dump(&slices).ok());
    std::string bytes;
    for (const grpc::Slice& s : slices)
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    EXPECT_EQ(bytes, expected.SerializeAsString()) << "kind " << kind;
  }
}

TEST(EncodeSampleResponse, EmptyQueriesGiveAnEmptyButValidResponse) {
  v1::SampleRequest request = ValidRequest();
  request.clear_times();
  request.clear_intervals();
  auto batch = ValidateSampleRequest(request, BrownianLimits{});
  ASSERT_TRUE(batch.ok());
  auto result = brownian::SampleBatch(*batch);
  ASSERT_TRUE(result.ok());
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(EncodeSampleResponse(*result).Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  v1::SampleResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.dim(), 2u);
  EXPECT_EQ(parsed.path_count(), 1u);
  EXPECT_EQ(parsed.query_count(), 0u);
  EXPECT_EQ(parsed.w_size(), 0);
  EXPECT_EQ(parsed.algorithm(), "vbt-philox-1");
}

TEST(ParseSampleRequest, GarbageIsInvalidArgument) {
  const std::string garbage = "\xff\xff\xff\xff\x0f not a message";
  grpc::Slice slice(garbage);
  grpc::ByteBuffer buffer(&slice, 1);
  v1::SampleRequest request;
  const absl::Status status = ParseSampleRequest(buffer, request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("request:"), absl::string_view::npos);
}

TEST(ViolationFromCoreMessage, SplitsFieldAndPrefixes) {
  const FieldViolation v = ViolationFromCoreMessage("tol: must be > 0", "path.");
  EXPECT_EQ(v.field, "path.tol");
  EXPECT_EQ(v.description, "must be > 0");
  const FieldViolation w = ViolationFromCoreMessage("no field here", "path.");
  EXPECT_EQ(w.field, "path");
  EXPECT_EQ(w.description, "no field here");
}

TEST(SampleResponseBytes, CountsArraysAndSaturates) {
  EXPECT_EQ(SampleResponseBytes(2, 3, 4, brownian::LevyArea::kNone), 2u * 3 * 4 * 8);
  EXPECT_EQ(SampleResponseBytes(2, 3, 4, brownian::LevyArea::kSpaceTime), 2u * 3 * 4 * 16);
  EXPECT_EQ(SampleResponseBytes(2, 3, 4, brownian::LevyArea::kSpaceTimeTime), 2u * 3 * 4 * 24);
  EXPECT_EQ(SampleResponseBytes(UINT32_MAX, UINT64_MAX / 2, UINT32_MAX, brownian::LevyArea::kNone),
            UINT64_MAX);
}

TEST(ValidateSampleRequest, ConvertsEveryField) {
  v1::SampleRequest request = ValidRequest();
  request.mutable_path()->set_path_index(11);
  request.mutable_path()->set_tol(0.125);
  request.set_path_count(0);
  auto batch = ValidateSampleRequest(request, BrownianLimits{});
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->path.seed, 7u);
  EXPECT_EQ(batch->path.path_index, 11u);
  EXPECT_EQ(batch->path.dim, 2u);
  EXPECT_EQ(batch->path.tol, 0.125);
  EXPECT_EQ(batch->path.levy_area, brownian::LevyArea::kSpaceTimeTime);
  EXPECT_EQ(batch->path_count, 1u);  // 0 means 1
  ASSERT_EQ(batch->times.size(), 1u);
  ASSERT_EQ(batch->intervals.size(), 1u);
  EXPECT_EQ(batch->intervals[0].s, 0.25);
  EXPECT_EQ(batch->intervals[0].t, 0.75);
}

TEST(ValidateSampleRequest, ManyBadQueriesAreCappedWithACount) {
  v1::SampleRequest request = ValidRequest();
  request.clear_times();
  for (int i = 0; i < 100; ++i) request.add_times(2.0 + i);
  const absl::Status status = ValidateSampleRequest(request, BrownianLimits{}).status();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(bad.ParseFromString(std::string(*status.GetPayload(kBadRequestTypeUrl))));
  ASSERT_EQ(bad.field_violations_size(), kMaxViolations);
  EXPECT_EQ(bad.field_violations(0).field(), "times[0]");
  EXPECT_EQ(bad.field_violations(kMaxViolations - 1).description(), "... and 81 more violations");
}

}  // namespace
}  // namespace pathwise::server
