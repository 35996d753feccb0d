// Solver benchmarks in ns per path-step (wall time / accepted steps), the best
// of --repeats interleaved rounds (each round runs every case once, so a noisy
// minute of the shared machine touches all cases alike): OU/ShARK (d = 1,
// dt = 2^-10, 1000 paths over [0, 1]) on one thread and on all threads, and on
// one thread with the non-dyadic step dt = 0.001 (steps straddle tree leaves);
// CIR with the state-dependent controller; QUICSORT on the logistic-regression
// potential; Heston with Euler; expression models (the OU written as an expression, ShARK; a 2-d
// oscillator with coupled drift and general state-dependent noise, Euler);
// and the constant-step cases one path at a time ("_perpath", the lanes'
// baseline).
#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "bench/solver/ensemble_options.h"
#include "core/model/expression_sde.h"
#include "core/solver/registry.h"
#include "core/util/status_macros.h"
#include "tools/lab/commands.h"
#include "tools/lab/lab_models.h"
#include "tools/lab/timing.h"

namespace pathwise::lab {
namespace {

struct Case {
  std::string name;
  const model::Sde* sde;
  solver::MethodId method;
  integrate::SolveOptions opts;
};

// The best of `repeats` rounds of every case, one run per case in each round.
absl::StatusOr<std::vector<Timing>> BestOfRounds(const std::vector<Case>& cases, int repeats) {
  std::vector<Timing> best(cases.size());
  for (int r = 0; r < repeats; ++r) {
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      ASSIGN_OR_RETURN(const Timing t, TimeSolve(*c.sde, solver::GetMethod(c.method), c.opts));
      best[i].wall_ns = std::min(best[i].wall_ns, t.wall_ns);
      best[i].cpu_ns = std::min(best[i].cpu_ns, t.cpu_ns);
    }
  }
  return best;
}

// The case one path at a time (no lanes), named with `suffix`.
Case PerPath(Case c, const std::string& suffix) {
  c.name += suffix;
  c.opts.lanes = false;
  return c;
}

// The built-in OU (theta = 1, mu = 0, sigma = 1) written as an expression.
absl::StatusOr<std::unique_ptr<model::ExpressionSde>> ExpressionOu() {
  model::ExpressionModelSpec spec;
  spec.state = {"x"};
  spec.drift = {"theta * (mu - x)"};
  spec.diffusion = {"sigma"};
  spec.params = {{"theta", 1.0}, {"mu", 0.0}, {"sigma", 1.0}};
  return model::ExpressionSde::Create(spec, nullptr);
}

// A damped, periodically forced oscillator whose two noises act on both
// components through state-dependent coefficients (general noise).
absl::StatusOr<std::unique_ptr<model::ExpressionSde>> ExpressionOscillator() {
  model::ExpressionModelSpec spec;
  spec.state = {"x", "v"};
  spec.drift = {"v", "-omega^2 * x - gamma * v + a * sin(t)"};
  spec.diffusion = {"0.1 * v", "0.05", "sigma * exp(-x^2)", "0.2 * sqrt(1 + x^2)"};
  spec.noise = model::NoiseShape::kGeneral;
  spec.noise_dim = 2;
  spec.params = {{"omega", 2.0}, {"gamma", 0.5}, {"a", 0.3}, {"sigma", 0.4}};
  return model::ExpressionSde::Create(spec, nullptr);
}

}  // namespace

std::vector<cmdline::FlagSpec> BenchFlags() { return {{"threads"}, {"repeats"}, {"format"}}; }

absl::StatusOr<Report> RunBench(const cmdline::Args& args) {
  const int all = std::max(1u, std::thread::hardware_concurrency());
  const int threads = static_cast<int>(args.Int("threads", all, 1, 1024));
  const int repeats = static_cast<int>(args.Int("repeats", 5, 1, 1000));
  ASSIGN_OR_RETURN(auto ou, model::MakeBuiltinModel("ou", {}, 1));
  ASSIGN_OR_RETURN(auto cir, model::MakeBuiltinModel("cir", {{"sigma", 2.2}}, 1));
  ASSIGN_OR_RETURN(auto lr, MakeLabModel("langevin-logistic", {}, 0, 10, model::Calculus::kIto));
  ASSIGN_OR_RETURN(auto heston, model::MakeBuiltinModel("heston", {}, 2));
  ASSIGN_OR_RETURN(auto expr_ou, ExpressionOu());
  ASSIGN_OR_RETURN(auto oscillator, ExpressionOscillator());
  const std::vector<double> lr_y0(20, 0.0);
  const control::ConstantStep dt10{0x1p-10};
  const control::StateDependentStep cir_ctl{0x1p-6, 0x1p-15, 1.0};
  // The first two cases are compared below: keep them first.
  std::vector<Case> cases = {
      {"ou_shark_1thread", ou.get(), solver::MethodId::kShark,
       bench::EnsembleOptions({1.0}, 1.0, dt10, 1)},
      {"ou_shark_nondyadic_1thread", ou.get(), solver::MethodId::kShark,
       bench::EnsembleOptions({1.0}, 1.0, control::ConstantStep{0.001}, 1)},
      {"ou_shark_" + std::to_string(threads) + "threads", ou.get(), solver::MethodId::kShark,
       bench::EnsembleOptions({1.0}, 1.0, dt10, threads)},
      {"ou_euler_1thread", ou.get(), solver::MethodId::kEuler,
       bench::EnsembleOptions({1.0}, 1.0, dt10, 1)},
      {"cir_splitting_adaptive_1thread", cir.get(), solver::MethodId::kCirSplitting,
       bench::EnsembleOptions({1.0}, 4.0, cir_ctl, 1)},
      {"quicsort_logistic_d10_1thread", lr.get(), solver::MethodId::kQuicsort,
       bench::EnsembleOptions(lr_y0, 1.0, control::ConstantStep{0x1p-6}, 1)},
      {"heston_euler_1thread", heston.get(), solver::MethodId::kEuler,
       bench::EnsembleOptions({1.0, 0.04}, 1.0, dt10, 1)},
      {"expr_ou_shark_1thread", expr_ou.get(), solver::MethodId::kShark,
       bench::EnsembleOptions({1.0}, 1.0, dt10, 1)},
      {"expr_oscillator2d_euler_1thread", oscillator.get(), solver::MethodId::kEuler,
       bench::EnsembleOptions({1.0, 0.0}, 1.0, dt10, 1)},
  };
  // The constant-step cases again one path at a time: the baseline of the
  // lanes (core/integrate/lane_solver.h), which give the same bits.
  cases.push_back(PerPath(cases[0], "_perpath"));
  cases.push_back(PerPath(cases[1], "_perpath"));
  cases.push_back(PerPath(cases[3], "_perpath"));
  cases.push_back(PerPath(cases[5], "_perpath"));
  cases.push_back(PerPath(cases[6], "_perpath"));
  cases.push_back(PerPath(cases[7], "_perpath"));
  cases.push_back(PerPath(cases[8], "_perpath"));
  Report rep;
  rep.title = "solver benchmarks (ns per path-step, best of " + std::to_string(repeats) + ")";
  rep.scalars = {{"hardware_threads", static_cast<double>(all)}};
  Table t{"benchmarks", {"case", "wall_ns_per_path_step", "cpu_ns_per_path_step"}, {}};
  ASSIGN_OR_RETURN(const std::vector<Timing> best, BestOfRounds(cases, repeats));
  for (size_t i = 0; i < cases.size(); ++i) {
    t.rows.push_back({cases[i].name, best[i].wall_ns, best[i].cpu_ns});
    rep.scalars.push_back({cases[i].name + "_ns", best[i].wall_ns});
    rep.scalars.push_back({cases[i].name + "_cpu_ns", best[i].cpu_ns});
  }
  // A non-dyadic step (cases[1]) against a dyadic one (cases[0]), per
  // path-step, from the best-of-rounds CPU times of this run.
  rep.scalars.push_back(
      {"ou_shark_nondyadic_over_dyadic_cpu_ratio", best[1].cpu_ns / best[0].cpu_ns});
  rep.tables.push_back(std::move(t));
  return rep;
}

}  // namespace pathwise::lab
