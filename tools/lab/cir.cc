// The high-volatility CIR experiment of Foster, dos Reis & Strange (arXiv
// 2210.17543; the paper reports orders 0.39 with constant and 0.81 with
// state-dependent steps): dy = a(b − y) dt + σ√y dW, a = b = 1, σ = 2.2,
// y0 = 1, T = 4; error = RMS over paths of |y(T) − y_ref(T)|, y_ref from the
// same method on the same path two levels finer; order = −slope of log error
// against log average number of steps.
#include "core/model/cir.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/integrate/convergence.h"
#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "core/util/status_macros.h"
#include "plot/svg_chart.h"
#include "tools/lab/commands.h"

namespace pathwise::lab {
namespace {

constexpr double kT = 4.0;
constexpr double kHmin = 0x1p-15;

struct Level {
  std::vector<double> y;  // y(T) per path
  double avg_steps = 0.0;
};

struct Experiment {
  const model::Sde* sde;
  uint32_t paths;
  int threads;
  uint64_t seed;
};

// Level j: constant h = 2^-j, or state-dependent with ctol = 2^{-1.5 j} (so
// that h ≈ (y ctol)^{2/3} also halves per level).
absl::StatusOr<Level> SolveLevel(const Experiment& e, const solver::Method& m, bool adaptive,
                                 int j) {
  integrate::SolveOptions o;
  o.t1 = kT;
  o.y0 = {1.0};
  o.seed = e.seed;
  o.num_paths = e.paths;
  o.threads = e.threads;
  o.brownian.tol = kHmin / 2;  // one tree for every level and both methods
  o.brownian.levy_area = brownian::LevyArea::kSpaceTime;
  if (adaptive) {
    o.step = control::StateDependentStep{std::exp2(-1.5 * j), kHmin, 1.0};
  } else {
    o.step = control::ConstantStep{std::exp2(-j)};
  }
  ASSIGN_OR_RETURN(const integrate::EnsembleSolution sol, integrate::SolveEnsemble(*e.sde, m, o));
  Level level;
  for (const auto& p : sol.paths) level.y.push_back(p.ys.back());
  level.avg_steps = static_cast<double>(sol.summary.steps_accepted) / e.paths;
  return level;
}

struct Curve {
  std::vector<double> steps, errors;
  double order = 0.0;
};

absl::StatusOr<Curve> Measure(const Experiment& e, const solver::Method& m, bool adaptive,
                              int first, int last) {
  std::vector<Level> levels;
  for (int j = first; j <= last + 2; ++j) {
    ASSIGN_OR_RETURN(Level l, SolveLevel(e, m, adaptive, j));
    levels.push_back(std::move(l));
  }
  Curve c;
  for (int j = first; j <= last; ++j) {
    const Level& coarse = levels[j - first];
    const Level& ref = levels[j - first + 2];
    double ss = 0.0;
    for (size_t p = 0; p < coarse.y.size(); ++p) {
      const double d = coarse.y[p] - ref.y[p];
      ss += d * d;
    }
    c.steps.push_back(coarse.avg_steps);
    c.errors.push_back(std::sqrt(ss / coarse.y.size()));
  }
  c.order = -integrate::LogLogSlope(c.steps, c.errors);
  return c;
}

}  // namespace

std::vector<cmdline::FlagSpec> CirFlags() {
  return {{"paths"}, {"threads"}, {"seed"},  {"plot"},  {"first"},
          {"last"},  {"afirst"},  {"alast"}, {"format"}};
}

absl::StatusOr<Report> RunCir(const cmdline::Args& args) {
  const int paths = static_cast<int>(args.Int("paths", 10000, 1, INT32_MAX));
  const int threads = static_cast<int>(args.Int("threads", 1, 1, 1024));
  const int seed = static_cast<int>(args.Int("seed", 1, 0, INT32_MAX));
  const int first = static_cast<int>(args.Int("first", 1, -10, 30));
  const int last = static_cast<int>(args.Int("last", 6, -10, 30));
  const int afirst = static_cast<int>(args.Int("afirst", -2, -10, 30));
  const int alast = static_cast<int>(args.Int("alast", 3, -10, 30));
  ASSIGN_OR_RETURN(const model::CirModel cir,
                   model::CirModel::Create({{"a", 1.0}, {"b", 1.0}, {"sigma", 2.2}}, 1));
  const Experiment e{&cir, static_cast<uint32_t>(paths), threads, static_cast<uint64_t>(seed)};
  Report rep;
  rep.title = "CIR, a = b = 1, sigma = 2.2, y0 = 1, T = 4 (Feller condition violated)";
  rep.scalars = {{"paths", static_cast<double>(paths)}};
  plot::Panel panel;
  panel.x_label = "average number of steps";
  panel.y_label = "RMS error of y(T)";
  panel.x_scale = plot::Scale::kLog2;
  panel.y_scale = plot::Scale::kLog10;
  const char* colors[] = {"#1f77b4", "#d62728"};
  int color = 0;
  for (solver::MethodId id :
       {solver::MethodId::kCirSplitting, solver::MethodId::kCirImplicitEuler}) {
    const solver::Method& m = solver::GetMethod(id);
    const std::string name(m.info().name);
    for (bool adaptive : {false, true}) {
      ASSIGN_OR_RETURN(const Curve c,
                       Measure(e, m, adaptive, adaptive ? afirst : first, adaptive ? alast : last));
      const std::string kind = adaptive ? "adaptive" : "constant";
      if (id == solver::MethodId::kCirSplitting) {
        rep.scalars.push_back({kind + "_order", c.order});
      } else {
        rep.scalars.push_back({name + "_" + kind + "_order", c.order});
      }
      Table t{name + "_" + kind, {"avg_steps", "rms_error"}, {}};
      for (size_t i = 0; i < c.steps.size(); ++i) t.rows.push_back({c.steps[i], c.errors[i]});
      rep.tables.push_back(std::move(t));
      panel.lines.push_back({name + " " + kind + " steps",
                             {colors[color], 2, adaptive ? "" : "6 4", 1, /*markers=*/true},
                             c.steps,
                             c.errors});
    }
    ++color;
  }
  const std::string file = args.String("plot", "");
  if (!file.empty()) {
    std::ofstream out(file);
    plot::Figure figure;
    figure.title = "CIR (a = b = 1, sigma = 2.2, y0 = 1): RMS error at T = 4 vs average steps, " +
                   std::to_string(paths) + " paths, seed " + std::to_string(seed);
    figure.plot_height = 360;
    figure.panels.push_back(std::move(panel));
    out << plot::RenderSvg(figure);
    if (!out) return absl::InternalError("--plot: cannot write " + file);
  }
  return rep;
}

}  // namespace pathwise::lab
