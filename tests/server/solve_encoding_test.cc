// The hand-written PathBatch encoding equals protobuf's serialisation of the
// same event, byte for byte, and splits batches under the message budget.
#include "server/solve_encoding.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pathwise::server {
namespace {

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const grpc::Slice& s : slices)
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

integrate::PathSolution MakePath(uint64_t index, size_t points, int n,
                                 integrate::SolveStatus status) {
  integrate::PathSolution p;
  p.path_index = index;
  for (size_t i = 0; i < points; ++i) {
    p.ts.push_back(0.125 * static_cast<double>(i) - 1e-300);
    for (int j = 0; j < n; ++j) p.ys.push_back(-3.5e200 * static_cast<double>(i) + j);
  }
  p.status = status;
  p.steps_accepted = points * 1000;
  p.steps_rejected = index % 3;
  return p;
}

TEST(SolveEncodingTest, PathBatchesEqualProtobufsSerialisation) {
  std::vector<integrate::PathSolution> paths = {
      MakePath(0, 0, 1, integrate::SolveStatus::kSuccess),  // zeros and empty fields omitted
      MakePath(1, 1, 2, integrate::SolveStatus::kNonfinite),
      MakePath(300, 17, 3, integrate::SolveStatus::kMaxStepsReached),
      MakePath(uint64_t{1} << 63, 200, 1, integrate::SolveStatus::kDtminReached)};
  auto messages = EncodePathBatches(paths, size_t{1} << 20);
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ(Bytes((*messages)[0]), PathBatchEvent(paths.data(), paths.size()).SerializeAsString());
}

TEST(SolveEncodingTest, BatchesAreCutUnderTheBudgetAtWholePaths) {
  // 40 000 points × 2 × 8 bytes ≈ 640 KB a path: 6 paths a 4 MiB message.
  std::vector<integrate::PathSolution> paths;
  for (uint64_t i = 0; i < 20; ++i)
    paths.push_back(MakePath(i, 40000, 1, integrate::SolveStatus::kSuccess));
  auto messages = EncodePathBatches(paths, size_t{64} << 20);
  ASSERT_TRUE(messages.ok());
  size_t begin = 0;
  for (const grpc::ByteBuffer& m : *messages) {
    v1::SolveResponse event;
    ASSERT_TRUE(event.ParseFromString(Bytes(m)));
    EXPECT_LE(m.Length(), kMessageBudgetBytes + 64);
    const size_t count = static_cast<size_t>(event.paths().paths_size());
    EXPECT_EQ(Bytes(m), PathBatchEvent(paths.data() + begin, count).SerializeAsString());
    begin += count;
  }
  EXPECT_EQ(begin, paths.size());
  EXPECT_EQ(messages->size(), 4u);
}

TEST(SolveEncodingTest, APathAboveTheLargestMessageIsResourceExhaustedNamingSaveat) {
  std::vector<integrate::PathSolution> paths = {
      MakePath(5, 1000, 1, integrate::SolveStatus::kSuccess)};
  auto messages = EncodePathBatches(paths, 10000);
  EXPECT_EQ(messages.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(
      std::string(messages.status().message()).rfind("saveat: path 5 has 1000 save points", 0), 0u)
      << messages.status();
}

}  // namespace
}  // namespace pathwise::server
