// Sde::ForLanes: a model's lane form holds independent copies of its state,
// component major and lane minor (SdeTraits::lanes), and each copy must be
// evaluated with exactly the model's own arithmetic: every lane of Drift,
// Diffusion, DiffusionJvp, ApplyDiffusion and AddDiffusion equals, bit for
// bit, the model evaluated at that lane's state alone. The lane solver's
// bit-for-bit comparisons (tests/core/integrate/lane_solver_test.cc) rest on
// this.
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/model/expression_sde.h"
#include "core/model/sde.h"
#include "core/model/stratonovich_form.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using model::Sde;

uint64_t Bits(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

std::shared_ptr<const Sde> Expression(std::vector<std::string> drift,
                                      std::vector<std::string> diffusion, uint32_t general_m = 0,
                                      model::Calculus calculus = model::Calculus::kIto) {
  model::ExpressionModelSpec spec;
  spec.state = {"x", "y"};
  spec.drift = std::move(drift);
  spec.diffusion = std::move(diffusion);
  spec.calculus = calculus;
  spec.params = {{"k", 0.7}};
  if (general_m > 0) {
    spec.noise = model::NoiseShape::kGeneral;
    spec.noise_dim = general_m;
  }
  auto m = model::ExpressionSde::Create(spec, nullptr);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? std::shared_ptr<const Sde>(std::move(m).value()) : nullptr;
}

struct Case {
  std::string label;
  std::shared_ptr<const Sde> sde;
};

std::vector<Case> ModelsWithALaneForm() {
  const std::vector<std::string> drift = {"-k * x + sin(y) * t", "if(x > y, x * y, exp(-y^2))"};
  std::vector<Case> cases = {
      {"ou n=2", testing::Builtin("ou", {}, 2)},
      {"gbm", testing::Builtin("gbm", {}, 1)},
      {"cir", testing::Builtin("cir", {}, 1)},
      {"double_well", testing::Builtin("double_well", {}, 1)},
      {"heston", testing::Builtin("heston", {}, 2)},
      {"expression diagonal", Expression(drift, {"0.3 * x * cos(t)", "sqrt(1 + y^2)"})},
      {"expression general",
       Expression(drift, {"x * y", "0.1", "tanh(x)", "pow(abs(y), 1.5)", "t * x", "0"}, 3)},
      {"expression additive", Expression(drift, {"0.2 * t", "0.5"})},
  };
  cases.push_back({"stratonovich form", *model::StratonovichForm(cases[5].sde)});
  return cases;
}

// Values of both signs, and a zero so that signed zeros are compared too.
std::vector<double> RandomValues(size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.5, 2.0);
  std::vector<double> v(count);
  for (double& x : v) x = u(rng);
  if (count > 2) v[2] = 0.0;
  return v;
}

// Lane l of a wide buffer of `per_lane` values.
std::vector<double> Lane(const std::vector<double>& wide, size_t per_lane, size_t lanes, size_t l) {
  std::vector<double> one(per_lane);
  for (size_t c = 0; c < per_lane; ++c) one[c] = wide[c * lanes + l];
  return one;
}

void ExpectLane(const std::vector<double>& wide, const std::vector<double>& one, size_t lanes,
                size_t l, const char* what) {
  for (size_t c = 0; c < one.size(); ++c) {
    EXPECT_EQ(Bits(wide[c * lanes + l]), Bits(one[c]))
        << what << ": lane " << l << ", value " << c << " (" << wide[c * lanes + l] << " vs "
        << one[c] << ")";
  }
}

TEST(LaneFormTest, EveryLaneIsTheModelAtThatLanesState) {
  for (const Case& c : ModelsWithALaneForm()) {
    ASSERT_NE(c.sde, nullptr) << c.label;
    for (const int lanes : {8, 3}) {
      SCOPED_TRACE(c.label + ", " + std::to_string(lanes) + " lanes");
      const std::unique_ptr<Sde> wide = c.sde->ForLanes(lanes);
      ASSERT_NE(wide, nullptr);
      const model::SdeTraits& one_tr = c.sde->traits();
      const model::SdeTraits& tr = wide->traits();
      EXPECT_EQ(tr.lanes, lanes);
      EXPECT_EQ(tr.state_dim, one_tr.state_dim * lanes);
      EXPECT_EQ(tr.noise_dim, one_tr.noise_dim * lanes);
      EXPECT_EQ(tr.shape, one_tr.shape);
      EXPECT_EQ(tr.noise, one_tr.noise);
      EXPECT_EQ(tr.calculus, one_tr.calculus);
      EXPECT_EQ(tr.diffusion_depends_on_t, one_tr.diffusion_depends_on_t);
      const size_t L = static_cast<size_t>(lanes);
      const size_t n = static_cast<size_t>(one_tr.state_dim);
      const size_t m = static_cast<size_t>(one_tr.noise_dim);
      const size_t gs = static_cast<size_t>(model::DiffusionSize(one_tr));
      ASSERT_EQ(static_cast<size_t>(model::DiffusionSize(tr)), gs * L);
      const double t = 0.3;
      const std::vector<double> y = RandomValues(n * L, 1 + L);
      const std::vector<double> v = RandomValues(n * L, 2 + L);
      const std::vector<double> w = RandomValues(m * L, 3 + L);
      std::vector<double> f(n * L), g(gs * L), jv(gs * L), gw(n * L), add = RandomValues(n * L, 9);
      const std::vector<double> add0 = add;
      wide->Drift(t, y.data(), f.data());
      wide->Diffusion(t, y.data(), g.data());
      if (tr.has_diffusion_jvp) wide->DiffusionJvp(t, y.data(), v.data(), jv.data());
      model::ApplyDiffusion(tr, g.data(), w.data(), gw.data());
      model::AddDiffusion(tr, g.data(), w.data(), 0.5, add.data());
      for (size_t l = 0; l < L; ++l) {
        const std::vector<double> y1 = Lane(y, n, L, l);
        const std::vector<double> w1 = Lane(w, m, L, l);
        std::vector<double> f1(n), g1(gs), jv1(gs), gw1(n), add1 = Lane(add0, n, L, l);
        c.sde->Drift(t, y1.data(), f1.data());
        c.sde->Diffusion(t, y1.data(), g1.data());
        ExpectLane(f, f1, L, l, "drift");
        ExpectLane(g, g1, L, l, "diffusion");
        if (tr.has_diffusion_jvp) {
          const std::vector<double> v1 = Lane(v, n, L, l);
          c.sde->DiffusionJvp(t, y1.data(), v1.data(), jv1.data());
          ExpectLane(jv, jv1, L, l, "diffusion jvp");
        }
        model::ApplyDiffusion(one_tr, g1.data(), w1.data(), gw1.data());
        model::AddDiffusion(one_tr, g1.data(), w1.data(), 0.5, add1.data());
        ExpectLane(gw, gw1, L, l, "g w");
        ExpectLane(add, add1, L, l, "y + g w / 2");
      }
    }
  }
}

TEST(LaneFormTest, LangevinModelsHaveNone) {
  // The Langevin methods read the model through AsLangevin(), in one path's
  // layout; its paths are stepped one at a time.
  EXPECT_EQ(testing::SmallLangevin()->ForLanes(8), nullptr);
}

}  // namespace
}  // namespace pathwise
