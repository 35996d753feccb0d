// ModelForMethod: the model a method integrates (Stratonovich form of a
// built-in Itô model for a Stratonovich method) and the initial state
// (Langevin x0 / v0), with errors naming the field.
#include "core/integrate/model_for_method.h"

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/integrate/options.h"
#include "core/integrate/plan.h"
#include "core/model/catalog.h"
#include "core/model/langevin.h"
#include "core/solver/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pathwise {
namespace {

using ::testing::HasSubstr;

const solver::Method& Named(absl::string_view name) {
  absl::StatusOr<const solver::Method*> method = solver::FindMethod(name);
  EXPECT_TRUE(method.ok()) << method.status();
  return **method;
}

std::shared_ptr<const model::Sde> Builtin(absl::string_view name, const model::ParamMap& params,
                                          int state_dim) {
  auto sde = model::MakeBuiltinModel(name, params, state_dim);
  EXPECT_TRUE(sde.ok()) << sde.status();
  return std::shared_ptr<const model::Sde>(std::move(*sde));
}

std::shared_ptr<const model::Sde> Langevin(int dim) {
  auto potential = model::MakeBuiltinPotential("gaussian", {}, {}, 0, dim);
  EXPECT_TRUE(potential.ok()) << potential.status();
  auto langevin = model::LangevinModel::Create(*potential, 1.0, 1.0);
  EXPECT_TRUE(langevin.ok()) << langevin.status();
  return std::make_shared<model::LangevinModel>(std::move(*langevin));
}

integrate::UserModel User(std::shared_ptr<const model::Sde> sde, std::vector<double> y0,
                          bool ito_as_written = true) {
  integrate::UserModel user;
  user.sde = std::move(sde);
  user.ito_as_written = ito_as_written;
  user.y0 = std::move(y0);
  return user;
}

// GBM dy = μ y dt + σ y dW reads in Stratonovich form as
// dy = (μ − σ²/2) y dt + σ y ∘ dW (Kloeden & Platen 1992, §4.9).
TEST(ModelForMethodTest, AStratonovichMethodGetsTheStratonovichFormOfABuiltin) {
  const double mu = 0.3, sigma = 0.8, y = 2.0;
  auto gbm = Builtin("gbm", {{"mu", mu}, {"sigma", sigma}}, 1);
  auto prepared = integrate::ModelForMethod(User(gbm, {y}), Named("heun"));
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_NE(prepared->sde, gbm);
  EXPECT_EQ(prepared->sde->traits().calculus, model::Calculus::kStratonovich);
  EXPECT_EQ(prepared->sde->name(), "gbm");
  double f = 0.0, g = 0.0;
  prepared->sde->Drift(0.0, &y, &f);
  prepared->sde->Diffusion(0.0, &y, &g);
  EXPECT_DOUBLE_EQ(f, (mu - 0.5 * sigma * sigma) * y);
  EXPECT_DOUBLE_EQ(g, sigma * y);
  EXPECT_EQ(prepared->y0, std::vector<double>{y});
  // What comes out fits the method: MakePlan accepts it.
  integrate::SolveOptions options;
  options.y0 = prepared->y0;
  options.step = control::ConstantStep{0.125};
  EXPECT_TRUE(integrate::MakePlan(options, *prepared->sde, Named("heun")).ok());
}

TEST(ModelForMethodTest, KeepsTheModelWhereTheMethodTakesItAsItIs) {
  auto gbm = Builtin("gbm", {}, 1);
  // An Itô method on an Itô model.
  auto ito = integrate::ModelForMethod(User(gbm, {1.0}), Named("euler"));
  ASSERT_TRUE(ito.ok()) << ito.status();
  EXPECT_EQ(ito->sde, gbm);
  // Additive noise reads the same in both calculi.
  auto ou = Builtin("ou", {}, 2);
  auto additive = integrate::ModelForMethod(User(ou, {1.0, 2.0}), Named("heun"));
  ASSERT_TRUE(additive.ok()) << additive.status();
  EXPECT_EQ(additive->sde, ou);
  // A declared calculus is the user's: the mismatch is left to MakePlan.
  auto declared = integrate::ModelForMethod(User(gbm, {1.0}, false), Named("heun"));
  ASSERT_TRUE(declared.ok()) << declared.status();
  EXPECT_EQ(declared->sde, gbm);
  integrate::SolveOptions options;
  options.y0 = declared->y0;
  options.step = control::ConstantStep{0.125};
  EXPECT_FALSE(integrate::MakePlan(options, *declared->sde, Named("heun")).ok());
}

TEST(ModelForMethodTest, BuildsALangevinStateFromPositionsAndVelocities) {
  auto langevin = Langevin(2);
  integrate::UserModel user = User(langevin, {});
  user.x0 = {1.0, 2.0};
  auto zeros = integrate::ModelForMethod(user, Named("quicsort"));
  ASSERT_TRUE(zeros.ok()) << zeros.status();
  EXPECT_EQ(zeros->y0, (std::vector<double>{1.0, 2.0, 0.0, 0.0}));
  EXPECT_EQ(zeros->sde, langevin);
  user.v0 = {3.0, 4.0};
  auto both = integrate::ModelForMethod(user, Named("quicsort"));
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->y0, (std::vector<double>{1.0, 2.0, 3.0, 4.0}));
  // Or the whole state as y0.
  auto whole = integrate::ModelForMethod(User(langevin, {1.0, 2.0, 3.0, 4.0}), Named("quicsort"));
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->y0, (std::vector<double>{1.0, 2.0, 3.0, 4.0}));
}

void ExpectError(integrate::UserModel user, const solver::Method& method,
                 absl::string_view message) {
  auto prepared = integrate::ModelForMethod(std::move(user), method);
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(prepared.status().message(), message);
}

TEST(ModelForMethodTest, ErrorsNameTheField) {
  const solver::Method& quicsort = Named("quicsort");
  integrate::UserModel both = User(Langevin(2), {1.0, 2.0, 3.0, 4.0});
  both.x0 = {1.0, 2.0};
  ExpectError(both, quicsort, "y0: give either y0 or model.langevin.x0 / v0, not both");
  integrate::UserModel short_x0 = User(Langevin(2), {});
  short_x0.x0 = {1.0};
  ExpectError(short_x0, quicsort,
              "model.langevin.x0: expected 2 values (dim), got 1 (or give y0 with 4 values)");
  ExpectError(User(Langevin(2), {}), quicsort,
              "model.langevin.x0: expected 2 values (dim), got 0 (or give y0 with 4 values)");
  integrate::UserModel bad_v0 = User(Langevin(2), {});
  bad_v0.x0 = {1.0, 2.0};
  bad_v0.v0 = {1.0, 2.0, 3.0};
  ExpectError(bad_v0, quicsort, "model.langevin.v0: expected 2 values (dim) or none, got 3");
  integrate::UserModel not_langevin = User(Builtin("ou", {}, 1), {});
  not_langevin.v0 = {1.0};
  ExpectError(not_langevin, Named("euler"), "model.langevin.v0: only for a Langevin model, not ou");
  ExpectError(User(Builtin("heston", {}, 2), {1.0, 0.04, 3.0}), Named("euler"),
              "y0: expected 2 values for heston, got 3");
  ExpectError(User(Builtin("ou", {}, 1), {}), Named("euler"),
              "y0: expected 1 values for ou, got 0");
}

// The options are checked before the model exists: y0's values, not its length.
TEST(ModelForMethodTest, OptionsValidateWithoutAModel) {
  integrate::SolveOptions options;
  options.step = control::ConstantStep{0.125};
  EXPECT_TRUE(options.Validate().ok());  // no y0 yet
  options.y0 = {1.0, NAN};
  EXPECT_EQ(options.Validate().message(), "y0[1]: must be finite");
  options.y0.clear();
  auto plan = integrate::MakePlan(options, *Builtin("ou", {}, 1), Named("euler"));
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(std::string(plan.status().message()), HasSubstr("y0: "));
}

}  // namespace
}  // namespace pathwise
