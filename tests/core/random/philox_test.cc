// Philox4x32-10 against the known-answer vectors of Random123, copied with
// their source into tests/data/philox4x32-10-kat.txt, on the scalar code and
// on every batch kernel this CPU runs (normal_kernels.h), and its basic contract.
#include "core/random/philox.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/random/normal_kernels.h"

namespace pathwise::random {
namespace {

struct KnownAnswer {
  PhiloxCounter counter;
  PhiloxKey key;
  PhiloxBlock expected;
};

std::vector<KnownAnswer> ReadKnownAnswers() {
  std::ifstream in(std::string(PATHWISE_REFERENCE_DIR) + "/philox4x32-10-kat.txt");
  std::vector<KnownAnswer> answers;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    KnownAnswer answer;
    std::string arrow;
    for (auto& word : answer.counter) fields >> std::hex >> word;
    for (auto& word : answer.key) fields >> std::hex >> word;
    fields >> arrow;
    for (auto& word : answer.expected) fields >> std::hex >> word;
    if (fields) answers.push_back(answer);
  }
  return answers;
}

TEST(PhiloxTest, MatchesReferenceKnownAnswers) {
  const std::vector<KnownAnswer> answers = ReadKnownAnswers();
  ASSERT_EQ(answers.size(), 3u) << "reference file missing or malformed";
  for (const KnownAnswer& answer : answers) {
    EXPECT_EQ(Philox4x32_10(answer.counter, answer.key), answer.expected);
  }
}

// A batch of n counters under the answer's key, with the answer's counter at
// position `at` and arbitrary counters elsewhere: the block at `at` is the
// known answer, and every other block equals the scalar code's.
void ExpectKernelMatches(VectorIsa isa, const KnownAnswer& answer, size_t n, size_t at) {
  std::vector<uint32_t> c0(n), c1(n), c2(n), c3(n);
  for (size_t i = 0; i < n; ++i) {
    c0[i] = static_cast<uint32_t>(i * 0x9E3779B9u);
    c1[i] = static_cast<uint32_t>(~i);
    c2[i] = static_cast<uint32_t>(i << 20);
    c3[i] = 0xffff0000u | static_cast<uint32_t>(i);
  }
  c0[at] = answer.counter[0];
  c1[at] = answer.counter[1];
  c2[at] = answer.counter[2];
  c3[at] = answer.counter[3];
  std::vector<PhiloxBlock> blocks(n);
  PhiloxBlocksOn(isa, answer.key, c0.data(), c1.data(), c2.data(), c3.data(), n, blocks.data());
  ASSERT_EQ(blocks[at], answer.expected) << VectorIsaName(isa) << " n=" << n << " at=" << at;
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(blocks[i], Philox4x32_10({c0[i], c1[i], c2[i], c3[i]}, answer.key))
        << VectorIsaName(isa) << " n=" << n << " i=" << i;
  }
}

TEST(PhiloxTest, EveryKernelMatchesReferenceKnownAnswers) {
  const std::vector<KnownAnswer> answers = ReadKnownAnswers();
  ASSERT_EQ(answers.size(), 3u) << "reference file missing or malformed";
  ASSERT_TRUE(CpuRuns(VectorIsa::kBaseline));
  for (VectorIsa isa : kAllVectorIsas) {
    if (!CpuRuns(isa)) {
      std::cout << "[ SKIPPED  ] " << VectorIsaName(isa) << ": not run by this CPU\n";
      continue;
    }
    // Whole vectors, tails of every length, the known answers in every lane.
    for (const KnownAnswer& answer : answers) {
      for (size_t n : {size_t{1}, size_t{3}, size_t{8}, size_t{13}, size_t{16}, size_t{37}}) {
        for (size_t at = 0; at < n; ++at) ExpectKernelMatches(isa, answer, n, at);
      }
    }
  }
}

TEST(PhiloxTest, IsUsableAtCompileTime) {
  // All-zero counter and key: the first Random123 vector.
  constexpr PhiloxBlock block = Philox4x32_10({0, 0, 0, 0}, {0, 0});
  static_assert(block[0] == 0x6627e8d5u && block[3] == 0x9b00dbd8u);
  SUCCEED();
}

TEST(PhiloxTest, DistinctCountersGiveDistinctBlocks) {
  // A bijection on the counter: 100 000 consecutive counters, no repeated block.
  std::set<PhiloxBlock> seen;
  for (uint32_t i = 0; i < 100000; ++i) seen.insert(Philox4x32_10({i, 0, 7, 0}, {42, 0}));
  EXPECT_EQ(seen.size(), 100000u);
}

}  // namespace
}  // namespace pathwise::random
