// The sampler's schedule (docs/mcmc.md): warm-up in kWarmupIterations equal
// iterations, grouped into phases at the ends of Stan's slow adaptation
// windows; at each phase start the inverse mass (when adapted) and the step
// (when not given) are set afresh; then the kept draws, kDrawsPerRound at a
// time. Each phase or round advances every chain through the ordinary path
// solver on its own Brownian path, the chains in parallel; everything that
// pools the chains (variances, curvature) runs between rounds on the calling
// thread, in chain order, so results do not depend on the threads.
#include "core/mcmc/sampler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "core/brownian/brownian_path.h"
#include "core/integrate/path_solver.h"
#include "core/integrate/plan.h"
#include "core/mcmc/adaptation_windows.h"
#include "core/mcmc/chain_randomness.h"
#include "core/mcmc/curvature_probe.h"
#include "core/mcmc/preconditioned_potential.h"
#include "core/mcmc/variance_adaptation.h"
#include "core/model/langevin.h"
#include "core/solver/registry.h"
#include "core/util/run_on_threads.h"
#include "core/util/status_macros.h"

namespace pathwise::mcmc {
namespace {

// Warm-up iterations: Stan's 1000 would make iterations shorter than the
// step at short warm-up times (the grid divides each iteration).
constexpr int kWarmupIterations = 200;
// Stan's default buffers in proportion to its 1000 iterations (75 / 25 / 50
// there, 15 / 5 / 10 of 200 here), not its absolute counts: the phase before
// the first inverse mass runs on the unpreconditioned target, whose stiffness
// forces the smallest steps, so it should be short. Stan's counts applied to
// 200 iterations (75 / 25, 50 / 50) spent half the warm-up there; on breast
// cancer these buffers cut the warm-up gradients from 8 832 to 6 464 with the
// same accuracy (docs/mcmc.md, "Defaults").
constexpr AdaptationBuffers kWarmupBuffers{15, 5, 10};
// Stan's initialisation: each coordinate of x0 plus a uniform on (-2, 2).
constexpr double kInitialSpread = 2.0;
// The constant step: h sqrt(u lambda_max) = kStepScale (docs/mcmc.md, "Step
// size"). Measured on the breast-cancer posterior with ALIGN: 2.6 still runs
// but its sds are 4x too wide (the edge of stability); 2 moves a mean by
// 0.125 sd (7 MCSE); 1.5 agrees with the reference.
constexpr double kStepScale = 1.5;
// Preconditioned: h sqrt(u) <= kUnitCurvatureStepScale, the
// step for the unit-curvature modes that hold the posterior mass (ALIGN on a
// unit Gaussian: sds about 6 % too wide at h = 1, within 2 % at 0.5).
constexpr double kUnitCurvatureStepScale = 0.5;
// Friction when not given, in the preconditioned variables where the target
// has about unit scales: below critical damping (2 for unit curvature), which
// mixes means faster (the integrated autocorrelation time of a position is
// gamma / lambda for curvature lambda) while still mixing the energy.
constexpr double kDefaultGamma = 0.5;
// Kept draws per round of the chains (between progress reports).
constexpr int kDrawsPerRound = 32;
// The Brownian tree's tolerance: this fraction of the shortest grid interval
// (a warm-up iteration or thin_time), and constant steps at least twice it,
// so that no step ever lies within one leaf of the tree.
constexpr double kTolFraction = 0x1p-12;
// A chain whose |v|^2 / u exceeds kKineticBound (d + 10) at a recorded time
// is flagged unstable: |v|^2 / u is chi-square with d degrees of freedom at
// stationarity, so that is about 100 stationary sds per coordinate.
constexpr double kKineticBound = 1e4;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The time of grid point k of n equal intervals after `begin`, exact at both ends.
double GridTime(double begin, double length, int64_t k, int64_t n) {
  return k == n ? begin + length : begin + length * static_cast<double>(k) / n;
}

struct Chain {
  std::vector<double> y;  // (q, v) in the current preconditioned variables
  bool unstable = false;
  uint64_t steps_accepted = 0;
  uint64_t steps_rejected = 0;
  uint64_t steps_accepted_sampling = 0;
  uint64_t gradients_warmup = 0;
  uint64_t gradients_sampling = 0;
  double mean_step = 0.0;     // PID: the last round's mean accepted step
  std::vector<double> saved;  // the round's recorded states, [k][2 dim]; NaN where not reached
  bool cancelled = false;
};

class SamplerRun {
 public:
  SamplerRun(std::shared_ptr<const model::Potential> target, const SamplerOptions& options)
      : target_(std::move(target)),
        options_(options),
        dim_(target_->dim()),
        num_chains_(options.ResolvedNumChains()),
        method_(solver::GetMethod(options.ResolvedMethod())),
        thin_(options.ResolvedThinTime()),
        gamma_(options.gamma > 0.0 ? options.gamma : kDefaultGamma),
        u_(options.u > 0.0 ? options.u : 1.0),
        chains_(num_chains_),
        draws_(num_chains_) {}

  absl::StatusOr<SamplerResult> Run();

 private:
  absl::Status Start();
  // Rebuilds the preconditioned target for `inverse_mass` (when it is valid),
  // maps every stable chain's position to the new variables and draws its
  // velocity afresh from N(0, u I) (velocity round `round`).
  absl::Status SetInverseMass(std::vector<double> inverse_mass, uint32_t round);
  // Probes the curvature at every stable chain (in parallel), pools the
  // maximum and sets step_target_.
  void ProbeStep(uint32_t round);
  // Advances every stable chain from `begin` to the last of `save_times`,
  // recording its state at each, on the grid `grid` (constant steps) or with
  // the PID controller. Returns Cancelled when cancelled.
  absl::Status RunRound(double begin, const std::vector<double>& save_times, bool warmup);
  std::vector<double> Grid(double begin, const std::vector<double>& save_times) const;
  void RunTasks(size_t n, const std::function<void(size_t)>& task) const;
  // Flags chains whose recorded state k is not finite or too energetic.
  bool CheckState(Chain& chain, size_t k);
  std::vector<double> OriginalPosition(const double* y) const;
  void ReportProgress(bool done) const;
  SamplerResult Finish();

  std::shared_ptr<const model::Potential> target_;
  const SamplerOptions& options_;
  const int dim_;
  const uint32_t num_chains_;
  const solver::Method& method_;
  const double thin_;
  const double gamma_, u_;
  double warmup_iteration_ = 0.0;  // warmup_time / kWarmupIterations
  double total_time_ = 0.0;
  std::optional<brownian::BrownianPath> path_;  // chain 0's; others by WithPathIndex
  double tol_ = 0.0;
  std::shared_ptr<const PreconditionedPotential> potential_;
  std::optional<model::LangevinModel> model_;
  double step_target_ = 0.0;  // the constant step (or PID first step) before grid alignment
  std::vector<Chain> chains_;
  std::vector<std::vector<std::vector<double>>> draws_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void SamplerRun::RunTasks(size_t n, const std::function<void(size_t)>& task) const {
  if (options_.runner) {
    options_.runner(n, task);
  } else {
    util::RunOnThreads(n, options_.threads, task);
  }
}

std::vector<double> SamplerRun::OriginalPosition(const double* y) const {
  std::vector<double> x(dim_);
  potential_->ToOriginal(y, x.data());
  return x;
}

absl::Status SamplerRun::SetInverseMass(std::vector<double> inverse_mass, uint32_t round) {
  for (double m : inverse_mass) {
    if (!(m > 0.0) || !std::isfinite(m)) return absl::OkStatus();  // no stable chain: keep
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const PreconditionedPotential> next,
                   PreconditionedPotential::Create(target_, std::move(inverse_mass)));
  ASSIGN_OR_RETURN(model::LangevinModel model, model::LangevinModel::Create(next, gamma_, u_));
  const double sqrt_u = std::sqrt(u_);
  for (uint32_t c = 0; c < num_chains_; ++c) {
    Chain& chain = chains_[c];
    if (chain.unstable) continue;
    const std::vector<double> x =
        potential_ != nullptr ? OriginalPosition(chain.y.data())
                              : std::vector<double>(chain.y.begin(), chain.y.begin() + dim_);
    next->ToPreconditioned(x.data(), chain.y.data());
    const std::vector<double> z = ChainNormals(options_.seed, c, ChainDraw::kVelocity, round, dim_);
    for (int i = 0; i < dim_; ++i) chain.y[dim_ + i] = sqrt_u * z[i];
  }
  potential_ = std::move(next);
  model_.emplace(std::move(model));
  return absl::OkStatus();
}

absl::Status SamplerRun::Start() {
  RETURN_IF_ERROR(options_.ValidateForDim(dim_));
  const double warmup = options_.warmup_time;
  warmup_iteration_ = warmup > 0.0 ? warmup / kWarmupIterations : 0.0;
  total_time_ =
      GridTime(warmup, options_.num_draws * thin_, options_.num_draws, options_.num_draws);
  const double shortest = warmup > 0.0 ? std::min(warmup_iteration_, thin_) : thin_;
  tol_ = shortest * kTolFraction;
  if (const auto* pid =
          options_.step ? std::get_if<control::AdaptiveStep>(&*options_.step) : nullptr) {
    tol_ = std::min(tol_, 0.5 * control::ResolvedDtmin(*pid, 0.0, total_time_));
  }
  brownian::PathSpec spec;
  spec.seed = options_.seed;
  spec.dim = static_cast<uint32_t>(dim_);
  spec.t0 = 0.0;
  spec.t1 = total_time_;
  spec.tol = tol_;
  spec.levy_area = integrate::kDefaultLevyArea;
  absl::StatusOr<brownian::BrownianPath> path = brownian::BrownianPath::Create(spec);
  if (!path.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("target: the chains' Brownian paths: ", path.status().message()));
  }
  path_.emplace(*std::move(path));

  for (uint32_t c = 0; c < num_chains_; ++c) {
    Chain& chain = chains_[c];
    chain.y.assign(2 * dim_, 0.0);
    if (!options_.initial_positions.empty()) {
      std::copy_n(options_.initial_positions.begin() + static_cast<size_t>(c) * dim_, dim_,
                  chain.y.begin());
    } else {
      const std::vector<double> spread =
          ChainUniforms(options_.seed, c, ChainDraw::kInitialSpread, 0, dim_);
      for (int i = 0; i < dim_; ++i) {
        chain.y[i] = (options_.x0.empty() ? 0.0 : options_.x0[i]) + kInitialSpread * spread[i];
      }
    }
  }
  // Positions are still original (potential_ is unset): the first inverse
  // mass maps them.
  std::vector<double> inverse_mass = options_.preconditioner == Preconditioner::kDiagonalGiven
                                         ? options_.inverse_mass
                                         : std::vector<double>(dim_, 1.0);
  return SetInverseMass(std::move(inverse_mass), 0);
}

void SamplerRun::ProbeStep(uint32_t round) {
  std::vector<double> curvature(num_chains_, std::numeric_limits<double>::quiet_NaN());
  RunTasks(num_chains_, [&](size_t c) {
    Chain& chain = chains_[c];
    if (chain.unstable) return;
    CurvatureEstimate estimate = LargestCurvature(
        *potential_, chain.y.data(),
        ChainNormals(options_.seed, static_cast<uint32_t>(c), ChainDraw::kProbe, round, dim_));
    chain.gradients_warmup += estimate.gradient_evaluations;
    curvature[c] = estimate.curvature;
  });
  double largest = 0.0;
  for (double lambda : curvature) {
    if (std::isfinite(lambda)) largest = std::max(largest, lambda);
  }
  // A flat potential (no curvature found) leaves the step to the grid: one
  // step per interval.
  step_target_ = largest > 0.0 ? kStepScale / std::sqrt(u_ * largest)
                               : std::numeric_limits<double>::infinity();
  // Preconditioned (adapted or given), the target has about unit variances,
  // so modes of curvature about 1 carry the mass: their bias, not only the
  // stiffest mode's stability, bounds the step.
  if (options_.preconditioner != Preconditioner::kNone) {
    step_target_ = std::min(step_target_, kUnitCurvatureStepScale / std::sqrt(u_));
  }
}

std::vector<double> SamplerRun::Grid(double begin, const std::vector<double>& save_times) const {
  std::vector<double> grid = {begin};
  double from = begin;
  for (double to : save_times) {
    const double length = to - from;
    // Constant steps divide each interval evenly: the given dt or the probed
    // step, rounded down to length / n, but never below 2 tol (n <= length / (2 tol)).
    double dt = step_target_;
    if (options_.step) dt = std::get<control::ConstantStep>(*options_.step).dt;
    const double most = std::max(1.0, std::floor(length / (2.0 * tol_)));
    const int64_t n = static_cast<int64_t>(std::min(most, std::max(1.0, std::ceil(length / dt))));
    for (int64_t k = 1; k <= n; ++k) grid.push_back(GridTime(from, length, k, n));
    from = to;
  }
  return grid;
}

bool SamplerRun::CheckState(Chain& chain, size_t k) {
  const double* y = &chain.saved[k * 2 * dim_];
  double kinetic = 0.0;
  bool finite = true;
  for (int i = 0; i < 2 * dim_; ++i) finite = finite && std::isfinite(y[i]);
  for (int i = 0; i < dim_; ++i) kinetic += y[dim_ + i] * y[dim_ + i];
  if (!finite || kinetic / u_ > kKineticBound * (dim_ + 10)) chain.unstable = true;
  return !chain.unstable;
}

absl::Status SamplerRun::RunRound(double begin, const std::vector<double>& save_times,
                                  bool warmup) {
  integrate::SolveOptions base;
  base.t0 = begin;
  base.t1 = save_times.back();
  base.y0.assign(2 * dim_, 0.0);
  base.saveat.ts = save_times;
  base.seed = options_.seed;
  base.brownian.tol = tol_;
  base.keep_paths = false;
  base.cancel = options_.cancel;
  const control::AdaptiveStep* pid =
      options_.step ? std::get_if<control::AdaptiveStep>(&*options_.step) : nullptr;
  if (pid != nullptr) {
    control::AdaptiveStep adaptive = *pid;
    adaptive.dtmin = control::ResolvedDtmin(*pid, 0.0, total_time_);
    adaptive.dtmax = std::max(adaptive.dtmin, std::min(pid->dtmax, thin_));
    adaptive.dt0 = 0.0;  // set per chain below
    base.step = adaptive;
  } else {
    base.step = control::StepTo{Grid(begin, save_times)};
  }
  base.max_steps = options_.ResolvedMaxStepsPerChain();
  ASSIGN_OR_RETURN(integrate::SolvePlan plan, integrate::MakePlan(base, *model_, method_));

  RunTasks(num_chains_, [&](size_t c) {
    Chain& chain = chains_[c];
    if (chain.unstable) return;
    chain.saved.assign(save_times.size() * 2 * dim_, std::numeric_limits<double>::quiet_NaN());
    integrate::SolveOptions opts = base;
    opts.y0 = chain.y;
    const uint64_t used = chain.steps_accepted + chain.steps_rejected;
    if (used >= options_.ResolvedMaxStepsPerChain()) {
      chain.unstable = true;
      return;
    }
    opts.max_steps = options_.ResolvedMaxStepsPerChain() - used;
    if (pid != nullptr) {
      auto& adaptive = std::get<control::AdaptiveStep>(opts.step);
      const double first =
          pid->dt0 > 0.0 ? pid->dt0 : (chain.mean_step > 0.0 ? chain.mean_step : step_target_);
      adaptive.dt0 = std::clamp(first, adaptive.dtmin, adaptive.dtmax);
    }
    integrate::PathSolver solver(*model_, method_, opts, plan);
    integrate::PathSolution solution;
    const brownian::BrownianPath path = path_->WithPathIndex(c);
    chain.cancelled = !solver.Solve(path, /*keep_trajectory=*/false, &solution, chain.saved.data());
    chain.steps_accepted += solution.steps_accepted;
    chain.steps_rejected += solution.steps_rejected;
    (warmup ? chain.gradients_warmup : chain.gradients_sampling) += solution.evals.drift;
    if (!warmup) chain.steps_accepted_sampling += solution.steps_accepted;
    if (solution.steps_accepted > 0) {
      chain.mean_step = (save_times.back() - begin) / solution.steps_accepted;
    }
    if (!integrate::Completed(solution.status)) chain.unstable = true;
    if (!chain.unstable) {
      std::copy(chain.saved.end() - 2 * dim_, chain.saved.end(), chain.y.begin());
    }
  });
  for (const Chain& chain : chains_) {
    if (chain.cancelled) return absl::CancelledError("sampling cancelled");
  }
  return absl::OkStatus();
}

void SamplerRun::ReportProgress(bool done) const {
  if (!options_.on_progress) return;
  integrate::Progress progress;
  progress.num_paths = num_chains_;
  progress.paths_done = done ? num_chains_ : 0;
  for (const Chain& chain : chains_) {
    progress.steps_accepted += chain.steps_accepted;
    progress.steps_rejected += chain.steps_rejected;
  }
  progress.elapsed_seconds = Seconds(started_);
  options_.on_progress(progress);
}

absl::StatusOr<SamplerResult> SamplerRun::Run() {
  RETURN_IF_ERROR(Start());
  const bool adapt_mass = options_.preconditioner == Preconditioner::kDiagonalAdapted;
  const bool probe = !options_.step.has_value() ||
                     (std::holds_alternative<control::AdaptiveStep>(*options_.step) &&
                      std::get<control::AdaptiveStep>(*options_.step).dt0 == 0.0);
  uint32_t round = 0;
  if (probe) ProbeStep(round);

  // Warm-up: phases end where a slow window closes, and at the end.
  if (options_.warmup_time > 0.0) {
    VarianceAdaptation adaptation(dim_, kWarmupIterations, kWarmupBuffers);
    std::vector<int> phase_ends;
    for (const AdaptationWindow& window : adaptation.windows()) phase_ends.push_back(window.end);
    if (phase_ends.empty() || phase_ends.back() != kWarmupIterations) {
      phase_ends.push_back(kWarmupIterations);
    }
    int iteration = 0;
    for (int end : phase_ends) {
      std::vector<double> save_times;
      for (int k = iteration + 1; k <= end; ++k) {
        save_times.push_back(GridTime(0.0, options_.warmup_time, k, kWarmupIterations));
      }
      const double begin = GridTime(0.0, options_.warmup_time, iteration, kWarmupIterations);
      RETURN_IF_ERROR(RunRound(begin, save_times, /*warmup=*/true));
      bool window_closed = false;
      for (size_t k = 0; k < save_times.size(); ++k) {
        std::vector<std::vector<double>> positions;
        for (Chain& chain : chains_) {
          if (chain.unstable || !CheckState(chain, k)) continue;
          positions.push_back(OriginalPosition(&chain.saved[k * 2 * dim_]));
        }
        window_closed = adaptation.AddIteration(iteration + static_cast<int>(k), positions);
      }
      iteration = end;
      if (window_closed && adapt_mass) {
        RETURN_IF_ERROR(SetInverseMass(adaptation.inverse_mass(), ++round));
        if (probe) ProbeStep(round);
      }
      ReportProgress(false);
    }
  }

  // Sampling: kDrawsPerRound draws per round, each at warmup_time + k thin_time.
  const double sampling_time = total_time_ - options_.warmup_time;
  for (uint32_t first = 0; first < options_.num_draws; first += kDrawsPerRound) {
    const uint32_t last = std::min<uint32_t>(options_.num_draws, first + kDrawsPerRound);
    std::vector<double> save_times;
    for (uint32_t k = first + 1; k <= last; ++k) {
      save_times.push_back(GridTime(options_.warmup_time, sampling_time, k, options_.num_draws));
    }
    const double begin = GridTime(options_.warmup_time, sampling_time, first, options_.num_draws);
    std::vector<bool> was_unstable(num_chains_);
    for (uint32_t c = 0; c < num_chains_; ++c) was_unstable[c] = chains_[c].unstable;
    RETURN_IF_ERROR(RunRound(begin, save_times, /*warmup=*/false));
    for (uint32_t c = 0; c < num_chains_; ++c) {
      if (was_unstable[c]) continue;
      Chain& chain = chains_[c];
      chain.unstable = false;  // re-judged draw by draw: the draws before a failure are kept
      std::vector<double> positions;
      for (size_t k = 0; k < save_times.size() && CheckState(chain, k); ++k) {
        std::vector<double> x = OriginalPosition(&chain.saved[k * 2 * dim_]);
        positions.insert(positions.end(), x.begin(), x.end());
        draws_[c].push_back(std::move(x));
      }
      if (positions.size() < save_times.size() * dim_) chain.unstable = true;
      if (options_.on_draws && !positions.empty()) options_.on_draws(c, first, positions);
    }
    ReportProgress(last == options_.num_draws);
  }
  return Finish();
}

SamplerResult SamplerRun::Finish() {
  SamplerResult result;
  result.num_chains = num_chains_;
  result.dim = dim_;
  std::vector<std::vector<std::vector<double>>> stable;
  uint64_t accepted_sampling = 0;
  for (uint32_t c = 0; c < num_chains_; ++c) {
    const Chain& chain = chains_[c];
    result.kept_draws += draws_[c].size();
    result.gradient_evaluations_warmup += chain.gradients_warmup;
    result.gradient_evaluations_sampling += chain.gradients_sampling;
    result.steps_accepted += chain.steps_accepted;
    result.steps_rejected += chain.steps_rejected;
    if (chain.unstable) {
      result.unstable_chains.push_back(c);
    } else {
      accepted_sampling += chain.steps_accepted_sampling;
      stable.push_back(draws_[c]);
    }
  }
  if (!stable.empty()) {
    absl::StatusOr<std::vector<ParameterSummary>> summary = SummarizeAll(stable);
    if (summary.ok()) result.diagnostics = *std::move(summary);
  }
  if (options_.step && std::holds_alternative<control::AdaptiveStep>(*options_.step)) {
    const double sampling_time = total_time_ - options_.warmup_time;
    result.step_size =
        accepted_sampling > 0 ? sampling_time * stable.size() / accepted_sampling : 0.0;
  } else {
    // The sampling grid's step: thin_time over the intervals it is cut into.
    const std::vector<double> grid = Grid(options_.warmup_time, {options_.warmup_time + thin_});
    result.step_size = thin_ / static_cast<double>(grid.size() - 1);
  }
  result.inverse_mass = potential_->inverse_mass();
  result.gamma = gamma_;
  result.u = u_;
  result.algorithm = absl::StrCat(kSamplerVersion, "/", std::string(method_.info().name), "/",
                                  brownian::kAlgorithmVersion);
  if (options_.keep_draws) result.draws = std::move(draws_);
  result.wall_seconds = Seconds(started_);
  return result;
}

}  // namespace

SamplerCost EstimateSamplerCost(const SamplerOptions& options, int dim) {
  SamplerCost cost;
  const double total_time = options.warmup_time + options.num_draws * options.ResolvedThinTime();
  // The step grid cuts each warm-up iteration and each thin_time evenly.
  const uint64_t intervals =
      uint64_t{options.num_draws} + (options.warmup_time > 0.0 ? kWarmupIterations : 0);
  const double u = options.u > 0.0 ? options.u : 1.0;
  double dt = kUnitCurvatureStepScale / std::sqrt(u);
  if (options.step) {
    if (const auto* constant = std::get_if<control::ConstantStep>(&*options.step)) {
      dt = constant->dt;
    } else if (const auto* pid = std::get_if<control::AdaptiveStep>(&*options.step)) {
      if (pid->dt0 > 0.0) dt = pid->dt0;
    }
  }
  const double cap = static_cast<double>(options.ResolvedMaxStepsPerChain());
  const double steps = std::ceil(total_time / dt) + static_cast<double>(intervals);
  cost.steps_per_chain =
      !(steps < cap) ? options.ResolvedMaxStepsPerChain() : static_cast<uint64_t>(steps);
  // A draw is a vector of dim doubles: its heap block and its 24-byte header
  // (about 40 bytes beyond the values), held twice (the chain's draws and the
  // stable chains' copy that Finish summarises). Validated options keep
  // num_chains num_draws dim within kMaxDrawValues: no overflow.
  const uint64_t per_draw = sizeof(double) * static_cast<uint64_t>(dim) + 40;
  cost.draw_bytes = 2 * uint64_t{options.ResolvedNumChains()} * options.num_draws * per_draw;
  return cost;
}

absl::StatusOr<SamplerResult> Sample(std::shared_ptr<const model::Potential> target,
                                     const SamplerOptions& options) {
  if (target == nullptr) return absl::InvalidArgumentError("target: required");
  RETURN_IF_ERROR(options.Validate());
  SamplerRun run(std::move(target), options);
  return run.Run();
}

}  // namespace pathwise::mcmc
