// Adaptive stepping: replay (step_to at the saved steps reproduces an adaptive
// solve bit for bit, for every method), the PID controller's accuracy, dtmin, max-steps and
// non-finite statuses, validation messages.
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/solver/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;

integrate::SolveOptions AdaptiveOptions(std::vector<double> y0, double tol, double dtmin) {
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

// Mean |y(1) − y_ref(1)| over paths, y_ref a constant-step solve at dtmin on the same tree.
double MeanError(const model::Sde& sde, MethodId id, double tol, uint64_t* steps) {
  const solver::Method& m = solver::GetMethod(id);
  integrate::SolveOptions o = AdaptiveOptions({0.5}, tol, 0x1p-14);
  o.num_paths = 64;
  o.brownian.tol = 0x1p-15;
  auto sol = integrate::SolveEnsemble(sde, m, o);
  integrate::SolveOptions r = o;
  r.step = control::ConstantStep{0x1p-14};
  auto ref = integrate::SolveEnsemble(sde, m, r);
  EXPECT_TRUE(sol.ok() && ref.ok());
  double err = 0.0;
  for (size_t p = 0; p < sol->paths.size(); ++p) {
    err += std::abs(sol->paths[p].ys.back() - ref->paths[p].ys.back());
  }
  *steps = sol->summary.steps_accepted;
  return err / sol->paths.size();
}

TEST(PidTest, ErrorDecreasesWithTolerance) {
  auto dw = testing::Builtin("double_well", {{"sigma", 1.0}}, 1);
  for (MethodId id : {MethodId::kShark, MethodId::kEuler}) {
    uint64_t s1, s2, s3;
    const double e1 = MeanError(*dw, id, 1e-2, &s1);
    const double e2 = MeanError(*dw, id, 1e-3, &s2);
    const double e3 = MeanError(*dw, id, 1e-4, &s3);
    EXPECT_GT(e1, e2) << static_cast<int>(id);
    EXPECT_GT(e2, e3) << static_cast<int>(id);
    EXPECT_LT(s1, s2);
    EXPECT_LT(s2, s3);
  }
}

TEST(PidTest, DtminIsAcceptedAndFlagged) {
  auto gbm = testing::Builtin("gbm", {{"sigma", 1.0}}, 1);
  integrate::SolveOptions o = AdaptiveOptions({1.0}, 1e-12, 0x1p-6);
  o.num_paths = 4;
  auto sol = integrate::SolveEnsemble(*gbm, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok()) << sol.status();
  for (const auto& p : sol->paths) {
    EXPECT_EQ(p.status, integrate::SolveStatus::kDtminReached);
    EXPECT_EQ(p.ts.back(), 1.0);  // the path still reaches t1
    EXPECT_EQ(p.steps_accepted, 64u);
  }
  EXPECT_EQ(sol->summary.status_counts[static_cast<int>(integrate::SolveStatus::kDtminReached)],
            4u);
}

TEST(PidTest, StepTsAreHitExactly) {
  auto ou = testing::Builtin("ou", {}, 1);
  integrate::SolveOptions o = AdaptiveOptions({1.0}, 1e-3, 0x1p-12);
  std::get<control::AdaptiveStep>(o.step).step_ts = {0.1, 1.0 / 3.0, 0.7};
  o.saveat.steps = true;
  auto sol = integrate::SolveEnsemble(*ou, solver::GetMethod(MethodId::kShark), o);
  ASSERT_TRUE(sol.ok()) << sol.status();
  const auto& ts = sol->paths[0].ts;
  for (double t : {0.1, 1.0 / 3.0, 0.7, 1.0}) {
    EXPECT_NE(std::find(ts.begin(), ts.end(), t), ts.end()) << t;
  }
}

TEST(StatusTest, MaxStepsReached) {
  auto ou = testing::Builtin("ou", {}, 1);
  integrate::SolveOptions o;
  o.y0 = {1.0};
  o.step = control::ConstantStep{0x1p-10};
  o.max_steps = 100;
  auto sol = integrate::SolveEnsemble(*ou, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok());
  EXPECT_EQ(sol->paths[0].status, integrate::SolveStatus::kMaxStepsReached);
  EXPECT_EQ(sol->paths[0].steps_accepted, 100u);
  EXPECT_TRUE(sol->paths[0].ts.empty());  // t1 was never reached
}

TEST(StatusTest, NonfiniteStopsThePath) {
  auto dw = testing::Builtin("double_well", {}, 1);
  integrate::SolveOptions o;
  o.y0 = {1e120};  // y³ overflows
  o.step = control::ConstantStep{0.1};
  auto sol = integrate::SolveEnsemble(*dw, solver::GetMethod(MethodId::kEuler), o);
  ASSERT_TRUE(sol.ok());
  EXPECT_EQ(sol->paths[0].status, integrate::SolveStatus::kNonfinite);
  // Adaptive: rejected down to dtmin, then given up.
  integrate::SolveOptions a = AdaptiveOptions({1e120}, 1e-3, 0x1p-10);
  auto asol = integrate::SolveEnsemble(*dw, solver::GetMethod(MethodId::kShark), a);
  ASSERT_TRUE(asol.ok());
  EXPECT_EQ(asol->paths[0].status, integrate::SolveStatus::kNonfinite);
  EXPECT_GT(asol->paths[0].steps_rejected, 0u);
}

TEST(ValidationTest, MessagesNameTheField) {
  auto ou = testing::Builtin("ou", {}, 1);
  const solver::Method& shark = solver::GetMethod(MethodId::kShark);
  integrate::SolveOptions o = AdaptiveOptions({1.0}, 1e-3, 0.0);
  std::get<control::AdaptiveStep>(o.step).rtol = -1;
  EXPECT_EQ(integrate::SolveEnsemble(*ou, shark, o).status().message().substr(0, 20),
            "step.adaptive.rtol: ");
  o = AdaptiveOptions({1.0}, 1e-3, 0.0);
  std::get<control::AdaptiveStep>(o.step).factormax = 0.5;
  EXPECT_NE(
      integrate::SolveEnsemble(*ou, shark, o).status().message().find("step.adaptive.factormax"),
      absl::string_view::npos);
  integrate::SolveOptions c;
  c.y0 = {1.0};
  EXPECT_NE(integrate::SolveEnsemble(*ou, shark, c).status().message().find("step.constant.dt"),
            absl::string_view::npos);
  c.step = control::ConstantStep{0.1};
  c.y0 = {1.0, 2.0, 3.0};
  EXPECT_NE(integrate::SolveEnsemble(*ou, shark, c).status().message().find("y0: the model has"),
            absl::string_view::npos);
  auto heston = testing::Builtin("heston", {}, 2);
  c.y0 = {1.0};
  EXPECT_NE(integrate::SolveEnsemble(*heston, solver::GetMethod(MethodId::kEuler), c)
                .status()
                .message()
                .find("y0"),
            absl::string_view::npos);
  c.y0 = {1.0};
  c.first_path = UINT64_MAX;  // with 2 paths the last index would wrap
  c.num_paths = 2;
  EXPECT_EQ(integrate::SolveEnsemble(*ou, shark, c).status().message().substr(0, 45),
            "num_paths: first_path + num_paths overflows 2");
  c.first_path = 0;
  c.num_paths = 1;
  c.saveat.ts = {0.5, 0.2};
  EXPECT_NE(integrate::SolveEnsemble(*ou, shark, c).status().message().find("saveat.ts[1]"),
            absl::string_view::npos);
  c.saveat.ts = {};
  c.brownian.levy_area = brownian::LevyArea::kSpaceTime;
  EXPECT_NE(
      integrate::SolveEnsemble(*testing::SmallLangevin(), solver::GetMethod(MethodId::kQuicsort),
                               [&] {
                                 auto l = c;
                                 l.y0 = {0, 0, 0, 0};
                                 return l;
                               }())
          .status()
          .message()
          .find("brownian.levy_area"),
      absl::string_view::npos);
}

}  // namespace
}  // namespace pathwise
