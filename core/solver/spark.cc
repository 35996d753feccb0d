#include "core/solver/spark.h"

#include <cmath>

namespace pathwise::solver {
namespace {

constexpr int kStages = 3;

struct Tableau {
  double a[kStages][kStages] = {};
  double aw[kStages][kStages] = {};
  double ah[kStages][kStages] = {};
  double c[kStages] = {};
  double b[kStages] = {}, bw[kStages] = {}, bh[kStages] = {};
  double e[kStages] = {}, ew[kStages] = {}, eh[kStages] = {};
};

Tableau MakeTableau() {
  const double x1 = (3.0 - std::sqrt(3.0)) / 6.0;
  const double x2 = std::sqrt(3.0) / 3.0;
  Tableau t;
  t.a[1][0] = 0.5;
  t.a[2][1] = 1.0;
  t.aw[1][0] = 0.5;
  t.aw[2][1] = 1.0;
  t.ah[1][0] = std::sqrt(3.0);
  t.c[1] = 0.5;
  t.c[2] = 1.0;
  const double b[kStages] = {x1, x2, x1};
  const double bh[kStages] = {1.0, 0.0, -1.0};
  const double e[kStages] = {x1 - 0.5, x2, x1 - 0.5};
  for (int j = 0; j < kStages; ++j) {
    t.b[j] = t.bw[j] = b[j];
    t.bh[j] = t.eh[j] = bh[j];
    t.e[j] = t.ew[j] = e[j];
  }
  return t;
}

const Tableau kTab = MakeTableau();

}  // namespace

const MethodInfo& Spark::info() const {
  static const MethodInfo info{
      .id = MethodId::kSpark,
      .name = "spark",
      .description = "SPaRK (Foster 2023), Stratonovich, any noise, uses H, embedded error",
      .levy_area = brownian::LevyArea::kSpaceTime,
      .form = ModelForm::kAny,
      .max_noise = model::NoiseClass::kGeneral,
      .calculus = model::Calculus::kStratonovich,
      .order_additive = 1.5,
      .order_commutative = 1.0,
      .order_general = 0.5,
      .embedded_error = true,
  };
  return info;
}

void Spark::Prepare(const model::Sde& sde, StepWork& work) const {
  const int n = sde.state_dim();
  // f, gW, gH per stage; z; g.
  work.scratch.assign(3 * kStages * n + n + model::DiffusionSize(sde.traits()), 0.0);
}

void Spark::Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
                 double* y1, double* err, StepWork& work) const {
  const model::SdeTraits& tr = sde.traits();
  const int n = tr.state_dim;
  double* fs = work.scratch.data();
  double* gws = fs + kStages * n;
  double* ghs = gws + kStages * n;
  double* z = ghs + kStages * n;
  double* g = z + n;
  const double h = dw.dt;
  for (int j = 0; j < kStages; ++j) {
    for (int i = 0; i < n; ++i) {
      double acc = y0[i];
      for (int l = 0; l < j; ++l) {
        acc += h * kTab.a[j][l] * fs[l * n + i] + kTab.aw[j][l] * gws[l * n + i] +
               kTab.ah[j][l] * ghs[l * n + i];
      }
      z[i] = acc;
    }
    const double tj = t + kTab.c[j] * h;
    sde.Drift(tj, z, fs + j * n);
    sde.Diffusion(tj, z, g);
    model::ApplyDiffusion(tr, g, dw.w, gws + j * n);
    model::ApplyDiffusion(tr, g, dw.h, ghs + j * n);
  }
  work.counts.drift += kStages;
  work.counts.diffusion += kStages;
  for (int i = 0; i < n; ++i) {
    double acc = y0[i];
    for (int j = 0; j < kStages; ++j) {
      acc +=
          h * kTab.b[j] * fs[j * n + i] + kTab.bw[j] * gws[j * n + i] + kTab.bh[j] * ghs[j * n + i];
    }
    y1[i] = acc;
  }
  if (err == nullptr) return;
  for (int i = 0; i < n; ++i) {
    double acc = 0.0;
    for (int j = 0; j < kStages; ++j) {
      acc +=
          h * kTab.e[j] * fs[j * n + i] + kTab.ew[j] * gws[j * n + i] + kTab.eh[j] * ghs[j * n + i];
    }
    err[i] = acc;
  }
}

}  // namespace pathwise::solver
