// Options for an adaptive solve, shared by the controller and integrator tests.
#ifndef PATHWISE_TESTS_UTIL_ADAPTIVE_OPTIONS_H_
#define PATHWISE_TESTS_UTIL_ADAPTIVE_OPTIONS_H_

#include <utility>
#include <vector>

#include "core/control/step_control.h"
#include "core/integrate/options.h"

namespace pathwise::testing {

// rtol = atol = tol, the given dtmin, seed 99; everything else the defaults.
inline integrate::SolveOptions AdaptiveOptions(std::vector<double> y0, double tol, double dtmin) {
  integrate::SolveOptions o;
  o.y0 = std::move(y0);
  control::AdaptiveStep a;
  a.rtol = tol;
  a.atol = tol;
  a.dtmin = dtmin;
  o.step = a;
  o.seed = 99;
  return o;
}

}  // namespace pathwise::testing

#endif  // PATHWISE_TESTS_UTIL_ADAPTIVE_OPTIONS_H_
