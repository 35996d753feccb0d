// Named model parameters: specs with defaults and ranges, and their validation.
#ifndef PATHWISE_CORE_MODEL_PARAMS_H_
#define PATHWISE_CORE_MODEL_PARAMS_H_

#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace pathwise::model {

using ParamMap = std::map<std::string, double, std::less<>>;

// One parameter: the value must lie in the interval from `min` to `max`, each end
// open or closed, and be finite.
struct ParamSpec {
  std::string name;
  std::string description;
  double default_value = 0.0;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;  // true: value > min; false: value >= min
  bool max_open = false;  // true: value < max; false: value <= max
  std::string units;      // e.g. "1/time", "state/sqrt(time)"; "1" when dimensionless
};

// A parameter that may not be negative (a rate, a level, a volatility): the
// range [0, inf).
inline ParamSpec NonNegativeParam(std::string name, std::string description, double default_value,
                                  std::string units) {
  return {.name = std::move(name),
          .description = std::move(description),
          .default_value = default_value,
          .min = 0.0,
          .units = std::move(units)};
}

// The range in interval notation, e.g. "(0, inf)" or "[-1, 1]".
std::string RangeString(const ParamSpec& spec);

// Values in the order of `specs`: given values where present, defaults
// elsewhere. Errors name the field: "params.sigma: must be in [0, inf), got -1",
// "params.foo: unknown parameter (known: theta, mu, sigma)".
absl::StatusOr<std::vector<double>> ResolveParams(absl::Span<const ParamSpec> specs,
                                                  const ParamMap& given);

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_PARAMS_H_
