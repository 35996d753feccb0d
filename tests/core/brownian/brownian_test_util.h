// Helpers shared by the Brownian engine tests.
#ifndef PATHWISE_TESTS_CORE_BROWNIAN_BROWNIAN_TEST_UTIL_H_
#define PATHWISE_TESTS_CORE_BROWNIAN_BROWNIAN_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/brownian/brownian_path.h"
#include "core/brownian/cursor.h"

namespace pathwise::brownian::testing {

// W, H, K of one interval (normalised H and K as the API returns them).
struct Triple {
  std::vector<double> w, h, k;
};

inline Triple IncrementOf(BrownianCursor& cursor, double s, double t) {
  const size_t d = cursor.path().dim();
  Triple out{std::vector<double>(d), std::vector<double>(d), std::vector<double>(d)};
  cursor.Increment(s, t, out.w.data(), out.h.data(), out.k.data());
  return out;
}

inline PathSpec SpecOf(LevyArea kind, uint64_t seed, uint32_t dim, double t0, double t1,
                       double tol) {
  PathSpec spec;
  spec.seed = seed;
  spec.dim = dim;
  spec.t0 = t0;
  spec.t1 = t1;
  spec.tol = tol;
  spec.levy_area = kind;
  return spec;
}

// Names parameterised tests by kind: W, SpaceTime, SpaceTimeTime.
inline std::string KindTestName(const ::testing::TestParamInfo<LevyArea>& info) {
  switch (info.param) {
    case LevyArea::kNone:
      return "W";
    case LevyArea::kSpaceTime:
      return "SpaceTime";
    case LevyArea::kSpaceTimeTime:
      return "SpaceTimeTime";
  }
  return "Unknown";
}

inline constexpr LevyArea kAllKinds[] = {LevyArea::kNone, LevyArea::kSpaceTime,
                                         LevyArea::kSpaceTimeTime};

}  // namespace pathwise::brownian::testing

#endif  // PATHWISE_TESTS_CORE_BROWNIAN_BROWNIAN_TEST_UTIL_H_
