#include "core/solver/spark.h"

#include <numbers>

namespace pathwise::solver {
namespace {

constexpr int kStages = 3;

// The coefficients of the formula in spark.h; only nonzero entries need naming.
struct Tableau {
  double a[kStages][kStages] = {};
  double aw[kStages][kStages] = {};
  double ah[kStages][kStages] = {};
  double c[kStages] = {};
  double b[kStages] = {}, bw[kStages] = {}, bh[kStages] = {};
  double e[kStages] = {}, ew[kStages] = {}, eh[kStages] = {};
};

// Foster, arXiv 2311.14201, Definition 1.6 (spark.h), with x1 = (3 − √3)/6 and
// x2 = √3/3. std::numbers::sqrt3 is √3 correctly rounded, as std::sqrt(3.0) is.
constexpr double kX1 = (3.0 - std::numbers::sqrt3) / 6.0;
constexpr double kX2 = std::numbers::sqrt3 / 3.0;
constexpr Tableau kTab{
    .a = {{}, {0.5}, {0.0, 1.0}},
    .aw = {{}, {0.5}, {0.0, 1.0}},
    .ah = {{}, {std::numbers::sqrt3}},
    .c = {0.0, 0.5, 1.0},
    .b = {kX1, kX2, kX1},
    .bw = {kX1, kX2, kX1},
    .bh = {1.0, 0.0, -1.0},
    .e = {kX1 - 0.5, kX2, kX1 - 0.5},
    .ew = {kX1 - 0.5, kX2, kX1 - 0.5},
    .eh = {1.0, 0.0, -1.0},
};

}  // namespace

const MethodInfo& Spark::info() const {
  static constexpr MethodInfo info{
      .id = MethodId::kSpark,
      .name = "spark",
      .description = "SPaRK (Foster 2023), Stratonovich, any noise, uses H, embedded error",
      .levy_area = brownian::LevyArea::kSpaceTime,
      .calculus = model::Calculus::kStratonovich,
      .order_additive = 1.5,
      .order_commutative = 1.0,
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
