// Strong convergence: for every method, on a model it supports, the strong
// order fitted over >= 4 step sizes against a fine-step reference of the same
// method on the same Brownian paths is at least theory − 0.2 (the acceptance
// criterion of docs/benchmarks.md, "Fitted strong orders"). The measured
// orders are printed (and recorded as test properties).
#include <cstdio>
#include <string>

#include "core/integrate/convergence.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;

struct Case {
  double theory;
  int coarsest = 3, finest = 7, reference = 11;
  uint32_t paths = 200;
  double t1 = 1.0;
};

void ExpectOrder(const model::Sde& sde, MethodId id, std::vector<double> y0, const Case& c) {
  integrate::ConvergenceOptions o;
  o.y0 = std::move(y0);
  o.t1 = c.t1;
  o.seed = 2024;
  o.num_paths = c.paths;
  o.coarsest_level = c.coarsest;
  o.finest_level = c.finest;
  o.reference_level = c.reference;
  ASSERT_GE(o.finest_level - o.coarsest_level + 1, 4);  // >= 4 step sizes
  const solver::Method& m = solver::GetMethod(id);
  auto r = integrate::MeasureStrongOrder(sde, m, o);
  ASSERT_TRUE(r.ok()) << r.status();
  std::string line;
  for (size_t i = 0; i < r->dts.size(); ++i) {
    line += "  dt=" + std::to_string(r->dts[i]) + " err=" + std::to_string(r->errors[i]);
  }
  std::printf("[ order    ] %s on %s: %.3f (theory %.1f)%s\n", std::string(m.info().name).c_str(),
              std::string(sde.name()).c_str(), r->order, c.theory, line.c_str());
  ::testing::Test::RecordProperty("fitted_order", std::to_string(r->order));
  EXPECT_GE(r->order, c.theory - 0.2);
}

TEST(StrongOrderTest, EulerMultiplicative) {
  auto gbm = testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 0.8}}, 1);
  ExpectOrder(*gbm, MethodId::kEuler, {1.0}, {.theory = 0.5});
}

TEST(StrongOrderTest, EulerAdditive) {
  auto ou = testing::Builtin("ou", {{"theta", 1.0}, {"mu", 0.5}, {"sigma", 0.8}}, 1);
  ExpectOrder(*ou, MethodId::kEuler, {1.0}, {.theory = 1.0});
}

TEST(StrongOrderTest, MilsteinDiagonal) {
  auto gbm = testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 0.8}}, 2);
  ExpectOrder(*gbm, MethodId::kMilstein, {1.0, 0.5}, {.theory = 1.0});
}

TEST(StrongOrderTest, EulerHeunScalarStratonovich) {
  auto gbm =
      testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 0.8}}, 1, model::Calculus::kStratonovich);
  ExpectOrder(*gbm, MethodId::kEulerHeun, {1.0}, {.theory = 1.0});
}

TEST(StrongOrderTest, HeunScalarStratonovich) {
  auto gbm =
      testing::Builtin("gbm", {{"mu", 0.5}, {"sigma", 0.8}}, 1, model::Calculus::kStratonovich);
  ExpectOrder(*gbm, MethodId::kHeun, {1.0}, {.theory = 1.0});
}

TEST(StrongOrderTest, SparkCommutativeStratonovich) {
  auto cir = testing::Builtin("cir", {{"a", 1.0}, {"b", 1.0}, {"sigma", 0.3}}, 1,
                              model::Calculus::kStratonovich);
  ExpectOrder(*cir, MethodId::kSpark, {1.0}, {.theory = 1.0});
}

TEST(StrongOrderTest, SparkAdditive) {
  auto dw = testing::Builtin("double_well", {{"sigma", 0.5}}, 1);
  ExpectOrder(*dw, MethodId::kSpark, {0.5}, {.theory = 1.5});
}

TEST(StrongOrderTest, SeaAdditive) {
  auto dw = testing::Builtin("double_well", {{"sigma", 0.5}}, 1);
  ExpectOrder(*dw, MethodId::kSea, {0.5}, {.theory = 1.0});
}

TEST(StrongOrderTest, Sra1Additive) {
  auto dw = testing::Builtin("double_well", {{"sigma", 0.5}}, 1);
  ExpectOrder(*dw, MethodId::kSra1, {0.5}, {.theory = 1.5});
}

TEST(StrongOrderTest, SharkAdditive) {
  auto dw = testing::Builtin("double_well", {{"sigma", 0.5}}, 1);
  ExpectOrder(*dw, MethodId::kShark, {0.5}, {.theory = 1.5});
}

TEST(StrongOrderTest, AlignLangevin) {
  auto lm = testing::SmallLangevin();
  ExpectOrder(*lm, MethodId::kAlign, {0.2, -0.1, 0.5, 0.3},
              {.theory = 2.0, .coarsest = 1, .finest = 5, .reference = 10, .t1 = 2.0});
}

TEST(StrongOrderTest, ShouldLangevin) {
  auto lm = testing::SmallLangevin();
  ExpectOrder(*lm, MethodId::kShould, {0.2, -0.1, 0.5, 0.3},
              {.theory = 3.0, .coarsest = 1, .finest = 4, .reference = 9, .t1 = 2.0});
}

TEST(StrongOrderTest, QuicsortLangevin) {
  auto lm = testing::SmallLangevin();
  ExpectOrder(*lm, MethodId::kQuicsort, {0.2, -0.1, 0.5, 0.3},
              {.theory = 3.0, .coarsest = 1, .finest = 4, .reference = 9, .t1 = 2.0});
}

TEST(StrongOrderTest, CirSplittingFeller) {
  auto cir = testing::Builtin("cir", {{"a", 1.0}, {"b", 1.0}, {"sigma", 0.3}}, 1);
  ExpectOrder(*cir, MethodId::kCirSplitting, {1.0}, {.theory = 1.0});
}

TEST(StrongOrderTest, CirImplicitEulerFeller) {
  auto cir = testing::Builtin("cir", {{"a", 1.0}, {"b", 1.0}, {"sigma", 0.3}}, 1);
  ExpectOrder(*cir, MethodId::kCirImplicitEuler, {1.0}, {.theory = 1.0});
}

}  // namespace
}  // namespace pathwise
