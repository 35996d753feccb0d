// The compiled-program cache: hits, misses, keys, eviction, errors, and the
// fingerprint.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/expr/fingerprint.h"
#include "core/expr/program_cache.h"
#include "expr_test_util.h"

namespace pathwise::expr {
namespace {

ProgramSpec Ou(double kappa, const std::string& drift = "kappa*(theta - x)") {
  ProgramSpec spec;
  spec.state_names = {"x"};
  spec.parameters = {{"kappa", kappa}, {"theta", 0.5}};
  spec.expressions = {{"drift", drift}, {"diffusion", "0.3"}};
  return spec;
}

TEST(ExprCache, SameSpecHits) {
  ProgramCache cache(8);
  auto a = cache.GetOrCompile(Ou(2.0));
  auto b = cache.GetOrCompile(Ou(2.0));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().size, 1u);
}

TEST(ExprCache, ParametersTextAndDerivativesAreKeyed) {
  ProgramCache cache(8);
  ASSERT_TRUE(cache.GetOrCompile(Ou(2.0)).ok());
  ASSERT_TRUE(cache.GetOrCompile(Ou(2.5)).ok());
  ASSERT_TRUE(cache.GetOrCompile(Ou(2.0, "kappa*(theta-x)")).ok());
  ProgramSpec with_derivative = Ou(2.0);
  with_derivative.derivatives = {{0, 0}};
  ASSERT_TRUE(cache.GetOrCompile(with_derivative).ok());
  // -0.0 and 0.0 are different parameter values (they can give different bits).
  ASSERT_TRUE(cache.GetOrCompile(Ou(0.0)).ok());
  ASSERT_TRUE(cache.GetOrCompile(Ou(-0.0)).ok());
  EXPECT_EQ(cache.stats().misses, 6u);
  EXPECT_EQ(cache.stats().hits, 0u);
  EXPECT_NE(Fingerprint64(CanonicalKey(Ou(0.0))), Fingerprint64(CanonicalKey(Ou(-0.0))));
}

TEST(ExprCache, FingerprintIsStable) {
  EXPECT_EQ(Fingerprint64(""), 0xcbf29ce484222325ull);   // FNV-1a offset basis
  EXPECT_EQ(Fingerprint64("a"), 0xaf63dc4c8601ec8cull);  // published FNV-1a test vector
  const auto program = testing::MustCompile(Ou(2.0));
  ASSERT_NE(program, nullptr);
  EXPECT_EQ(program->fingerprint(), Fingerprint64(CanonicalKey(Ou(2.0))));
}

TEST(ExprCache, EvictsLeastRecentlyUsed) {
  ProgramCache cache(2);
  ASSERT_TRUE(cache.GetOrCompile(Ou(1.0)).ok());
  ASSERT_TRUE(cache.GetOrCompile(Ou(2.0)).ok());
  ASSERT_TRUE(cache.GetOrCompile(Ou(1.0)).ok());  // hit; 2.0 is now the oldest
  ASSERT_TRUE(cache.GetOrCompile(Ou(3.0)).ok());  // evicts 2.0
  EXPECT_EQ(cache.stats().size, 2u);
  ASSERT_TRUE(cache.GetOrCompile(Ou(1.0)).ok());
  EXPECT_EQ(cache.stats().hits, 2u);
  ASSERT_TRUE(cache.GetOrCompile(Ou(2.0)).ok());
  EXPECT_EQ(cache.stats().misses, 4u);
}

TEST(ExprCache, ErrorsAreReturnedNotCached) {
  ProgramCache cache(4);
  EXPECT_FALSE(cache.GetOrCompile(Ou(2.0, "kappa*(thet - x)")).ok());
  EXPECT_FALSE(cache.GetOrCompile(Ou(2.0, "kappa*(thet - x)")).ok());
  EXPECT_EQ(cache.stats().size, 0u);
  EXPECT_EQ(cache.stats().misses, 2u);
}

TEST(ExprCache, ConcurrentUse) {
  ProgramCache cache(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&cache, i] {
      for (int k = 0; k < 50; ++k) {
        auto p = cache.GetOrCompile(Ou(1.0 + (k + i) % 3));
        ASSERT_TRUE(p.ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(cache.stats().hits + cache.stats().misses, 200u);
  EXPECT_LE(cache.stats().size, 3u);
}

}  // namespace
}  // namespace pathwise::expr
