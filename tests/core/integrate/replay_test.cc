// Adaptive replay: step_to at the saved steps reproduces an adaptive solve bit
// for bit, for every method.
#include <cstring>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/adaptive_options.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;
using testing::AdaptiveOptions;

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Replay: an adaptive solve with saveat.steps saves every step it took
// (for step doubling, the half steps too). Re-solving each path with step_to
// at exactly the saved times, on a tree of the same tolerance and the same
// (default) Lévy kind, must give the saved states bit for bit.
void ExpectStepToReproducesAdaptive(const model::Sde& sde, MethodId id, std::vector<double> y0,
                                    double tol) {
  const solver::Method& method = solver::GetMethod(id);
  integrate::SolveOptions o = AdaptiveOptions(y0, tol, 0x1p-14);
  o.num_paths = 8;
  o.saveat.steps = true;
  auto adaptive = integrate::SolveEnsemble(sde, method, o);
  ASSERT_TRUE(adaptive.ok()) << adaptive.status();
  EXPECT_GT(adaptive->summary.steps_rejected, 0u) << "the test needs rejected steps";
  for (const integrate::PathSolution& p : adaptive->paths) {
    ASSERT_EQ(p.status, integrate::SolveStatus::kSuccess) << "path " << p.path_index;
    // Step doubling saves two states per accepted step (midpoint and end).
    EXPECT_EQ(p.ts.size(), (adaptive->summary.step_doubling ? 2 : 1) * p.steps_accepted)
        << "path " << p.path_index;
    std::vector<double> ts = {o.t0};
    ts.insert(ts.end(), p.ts.begin(), p.ts.end());
    integrate::SolveOptions r = o;
    r.step = control::StepTo{ts};
    r.first_path = p.path_index;
    r.num_paths = 1;
    r.brownian.tol = adaptive->summary.brownian_tol;
    auto rerun = integrate::SolveEnsemble(sde, method, r);
    ASSERT_TRUE(rerun.ok()) << rerun.status();
    const integrate::PathSolution& q = rerun->paths[0];
    EXPECT_EQ(q.steps_rejected, 0u);
    EXPECT_EQ(q.ts, p.ts) << "path " << p.path_index;
    EXPECT_TRUE(SameBits(q.ys, p.ys)) << "path " << p.path_index;
  }
}

// One adaptive case per method: a model the method accepts and a tolerance
// at which the controller rejects some steps.
struct ReplayCase {
  MethodId id;
  std::function<std::unique_ptr<model::Sde>()> model;
  std::vector<double> y0;
  double tol;
  const char* label;  // the test's name suffix (method and model)
};

void PrintTo(const ReplayCase& c, std::ostream* os) { *os << c.label; }

std::unique_ptr<model::Sde> Gbm(model::Calculus calculus) {
  return testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 1.0}}, 2, calculus);
}
std::unique_ptr<model::Sde> DoubleWell() {
  return testing::Builtin("double_well", {{"sigma", 1.0}}, 1);
}
std::unique_ptr<model::Sde> Cir() {
  return testing::Builtin("cir", {{"a", 1.0}, {"b", 1.0}, {"sigma", 1.2}}, 1);
}
std::unique_ptr<model::Sde> Langevin() { return testing::SmallLangevin(); }

const std::vector<double> kLangevinY0 = {0.2, -0.1, 0.5, 0.3};

std::vector<ReplayCase> ReplayCases() {
  const auto ito = [] { return Gbm(model::Calculus::kIto); };
  const auto strat = [] { return Gbm(model::Calculus::kStratonovich); };
  return {
      {MethodId::kEuler, ito, {1.0, 2.0}, 1e-2, "euler_gbm"},
      {MethodId::kEuler, Cir, {1.0}, 1e-2, "euler_cir"},
      {MethodId::kEulerHeun, strat, {1.0, 2.0}, 1e-2, "euler_heun_gbm"},
      {MethodId::kHeun, strat, {1.0, 2.0}, 1e-3, "heun_gbm"},
      {MethodId::kMilstein, ito, {1.0, 2.0}, 1e-3, "milstein_gbm"},
      {MethodId::kMilstein, Cir, {1.0}, 1e-3, "milstein_cir"},
      {MethodId::kSra1, DoubleWell, {0.5}, 1e-3, "sra1_double_well"},
      {MethodId::kShark, DoubleWell, {0.5}, 1e-3, "shark_double_well"},
      {MethodId::kSea, DoubleWell, {0.5}, 1e-3, "sea_double_well"},
      {MethodId::kSpark, strat, {1.0, 2.0}, 1e-3, "spark_gbm"},
      {MethodId::kAlign, Langevin, kLangevinY0, 1e-4, "align_langevin"},
      {MethodId::kShould, Langevin, kLangevinY0, 1e-6, "should_langevin"},
      {MethodId::kQuicsort, Langevin, kLangevinY0, 1e-6, "quicsort_langevin"},
      {MethodId::kCirSplitting, Cir, {1.0}, 1e-3, "cir_splitting"},
      {MethodId::kCirImplicitEuler, Cir, {1.0}, 1e-3, "cir_implicit_euler"},
  };
}

class ReplayTest : public ::testing::TestWithParam<ReplayCase> {};

TEST_P(ReplayTest, StepToAtTheSavedStepsReproducesTheAdaptiveSolve) {
  const ReplayCase& c = GetParam();
  auto sde = c.model();
  ASSERT_NE(sde, nullptr);
  ExpectStepToReproducesAdaptive(*sde, c.id, c.y0, c.tol);
}

INSTANTIATE_TEST_SUITE_P(EveryMethod, ReplayTest, ::testing::ValuesIn(ReplayCases()),
                         [](const ::testing::TestParamInfo<ReplayCase>& info) {
                           return std::string(info.param.label);
                         });

TEST(ReplayCoverageTest, CoversEveryMethod) {
  const std::vector<ReplayCase> cases = ReplayCases();
  for (const solver::Method* m : solver::AllMethods()) {
    bool covered = false;
    for (const ReplayCase& c : cases) covered = covered || c.id == m->info().id;
    EXPECT_TRUE(covered) << m->info().name << " has no replay test";
  }
}

}  // namespace
}  // namespace pathwise
