// Logarithm and sine/cosine for the normal generator, written in IEEE-754
// additions, multiplications, divisions and bit operations only.
//
// Why not std::log / std::sin: their last bit may change between C libraries
// (and glibc's vector variants differ from its scalar ones), while a path must
// give the same bits forever, on every replica (docs/design/architecture.md). These
// functions are branch-free, so a loop over them vectorises, and with
// -ffp-contract=off a vector lane computes exactly what the scalar code does.
//
// Accuracy: a few ulp over the ranges used by the generator (tested against
// long double references in tests/core/random/normal_test.cc).
#ifndef PATHWISE_CORE_RANDOM_ELEMENTARY_H_
#define PATHWISE_CORE_RANDOM_ELEMENTARY_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>

namespace pathwise::random {

// Natural logarithm of a positive, normal, finite double.
// x = 2^e * m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(f), f = (m - 1)/(m + 1),
// |f| <= 0.1716, and the atanh series 2 f sum_k f^(2k) / (2k + 1) truncated after
// k = 11 leaves a relative error below 0.0295^12 / 25 < 1e-19.
namespace elementary_internal {
// The constants of DeterministicLog and DeterministicSinCosTurns, shared with
// their vector transcriptions (core/random/box_muller_avx2.h), which must run
// the same operations on the same numbers.
inline constexpr uint64_t kMantissaMask = (uint64_t{1} << 52) - 1;
inline constexpr uint64_t kExponentOne = uint64_t{1023} << 52;
inline constexpr uint64_t kSqrt2Mantissa = 0x6A09E667F3BCDull;
// 2^52 + 2^51: added to a double of magnitude below 2^51, it leaves the value
// rounded to an integer in the low mantissa bits.
inline constexpr double kMagic = 6755399441055744.0;
// ln 2 split so that e * kLn2Hi is exact for |e| < 2^11.
inline constexpr double kLn2Hi = 6.93147180369123816490e-01;
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;
inline constexpr double kHalfPi = 1.57079632679489661923;
// Horner coefficients, highest degree first: sum_k s^k / (2k + 1), k = 11..0
// without the constant term 1 (log_m adds 2 f itself).
inline constexpr double kAtanhSeries[] = {1.0 / 23.0, 1.0 / 21.0, 1.0 / 19.0, 1.0 / 17.0,
                                          1.0 / 15.0, 1.0 / 13.0, 1.0 / 11.0, 1.0 / 9.0,
                                          1.0 / 7.0,  1.0 / 5.0,  1.0 / 3.0};
// sin theta = theta + theta t2 P(t2), P's coefficients (-1)^k / (2k + 1)!, k = 8..1.
// Adding -c gives the bits of subtracting c (IEEE-754 defines x - c as x + (-c)).
inline constexpr double kSinSeries[] = {
    1.0 / 355687428096000.0, -1.0 / 1307674368000.0, 1.0 / 6227020800.0, -1.0 / 39916800.0,
    1.0 / 362880.0,          -1.0 / 5040.0,          1.0 / 120.0,        -1.0 / 6.0};
// cos theta = 1 - t2 Q(t2), Q's coefficients (-1)^(k+1) / (2k)!, k = 9..1.
inline constexpr double kCosSeries[] = {1.0 / 6402373705728000.0,
                                        -1.0 / 20922789888000.0,
                                        1.0 / 87178291200.0,
                                        -1.0 / 479001600.0,
                                        1.0 / 3628800.0,
                                        -1.0 / 40320.0,
                                        1.0 / 720.0,
                                        -1.0 / 24.0,
                                        0.5};
}  // namespace elementary_internal

// Natural logarithm of a positive, normal, finite double.
// x = 2^e * m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(f), f = (m - 1)/(m + 1),
// |f| <= 0.1716, and the atanh series 2 f sum_k f^(2k) / (2k + 1) truncated after
// k = 11 leaves a relative error below 0.0295^12 / 25 < 1e-19.
inline double DeterministicLog(double x) {
  using namespace elementary_internal;
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  const uint64_t mantissa = bits & kMantissaMask;
  // halve = 1 exactly when the mantissa exceeds that of sqrt(2) (integer
  // arithmetic instead of a comparison keeps the loop free of branches).
  const uint64_t halve = (mantissa + (kMantissaMask - kSqrt2Mantissa)) >> 52;
  const double m = std::bit_cast<double>(mantissa | (kExponentOne - (halve << 52)));
  const int64_t exponent = static_cast<int64_t>(bits >> 52) - 1023 + static_cast<int64_t>(halve);
  // Exponent to double without a (non-vectorisable) int64 conversion: the
  // magic constant keeps the integer in the low mantissa bits.
  const double e =
      std::bit_cast<double>(std::bit_cast<uint64_t>(kMagic) + static_cast<uint64_t>(exponent)) -
      kMagic;
  const double f = (m - 1.0) / (m + 1.0);
  const double s = f * f;
  double series = kAtanhSeries[0];
#pragma GCC unroll 16
  for (size_t k = 1; k < std::size(kAtanhSeries); ++k) series = series * s + kAtanhSeries[k];
  const double log_m = 2.0 * f + 2.0 * f * (s * series);
  return e * kLn2Hi + (e * kLn2Lo + log_m);
}

struct SinCos {
  double sin;
  double cos;
};

// sin(2 pi v) and cos(2 pi v) for v in [0, 1).
// 4v is split into the nearest integer quadrant q and r in [-1/2, 1/2] exactly
// (v is a dyadic with at most 53 bits); theta = r pi / 2 lies in [-pi/4, pi/4],
// where the Taylor series below are truncated after theta^17 and theta^18 with
// errors below 1e-19.
inline SinCos DeterministicSinCosTurns(double v) {
  using namespace elementary_internal;
  const double w = 4.0 * v;
  const double shifted = w + kMagic;  // round to nearest
  const uint64_t quadrant = std::bit_cast<uint64_t>(shifted) & 3u;
  const double r = w - (shifted - kMagic);
  const double theta = r * kHalfPi;
  const double t2 = theta * theta;
  double sin_poly = kSinSeries[0];
#pragma GCC unroll 16
  for (size_t k = 1; k < std::size(kSinSeries); ++k) sin_poly = sin_poly * t2 + kSinSeries[k];
  const double s = theta + theta * (t2 * sin_poly);
  double cos_poly = kCosSeries[0];
#pragma GCC unroll 16
  for (size_t k = 1; k < std::size(kCosSeries); ++k) cos_poly = cos_poly * t2 + kCosSeries[k];
  const double c = 1.0 - t2 * cos_poly;
  // Rotate by quadrant * pi/2: (sin, cos) -> (cos, -sin) -> (-sin, -cos) -> (-cos, sin),
  // with bit masks rather than branches.
  const uint64_t odd_mask = 0 - (quadrant & 1u);
  const uint64_t negate_sin = (quadrant >> 1) << 63;
  const uint64_t negate_cos = ((quadrant ^ (quadrant >> 1)) & 1u) << 63;
  const uint64_t s_bits = std::bit_cast<uint64_t>(s);
  const uint64_t c_bits = std::bit_cast<uint64_t>(c);
  const uint64_t sin_bits = ((c_bits & odd_mask) | (s_bits & ~odd_mask)) ^ negate_sin;
  const uint64_t cos_bits = ((s_bits & odd_mask) | (c_bits & ~odd_mask)) ^ negate_cos;
  return {std::bit_cast<double>(sin_bits), std::bit_cast<double>(cos_bits)};
}

}  // namespace pathwise::random

#endif  // PATHWISE_CORE_RANDOM_ELEMENTARY_H_
