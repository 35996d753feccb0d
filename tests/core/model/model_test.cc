// Models: parameter validation, the catalog, evaluations against hand formulas.
#include <cmath>

#include "core/model/catalog.h"
#include "core/model/gaussian_potential.h"
#include "core/model/params.h"
#include "core/model/stratonovich_form.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using model::ParamMap;

TEST(ParamsTest, DefaultsAndOverrides) {
  auto ou = model::MakeBuiltinModel("ou", {{"theta", 2.0}}, 1);
  ASSERT_TRUE(ou.ok()) << ou.status();
  double y = 1.0, f = 0.0, g = 0.0;
  (*ou)->Drift(0.0, &y, &f);
  (*ou)->Diffusion(0.0, &y, &g);
  EXPECT_EQ(f, 2.0 * (0.0 - 1.0));  // mu defaults to 0
  EXPECT_EQ(g, 1.0);                // sigma defaults to 1
}

TEST(ParamsTest, RejectsOutOfRangeAndUnknown) {
  auto bad = model::MakeBuiltinModel("ou", {{"sigma", -1.0}}, 1);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("params.sigma"), absl::string_view::npos);
  auto unknown = model::MakeBuiltinModel("gbm", {{"theta", 1.0}}, 1);
  EXPECT_NE(unknown.status().message().find("params.theta: unknown parameter"),
            absl::string_view::npos);
  auto rho = model::MakeBuiltinModel("heston", {{"rho", 1.5}}, 2);
  EXPECT_NE(rho.status().message().find("params.rho"), absl::string_view::npos);
  auto nan = model::MakeBuiltinModel("cir", {{"a", NAN}}, 1);
  EXPECT_FALSE(nan.ok());
}

TEST(CatalogTest, ListsEveryBuiltinAndBuildsIt) {
  for (const model::ModelInfo& info : model::BuiltinModels()) {
    const int n = info.state_dim > 0 ? info.state_dim : 1;
    auto m = model::MakeBuiltinModel(info.name, {}, n);
    ASSERT_TRUE(m.ok()) << info.name << ": " << m.status();
    EXPECT_EQ((*m)->name(), info.name);
    EXPECT_FALSE(info.params.empty());
  }
  EXPECT_FALSE(model::MakeBuiltinModel("nope", {}, 1).ok());
  EXPECT_NE(model::MakeBuiltinModel("heston", {}, 1).status().message().find("y0"),
            absl::string_view::npos);
}

TEST(CatalogTest, EveryEntryNamesItsStateAndItsParametersUnits) {
  // The catalog is the single source for ListCapabilities and `pathwise models`.
  for (const model::ModelInfo& info : model::BuiltinModels()) {
    SCOPED_TRACE(info.name);
    ASSERT_FALSE(info.state_names.empty());
    // A fixed state names each component; a per-component model has one name, y[0], y[1], ...
    const size_t expected_names = info.state_dim > 0 ? size_t(info.state_dim) : 1u;
    EXPECT_EQ(info.state_names.size(), expected_names);
    for (const model::ParamSpec& p : info.params) EXPECT_FALSE(p.units.empty()) << p.name;
  }
  for (const model::PotentialInfo& info : model::BuiltinPotentials()) {
    SCOPED_TRACE(info.name);
    EXPECT_EQ(info.state_names, (std::vector<std::string>{"x", "v"}));
    for (const model::ParamSpec& p : info.params) EXPECT_FALSE(p.units.empty()) << p.name;
  }
  EXPECT_EQ(model::BuiltinModels()[3].state_names, (std::vector<std::string>{"S", "v"}));
}

TEST(ModelTest, HestonDiffusionMatchesFormula) {
  auto m = model::MakeBuiltinModel("heston", {{"xi", 0.5}, {"rho", -0.6}}, 2);
  ASSERT_TRUE(m.ok());
  const double y[2] = {100.0, 0.04};
  double g[4];
  (*m)->Diffusion(0.0, y, g);
  EXPECT_DOUBLE_EQ(g[0], 0.2 * 100.0);
  EXPECT_EQ(g[1], 0.0);
  EXPECT_DOUBLE_EQ(g[2], 0.5 * -0.6 * 0.2);
  EXPECT_DOUBLE_EQ(g[3], 0.5 * 0.8 * 0.2);
}

TEST(ModelTest, DiffusionJvpMatchesFiniteDifference) {
  for (const char* name : {"gbm", "cir"}) {
    auto m = model::MakeBuiltinModel(name, {}, 1);
    ASSERT_TRUE(m.ok());
    const double y = 0.7, v = 1.3, eps = 1e-6;
    double jv, gp, gm;
    (*m)->DiffusionJvp(0.0, &y, &v, &jv);
    const double yp = y + eps, ym = y - eps;
    (*m)->Diffusion(0.0, &yp, &gp);
    (*m)->Diffusion(0.0, &ym, &gm);
    EXPECT_NEAR(jv, v * (gp - gm) / (2 * eps), 1e-8) << name;
  }
}

TEST(PotentialTest, GradientsMatchFiniteDifferences) {
  auto gauss = model::MakeBuiltinPotential("gaussian", {{"mean", 0.5}}, {1.0, 2.0, 0.5}, 0, 3);
  ASSERT_TRUE(gauss.ok()) << gauss.status();
  auto logistic = testing::SmallLogistic();
  ASSERT_NE(logistic, nullptr);
  for (const model::Potential* p : {gauss->get(), logistic.get()}) {
    std::vector<double> x(p->dim()), grad(p->dim());
    for (int i = 0; i < p->dim(); ++i) x[i] = 0.3 * i - 0.2;
    p->Gradient(x.data(), grad.data());
    for (int i = 0; i < p->dim(); ++i) {
      std::vector<double> xp = x, xm = x;
      xp[i] += 1e-6;
      xm[i] -= 1e-6;
      EXPECT_NEAR(grad[i], (p->Value(xp.data()) - p->Value(xm.data())) / 2e-6, 1e-6);
    }
  }
}

TEST(PotentialTest, RejectsBadData) {
  EXPECT_FALSE(model::MakeBuiltinPotential("gaussian", {}, {1.0, -1.0}, 0, 2).ok());
  EXPECT_FALSE(model::MakeBuiltinPotential("gaussian", {}, {1.0}, 0, 2).ok());
  EXPECT_FALSE(model::MakeBuiltinPotential("logistic_regression", {}, {1, 0, 2}, 3, 0).ok());
  EXPECT_FALSE(model::MakeBuiltinPotential("logistic_regression", {}, {1, 0, 1, 1}, 3, 0).ok());
  EXPECT_FALSE(model::MakeBuiltinPotential("quartic", {}, {}, 0, 1).ok());
}

TEST(LangevinTest, DriftIsVelocityAndForce) {
  auto lm = testing::SmallLangevin(2.0, 0.5);
  ASSERT_NE(lm, nullptr);
  const double y[4] = {0.1, -0.2, 0.3, 0.4};
  double f[4], grad[2];
  lm->Drift(0.0, y, f);
  lm->potential().Gradient(y, grad);
  EXPECT_EQ(f[0], 0.3);
  EXPECT_EQ(f[1], 0.4);
  EXPECT_DOUBLE_EQ(f[2], -2.0 * 0.3 - 0.5 * grad[0]);
  EXPECT_DOUBLE_EQ(f[3], -2.0 * 0.4 - 0.5 * grad[1]);
  EXPECT_EQ(lm->traits().noise, model::NoiseClass::kAdditive);
  EXPECT_FALSE(model::LangevinModel::Create(testing::SmallLogistic(), 0.0, 1.0).ok());
}

// The Stratonovich form of an Itô model: f − ½ g ∂g/∂y, g unchanged.
// CIR: g = σ√y, g g' = σ²/2; GBM: g = σy, g g' = σ² y.
TEST(StratonovichFormTest, CirAndGbmDriftsAreCorrectedByHalfGGPrime) {
  auto cir = model::MakeBuiltinModel("cir", {{"a", 0.5}, {"b", 0.04}, {"sigma", 0.8}}, 2);
  ASSERT_TRUE(cir.ok());
  auto cir_s = model::StratonovichForm(std::shared_ptr<const model::Sde>(std::move(*cir)));
  ASSERT_TRUE(cir_s.ok()) << cir_s.status();
  EXPECT_EQ((*cir_s)->traits().calculus, model::Calculus::kStratonovich);
  const double y[2] = {0.09, 1.7};
  double f[2], g[2];
  (*cir_s)->Drift(0.0, y, f);
  (*cir_s)->Diffusion(0.0, y, g);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(f[i], 0.5 * (0.04 - y[i]) - 0.64 / 4, 1e-15);
    EXPECT_NEAR(g[i], 0.8 * std::sqrt(y[i]), 1e-15);
  }
  auto gbm = model::MakeBuiltinModel("gbm", {{"mu", 0.3}, {"sigma", 0.5}}, 1);
  ASSERT_TRUE(gbm.ok());
  auto gbm_s = model::StratonovichForm(std::shared_ptr<const model::Sde>(std::move(*gbm)));
  ASSERT_TRUE(gbm_s.ok());
  const double x = 2.5;
  double fx;
  (*gbm_s)->Drift(0.0, &x, &fx);
  EXPECT_NEAR(fx, (0.3 - 0.125) * x, 1e-15);
}

TEST(StratonovichFormTest, ModelsWithoutADiagonalDiffusionDerivativeAreRefused) {
  auto heston = model::MakeBuiltinModel("heston", {}, 2);
  ASSERT_TRUE(heston.ok());
  std::shared_ptr<const model::Sde> sde(std::move(*heston));
  EXPECT_FALSE(model::HasStratonovichForm(*sde));
  auto s = model::StratonovichForm(sde);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.status().message()).rfind("calculus: no Stratonovich form of heston", 0),
            0u)
      << s.status();
}

}  // namespace
}  // namespace pathwise
