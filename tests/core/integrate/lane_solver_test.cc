// Ensembles whose paths all take the same steps run in lanes of 8 paths
// (core/integrate/lane_solver.h). Every path must come out exactly as the
// one-path-at-a-time solve gives it: states, times, statuses, counts and
// statistics, bit for bit, for every method on every kind of model it accepts
// (models with a lane form, Sde::ForLanes, which step the whole lane in one
// call: the componentwise built-ins, heston, expressions and Stratonovich
// forms; Langevin models, which step each lane), with ensembles whose size is
// not a multiple of 8. The expressions cover coupled components, state_dim
// above 1, diagonal, scalar and general noise, time-dependent drift and
// diffusion, and the language's functions; the diffusion's derivative
// (Milstein, Stratonovich forms) goes through the lane form too.
#include "core/integrate/lane_solver.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/integrate/ensemble.h"
#include "core/integrate/plan.h"
#include "core/model/expression_sde.h"
#include "core/model/stratonovich_form.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using integrate::EnsembleSolution;
using integrate::SolveOptions;

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Solves with lanes and one path at a time; every field must agree.
void ExpectLanesMatchPaths(const model::Sde& sde, const solver::Method& method, SolveOptions o,
                           const std::string& label) {
  SCOPED_TRACE(label + " / " + std::string(method.info().name));
  const auto plan = integrate::MakePlan(o, sde, method);
  ASSERT_TRUE(plan.ok()) << plan.status();
  o.lanes = true;
  ASSERT_TRUE(integrate::LaneSolver::Serves(o, *plan)) << "the case must take the lanes";
  const absl::StatusOr<EnsembleSolution> lanes = integrate::SolveEnsemble(sde, method, o);
  o.lanes = false;
  ASSERT_FALSE(integrate::LaneSolver::Serves(o, *plan));
  const absl::StatusOr<EnsembleSolution> paths = integrate::SolveEnsemble(sde, method, o);
  ASSERT_TRUE(lanes.ok()) << lanes.status();
  ASSERT_TRUE(paths.ok()) << paths.status();
  ASSERT_EQ(lanes->paths.size(), paths->paths.size());
  for (size_t p = 0; p < paths->paths.size(); ++p) {
    const integrate::PathSolution& a = lanes->paths[p];
    const integrate::PathSolution& b = paths->paths[p];
    EXPECT_EQ(a.path_index, b.path_index);
    EXPECT_EQ(a.status, b.status) << "path " << b.path_index;
    EXPECT_EQ(a.steps_accepted, b.steps_accepted) << "path " << b.path_index;
    EXPECT_EQ(a.steps_rejected, b.steps_rejected);
    EXPECT_EQ(a.evals.drift, b.evals.drift) << "path " << b.path_index;
    EXPECT_EQ(a.evals.diffusion, b.evals.diffusion) << "path " << b.path_index;
    EXPECT_TRUE(SameBits(a.ts, b.ts)) << "path " << b.path_index;
    EXPECT_TRUE(SameBits(a.ys, b.ys)) << "path " << b.path_index;
  }
  const integrate::Summary& sa = lanes->summary;
  const integrate::Summary& sb = paths->summary;
  EXPECT_EQ(sa.steps_accepted, sb.steps_accepted);
  EXPECT_EQ(sa.drift_evaluations, sb.drift_evaluations);
  EXPECT_EQ(sa.diffusion_evaluations, sb.diffusion_evaluations);
  for (int s = 0; s < integrate::kNumStatuses; ++s) {
    EXPECT_EQ(sa.status_counts[s], sb.status_counts[s]);
  }
  ASSERT_EQ(lanes->has_statistics, paths->has_statistics);
  EXPECT_TRUE(SameBits(lanes->statistics.mean, paths->statistics.mean));
  EXPECT_TRUE(SameBits(lanes->statistics.variance, paths->statistics.variance));
  EXPECT_TRUE(SameBits(lanes->statistics.quantiles, paths->statistics.quantiles));
}

// 13 paths from index 5, constant non-dyadic steps whose last step is short,
// every step saved, statistics with quantiles at a fixed save time.
SolveOptions ConstantStepOptions(std::vector<double> y0) {
  SolveOptions o;
  o.y0 = std::move(y0);
  o.t1 = 0.37;
  o.step = control::ConstantStep{0.01};
  o.seed = 11;
  o.first_path = 5;
  o.num_paths = 13;
  o.saveat.steps = true;
  o.saveat.ts = {0.2};
  o.statistics.enabled = true;
  o.statistics.quantile_levels = {0.1, 0.5};
  return o;
}

std::unique_ptr<model::Sde> Expression(std::vector<std::string> state,
                                       std::vector<std::string> drift,
                                       std::vector<std::string> diffusion,
                                       model::Calculus calculus = model::Calculus::kIto,
                                       uint32_t general_noise_dim = 0) {
  model::ExpressionModelSpec spec;
  spec.state = std::move(state);
  spec.drift = std::move(drift);
  spec.diffusion = std::move(diffusion);
  spec.calculus = calculus;
  spec.params = {{"k", 0.7}, {"s", 0.3}};
  if (general_noise_dim > 0) {
    spec.noise = model::NoiseShape::kGeneral;
    spec.noise_dim = general_noise_dim;
  }
  auto m = model::ExpressionSde::Create(spec, nullptr);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? std::move(m).value() : nullptr;
}

struct Case {
  std::string label;
  std::shared_ptr<const model::Sde> sde;
  std::vector<double> y0;
};

// Three coupled components with diagonal multiplicative noise (g_i depends on
// y_i and t only, so Milstein and the Stratonovich form apply), drift and
// diffusion depending on t, and most of the language's functions.
std::unique_ptr<model::Sde> CoupledDiagonal(model::Calculus calculus) {
  return Expression({"x", "y", "z"},
                    {"-k * x + 0.5 * y * z", "sin(x) - y^3 + cos(3 * t)",
                     "if(z > 0, -z, 0.5 * z) + 0.1 * pow(abs(x), 1.5) - tanh(y) * exp(-t)"},
                    {"s * x", "0.2 * exp(-y^2) + 0.1", "0.1 * sqrt(1 + z^2) * (1 + 0.5 * sin(t))"},
                    calculus);
}

std::vector<Case> AllModelKinds() {
  using model::Calculus;
  std::vector<Case> cases;
  // Built-ins whose components are copies of one equation (one wide state per lane).
  cases.push_back({"ou", testing::Builtin("ou", {}, 1), {1.0}});
  cases.push_back({"ou n=2", testing::Builtin("ou", {{"sigma", 0.5}}, 2), {1.0, -0.5}});
  cases.push_back({"gbm ito", testing::Builtin("gbm", {}, 1), {1.0}});
  cases.push_back(
      {"gbm stratonovich", testing::Builtin("gbm", {}, 1, Calculus::kStratonovich), {1.0}});
  cases.push_back({"gbm n=2", testing::Builtin("gbm", {}, 2), {1.0, 2.0}});
  cases.push_back({"double_well", testing::Builtin("double_well", {}, 1), {0.5}});
  cases.push_back({"cir", testing::Builtin("cir", {{"sigma", 0.6}}, 1), {0.8}});
  // A built-in with coupled components (one step per lane).
  cases.push_back({"heston", testing::Builtin("heston", {}, 2), {1.0, 0.04}});
  // Expressions: additive and multiplicative, Itô and Stratonovich.
  cases.push_back({"expression additive",
                   Expression({"x", "y"}, {"-x + y", "sin(y)"}, {"0.5", "0.3"}),
                   {1.0, 0.2}});
  cases.push_back(
      {"expression multiplicative", Expression({"x"}, {"0.1 * x"}, {"0.4 * x"}), {1.0}});
  cases.push_back({"expression stratonovich",
                   Expression({"x"}, {"0.1 * x"}, {"0.4 * x"}, Calculus::kStratonovich),
                   {1.0}});
  cases.push_back(
      {"expression coupled diagonal", CoupledDiagonal(Calculus::kIto), {0.5, -0.3, 0.8}});
  cases.push_back({"expression coupled diagonal stratonovich",
                   CoupledDiagonal(Calculus::kStratonovich),
                   {0.5, -0.3, 0.8}});
  // The Stratonovich form of an Itô expression (what a Stratonovich method
  // solves for it): the correction ½ g ∂g/∂y from the diffusion's derivative.
  cases.push_back({"expression stratonovich form",
                   *model::StratonovichForm(CoupledDiagonal(Calculus::kIto)),
                   {0.5, -0.3, 0.8}});
  // General noise, n = 2 and m = 3: every component driven by every noise
  // through state- and time-dependent coefficients.
  const std::vector<std::string> general = {"s * x * y",        "0.1",     "min(x, y) * 0.2",
                                            "0.2 * cos(t * x)", "s * y^2", "erf(x) * 0.1"};
  const std::vector<std::string> oscillator = {"y", "-k * x - 0.5 * y + 0.3 * sin(2 * t)"};
  cases.push_back({"expression general",
                   Expression({"x", "y"}, oscillator, general, Calculus::kIto, 3),
                   {0.4, 0.6}});
  cases.push_back({"expression general stratonovich",
                   Expression({"x", "y"}, oscillator, general, Calculus::kStratonovich, 3),
                   {0.4, 0.6}});
  // One noise on two components (scalar noise in the general shape: Milstein
  // walks the columns of g).
  cases.push_back(
      {"expression scalar noise n=2",
       Expression({"x", "y"}, oscillator, {"s * x", "0.1 * y + 0.05"}, Calculus::kIto, 1),
       {0.4, 0.6}});
  // Additive noise depending on t (the additive methods' g(t1) correction),
  // general shape, coupled drift.
  cases.push_back({"expression additive in t",
                   Expression({"x", "y"}, {"-x + 0.5 * y^2", "-y + log1p(x^2)"},
                              {"0.3 * cos(t)", "0.1", "0", "0.2 + t"}, Calculus::kIto, 2),
                   {1.0, -0.5}});
  // Langevin (the Langevin methods, and any method that takes its noise).
  cases.push_back({"langevin", testing::SmallLangevin(), std::vector<double>(4, 0.1)});
  return cases;
}

TEST(LaneSolverTest, EveryMethodOnEveryModelKindMatchesOnePathAtATime) {
  int compared = 0;
  for (const Case& c : AllModelKinds()) {
    ASSERT_NE(c.sde, nullptr) << c.label;
    for (const solver::Method* m : solver::AllMethods()) {
      if (!solver::CheckCompatibility(*m, *c.sde).ok()) continue;
      ExpectLanesMatchPaths(*c.sde, *m, ConstantStepOptions(c.y0), c.label);
      ++compared;
    }
  }
  // Every method is compared on at least one model.
  EXPECT_GE(compared, static_cast<int>(solver::AllMethods().size()));
}

// Every model with a lane form steps its lanes together, with every method
// but Milstein on a general-shape g (it walks g's columns in one path's
// layout); Langevin models step each lane. Without this the comparisons above
// could pass by never taking the lane form.
TEST(LaneSolverTest, ModelsWithALaneFormStepTheLaneInOneCall) {
  int together = 0;
  for (const Case& c : AllModelKinds()) {
    for (const solver::Method* m : solver::AllMethods()) {
      if (!solver::CheckCompatibility(*m, *c.sde).ok()) continue;
      SCOPED_TRACE(c.label + " / " + std::string(m->info().name));
      const SolveOptions o = ConstantStepOptions(c.y0);
      const auto plan = integrate::MakePlan(o, *c.sde, *m);
      ASSERT_TRUE(plan.ok()) << plan.status();
      const integrate::LaneSolver lanes(*c.sde, *m, o, *plan);
      const bool langevin = c.sde->AsLangevin() != nullptr;
      const bool milstein_general = m->info().id == solver::MethodId::kMilstein &&
                                    c.sde->traits().shape == model::NoiseShape::kGeneral;
      EXPECT_EQ(lanes.steps_lanes_together(), !langevin && !milstein_general);
      together += lanes.steps_lanes_together() ? 1 : 0;
    }
  }
  EXPECT_GT(together, 0);
}

TEST(LaneSolverTest, StepToMatchesOnePathAtATime) {
  const std::vector<double> ts = {0.0, 0.013, 0.05, 0.0501, 0.2, 0.33, 0.5};
  for (const Case& c : AllModelKinds()) {
    for (const solver::Method* m : solver::AllMethods()) {
      if (!solver::CheckCompatibility(*m, *c.sde).ok()) continue;
      SolveOptions o = ConstantStepOptions(c.y0);
      o.t1 = 0.5;
      o.step = control::StepTo{ts};
      o.num_paths = 70;  // two blocks of 64 paths, the second a partial lane
      o.saveat = {};
      o.keep_paths = true;
      ExpectLanesMatchPaths(*c.sde, *m, o, c.label + " step-to");
    }
  }
}

TEST(LaneSolverTest, LanesThatStopEarlyKeepTheirOwnStatuses) {
  // A double well pushed hard: some paths blow up (nonfinite) at different
  // steps while the rest of their lane goes on; others reach max_steps.
  const auto dw = testing::Builtin("double_well", {{"sigma", 2.0}}, 1);
  SolveOptions o = ConstantStepOptions({1.0});
  o.step = control::ConstantStep{0.3};
  o.t1 = 6.0;
  o.num_paths = 21;
  const solver::Method& euler = solver::GetMethod(solver::MethodId::kEuler);
  ExpectLanesMatchPaths(*dw, euler, o, "double_well nonfinite");
  const auto sol = integrate::SolveEnsemble(*dw, euler, o);
  ASSERT_TRUE(sol.ok());
  const auto& counts = sol->summary.status_counts;
  EXPECT_GT(counts[static_cast<int>(integrate::SolveStatus::kNonfinite)], 0u);
  EXPECT_GT(counts[static_cast<int>(integrate::SolveStatus::kSuccess)], 0u);
  o.max_steps = 10;
  ExpectLanesMatchPaths(*dw, euler, o, "double_well max_steps");
}

TEST(LaneSolverTest, AdaptiveControlKeepsOnePathAtATime) {
  const auto ou = testing::Builtin("ou", {}, 1);
  SolveOptions o = ConstantStepOptions({1.0});
  control::AdaptiveStep a;
  a.rtol = a.atol = 1e-3;
  o.step = a;
  const auto plan = integrate::MakePlan(o, *ou, solver::GetMethod(solver::MethodId::kShark));
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(integrate::LaneSolver::Serves(o, *plan));
}

}  // namespace
}  // namespace pathwise
