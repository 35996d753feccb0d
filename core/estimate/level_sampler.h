// The samples of one level of an estimate, in blocks.
//
// At level l >= 1 of a multilevel estimate, one sample is the coupled pair
// P_l - P_{l-1}: f(y(t1)) from a solve with the constant step dt_l and from one
// with 2 dt_l, both through the same BrownianPath (sample_layout.h). Because
// the tree answers any interval exactly, the coarse solve's W, H and K over
// [t, t + 2 dt_l] are the tree's values over that interval, the same Brownian
// motion the fine solve sees in two halves (not increments summed from the
// fine ones: the Lévy areas do not add). Level 0, and every level of plain
// Monte Carlo, has the fine solve only. An antithetic sample averages the
// sample on the path and on its mirror (PathSpec::antithetic).
#ifndef PATHWISE_CORE_ESTIMATE_LEVEL_SAMPLER_H_
#define PATHWISE_CORE_ESTIMATE_LEVEL_SAMPLER_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "core/brownian/brownian_path.h"
#include "core/estimate/functional.h"
#include "core/estimate/options.h"
#include "core/integrate/options.h"
#include "core/integrate/plan.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::estimate {

// Count, mean and sum of squared deviations of a set of samples, and the path
// steps they took; combined by Chan et al.'s pairwise update.
struct SampleMoments {
  uint64_t count = 0;
  double mean = 0.0;
  double m2 = 0.0;
  uint64_t path_steps = 0;

  void Add(double x);
  void Merge(const SampleMoments& other);
  double Variance() const { return count > 1 ? m2 / static_cast<double>(count - 1) : 0.0; }
};

class LevelSampler {
 public:
  // `coupled`: samples are P_l - P_{l-1} (level >= 1); else P_l. `opts`
  // validated; `sde`, `method` and `functional` must outlive the sampler.
  // Errors: the method/model checks of a solve (MakePlan).
  static absl::StatusOr<std::unique_ptr<LevelSampler>> Create(const model::Sde& sde,
                                                              const solver::Method& method,
                                                              const Functional& functional,
                                                              const EstimateOptions& opts,
                                                              int level, bool coupled);

  int level() const { return level_; }
  double dt() const { return fine_dt_; }

  // Samples [block kBlockSamples, (block + 1) kBlockSamples). Thread-safe
  // (each call uses its own solvers). Errors name the level and sample: a
  // path that did not reach t1 with a finite state, a non-finite f.
  absl::StatusOr<SampleMoments> SampleBlock(uint64_t block) const;

 private:
  LevelSampler(const model::Sde& sde, const solver::Method& method, const Functional& functional,
               int level);
  absl::Status Prepare(const EstimateOptions& opts, bool coupled);

  const model::Sde& sde_;
  const solver::Method& method_;
  const Functional& functional_;
  const int level_;
  double fine_dt_ = 0.0;
  double t1_ = 0.0;
  bool antithetic_ = false;
  integrate::SolveOptions fine_opts_, coarse_opts_;
  std::optional<integrate::SolvePlan> fine_plan_, coarse_plan_;  // coarse: when coupled
  std::optional<brownian::BrownianPath> path_, mirror_;          // mirror: when antithetic
};

}  // namespace pathwise::estimate

#endif  // PATHWISE_CORE_ESTIMATE_LEVEL_SAMPLER_H_
