#include "core/estimate/level_sampler.h"

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/estimate/sample_layout.h"
#include "core/integrate/path_solver.h"
#include "core/integrate/solution.h"
#include "core/util/status_macros.h"

namespace pathwise::estimate {

void SampleMoments::Add(double x) {
  ++count;
  const double delta = x - mean;
  mean += delta / static_cast<double>(count);
  m2 += delta * (x - mean);
}

void SampleMoments::Merge(const SampleMoments& other) {
  // Chan, Golub & LeVeque (1979): exact for any split, stable for large counts.
  path_steps += other.path_steps;
  if (other.count == 0) return;
  if (count == 0) {
    const uint64_t steps = path_steps;
    *this = other;
    path_steps = steps;
    return;
  }
  const double n_a = static_cast<double>(count), n_b = static_cast<double>(other.count);
  const double n = n_a + n_b;
  const double delta = other.mean - mean;
  mean += delta * (n_b / n);
  m2 += other.m2 + delta * delta * (n_a * n_b / n);
  count += other.count;
}

LevelSampler::LevelSampler(const model::Sde& sde, const solver::Method& method,
                           const Functional& functional, int level)
    : sde_(sde), method_(method), functional_(functional), level_(level) {}

absl::StatusOr<std::unique_ptr<LevelSampler>> LevelSampler::Create(const model::Sde& sde,
                                                                   const solver::Method& method,
                                                                   const Functional& functional,
                                                                   const EstimateOptions& opts,
                                                                   int level, bool coupled) {
  std::unique_ptr<LevelSampler> sampler(new LevelSampler(sde, method, functional, level));
  RETURN_IF_ERROR(sampler->Prepare(opts, coupled && level > 0));
  return sampler;
}

absl::Status LevelSampler::Prepare(const EstimateOptions& opts, bool coupled) {
  fine_dt_ = opts.LevelDt(level_);
  t1_ = opts.t1;
  antithetic_ = opts.antithetic;
  fine_opts_.t0 = opts.t0;
  fine_opts_.t1 = opts.t1;
  fine_opts_.y0 = opts.y0;
  fine_opts_.seed = opts.seed;
  fine_opts_.keep_paths = false;
  fine_opts_.cancel = opts.cancel;  // a solve stops at its next step
  fine_opts_.brownian.levy_area = opts.brownian.levy_area;
  // One tree for every level, below the finest step: each level reads the
  // same Brownian path (the depth is part of the path's address).
  fine_opts_.brownian.tol = opts.ResolvedTol();
  // Every solve saves the state at t1 only (SaveAt's default).
  fine_opts_.step = control::ConstantStep{fine_dt_};
  ASSIGN_OR_RETURN(integrate::SolvePlan fine_plan, integrate::MakePlan(fine_opts_, sde_, method_));
  fine_plan_ = std::move(fine_plan);
  if (coupled) {
    coarse_opts_ = fine_opts_;
    coarse_opts_.step = control::ConstantStep{2.0 * fine_dt_};
    ASSIGN_OR_RETURN(integrate::SolvePlan coarse_plan,
                     integrate::MakePlan(coarse_opts_, sde_, method_));
    coarse_plan_ = std::move(coarse_plan);
  }
  ASSIGN_OR_RETURN(brownian::BrownianPath path, brownian::BrownianPath::Create(fine_plan_->spec));
  path_ = std::move(path);
  if (antithetic_) {
    brownian::PathSpec mirror_spec = fine_plan_->spec;
    mirror_spec.antithetic = true;
    ASSIGN_OR_RETURN(brownian::BrownianPath mirror, brownian::BrownianPath::Create(mirror_spec));
    mirror_ = std::move(mirror);
  }
  return absl::OkStatus();
}

namespace {

// f(y(t1)) of one solve of `path`; adds its steps to `steps`.
absl::StatusOr<double> SolveOne(integrate::PathSolver& solver, const brownian::BrownianPath& path,
                                const Functional& functional, double t1,
                                integrate::PathSolution& solution, std::vector<double>& state,
                                uint64_t& steps) {
  if (!solver.Solve(path, /*keep_trajectory=*/false, &solution, state.data())) {
    return absl::CancelledError("estimate cancelled");
  }
  steps += solution.steps_accepted + solution.steps_rejected;
  if (solution.status != integrate::SolveStatus::kSuccess) {
    return absl::InvalidArgumentError(
        absl::StrCat("the path did not reach t1: ", integrate::SolveStatusName(solution.status)));
  }
  const double value = functional(t1, state.data());
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat("functional: not finite (", value, ")"));
  }
  return value;
}

}  // namespace

absl::StatusOr<SampleMoments> LevelSampler::SampleBlock(uint64_t block) const {
  integrate::PathSolver fine(sde_, method_, fine_opts_, *fine_plan_);
  std::unique_ptr<integrate::PathSolver> coarse;
  if (coarse_plan_.has_value()) {
    coarse = std::make_unique<integrate::PathSolver>(sde_, method_, coarse_opts_, *coarse_plan_);
  }
  integrate::PathSolution solution;
  std::vector<double> state(static_cast<size_t>(sde_.state_dim()));
  SampleMoments moments;
  const int sides = antithetic_ ? 2 : 1;
  for (uint64_t i = block * kBlockSamples; i < (block + 1) * kBlockSamples; ++i) {
    const uint64_t index = SamplePathIndex(level_, i);
    double sample = 0.0;
    for (int side = 0; side < sides; ++side) {
      const brownian::BrownianPath path = (side == 0 ? *path_ : *mirror_).WithPathIndex(index);
      absl::StatusOr<double> value =
          SolveOne(fine, path, functional_, t1_, solution, state, moments.path_steps);
      if (value.ok() && coarse != nullptr) {
        absl::StatusOr<double> coarse_value =
            SolveOne(*coarse, path, functional_, t1_, solution, state, moments.path_steps);
        value = coarse_value.ok() ? absl::StatusOr<double>(*value - *coarse_value) : coarse_value;
      }
      if (value.status().code() == absl::StatusCode::kCancelled) return value.status();
      if (!value.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("level ", level_, " sample ", i,
                                                       side == 1 ? " (mirror)" : "", ": ",
                                                       value.status().message()));
      }
      sample += *value;
    }
    moments.Add(antithetic_ ? 0.5 * sample : sample);
  }
  return moments;
}

}  // namespace pathwise::estimate
