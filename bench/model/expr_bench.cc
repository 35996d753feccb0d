// Compile time per model, and Euler-Maruyama path-steps per second over an
// ensemble of 1000 paths: compiled expressions (lane-batched, and one path at a
// time) against the same model written in C++ (docs/benchmarks.md §5).
//
// Each benchmark iteration advances every path by one step. Brownian
// increments come from a fixed pool (each half the negation of the other, so
// the paths stay bounded); states are reset every kResetPeriod steps, in every
// variant alike, so that the numbers compare work on ordinary values.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/expr/compiler.h"
#include "core/expr/ops.h"

namespace pathwise::expr {
namespace {

constexpr size_t kPaths = 1000;
constexpr size_t kPool = 64;  // steps of increments kept
constexpr int kResetPeriod = 256;
constexpr double kDt = 1e-3;

// ---------------------------------------------------------------- models

struct Model {
  ProgramSpec spec;
  size_t d = 1;  // state dimension
  size_t m = 1;  // noise dimension
  std::vector<double> initial;
};

Model Ou() {
  Model model;
  model.spec.state_names = {"x"};
  model.spec.parameters = {{"kappa", 2.0}, {"theta", 0.5}, {"sigma", 0.3}};
  model.spec.expressions = {{"drift[0]", "kappa*(theta - x)"}, {"diffusion[0]", "sigma"}};
  model.initial = {1.0};
  return model;
}

Model Cir() {
  Model model;
  model.spec.state_names = {"x"};
  model.spec.parameters = {{"kappa", 2.0}, {"theta", 0.5}, {"sigma", 0.3}};
  model.spec.expressions = {{"drift[0]", "kappa*(theta - x)"},
                            {"diffusion[0]", "sigma*sqrt(max(x, 0))"}};
  model.initial = {0.4};
  return model;
}

Model Heston() {
  Model model;
  model.d = 2;
  model.m = 2;
  model.spec.state_names = {"S", "v"};
  model.spec.parameters = {
      {"mu", 0.05}, {"kappa", 2.0}, {"theta", 0.04}, {"xi", 0.3}, {"rho", -0.7}};
  model.spec.expressions = {{"drift[0]", "mu*S"},
                            {"drift[1]", "kappa*(theta - v)"},
                            {"diffusion[0]", "sqrt(max(v, 0))*S"},
                            {"diffusion[1]", "0"},
                            {"diffusion[2]", "xi*sqrt(max(v, 0))*rho"},
                            {"diffusion[3]", "xi*sqrt(max(v, 0))*sqrt(1 - rho^2)"}};
  model.initial = {100.0, 0.04};
  return model;
}

// Bayesian logistic regression, 25 weights and 20 data points (a_i, y_i):
// U(w) = sum_i softplus(-y_i a_i.w) + |w|^2/2; Langevin drift -grad U, noise sqrt(2).
constexpr size_t kLangevinDim = 25;
constexpr size_t kLangevinData = 20;

struct LogisticData {
  std::vector<double> a;  // kLangevinData x kLangevinDim, row-major
  std::vector<double> y;  // +-1
};

const LogisticData& Data() {
  static const LogisticData data = [] {
    LogisticData d;
    std::mt19937_64 rng(42);
    std::normal_distribution<double> normal(0.0, 0.3);
    for (size_t i = 0; i < kLangevinData * kLangevinDim; ++i) d.a.push_back(normal(rng));
    for (size_t i = 0; i < kLangevinData; ++i) d.y.push_back(i % 3 == 0 ? -1.0 : 1.0);
    return d;
  }();
  return data;
}

std::string LogisticPotential() {
  const LogisticData& data = Data();
  std::string u = "(";
  for (size_t j = 0; j < kLangevinDim; ++j) absl::StrAppend(&u, j ? " + " : "", "w", j, "^2");
  absl::StrAppend(&u, ")/2");
  for (size_t i = 0; i < kLangevinData; ++i) {
    absl::StrAppend(&u, " + softplus(", data.y[i] > 0 ? "-" : "", "(");
    for (size_t j = 0; j < kLangevinDim; ++j) {
      absl::StrAppend(&u, j ? " + " : "", data.a[i * kLangevinDim + j], "*w", j);
    }
    absl::StrAppend(&u, "))");
  }
  return u;
}

Model Langevin() {
  Model model;
  model.d = kLangevinDim;
  model.m = kLangevinDim;
  for (size_t j = 0; j < kLangevinDim; ++j) model.spec.state_names.push_back(absl::StrCat("w", j));
  // Only the gradient drives the dynamics, so U itself is not computed.
  model.spec.expressions = {{"potential", LogisticPotential(), false}};
  model.spec.derivatives = JacobianRequests(0, 1, kLangevinDim);
  model.initial.assign(kLangevinDim, 0.1);
  return model;
}

// ---------------------------------------------------------------- ensembles

struct Ensemble {
  size_t d, m;
  std::vector<double> x;        // d x kPaths
  std::vector<double> initial;  // d x kPaths
  std::vector<double> dw;       // kPool x m x kPaths
  size_t step = 0;

  Ensemble(size_t d_, size_t m_, const std::vector<double>& x0) : d(d_), m(m_) {
    for (size_t i = 0; i < d; ++i) initial.insert(initial.end(), kPaths, x0[i]);
    x = initial;
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal(0.0, std::sqrt(kDt));
    const size_t half = kPool / 2 * m * kPaths;
    for (size_t k = 0; k < half; ++k) dw.push_back(normal(rng));
    for (size_t k = 0; k < half; ++k) dw.push_back(-dw[k]);
  }
  const double* Increments() const { return dw.data() + (step % kPool) * m * kPaths; }
  void Next() {
    if (++step % kResetPeriod == 0) std::copy(initial.begin(), initial.end(), x.begin());
  }
};

// Euler update from SoA drift (d x kPaths) and diffusion (d x m x kPaths) columns,
// as an adapter would write it for any model.
void EulerUpdate(Ensemble& e, const double* drift, const double* diffusion) {
  const double* dw = e.Increments();
  for (size_t i = 0; i < e.d; ++i) {
    double* x = e.x.data() + i * kPaths;
    const double* f = drift + i * kPaths;
    for (size_t l = 0; l < kPaths; ++l) x[l] += f[l] * kDt;
    for (size_t j = 0; j < e.m; ++j) {
      const double* g = diffusion + (i * e.m + j) * kPaths;
      const double* w = dw + j * kPaths;
      for (size_t l = 0; l < kPaths; ++l) x[l] += g[l] * w[l];
    }
  }
}

std::shared_ptr<const CompiledProgram> MustCompile(const ProgramSpec& spec) {
  auto program = Compile(spec);
  if (!program.ok()) std::abort();
  return *program;
}

// ---------------------------------------------------------------- benchmarks

void BM_Compile(benchmark::State& state, Model (*make)()) {
  const Model model = make();
  for (auto _ : state) benchmark::DoNotOptimize(Compile(model.spec));
}

// Lane-batched expression: one EvaluateLanes per step, then the generic update.
void BM_ExpressionLanes(benchmark::State& state, Model (*make)()) {
  const Model model = make();
  const auto program = MustCompile(model.spec);
  Workspace ws(*program);
  Ensemble e(model.d, model.m, model.initial);
  std::vector<double> out(program->num_outputs() * kPaths);
  const bool langevin = model.spec.derivatives.size() == model.d;
  std::vector<double> diffusion(model.d * model.m * kPaths, 0.0);
  for (size_t i = 0; langevin && i < model.d; ++i) {
    std::fill_n(diffusion.begin() + (i * model.m + i) * kPaths, kPaths, std::sqrt(2.0));
  }
  double t = 0.0;
  for (auto _ : state) {
    if (!program->EvaluateLanes(t, e.x, kPaths, kPaths, absl::MakeSpan(out), ws).ok()) std::abort();
    if (langevin) {  // drift = -grad U: outputs 1..d
      for (size_t l = 0; l < model.d * kPaths; ++l) out[kPaths + l] = -out[kPaths + l];
      EulerUpdate(e, out.data() + kPaths, diffusion.data());
    } else {
      EulerUpdate(e, out.data(), out.data() + model.d * kPaths);
    }
    e.Next();
    t += kDt;
  }
  state.counters["path_steps/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kPaths), benchmark::Counter::kIsRate);
}

// One path at a time through the scalar Evaluate (the per-path API).
void BM_ExpressionScalar(benchmark::State& state, Model (*make)()) {
  const Model model = make();
  const auto program = MustCompile(model.spec);
  Workspace ws(*program);
  Ensemble e(model.d, model.m, model.initial);
  std::vector<double> in(program->num_inputs()), out(program->num_outputs());
  double t = 0.0;
  for (auto _ : state) {
    const double* dw = e.Increments();
    for (size_t l = 0; l < kPaths; ++l) {
      in[0] = t;
      for (size_t i = 0; i < model.d; ++i) in[1 + i] = e.x[i * kPaths + l];
      if (!program->Evaluate(in, absl::MakeSpan(out), ws).ok()) std::abort();
      for (size_t i = 0; i < model.d; ++i) {
        double dx = out[i] * kDt;
        for (size_t j = 0; j < model.m; ++j)
          dx += out[model.d + i * model.m + j] * dw[j * kPaths + l];
        e.x[i * kPaths + l] += dx;
      }
    }
    e.Next();
    t += kDt;
  }
  state.counters["path_steps/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kPaths), benchmark::Counter::kIsRate);
}

// ------------------------------------------------- the same models in C++

void BM_CxxOu(benchmark::State& state) {
  const double kappa = 2.0, theta = 0.5, sigma = 0.3;
  Ensemble e(1, 1, {1.0});
  std::vector<double> drift(kPaths), diffusion(kPaths);
  for (auto _ : state) {
    for (size_t l = 0; l < kPaths; ++l) {
      drift[l] = kappa * (theta - e.x[l]);
      diffusion[l] = sigma;
    }
    EulerUpdate(e, drift.data(), diffusion.data());
    e.Next();
  }
  state.counters["path_steps/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kPaths), benchmark::Counter::kIsRate);
}

void BM_CxxCir(benchmark::State& state) {
  const double kappa = 2.0, theta = 0.5, sigma = 0.3;
  Ensemble e(1, 1, {0.4});
  std::vector<double> drift(kPaths), diffusion(kPaths);
  for (auto _ : state) {
    for (size_t l = 0; l < kPaths; ++l) {
      drift[l] = kappa * (theta - e.x[l]);
      diffusion[l] = sigma * std::sqrt(std::max(e.x[l], 0.0));
    }
    EulerUpdate(e, drift.data(), diffusion.data());
    e.Next();
  }
  state.counters["path_steps/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kPaths), benchmark::Counter::kIsRate);
}

void BM_CxxHeston(benchmark::State& state) {
  const double mu = 0.05, kappa = 2.0, theta = 0.04, xi = 0.3, rho = -0.7;
  const double rho_bar = std::sqrt(1 - rho * rho);
  Ensemble e(2, 2, {100.0, 0.04});
  std::vector<double> drift(2 * kPaths), diffusion(4 * kPaths);
  for (auto _ : state) {
    for (size_t l = 0; l < kPaths; ++l) {
      const double s = e.x[l], v = e.x[kPaths + l];
      const double root = std::sqrt(std::max(v, 0.0));
      drift[l] = mu * s;
      drift[kPaths + l] = kappa * (theta - v);
      diffusion[l] = root * s;
      diffusion[kPaths + l] = 0.0;
      diffusion[2 * kPaths + l] = xi * root * rho;
      diffusion[3 * kPaths + l] = xi * root * rho_bar;
    }
    EulerUpdate(e, drift.data(), diffusion.data());
    e.Next();
  }
  state.counters["path_steps/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kPaths), benchmark::Counter::kIsRate);
}

void BM_CxxLangevin(benchmark::State& state) {
  const LogisticData& data = Data();
  constexpr size_t d = kLangevinDim;
  Ensemble e(d, d, std::vector<double>(d, 0.1));
  std::vector<double> drift(d * kPaths), diffusion(d * d * kPaths, 0.0), z(kPaths);
  for (size_t i = 0; i < d; ++i)
    std::fill_n(diffusion.begin() + (i * d + i) * kPaths, kPaths, std::sqrt(2.0));
  for (auto _ : state) {
    // drift = -grad U = -w + sum_i y_i sigmoid(-y_i a_i.w) a_i, over lanes.
    for (size_t j = 0; j < d; ++j) {
      for (size_t l = 0; l < kPaths; ++l) drift[j * kPaths + l] = -e.x[j * kPaths + l];
    }
    for (size_t i = 0; i < kLangevinData; ++i) {
      std::fill(z.begin(), z.end(), 0.0);
      for (size_t j = 0; j < d; ++j) {
        const double a = data.a[i * d + j];
        for (size_t l = 0; l < kPaths; ++l) z[l] += a * e.x[j * kPaths + l];
      }
      for (size_t l = 0; l < kPaths; ++l) z[l] = data.y[i] * Sigmoid(-data.y[i] * z[l]);
      for (size_t j = 0; j < d; ++j) {
        const double a = data.a[i * d + j];
        for (size_t l = 0; l < kPaths; ++l) drift[j * kPaths + l] += z[l] * a;
      }
    }
    EulerUpdate(e, drift.data(), diffusion.data());
    e.Next();
  }
  state.counters["path_steps/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kPaths), benchmark::Counter::kIsRate);
}

// ------------------------- per-path evaluation behind a virtual interface
//
// The solver's model interface evaluates one path at a time through virtual
// calls (core/model/sde.h: Drift(t, y, f), Diffusion(t, y, g)). These mimic
// it: a hand-written model against one that runs two compiled programs.

class PathModel {
 public:
  virtual ~PathModel() = default;
  virtual void Drift(double t, const double* y, double* f) const = 0;
  virtual void Diffusion(double t, const double* y, double* g) const = 0;
};

class CxxModel final : public PathModel {
 public:
  explicit CxxModel(int which) : which_(which) {}
  void Drift(double, const double* y, double* f) const override {
    if (which_ == 2) {
      f[0] = 0.05 * y[0];
      f[1] = 2.0 * (0.04 - y[1]);
    } else {
      f[0] = 2.0 * ((which_ == 0 ? 0.5 : 0.5) - y[0]);
    }
  }
  void Diffusion(double, const double* y, double* g) const override {
    if (which_ == 0) {
      g[0] = 0.3;
    } else if (which_ == 1) {
      g[0] = 0.3 * std::sqrt(std::max(y[0], 0.0));
    } else {
      const double root = std::sqrt(std::max(y[1], 0.0));
      g[0] = root * y[0];
      g[1] = 0.0;
      g[2] = 0.3 * root * -0.7;
      g[3] = 0.3 * root * std::sqrt(1 - -0.7 * -0.7);
    }
  }

 private:
  int which_;
};

class ExpressionModel final : public PathModel {
 public:
  explicit ExpressionModel(const Model& model) {
    ProgramSpec drift = model.spec, diffusion = model.spec;
    drift.expressions.resize(model.d);
    diffusion.expressions.erase(diffusion.expressions.begin(),
                                diffusion.expressions.begin() + static_cast<long>(model.d));
    drift_ = MustCompile(drift);
    diffusion_ = MustCompile(diffusion);
  }
  void Drift(double t, const double* y, double* f) const override { drift_->EvaluateAt(t, y, f); }
  void Diffusion(double t, const double* y, double* g) const override {
    diffusion_->EvaluateAt(t, y, g);
  }

 private:
  std::shared_ptr<const CompiledProgram> drift_, diffusion_;
};

void PerPathEuler(benchmark::State& state, const PathModel& model, const Model& shape) {
  const size_t d = shape.d, m = shape.m;
  Ensemble e(d, m, shape.initial);
  std::vector<double> y(d), f(d), g(d * m);
  double t = 0.0;
  for (auto _ : state) {
    const double* dw = e.Increments();
    for (size_t l = 0; l < kPaths; ++l) {
      for (size_t i = 0; i < d; ++i) y[i] = e.x[i * kPaths + l];
      model.Drift(t, y.data(), f.data());
      model.Diffusion(t, y.data(), g.data());
      for (size_t i = 0; i < d; ++i) {
        double dx = f[i] * kDt;
        for (size_t j = 0; j < m; ++j) dx += g[i * m + j] * dw[j * kPaths + l];
        e.x[i * kPaths + l] = y[i] + dx;
      }
    }
    e.Next();
    t += kDt;
  }
  state.counters["path_steps/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kPaths), benchmark::Counter::kIsRate);
}

void BM_PerPathCxx(benchmark::State& state, Model (*make)(), int which) {
  const std::unique_ptr<PathModel> model = std::make_unique<CxxModel>(which);
  PerPathEuler(state, *model, make());
}

void BM_PerPathExpression(benchmark::State& state, Model (*make)()) {
  const Model shape = make();
  const std::unique_ptr<PathModel> model = std::make_unique<ExpressionModel>(shape);
  PerPathEuler(state, *model, shape);
}

BENCHMARK_CAPTURE(BM_PerPathCxx, ou, Ou, 0);
BENCHMARK_CAPTURE(BM_PerPathExpression, ou, Ou);
BENCHMARK_CAPTURE(BM_PerPathCxx, cir, Cir, 1);
BENCHMARK_CAPTURE(BM_PerPathExpression, cir, Cir);
BENCHMARK_CAPTURE(BM_PerPathCxx, heston, Heston, 2);
BENCHMARK_CAPTURE(BM_PerPathExpression, heston, Heston);

BENCHMARK_CAPTURE(BM_Compile, ou, Ou);
BENCHMARK_CAPTURE(BM_Compile, cir, Cir);
BENCHMARK_CAPTURE(BM_Compile, heston, Heston);
BENCHMARK_CAPTURE(BM_Compile, langevin25_with_gradient, Langevin);
BENCHMARK(BM_CxxOu);
BENCHMARK_CAPTURE(BM_ExpressionLanes, ou, Ou);
BENCHMARK_CAPTURE(BM_ExpressionScalar, ou, Ou);
BENCHMARK(BM_CxxCir);
BENCHMARK_CAPTURE(BM_ExpressionLanes, cir, Cir);
BENCHMARK_CAPTURE(BM_ExpressionScalar, cir, Cir);
BENCHMARK(BM_CxxHeston);
BENCHMARK_CAPTURE(BM_ExpressionLanes, heston, Heston);
BENCHMARK_CAPTURE(BM_ExpressionScalar, heston, Heston);
BENCHMARK(BM_CxxLangevin);
BENCHMARK_CAPTURE(BM_ExpressionLanes, langevin25, Langevin);

}  // namespace
}  // namespace pathwise::expr

BENCHMARK_MAIN();
