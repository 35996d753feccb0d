// The posterior sampler (core/mcmc/sampler.h) on two benchmarks (docs/mcmc.md):
//
// 1. Bayesian logistic regression on the Wisconsin diagnostic breast-cancer
//    data (tools/lab/data/README.md): the 30 features standardised, an
//    intercept added (31 parameters), prior N(0, I). 8 chains, warm-up 100,
//    1000 draws each, everything else the sampler's default. Reported: the
//    harmonic mean over the parameters of the bulk ESS per 1000 gradient
//    evaluations (warm-up included), gradients per draw, and the accuracy
//    against a long reference run of our own (QUICSORT, half the default
//    step, 8 chains x --reference-draws): the largest |mean - mean_ref| / sd_ref
//    and |sd / sd_ref - 1| over the parameters.
// 2. Neal's funnel in 10 dimensions, x0 ~ N(0, 3^2), x_i | x0 ~ N(0, e^x0)
//    (Neal 2003, "Slice sampling", Annals of Statistics 31, Section 8):
//    64 chains x 128 draws, ALIGN with PI steps (pcoeff 0.1, icoeff 0.3), no preconditioner.
//    Reported: gradients per draw and per effective sample (the smallest bulk ESS), and the
//    covariance error against the exact covariance diag(9, e^4.5, ..., e^4.5) (docs/mcmc.md).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/mcmc/sampler.h"
#include "core/model/expression_potential.h"
#include "core/model/logistic_regression.h"
#include "core/util/status_macros.h"
#include "plot/svg_chart.h"
#include "tools/lab/commands.h"

#ifndef PATHWISE_LAB_DATA_DIR
#define PATHWISE_LAB_DATA_DIR "tools/lab/data"
#endif

namespace pathwise::lab {
namespace {

// The published comparison numbers (the issue, from Stan's NUTS and the
// adaptive QUICSORT of Jelinčič, Tao, Turner, Cass, Foster & Ni 2024).
constexpr double kNutsLogisticGradients = 733e3;
constexpr double kNutsLogisticEssPer1000 = 32.3;

// The breast-cancer design: rows [1, standardised features..., label].
absl::StatusOr<std::vector<double>> LoadBreastCancer(const std::string& file, int* cols) {
  std::ifstream in(file);
  if (!in) return absl::NotFoundError(absl::StrCat("--data: cannot read ", file));
  std::string line;
  std::getline(in, line);  // "569,30,malignant,benign"
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) row.push_back(std::stod(field));
    if (row.size() != 31) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": expected 31 values per row, got ", row.size()));
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return absl::InvalidArgumentError(absl::StrCat(file, ": no rows"));
  const size_t n = rows.size(), features = 30;
  // Standardise each feature: (a - mean) / sd, sd with divisor n (as
  // scikit-learn's StandardScaler).
  for (size_t j = 0; j < features; ++j) {
    double mean = 0.0, square = 0.0;
    for (const auto& row : rows) mean += row[j];
    mean /= n;
    for (const auto& row : rows) square += (row[j] - mean) * (row[j] - mean);
    const double sd = std::sqrt(square / n);
    for (auto& row : rows) row[j] = (row[j] - mean) / sd;
  }
  std::vector<double> data;
  for (const auto& row : rows) {
    data.push_back(1.0);  // the intercept
    data.insert(data.end(), row.begin(), row.end());
  }
  *cols = static_cast<int>(features) + 2;
  return data;
}

double HarmonicMeanBulkEss(const std::vector<mcmc::ParameterSummary>& summary) {
  double inverse = 0.0;
  for (const auto& s : summary) inverse += 1.0 / s.ess_bulk;
  return summary.size() / inverse;
}

double MinBulkEss(const std::vector<mcmc::ParameterSummary>& summary) {
  double least = INFINITY;
  for (const auto& s : summary) least = std::min(least, s.ess_bulk);
  return least;
}

uint64_t Gradients(const mcmc::SamplerResult& r) {
  return r.gradient_evaluations_warmup + r.gradient_evaluations_sampling;
}

absl::Status CheckStable(const mcmc::SamplerResult& r, const std::string& what) {
  if (!r.unstable_chains.empty() || r.diagnostics.empty()) {
    return absl::InternalError(
        absl::StrCat(what, ": ", r.unstable_chains.size(), " unstable chains"));
  }
  return absl::OkStatus();
}

// The sampler's options from the command line (the benchmark's defaults).
absl::StatusOr<mcmc::SamplerOptions> SamplerFlags(const cmdline::Args& args, uint32_t chains,
                                                  double warmup, uint32_t draws) {
  mcmc::SamplerOptions o;
  o.seed = args.Unsigned("seed", 1);
  o.threads = static_cast<int>(args.Int("threads", 1, 1, 1024));
  o.num_chains = static_cast<uint32_t>(args.Int("chains", chains, 1, mcmc::kMaxNumChains));
  o.warmup_time = args.Double("warmup", warmup);
  o.num_draws = static_cast<uint32_t>(args.Int("draws", draws, 4, INT32_MAX));
  o.thin_time = args.Double("thin", 0.0);
  o.gamma = args.Double("gamma", 0.0);
  const std::string method =
      args.Choice("method", "default", {"default", "align", "should", "quicsort"});
  if (method == "align") o.method = solver::MethodId::kAlign;
  if (method == "should") o.method = solver::MethodId::kShould;
  if (method == "quicsort") o.method = solver::MethodId::kQuicsort;
  if (args.Has("dt")) o.step = control::ConstantStep{args.Double("dt", 0.0)};
  const std::string preconditioner = args.Choice("preconditioner", "adapted", {"adapted", "none"});
  if (preconditioner == "none") o.preconditioner = mcmc::Preconditioner::kNone;
  RETURN_IF_ERROR(o.Validate());
  return o;
}

absl::Status RunLogistic(const cmdline::Args& args, Report* report) {
  int cols = 0;
  ASSIGN_OR_RETURN(
      const std::vector<double> data,
      LoadBreastCancer(args.String("data", PATHWISE_LAB_DATA_DIR "/breast_cancer.csv"), &cols));
  ASSIGN_OR_RETURN(
      model::LogisticRegressionPotential potential,
      model::LogisticRegressionPotential::Create({{"prior_variance", 1.0}}, data, cols));
  auto target = std::make_shared<const model::LogisticRegressionPotential>(std::move(potential));
  ASSIGN_OR_RETURN(mcmc::SamplerOptions options, SamplerFlags(args, 8, 100.0, 1000));
  ASSIGN_OR_RETURN(const mcmc::SamplerResult run, mcmc::Sample(target, options));
  RETURN_IF_ERROR(CheckStable(run, "logistic regression"));

  // The reference: QUICSORT at half the default step, many more draws.
  mcmc::SamplerOptions reference_options;
  reference_options.seed = options.seed + 1000;
  reference_options.threads = options.threads;
  reference_options.num_chains = 8;
  reference_options.warmup_time = 100.0;
  reference_options.num_draws =
      static_cast<uint32_t>(args.Int("reference-draws", 10000, mcmc::kMinDrawsPerChain, INT32_MAX));
  reference_options.method = solver::MethodId::kQuicsort;
  reference_options.step = control::ConstantStep{0.5 * run.step_size};
  reference_options.keep_draws = false;
  ASSIGN_OR_RETURN(const mcmc::SamplerResult reference, mcmc::Sample(target, reference_options));
  RETURN_IF_ERROR(CheckStable(reference, "reference run"));

  double mean_error = 0.0, sd_error = 0.0;
  Table params{"logistic_parameters",
               {"parameter", "mean", "sd", "ref_mean", "ref_sd", "ess_bulk", "r_hat"},
               {}};
  for (size_t i = 0; i < run.diagnostics.size(); ++i) {
    const auto& s = run.diagnostics[i];
    const auto& r = reference.diagnostics[i];
    mean_error = std::max(mean_error, std::abs(s.mean - r.mean) / r.sd);
    sd_error = std::max(sd_error, std::abs(s.sd / r.sd - 1.0));
    params.rows.push_back(
        {static_cast<double>(i), s.mean, s.sd, r.mean, r.sd, s.ess_bulk, s.r_hat});
  }
  const double gradients = static_cast<double>(Gradients(run));
  const double ess = HarmonicMeanBulkEss(run.diagnostics);
  double max_r_hat = 0.0;
  for (const auto& s : run.diagnostics) max_r_hat = std::max(max_r_hat, s.r_hat);
  auto& sc = report->scalars;
  sc.push_back({"logistic_algorithm", run.algorithm});
  sc.push_back({"logistic_step_size", run.step_size});
  sc.push_back({"logistic_gamma", run.gamma});
  sc.push_back({"logistic_gradients", gradients});
  sc.push_back({"logistic_gradients_warmup", static_cast<double>(run.gradient_evaluations_warmup)});
  sc.push_back({"logistic_gradients_per_draw", gradients / run.kept_draws});
  sc.push_back({"logistic_ess_bulk_harmonic_mean", ess});
  sc.push_back({"logistic_ess_per_1000_gradients", 1000.0 * ess / gradients});
  sc.push_back({"logistic_max_r_hat", max_r_hat});
  sc.push_back({"logistic_max_mean_error_sd", mean_error});
  sc.push_back({"logistic_max_sd_error", sd_error});
  sc.push_back({"logistic_gradient_share_of_nuts", gradients / kNutsLogisticGradients});
  sc.push_back(
      {"logistic_ess_per_gradient_vs_nuts", 1000.0 * ess / gradients / kNutsLogisticEssPer1000});
  sc.push_back({"logistic_reference_gradients", static_cast<double>(Gradients(reference))});
  report->tables.push_back(std::move(params));

  const std::string file = args.String("plot", "");
  if (!file.empty()) {
    plot::Panel errors;
    errors.x_label = "parameter";
    errors.y_label = "error against the reference";
    plot::Line means{"(mean - ref) / ref sd", {}, {}, {}};
    plot::Line sds{"sd / ref sd - 1", {"#d62728", 1.5, "", 1.0, true}, {}, {}};
    means.style.markers = true;
    for (size_t i = 0; i < run.diagnostics.size(); ++i) {
      const auto& s = run.diagnostics[i];
      const auto& r = reference.diagnostics[i];
      means.x.push_back(i);
      means.y.push_back((s.mean - r.mean) / r.sd);
      sds.x.push_back(i);
      sds.y.push_back(s.sd / r.sd - 1.0);
    }
    errors.lines = {means, sds};
    plot::Panel ess_panel;
    ess_panel.x_label = "parameter";
    ess_panel.y_label = "bulk ESS per 1000 gradients";
    plot::Line ours{"Langevin (" + run.algorithm + ")", {"#2ca02c", 1.5, "", 1.0, true}, {}, {}};
    ours.style.markers = true;
    plot::Line nuts{"NUTS, harmonic mean", {"#7f7f7f", 1.5, "6 3", 1.0, false}, {}, {}};
    for (size_t i = 0; i < run.diagnostics.size(); ++i) {
      ours.x.push_back(i);
      ours.y.push_back(1000.0 * run.diagnostics[i].ess_bulk / gradients);
    }
    nuts.x = {0.0, static_cast<double>(run.diagnostics.size() - 1)};
    nuts.y = {kNutsLogisticEssPer1000, kNutsLogisticEssPer1000};
    ess_panel.lines = {ours, nuts};
    plot::Figure figure;
    figure.title = "Bayesian logistic regression, breast cancer (31 parameters)";
    figure.panels = {errors, ess_panel};
    std::ofstream out(file);
    out << plot::RenderSvg(figure);
    if (!out) return absl::InternalError("--plot: cannot write " + file);
  }
  return absl::OkStatus();
}

// U = x0^2 / 18 + (d - 1) x0 / 2 + e^-x0 sum_i x_i^2 / 2: -log of the
// funnel's density up to a constant.
std::string FunnelExpression(int dim) {
  std::string sum;
  for (int i = 1; i < dim; ++i) absl::StrAppend(&sum, i > 1 ? " + " : "", "x", i, "^2");
  return absl::StrCat("x0^2 / 18 + ", 0.5 * (dim - 1), " * x0 + 0.5 * exp(-x0) * (", sum, ")");
}

absl::Status RunFunnel(const cmdline::Args& args, Report* report) {
  constexpr int kDim = 10;
  ASSIGN_OR_RETURN(std::shared_ptr<const model::ExpressionPotential> target,
                   model::ExpressionPotential::Create(FunnelExpression(kDim), kDim, {}, nullptr));
  ASSIGN_OR_RETURN(mcmc::SamplerOptions options, SamplerFlags(args, 64, 64.0, 128));
  // ALIGN: one gradient per attempted step, covariance error 0.09; QUICSORT's
  // embedded estimate (3 gradients) lets chains escape into the mouth at
  // these tolerances (docs/mcmc.md). The windowed variances of the funnel are dominated by
  // the chains deepest in the neck or the mouth, so the adapted diagonal
  // preconditioner hurts here: none unless asked (docs/mcmc.md).
  if (!args.Has("method")) options.method = solver::MethodId::kAlign;
  if (!args.Has("preconditioner")) options.preconditioner = mcmc::Preconditioner::kNone;
  if (!args.Has("dt")) {
    control::AdaptiveStep pid;
    pid.rtol = args.Double("rtol", 0.05);
    pid.atol = args.Double("atol", 0.05);
    // A PI controller, the coefficients docs/solver.md measures: on the
    // funnel it rejects 7 774 steps instead of the I controller's 18 091 and
    // needs 13.2 gradients per draw instead of 18.0 (docs/mcmc.md).
    pid.pcoeff = args.Double("pcoeff", 0.1);
    pid.icoeff = args.Double("icoeff", 0.3);
    options.step = pid;
  }
  RETURN_IF_ERROR(options.Validate());
  ASSIGN_OR_RETURN(const mcmc::SamplerResult run, mcmc::Sample(target, options));
  RETURN_IF_ERROR(CheckStable(run, "funnel"));
  // The sample covariance of all draws against the exact one, each entry
  // scaled by the exact sds: mean over the d^2 entries of
  // |C_ij - C*_ij| / sqrt(C*_ii C*_jj).
  std::vector<double> exact(kDim, std::exp(4.5));
  exact[0] = 9.0;
  std::vector<double> mean(kDim, 0.0);
  double count = 0.0;
  for (const auto& chain : run.draws) {
    for (const auto& x : chain) {
      count += 1.0;
      for (int i = 0; i < kDim; ++i) mean[i] += x[i];
    }
  }
  for (double& m : mean) m /= count;
  std::vector<double> cov(kDim * kDim, 0.0);
  for (const auto& chain : run.draws) {
    for (const auto& x : chain) {
      for (int i = 0; i < kDim; ++i) {
        for (int j = 0; j < kDim; ++j) cov[i * kDim + j] += (x[i] - mean[i]) * (x[j] - mean[j]);
      }
    }
  }
  double error = 0.0;
  for (int i = 0; i < kDim; ++i) {
    for (int j = 0; j < kDim; ++j) {
      const double c = cov[i * kDim + j] / (count - 1.0);
      const double truth = i == j ? exact[i] : 0.0;
      error += std::abs(c - truth) / std::sqrt(exact[i] * exact[j]);
    }
  }
  error /= kDim * kDim;
  const double gradients = static_cast<double>(Gradients(run));
  auto& sc = report->scalars;
  sc.push_back({"funnel_algorithm", run.algorithm});
  sc.push_back({"funnel_gradients", gradients});
  sc.push_back({"funnel_gradients_per_draw", gradients / run.kept_draws});
  sc.push_back({"funnel_min_ess_bulk", MinBulkEss(run.diagnostics)});
  sc.push_back({"funnel_gradients_per_effective_sample", gradients / MinBulkEss(run.diagnostics)});
  sc.push_back({"funnel_covariance_error", error});
  sc.push_back({"funnel_mean_step", run.step_size});
  sc.push_back({"funnel_steps_rejected", static_cast<double>(run.steps_rejected)});
  sc.push_back({"funnel_x0_mean", run.diagnostics[0].mean});
  sc.push_back({"funnel_x0_sd", run.diagnostics[0].sd});
  return absl::OkStatus();
}

}  // namespace

std::vector<cmdline::FlagSpec> McmcFlags() {
  return {{"problem"},
          {"threads"},
          {"seed"},
          {"chains"},
          {"warmup"},
          {"draws"},
          {"thin"},
          {"gamma"},
          {"method"},
          {"dt"},
          {"rtol"},
          {"atol"},
          {"pcoeff"},
          {"icoeff"},
          {"data"},
          {"plot"},
          {"reference-draws"},
          {"preconditioner"},
          {"format"}};
}

absl::StatusOr<Report> RunMcmc(const cmdline::Args& args) {
  const std::string problem = args.Choice("problem", "all", {"all", "logistic", "funnel"});
  Report report;
  report.title = "Langevin MCMC: breast-cancer logistic regression and Neal's funnel";
  if (problem != "funnel") RETURN_IF_ERROR(RunLogistic(args, &report));
  if (problem != "logistic") RETURN_IF_ERROR(RunFunnel(args, &report));
  return report;
}

}  // namespace pathwise::lab
