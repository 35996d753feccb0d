// Giles' standard multilevel Monte Carlo figures (Giles, Acta Numerica 24,
// 2015, §3 and Fig. 3.1; the mlmc_test routine of his MLMC code), for a
// European call on GBM with Milstein and on Heston's S with Euler (and, the
// level study only, on Heston with the Feller condition violated):
//   1. a level study: N samples at every level l = 0..L of P_l and of the
//      corrections Y_l = P_l - P_{l-1}, their variances and means, and the
//      fitted rates beta (V[Y_l] ~ 2^-beta l) and alpha (|E[Y_l]| ~ 2^-alpha l,
//      over the levels whose mean is resolved from the noise), from level 2 on;
//   2. a complexity study: core::Estimate to several RMSE targets eps, its
//      samples per level, and eps^2 x cost against plain Monte Carlo
//      (Estimator::kMonteCarlo on the finest step the multilevel estimate
//      used), each pair run back to back so load falls on both alike;
//   3. antithetic pairs: the variance per path-step of P_0 and Y_l with and
//      without the mirror path, on symmetric and on non-symmetric cases.
// Every run has a fixed seed; docs/mlmc.md shows the results.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/estimate/estimate.h"
#include "core/estimate/level_sampler.h"
#include "core/estimate/sample_layout.h"
#include "core/model/catalog.h"
#include "core/solver/registry.h"
#include "core/util/status_macros.h"
#include "plot/svg_chart.h"
#include "tools/lab/commands.h"
#include "tools/lab/option_prices.h"

namespace pathwise::lab {
namespace {

// The call both models price: S0 = K = 1, T = 1.
constexpr double kStrike = 1.0;
constexpr double kMaturity = 1.0;
// GBM: r = 0.05, sigma = 0.2 (the built-in's defaults).
constexpr double kGbmRate = 0.05;
constexpr double kGbmSigma = 0.2;
// Heston: the built-in's defaults (kappa = 2, theta = 0.04, xi = 0.3,
// rho = -0.7, r = 0.02; the Feller condition 2 kappa theta >= xi^2 holds) and
// v0 = theta.
constexpr double kHestonV0 = 0.04;
// Level fits start here: levels 0 and 1 are pre-asymptotic (Giles fits from
// level 2 on as well).
constexpr int kFitFrom = 2;
// alpha is fitted over the levels whose mean is this many standard errors
// from 0.
constexpr double kResolved = 3.0;
// --check's band for the fitted beta of the GBM call. The fit's spread: with
// --quick (4096 samples at levels 2..5) seeds 1..10 gave 1.90 .. 2.05 (standard
// deviation 0.05), so 0.3 is 6 standard deviations; a coupling that drives
// the coarse solve with another path gives beta near 0.
constexpr double kBetaTolerance = 0.3;

struct Settings {
  uint64_t seed = 1;
  int threads = 1;
  bool quick = false;
};

// One option-pricing problem of the study.
struct Problem {
  std::string key;    // prefix of the report's names: "gbm", "heston", "heston_feller"
  std::string title;  // for the figure
  std::unique_ptr<model::Sde> sde;
  const solver::Method* method = nullptr;
  estimate::FunctionalScope scope;
  std::vector<double> y0;
  std::string functional;
  double exact = 0.0;      // the closed form
  std::string exact_name;  // which closed form
  double alpha_theory = 1.0, beta_theory = 1.0;
  int study_max_level = 6;
  uint64_t study_samples = 1 << 12;
  std::vector<double> eps;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Blocks 0 .. blocks - 1 of `sampler` on `threads` threads, combined in
// block order (so the result does not depend on the threads).
absl::StatusOr<estimate::SampleMoments> SampleLevel(const estimate::LevelSampler& sampler,
                                                    uint64_t blocks, int threads) {
  std::vector<absl::StatusOr<estimate::SampleMoments>> results(blocks,
                                                               absl::UnknownError("not run"));
  std::atomic<uint64_t> next{0};
  auto work = [&] {
    for (uint64_t b = next.fetch_add(1); b < blocks; b = next.fetch_add(1)) {
      results[b] = sampler.SampleBlock(b);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  estimate::SampleMoments total;
  for (const auto& r : results) {
    if (!r.ok()) return r.status();
    total.Merge(*r);
  }
  return total;
}

// N samples of P_l (coupled = false) or Y_l (coupled = true) at `level`.
absl::StatusOr<estimate::SampleMoments> SampleAt(const model::Sde& sde,
                                                 const solver::Method& method,
                                                 const estimate::Functional& functional,
                                                 const estimate::EstimateOptions& opts, int level,
                                                 bool coupled, uint64_t samples, int threads) {
  ASSIGN_OR_RETURN(std::unique_ptr<estimate::LevelSampler> sampler,
                   estimate::LevelSampler::Create(sde, method, functional, opts, level, coupled));
  const uint64_t blocks = (samples + estimate::kBlockSamples - 1) / estimate::kBlockSamples;
  return SampleLevel(*sampler, blocks, threads);
}

// Negated least-squares slope of log2 |values[i]| against levels[i]: the
// rate r of |value_l| ~ 2^-r l.
double DecayRate(const std::vector<int>& levels, const std::vector<double>& values) {
  double n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  for (size_t i = 0; i < levels.size(); ++i) {
    const double x = levels[i], y = std::log2(std::fabs(values[i]));
    n += 1.0;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  return -(n * sxy - sx * sy) / (n * sxx - sx * sx);
}

estimate::EstimateOptions BaseOptions(const Problem& p, const Settings& s) {
  estimate::EstimateOptions o;
  o.t0 = 0.0;
  o.t1 = kMaturity;
  o.y0 = p.y0;
  o.seed = s.seed;
  o.functional = p.functional;
  o.threads = s.threads;
  return o;
}

// ---- 1. the level study ----

struct LevelRow {
  int level = 0;
  double dt = 0.0;
  estimate::SampleMoments p, y;  // P_l, and Y_l (= P_0 at level 0)
};

struct LevelStudy {
  std::vector<LevelRow> rows;
  double beta = 0.0;
  // NaN when fewer than two levels have a mean resolved from the noise.
  double alpha = NAN;
  int alpha_levels = 0;  // the levels alpha was fitted over
};

absl::StatusOr<LevelStudy> RunLevelStudy(const Problem& p, const estimate::Functional& f,
                                         const Settings& s) {
  estimate::EstimateOptions o = BaseOptions(p, s);
  o.target_rmse = 1.0;              // unused by the samplers; must be valid
  o.max_level = p.study_max_level;  // the tree's tol: half the finest step studied
  RETURN_IF_ERROR(o.Validate());
  LevelStudy study;
  std::vector<int> fit_levels, mean_levels;
  std::vector<double> means, variances;
  for (int l = 0; l <= p.study_max_level; ++l) {
    LevelRow row{l, o.LevelDt(l), {}, {}};
    ASSIGN_OR_RETURN(row.p,
                     SampleAt(*p.sde, *p.method, f, o, l, false, p.study_samples, s.threads));
    if (l == 0) {
      row.y = row.p;
    } else {
      ASSIGN_OR_RETURN(row.y,
                       SampleAt(*p.sde, *p.method, f, o, l, true, p.study_samples, s.threads));
    }
    if (l >= kFitFrom) {
      fit_levels.push_back(l);
      variances.push_back(row.y.Variance());
      // alpha only from means at least kResolved standard errors from 0: a
      // mean lost in the noise says nothing about the weak error's decay.
      const double se = std::sqrt(row.y.Variance() / static_cast<double>(row.y.count));
      if (std::fabs(row.y.mean) >= kResolved * se) {
        mean_levels.push_back(l);
        means.push_back(row.y.mean);
      }
    }
    study.rows.push_back(row);
  }
  study.beta = DecayRate(fit_levels, variances);
  study.alpha_levels = static_cast<int>(mean_levels.size());
  if (study.alpha_levels >= 2) study.alpha = DecayRate(mean_levels, means);
  return study;
}

// ---- 2. the complexity study ----

struct Timed {
  estimate::EstimateResult result;
  double wall_s = 0.0, cpu_s = 0.0;
};

absl::StatusOr<Timed> TimedEstimate(const Problem& p, const estimate::EstimateOptions& o) {
  const auto wall0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  ASSIGN_OR_RETURN(estimate::EstimateResult r, estimate::Estimate(*p.sde, *p.method, p.scope, o));
  Timed t{std::move(r), Seconds(wall0), static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC};
  return t;
}

struct Complexity {
  double eps = 0.0;
  Timed mlmc, mc;
};

// MLMC to eps, then plain Monte Carlo on its finest step (and the same tree).
absl::StatusOr<Complexity> RunComplexity(const Problem& p, double eps, const Settings& s) {
  estimate::EstimateOptions o = BaseOptions(p, s);
  o.target_rmse = eps;
  Complexity c{eps, {}, {}};
  ASSIGN_OR_RETURN(c.mlmc, TimedEstimate(p, o));
  o.brownian.tol = o.ResolvedTol();
  o.estimator = estimate::Estimator::kMonteCarlo;
  o.max_level = c.mlmc.result.levels.back().level;
  ASSIGN_OR_RETURN(c.mc, TimedEstimate(p, o));
  return c;
}

// ---- the report and figures ----

std::string Eps(double eps) { return absl::StrFormat("%g", eps); }

plot::Figure StudyFigure(const Problem& p, const LevelStudy& study,
                         const std::vector<Complexity>& runs, uint64_t seed) {
  plot::Figure fig;
  fig.title = absl::StrFormat("%s, seed %d: %d samples per level%s", p.title, seed, p.study_samples,
                              runs.empty() ? "" : " (top), MLMC to RMSE eps (bottom)");
  fig.plot_height = 220;
  // log2 of the variances and |means| on linear axes, as Giles plots them.
  std::vector<double> levels, p_var, y_var, p_mean, y_mean, theory_var, theory_mean;
  for (const LevelRow& r : study.rows) {
    levels.push_back(r.level);
    p_var.push_back(std::log2(r.p.Variance()));
    p_mean.push_back(std::log2(std::fabs(r.p.mean)));
    // Y_0 = P_0: the corrections' lines start at level 1.
    y_var.push_back(r.level == 0 ? NAN : std::log2(r.y.Variance()));
    y_mean.push_back(r.level == 0 ? NAN : std::log2(std::fabs(r.y.mean)));
  }
  // Theory slopes through the corrections at the first fitted level.
  const LevelRow& anchor = study.rows[kFitFrom];
  for (double l : levels) {
    theory_var.push_back(l >= 1 ? std::log2(anchor.y.Variance()) - p.beta_theory * (l - kFitFrom)
                                : NAN);
    theory_mean.push_back(
        l >= 1 ? std::log2(std::fabs(anchor.y.mean)) - p.alpha_theory * (l - kFitFrom) : NAN);
  }
  const plot::LineStyle p_style{"#1f77b4", 2, "", 1, true};
  const plot::LineStyle y_style{"#d62728", 2, "", 1, true};
  const plot::LineStyle theory_style{"#7f7f7f", 1.5, "6 4", 1, false};
  plot::Panel var{"level l", "log2 variance", plot::Scale::kLinear, plot::Scale::kLinear, {}, {}};
  var.lines = {{"P_l", p_style, levels, p_var},
               {"P_l - P_(l-1)", y_style, levels, y_var},
               {absl::StrFormat("theory: slope -beta = -%g (variance), -alpha = -%g (mean)",
                                p.beta_theory, p.alpha_theory),
                theory_style, levels, theory_var}};
  plot::Panel mean{"level l", "log2 |mean|", plot::Scale::kLinear, plot::Scale::kLinear, {}, {}};
  mean.lines = {{"P_l", p_style, levels, p_mean},
                {"P_l - P_(l-1)", y_style, levels, y_mean},
                {var.lines[2].label, theory_style, levels, theory_mean}};
  plot::Panel samples{"level l", "samples N_l", plot::Scale::kLinear, plot::Scale::kLog10, {}, {}};
  const char* colors[] = {"#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"};
  plot::Panel cost{"eps", "eps^2 x path steps", plot::Scale::kLog10, plot::Scale::kLog10, {}, {}};
  std::vector<double> eps, ml_cost, mc_cost;
  for (size_t i = 0; i < runs.size(); ++i) {
    const Complexity& c = runs[i];
    std::vector<double> l, n;
    for (const estimate::LevelStatistics& s : c.mlmc.result.levels) {
      l.push_back(s.level);
      n.push_back(static_cast<double>(s.paths));
    }
    samples.lines.push_back(
        {"eps = " + Eps(c.eps), {colors[i % 6], 1.5, "", 1, true}, std::move(l), std::move(n)});
    eps.push_back(c.eps);
    ml_cost.push_back(c.eps * c.eps * static_cast<double>(c.mlmc.result.total_path_steps));
    mc_cost.push_back(c.eps * c.eps * static_cast<double>(c.mc.result.total_path_steps));
  }
  cost.lines = {
      {"MLMC", {"#d62728", 2, "", 1, true}, eps, ml_cost},
      {"plain Monte Carlo, finest MLMC step", {"#1f77b4", 2, "6 4", 1, true}, eps, mc_cost}};
  fig.panels = {std::move(var), std::move(mean)};
  if (!runs.empty()) {
    fig.panels.push_back(std::move(samples));
    fig.panels.push_back(std::move(cost));
  }
  return fig;
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) return absl::InternalError("--plots: cannot write " + path);
  return absl::OkStatus();
}

// Adds the problem's tables and scalars to `rep`.
void ReportProblem(const Problem& p, const LevelStudy& study, const std::vector<Complexity>& runs,
                   Report& rep) {
  const std::string& k = p.key;
  rep.scalars.push_back({k + "_" + p.exact_name, p.exact});
  rep.scalars.push_back({k + "_alpha", study.alpha});
  rep.scalars.push_back({k + "_alpha_levels", static_cast<double>(study.alpha_levels)});
  rep.scalars.push_back({k + "_alpha_theory", p.alpha_theory});
  rep.scalars.push_back({k + "_beta", study.beta});
  rep.scalars.push_back({k + "_beta_theory", p.beta_theory});
  Table levels{k + "_levels",
               {"level", "dt", "samples", "mean_P", "var_P", "mean_Y", "se_mean_Y", "var_Y",
                "log2_var_Y", "log2_abs_mean_Y"},
               {}};
  for (const LevelRow& r : study.rows) {
    const double se = std::sqrt(r.y.Variance() / static_cast<double>(r.y.count));
    levels.rows.push_back({static_cast<double>(r.level), r.dt, static_cast<double>(r.y.count),
                           r.p.mean, r.p.Variance(), r.y.mean, se, r.y.Variance(),
                           std::log2(r.y.Variance()), std::log2(std::fabs(r.y.mean))});
  }
  rep.tables.push_back(std::move(levels));
  Table cx{k + "_complexity",
           {"eps", "L", "value", "error", "rmse_estimate", "alpha", "beta", "mlmc_steps",
            "mc_steps", "step_ratio", "mc_value", "mc_se", "mlmc_wall_s", "mc_wall_s", "wall_ratio",
            "mlmc_cpu_s", "mc_cpu_s", "converged"},
           {}};
  Table samples{k + "_samples", {"eps", "level", "samples"}, {}};
  for (const Complexity& c : runs) {
    const estimate::EstimateResult& ml = c.mlmc.result;
    const estimate::EstimateResult& mc = c.mc.result;
    const double ratio =
        static_cast<double>(mc.total_path_steps) / static_cast<double>(ml.total_path_steps);
    cx.rows.push_back({c.eps, static_cast<double>(ml.levels.back().level), ml.value,
                       ml.value - p.exact, ml.rmse_estimate, ml.alpha, ml.beta,
                       static_cast<double>(ml.total_path_steps),
                       static_cast<double>(mc.total_path_steps), ratio, mc.value, mc.standard_error,
                       c.mlmc.wall_s, c.mc.wall_s, c.mc.wall_s / c.mlmc.wall_s, c.mlmc.cpu_s,
                       c.mc.cpu_s, std::string(ml.converged && mc.converged ? "yes" : "no")});
    for (const estimate::LevelStatistics& s : ml.levels) {
      samples.rows.push_back({c.eps, static_cast<double>(s.level), static_cast<double>(s.paths)});
    }
    if (c.eps == 5e-4) rep.scalars.push_back({k + "_step_ratio_at_5e-4", ratio});
  }
  rep.tables.push_back(std::move(cx));
  rep.tables.push_back(std::move(samples));
}

// The model, method and functional of a problem (the rest is the caller's).
absl::StatusOr<Problem> MakeProblem(const std::string& key, const std::string& title,
                                    const std::string& model_name, const model::ParamMap& params,
                                    const std::string& method, std::vector<double> y0,
                                    const std::string& functional) {
  Problem p;
  p.key = key;
  p.title = title;
  ASSIGN_OR_RETURN(p.sde, model::MakeBuiltinModel(model_name, params, static_cast<int>(y0.size())));
  ASSIGN_OR_RETURN(p.method, solver::FindMethod(method));
  for (const model::ModelInfo& info : model::BuiltinModels()) {
    if (info.name == model_name) p.scope.state_names = info.state_names;
  }
  p.y0 = std::move(y0);
  p.functional = functional;
  return p;
}

absl::StatusOr<Problem> GbmProblem(bool quick) {
  ASSIGN_OR_RETURN(
      Problem p,
      MakeProblem("gbm", "GBM call, Milstein (r = 0.05, sigma = 0.2, S0 = K = 1, T = 1)", "gbm",
                  {{"mu", kGbmRate}, {"sigma", kGbmSigma}}, "milstein", {1.0},
                  absl::StrFormat("exp(-%g) * max(y - %g, 0)", kGbmRate * kMaturity, kStrike)));
  p.exact = BlackScholesCall(1.0, kStrike, kGbmRate, kGbmSigma, kMaturity);
  p.exact_name = "black_scholes";
  // Giles 2015 §2.3, §3: Milstein's strong order 1 gives beta = 2 for a
  // Lipschitz payoff, its weak order 1 alpha = 1.
  p.alpha_theory = 1.0;
  p.beta_theory = 2.0;
  p.study_max_level = quick ? 5 : 8;
  p.study_samples = quick ? 1 << 12 : 1 << 14;
  p.eps =
      quick ? std::vector<double>{2e-3, 1e-3} : std::vector<double>{2e-3, 1e-3, 5e-4, 3e-4, 2e-4};
  return p;
}

// `feller_violated`: xi = 1 instead of 0.3 (2 kappa theta = 0.16 < xi^2), a
// level study only.
absl::StatusOr<Problem> HestonProblem(bool quick, bool feller_violated = false) {
  HestonParameters params;  // the built-in's defaults
  if (feller_violated) params.xi = 1.0;
  ASSIGN_OR_RETURN(
      Problem p,
      MakeProblem(
          feller_violated ? "heston_feller" : "heston",
          absl::StrFormat("Heston call on S, Euler (kappa = 2, theta = v0 = 0.04, xi = %g%s, "
                          "rho = -0.7, r = 0.02, S0 = K = 1, T = 1)",
                          params.xi, feller_violated ? ": Feller condition violated" : ""),
          "heston", {{"xi", params.xi}}, "euler", {1.0, kHestonV0},
          absl::StrFormat("exp(-%g) * max(S - %g, 0)", params.r * kMaturity, kStrike)));
  p.exact = HestonCall(1.0, kHestonV0, kStrike, kMaturity, params);
  p.exact_name = "heston_semi_closed";
  // Euler: weak order 1, strong order 1/2 (beta = 1) for Lipschitz
  // coefficients; sqrt(v) is not Lipschitz at 0, which may lower both.
  p.alpha_theory = 1.0;
  p.beta_theory = 1.0;
  p.study_max_level = quick ? 4 : 7;
  p.study_samples = quick ? 1 << 10 : 1 << 14;
  if (!feller_violated) {
    p.eps = quick ? std::vector<double>{5e-3} : std::vector<double>{4e-3, 2e-3, 1e-3, 7e-4, 5e-4};
  }
  return p;
}

// The antithetic study: for each case, P_0 and Y_1 .. Y_L with and without
// mirror paths (the same N samples), and the gain in variance per path-step
// V_plain C_plain / (V_anti C_anti): above 1 the mirror pays for its solve.
absl::Status RunAntithetic(const Settings& s, Report& rep) {
  const int max_level = s.quick ? 2 : 4;
  const uint64_t samples = s.quick ? 1 << 10 : 1 << 14;
  // The last two are the study's calls; the first three are symmetric cases.
  // exp(-1) = E[y(1)] for OU: (y - exp(-1))^2 is even in the noise about the
  // noise-free path (up to Euler's bias of that path).
  std::vector<absl::StatusOr<Problem>> made;
  made.push_back(MakeProblem("ou_mean_euler", "OU (theta = 1, mu = 0, sigma = 1), f = y, Euler",
                             "ou", {}, "euler", {1.0}, "y"));
  made.push_back(MakeProblem("ou_centred_square_euler", "OU, f = (y - exp(-1))^2, Euler", "ou", {},
                             "euler", {1.0}, "(y - exp(-1))^2"));
  made.push_back(MakeProblem("gbm_mean_milstein_sigma_0.05",
                             "GBM (mu = 0.05, sigma = 0.05), f = y, Milstein", "gbm",
                             {{"mu", 0.05}, {"sigma", 0.05}}, "milstein", {1.0}, "y"));
  made.push_back(GbmProblem(s.quick));
  made.push_back(HestonProblem(s.quick));
  std::vector<Problem> cases;
  for (absl::StatusOr<Problem>& p : made) {
    if (!p.ok()) return p.status();
    cases.push_back(std::move(*p));
  }
  cases[3].key = "gbm_call_milstein";
  cases[4].key = "heston_call_euler";
  Table levels{
      "antithetic_levels",
      {"case", "level", "quantity", "var_plain", "var_antithetic", "steps_ratio", "gain_per_step"},
      {}};
  for (const Problem& p : cases) {
    ASSIGN_OR_RETURN(const estimate::Functional f,
                     estimate::Functional::Compile(p.functional, p.scope));
    estimate::EstimateOptions o = BaseOptions(p, s);
    o.target_rmse = 1.0;  // unused by the samplers
    o.max_level = max_level;
    RETURN_IF_ERROR(o.Validate());
    for (int l = 0; l <= max_level; ++l) {
      o.antithetic = false;
      ASSIGN_OR_RETURN(const estimate::SampleMoments plain,
                       SampleAt(*p.sde, *p.method, f, o, l, true, samples, s.threads));
      o.antithetic = true;
      ASSIGN_OR_RETURN(const estimate::SampleMoments anti,
                       SampleAt(*p.sde, *p.method, f, o, l, true, samples, s.threads));
      const double steps_ratio =
          static_cast<double>(anti.path_steps) / static_cast<double>(plain.path_steps);
      levels.rows.push_back({p.key, static_cast<double>(l),
                             std::string(l == 0 ? "P_0" : absl::StrFormat("Y_%d", l)),
                             plain.Variance(), anti.Variance(), steps_ratio,
                             plain.Variance() / (anti.Variance() * steps_ratio)});
    }
  }
  rep.tables.push_back(std::move(levels));
  // Whole estimates: the path steps MLMC needs with and without mirrors.
  Table totals{"antithetic_mlmc",
               {"case", "eps", "plain_steps", "antithetic_steps", "step_ratio", "plain_value",
                "antithetic_value", "antithetic_rmse_estimate"},
               {}};
  for (size_t i = 3; i < cases.size(); ++i) {
    const Problem& p = cases[i];
    const double eps = s.quick ? p.eps.front() : (i == 3 ? 5e-4 : 1e-3);
    estimate::EstimateOptions o = BaseOptions(p, s);
    o.target_rmse = eps;
    ASSIGN_OR_RETURN(const estimate::EstimateResult plain,
                     estimate::Estimate(*p.sde, *p.method, p.scope, o));
    o.antithetic = true;
    ASSIGN_OR_RETURN(const estimate::EstimateResult anti,
                     estimate::Estimate(*p.sde, *p.method, p.scope, o));
    totals.rows.push_back(
        {p.key, eps, static_cast<double>(plain.total_path_steps),
         static_cast<double>(anti.total_path_steps),
         static_cast<double>(plain.total_path_steps) / static_cast<double>(anti.total_path_steps),
         plain.value, anti.value, anti.rmse_estimate});
  }
  rep.tables.push_back(std::move(totals));
  return absl::OkStatus();
}

// --check on the GBM call: the coupling must give Milstein's variance rate,
// and every estimate must be within 3 of its own RMSE estimates of
// Black-Scholes.
void CheckGbm(const Problem& p, const LevelStudy& study, const std::vector<Complexity>& runs,
              std::vector<std::string>& failures) {
  if (std::fabs(study.beta - p.beta_theory) > kBetaTolerance) {
    failures.push_back(absl::StrFormat("fitted beta %.3f is not within %.2f of %g", study.beta,
                                       kBetaTolerance, p.beta_theory));
  }
  for (const Complexity& c : runs) {
    const estimate::EstimateResult& r = c.mlmc.result;
    if (!r.converged)
      failures.push_back("the estimate to eps = " + Eps(c.eps) + " did not converge");
    if (!(std::fabs(r.value - p.exact) <= 3.0 * r.rmse_estimate)) {
      failures.push_back(absl::StrFormat(
          "eps = %s: |%.6f - %.6f (Black-Scholes)| exceeds 3 RMSE estimates (3 x %.3g)", Eps(c.eps),
          r.value, p.exact, r.rmse_estimate));
    }
  }
}

}  // namespace

std::vector<cmdline::FlagSpec> MlmcFlags() {
  return {{"quick", cmdline::FlagKind::kSwitch},
          {"check", cmdline::FlagKind::kSwitch},
          {"seed"},
          {"threads"},
          {"plots"},
          {"parts"},
          {"format"}};
}

absl::StatusOr<Report> RunMlmc(const cmdline::Args& args) {
  Settings s;
  s.quick = args.Switch("quick");
  s.seed = args.Unsigned("seed", 1);
  s.threads = static_cast<int>(args.Int("threads", 1, 1, 1024));
  const std::string plots = args.String("plots", "");
  const bool check = args.Switch("check");
  const std::vector<std::string> parts =
      cmdline::ParseWordList("parts", args.String("parts", "gbm,heston,heston-feller,antithetic"));
  for (const std::string& part : parts) {
    if (part != "gbm" && part != "heston" && part != "heston-feller" && part != "antithetic") {
      throw cmdline::UsageError{"--parts: unknown part '" + part +
                                "' (known: gbm, heston, heston-feller, antithetic)"};
    }
  }
  auto wants = [&](const char* part) {
    return std::find(parts.begin(), parts.end(), part) != parts.end();
  };
  Report rep;
  rep.title = absl::StrFormat("multilevel Monte Carlo (%s), seed %d%s", estimate::kEstimatorVersion,
                              s.seed, s.quick ? ", quick" : "");
  std::vector<std::string> failures;
  for (const char* key : {"gbm", "heston", "heston-feller"}) {
    if (!wants(key)) continue;
    const std::string name = key;
    ASSIGN_OR_RETURN(const Problem p, name == "gbm" ? GbmProblem(s.quick)
                                                    : HestonProblem(s.quick, name != "heston"));
    ASSIGN_OR_RETURN(const estimate::Functional f,
                     estimate::Functional::Compile(p.functional, p.scope));
    ASSIGN_OR_RETURN(const LevelStudy study, RunLevelStudy(p, f, s));
    std::vector<Complexity> runs;
    for (double eps : p.eps) {
      ASSIGN_OR_RETURN(Complexity c, RunComplexity(p, eps, s));
      runs.push_back(std::move(c));
    }
    ReportProblem(p, study, runs, rep);
    if (check && p.key == "gbm") CheckGbm(p, study, runs, failures);
    if (!plots.empty()) {
      RETURN_IF_ERROR(WriteFile(plots + "/" + p.key + ".svg",
                                plot::RenderSvg(StudyFigure(p, study, runs, s.seed))));
    }
  }
  if (wants("antithetic")) RETURN_IF_ERROR(RunAntithetic(s, rep));
  if (!failures.empty()) {
    return absl::InternalError("--check failed: " + absl::StrJoin(failures, "; "));
  }
  return rep;
}

}  // namespace pathwise::lab
