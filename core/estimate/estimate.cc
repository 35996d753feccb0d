#include "core/estimate/estimate.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/brownian/path_spec.h"
#include "core/estimate/level_sampler.h"
#include "core/estimate/sample_layout.h"
#include "core/util/run_on_threads.h"
#include "core/util/status_macros.h"

namespace pathwise::estimate {
namespace {

// The smallest weak order and variance rate the fits may give: slower decay
// than this is taken as noise in the fit (Giles 2015 §2.1 assumes alpha >=
// beta/2 and beta > 0), and 1 is used before two corrections exist (Euler's
// rates, the lowest of the methods').
constexpr double kMinRate = 0.5;
constexpr double kRateWithoutFit = 1.0;
// Giles' test for "the sample counts have settled": no level wants more
// than 1% more samples.
constexpr double kSettled = 0.01;
// Blocks per runner call (65536 samples): enough to keep any pool busy.
constexpr size_t kChunkBlocks = 1024;

struct Level {
  std::unique_ptr<LevelSampler> sampler;
  SampleMoments moments;       // its blocks combined in block order
  uint64_t blocks = 0;         // blocks 0 .. blocks - 1 are in `moments`
  double nominal_steps = 0.0;  // path steps per sample before any is measured

  uint64_t samples() const { return blocks * kBlockSamples; }
  double StepsPerSample() const {
    return moments.count > 0
               ? static_cast<double>(moments.path_steps) / static_cast<double>(moments.count)
               : nominal_steps;
  }
};

// Least-squares slope of log2 |values[l]| over l = 1 .. L, negated: the rate
// r in |values[l]| ~ 2^-r l. Levels with a zero value carry no information.
double FittedRate(const std::vector<double>& values) {
  double n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  for (size_t l = 1; l < values.size(); ++l) {
    if (!(std::fabs(values[l]) > 0.0)) continue;
    const double x = static_cast<double>(l), y = std::log2(std::fabs(values[l]));
    n += 1.0;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n < 2.0) return kRateWithoutFit;
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return std::max(kMinRate, -slope);
}

class Driver {
 public:
  Driver(const model::Sde& sde, const solver::Method& method, const Functional& functional,
         const EstimateOptions& opts)
      : sde_(sde), method_(method), functional_(functional), opts_(opts) {}

  absl::StatusOr<EstimateResult> Run();

 private:
  bool multilevel() const { return opts_.estimator == Estimator::kMultilevel; }
  bool Cancelled() const { return opts_.cancel != nullptr && opts_.cancel->load(); }
  static absl::Status CancelledError() { return absl::CancelledError("estimate cancelled"); }
  absl::Status AddLevel(int level);
  // Runs the blocks wanted beyond those done, within the path-step budget.
  // Returns false when nothing was left to run.
  absl::StatusOr<bool> RunRound(const std::vector<uint64_t>& wanted_blocks);
  // Samples wanted per level for variance target^2 / 2 (Giles 2015, (2.3)):
  // N_l = 2 / eps^2 sqrt(V_l / C_l) sum_k sqrt(V_k C_k).
  std::vector<uint64_t> WantedBlocks(const std::vector<double>& variances) const;
  std::vector<double> Variances(double beta) const;
  double BiasEstimate(double alpha) const;
  void Emit(const Level& level) const;

  const model::Sde& sde_;
  const solver::Method& method_;
  const Functional& functional_;
  const EstimateOptions& opts_;
  std::vector<Level> levels_;
  uint64_t total_steps_ = 0;
  bool budget_reached_ = false;
};

absl::Status Driver::AddLevel(int level) {
  ASSIGN_OR_RETURN(std::unique_ptr<LevelSampler> sampler,
                   LevelSampler::Create(sde_, method_, functional_, opts_, level, multilevel()));
  Level entry;
  entry.sampler = std::move(sampler);
  const double span = opts_.t1 - opts_.t0;
  const double fine = std::ceil(span / opts_.LevelDt(level));
  const double coarse = multilevel() && level > 0 ? std::ceil(span / opts_.LevelDt(level - 1)) : 0;
  entry.nominal_steps = (fine + coarse) * (opts_.antithetic ? 2.0 : 1.0);
  levels_.push_back(std::move(entry));
  return absl::OkStatus();
}

void Driver::Emit(const Level& level) const {
  if (!opts_.on_level) return;
  opts_.on_level(LevelStatistics{.level = level.sampler->level(),
                                 .dt = level.sampler->dt(),
                                 .paths = level.moments.count,
                                 .mean = level.moments.mean,
                                 .variance = level.moments.Variance(),
                                 .path_steps_per_sample = level.StepsPerSample()});
}

absl::StatusOr<bool> Driver::RunRound(const std::vector<uint64_t>& wanted_blocks) {
  std::vector<uint64_t> add(levels_.size(), 0);
  double cost = 0.0;
  for (size_t l = 0; l < levels_.size(); ++l) {
    const uint64_t cap = kMaxSamplesPerLevel / kBlockSamples;
    const uint64_t wanted = std::min(wanted_blocks[l], cap);
    if (wanted < wanted_blocks[l]) budget_reached_ = true;
    add[l] = wanted > levels_[l].blocks ? wanted - levels_[l].blocks : 0;
    cost += static_cast<double>(add[l] * kBlockSamples) * levels_[l].StepsPerSample();
  }
  const uint64_t budget = opts_.ResolvedMaxPathSteps();
  const double left = static_cast<double>(budget > total_steps_ ? budget - total_steps_ : 0);
  if (cost > left) {
    // Scale the round down to what the budget allows, then stop.
    budget_reached_ = true;
    for (uint64_t& blocks : add) {
      blocks = static_cast<uint64_t>(std::floor(static_cast<double>(blocks) * (left / cost)));
    }
  }
  // The round's blocks, in level then block order, run in chunks of at most
  // kChunkBlocks per runner call: the tasks and results held at once stay
  // bounded however large the round (a round may be millions of blocks), the
  // cancel flag and the level statistics are seen between chunks, and each
  // level's blocks are still merged in block order, so the bits are those of
  // the whole round at once.
  std::vector<uint64_t> next(levels_.size()), end(levels_.size());
  uint64_t left_blocks = 0;
  for (size_t l = 0; l < levels_.size(); ++l) {
    next[l] = levels_[l].blocks;
    end[l] = levels_[l].blocks + add[l];
    left_blocks += add[l];
  }
  if (left_blocks == 0) return false;
  std::vector<std::pair<size_t, uint64_t>> tasks;  // (level, block)
  std::vector<absl::StatusOr<SampleMoments>> results;
  const std::function<void(size_t)> task = [&](size_t i) {
    if (Cancelled()) {
      results[i] = CancelledError();  // skipped: no block starts once cancelled
      return;
    }
    results[i] = levels_[tasks[i].first].sampler->SampleBlock(tasks[i].second);
  };
  size_t level = 0;
  while (left_blocks > 0) {
    tasks.clear();
    for (; level < levels_.size() && tasks.size() < kChunkBlocks;) {
      if (next[level] == end[level]) {
        ++level;
      } else {
        tasks.push_back({level, next[level]++});
      }
    }
    results.assign(tasks.size(), absl::UnknownError("not run"));
    if (opts_.runner) {
      opts_.runner(tasks.size(), task);
    } else {
      util::RunOnThreads(tasks.size(), opts_.threads, task);
    }
    if (Cancelled()) return CancelledError();
    std::vector<bool> grew(levels_.size(), false);
    for (size_t i = 0; i < tasks.size(); ++i) {
      if (!results[i].ok()) return results[i].status();
      Level& grown = levels_[tasks[i].first];
      grown.moments.Merge(*results[i]);
      total_steps_ += results[i]->path_steps;
      ++grown.blocks;
      grew[tasks[i].first] = true;
    }
    for (size_t l = 0; l < levels_.size(); ++l) {
      if (grew[l]) Emit(levels_[l]);
    }
    left_blocks -= tasks.size();
  }
  return !budget_reached_;
}

std::vector<double> Driver::Variances(double beta) const {
  std::vector<double> v(levels_.size());
  for (size_t l = 0; l < levels_.size(); ++l) {
    v[l] = levels_[l].moments.Variance();
    // Giles' guard (mlmc.m, 2015) against a variance underestimated from few
    // samples: at least half what the decay predicts from the level below.
    if (multilevel() && l >= 2) v[l] = std::max(v[l], 0.5 * v[l - 1] * std::exp2(-beta));
  }
  return v;
}

std::vector<uint64_t> Driver::WantedBlocks(const std::vector<double>& variances) const {
  const double eps2 = opts_.target_rmse * opts_.target_rmse;
  double sum = 0.0;
  for (size_t l = 0; l < levels_.size(); ++l) {
    sum += std::sqrt(variances[l] * levels_[l].StepsPerSample());
  }
  std::vector<uint64_t> blocks(levels_.size());
  for (size_t l = 0; l < levels_.size(); ++l) {
    // A level with no variance wants no more samples; computed apart so that
    // 0 times a huge factor never makes a NaN.
    const double share = std::sqrt(variances[l] / levels_[l].StepsPerSample()) * sum;
    const double n = share > 0.0 ? std::ceil(2.0 / eps2 * share) : 0.0;
    const double b = std::ceil(n / static_cast<double>(kBlockSamples));
    const double cap = static_cast<double>(kMaxSamplesPerLevel / kBlockSamples) + 1.0;
    // !(b < cap) also takes a NaN (a rate fitted from degenerate variances) to
    // the cap, where the path-step budget ends the run: a double converted to
    // an integer must be in range.
    blocks[l] = std::max(levels_[l].blocks, static_cast<uint64_t>(b < cap ? b : cap));
  }
  return blocks;
}

double Driver::BiasEstimate(double alpha) const {
  // Giles 2015 (3.1): |E[P - P_L]| ~ |E[Y_L]| / (2^alpha - 1), with E[Y_L]
  // taken as max(|m_L|, |m_{L-1}| 2^-alpha) against a small m_L by chance.
  const size_t top = levels_.size() - 1;
  if (!multilevel() || top == 0) return 0.0;
  const double m = std::max(std::fabs(levels_[top].moments.mean),
                            std::fabs(levels_[top - 1].moments.mean) * std::exp2(-alpha));
  return m / (std::exp2(alpha) - 1.0);
}

absl::StatusOr<EstimateResult> Driver::Run() {
  const int max_level = opts_.ResolvedMaxLevel();
  if (multilevel()) {
    for (int l = 0; l <= std::min(2, max_level); ++l) RETURN_IF_ERROR(AddLevel(l));
  } else {
    RETURN_IF_ERROR(AddLevel(max_level));
  }
  const double eps = opts_.target_rmse;
  std::vector<uint64_t> wanted(levels_.size(), kInitialSamples / kBlockSamples);
  double alpha = kRateWithoutFit, beta = kRateWithoutFit;
  bool bias_too_large = false;
  for (;;) {
    ASSIGN_OR_RETURN(const bool more, RunRound(wanted));
    if (!more) break;
    std::vector<double> means(levels_.size()), raw(levels_.size());
    for (size_t l = 0; l < levels_.size(); ++l) {
      means[l] = levels_[l].moments.mean;
      raw[l] = levels_[l].moments.Variance();
    }
    if (multilevel()) {
      alpha = FittedRate(means);
      beta = FittedRate(raw);
    }
    std::vector<double> variances = Variances(beta);
    wanted = WantedBlocks(variances);
    bool settled = true;
    for (size_t l = 0; l < levels_.size(); ++l) {
      const double more_samples =
          static_cast<double>((wanted[l] - levels_[l].blocks) * kBlockSamples);
      if (more_samples > kSettled * static_cast<double>(levels_[l].samples())) settled = false;
    }
    bias_too_large = BiasEstimate(alpha) > eps / std::sqrt(2.0);
    if (multilevel() && settled && bias_too_large &&
        static_cast<int>(levels_.size()) <= max_level) {
      // A finer level (Giles 2015, Algorithm 1): its variance extrapolated
      // with beta until it has samples of its own.
      RETURN_IF_ERROR(AddLevel(static_cast<int>(levels_.size())));
      variances.push_back(variances.back() * std::exp2(-beta));
      wanted = WantedBlocks(variances);
      wanted.back() = std::max(wanted.back(), kInitialSamples / kBlockSamples);
    }
  }

  EstimateResult result;
  double variance = 0.0;
  for (const Level& level : levels_) {
    result.value += level.moments.mean;
    if (level.moments.count > 0) {
      variance += level.moments.Variance() / static_cast<double>(level.moments.count);
    }
    result.levels.push_back({.level = level.sampler->level(),
                             .dt = level.sampler->dt(),
                             .paths = level.moments.count,
                             .mean = level.moments.mean,
                             .variance = level.moments.Variance(),
                             .path_steps_per_sample = level.StepsPerSample()});
  }
  result.standard_error = std::sqrt(variance);
  result.bias_estimate = BiasEstimate(alpha);
  result.rmse_estimate = std::hypot(result.standard_error, result.bias_estimate);
  result.total_path_steps = total_steps_;
  result.path_step_budget_reached = budget_reached_;
  result.alpha = multilevel() ? alpha : 0.0;
  result.beta = multilevel() ? beta : 0.0;
  // The variance target with a relative slack for the rounding of sums.
  result.converged = !budget_reached_ && result.bias_estimate <= eps / std::sqrt(2.0) &&
                     variance <= 0.5 * eps * eps * (1.0 + 1e-12);
  result.algorithm = absl::StrCat(kEstimatorVersion, "/", brownian::kAlgorithmVersion);
  return result;
}

}  // namespace

absl::StatusOr<EstimateResult> Estimate(const model::Sde& sde, const solver::Method& method,
                                        const FunctionalScope& scope, const EstimateOptions& opts) {
  RETURN_IF_ERROR(opts.Validate());
  ASSIGN_OR_RETURN(const Functional functional, Functional::Compile(opts.functional, scope));
  if (functional.state_dim() != static_cast<size_t>(sde.state_dim())) {
    return absl::InvalidArgumentError(
        absl::StrCat("functional: the scope names ", functional.state_dim(),
                     " state components, the model has ", sde.state_dim()));
  }
  Driver driver(sde, method, functional, opts);
  return driver.Run();
}

}  // namespace pathwise::estimate
