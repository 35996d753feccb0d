#include "core/mcmc/preconditioned_potential.h"

#include <cmath>
#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace pathwise::mcmc {
namespace {

// U(x) = sum_i x_i^2 / (2 s_i^2) + c x_0^4: a Gaussian of scales s, with a
// quartic term so that the gradient is not linear.
class ScaledPotential final : public model::Potential {
 public:
  ScaledPotential(std::vector<double> scales, double quartic)
      : model::Potential(static_cast<int>(scales.size())), scales_(scales), quartic_(quartic) {}
  absl::string_view name() const override { return "scaled"; }
  double Value(const double* x) const override {
    double u = quartic_ * std::pow(x[0], 4);
    for (size_t i = 0; i < scales_.size(); ++i) u += 0.5 * x[i] * x[i] / (scales_[i] * scales_[i]);
    return u;
  }
  void Gradient(const double* x, double* grad) const override {
    for (size_t i = 0; i < scales_.size(); ++i) grad[i] = x[i] / (scales_[i] * scales_[i]);
    grad[0] += 4.0 * quartic_ * std::pow(x[0], 3);
  }

 private:
  std::vector<double> scales_;
  double quartic_;
};

// With M^{-1} = s^2 the Gaussian becomes the standard one: U'(q) = |q|^2 / 2,
// grad U'(q) = q, in every coordinate whatever its original scale.
TEST(PreconditionedPotential, VariancesAsInverseMassGiveUnitScales) {
  const std::vector<double> scales = {0.1, 1.0, 10.0};
  auto potential = PreconditionedPotential::Create(std::make_shared<ScaledPotential>(scales, 0.0),
                                                   {0.01, 1.0, 100.0});
  ASSERT_TRUE(potential.ok()) << potential.status();
  const double q[3] = {0.5, -1.5, 2.0};
  double grad[3];
  (*potential)->Gradient(q, grad);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(grad[i], q[i], 1e-15) << i;
  EXPECT_NEAR((*potential)->Value(q), 0.5 * (0.25 + 2.25 + 4.0), 1e-14);
}

// The chain rule grad U'(q) = M^{-1/2} grad U(M^{-1/2} q) against central
// differences of U' (error O(h^2) ~ 1e-10 relative at h = 1e-5).
TEST(PreconditionedPotential, GradientIsTheGradientOfTheValue) {
  auto potential = PreconditionedPotential::Create(
      std::make_shared<ScaledPotential>(std::vector<double>{0.3, 2.0}, 0.7), {0.2, 5.0});
  ASSERT_TRUE(potential.ok()) << potential.status();
  double q[2] = {0.8, -1.1};
  double grad[2];
  (*potential)->Gradient(q, grad);
  for (int i = 0; i < 2; ++i) {
    const double h = 1e-5, saved = q[i];
    q[i] = saved + h;
    const double up = (*potential)->Value(q);
    q[i] = saved - h;
    const double down = (*potential)->Value(q);
    q[i] = saved;
    EXPECT_NEAR(grad[i], (up - down) / (2 * h), 1e-7 * std::fabs(grad[i])) << i;
  }
}

TEST(PreconditionedPotential, MapsBetweenCoordinates) {
  auto potential = PreconditionedPotential::Create(
      std::make_shared<ScaledPotential>(std::vector<double>{1.0, 1.0}, 0.0), {4.0, 0.25});
  ASSERT_TRUE(potential.ok()) << potential.status();
  const double q[2] = {1.0, 1.0};
  double x[2], back[2];
  (*potential)->ToOriginal(q, x);
  EXPECT_EQ(x[0], 2.0);
  EXPECT_EQ(x[1], 0.5);
  (*potential)->ToPreconditioned(x, back);
  EXPECT_EQ(back[0], 1.0);
  EXPECT_EQ(back[1], 1.0);
}

TEST(PreconditionedPotential, RejectsBadInverseMassNamingTheEntry) {
  auto original = std::make_shared<ScaledPotential>(std::vector<double>{1.0, 1.0}, 0.0);
  EXPECT_EQ(PreconditionedPotential::Create(original, {1.0}).status().message(),
            "inverse_mass: has 1 entries, the potential has dimension 2");
  EXPECT_EQ(PreconditionedPotential::Create(original, {1.0, 0.0}).status().message(),
            "inverse_mass[1]: must be positive and finite, got 0");
  EXPECT_EQ(PreconditionedPotential::Create(original, {NAN, 1.0}).status().message(),
            "inverse_mass[0]: must be positive and finite, got nan");
  EXPECT_EQ(PreconditionedPotential::Create(nullptr, {1.0}).status().message(),
            "potential: none given");
}

}  // namespace
}  // namespace pathwise::mcmc
