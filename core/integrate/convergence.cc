#include "core/integrate/convergence.h"

#include <cmath>

#include "absl/status/status.h"
#include "core/integrate/ensemble.h"
#include "core/util/status_macros.h"

namespace pathwise::integrate {
namespace {

absl::StatusOr<std::vector<double>> FinalStates(const model::Sde& sde, const solver::Method& method,
                                                const ConvergenceOptions& c, int level) {
  SolveOptions o;
  o.t0 = c.t0;
  o.t1 = c.t1;
  o.y0 = c.y0;
  o.seed = c.seed;
  o.num_paths = c.num_paths;
  o.threads = c.threads;
  o.step = control::ConstantStep{std::ldexp(c.t1 - c.t0, -level)};
  o.brownian.tol = std::ldexp(c.t1 - c.t0, -(c.reference_level + 1));
  ASSIGN_OR_RETURN(EnsembleSolution sol, SolveEnsemble(sde, method, o));
  std::vector<double> out;
  for (const PathSolution& p : sol.paths) {
    out.insert(out.end(), p.ys.end() - sde.state_dim(), p.ys.end());
  }
  return out;
}

}  // namespace

double LogLogSlope(absl::Span<const double> x, absl::Span<const double> y) {
  const double n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double lx = std::log(x[i]), ly = std::log(y[i]);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

absl::StatusOr<ConvergenceResult> MeasureStrongOrder(const model::Sde& sde,
                                                     const solver::Method& method,
                                                     const ConvergenceOptions& c) {
  if (!(c.coarsest_level <= c.finest_level && c.finest_level < c.reference_level)) {
    return absl::InvalidArgumentError(
        "levels: need coarsest_level <= finest_level < reference_level");
  }
  ConvergenceResult r;
  r.reference_dt = std::ldexp(c.t1 - c.t0, -c.reference_level);
  ASSIGN_OR_RETURN(const std::vector<double> ref, FinalStates(sde, method, c, c.reference_level));
  const int n = sde.state_dim();
  for (int level = c.coarsest_level; level <= c.finest_level; ++level) {
    ASSIGN_OR_RETURN(const std::vector<double> y, FinalStates(sde, method, c, level));
    double total = 0.0;
    for (uint32_t p = 0; p < c.num_paths; ++p) {
      double sq = 0.0;
      for (int i = 0; i < n; ++i) {
        const double d = y[p * n + i] - ref[p * n + i];
        sq += d * d;
      }
      total += std::sqrt(sq);
    }
    r.dts.push_back(std::ldexp(c.t1 - c.t0, -level));
    r.errors.push_back(total / c.num_paths);
  }
  r.order = LogLogSlope(r.dts, r.errors);
  return r;
}

}  // namespace pathwise::integrate
