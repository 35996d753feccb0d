// Philox4x32-10 against the known-answer vectors of Random123, copied with
// their source into tests/data/philox4x32-10-kat.txt, and its basic contract.
#include "core/random/philox.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

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
