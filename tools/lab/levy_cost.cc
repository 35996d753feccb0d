// What one path per seed costs the methods that need W only: a solve that
// names no Lévy kind runs on a space-time-time path, whose tree draws three
// normals per node and component instead of one (docs/design/brownian_tree.md §1). Euler
// and Milstein on OU and GBM (dt = 2^-10, 1000 paths over [0, 1], one thread)
// are timed on the W-only and the space-time-time path in interleaved runs
// (the order alternating between rounds), so that load on a shared machine
// falls on both alike; the report gives medians over the rounds.
#include <algorithm>
#include <string>
#include <vector>

#include "bench/solver/ensemble_options.h"
#include "core/model/catalog.h"
#include "core/solver/registry.h"
#include "core/util/status_macros.h"
#include "tools/lab/commands.h"
#include "tools/lab/timing.h"

namespace pathwise::lab {
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Samples {
  std::vector<double> w_only_cpu, default_cpu, w_only_wall, default_wall, cpu_ratio;
};

}  // namespace

std::vector<cmdline::FlagSpec> LevyCostFlags() { return {{"rounds"}, {"paths"}, {"format"}}; }

absl::StatusOr<Report> RunLevyCost(const cmdline::Args& args) {
  const int rounds = static_cast<int>(args.Int("rounds", 5, 1, 1000));
  const int paths = static_cast<int>(args.Int("paths", 1000, 1, 1 << 24));
  ASSIGN_OR_RETURN(auto ou, model::MakeBuiltinModel("ou", {}, 1));
  ASSIGN_OR_RETURN(auto gbm, model::MakeBuiltinModel("gbm", {}, 1));
  struct Case {
    std::string name;
    const model::Sde* sde;
    solver::MethodId method;
  };
  const std::vector<Case> cases = {{"ou_euler", ou.get(), solver::MethodId::kEuler},
                                   {"ou_milstein", ou.get(), solver::MethodId::kMilstein},
                                   {"gbm_euler", gbm.get(), solver::MethodId::kEuler},
                                   {"gbm_milstein", gbm.get(), solver::MethodId::kMilstein}};
  Report rep;
  rep.title =
      "cost of the default (space-time-time) path for W-only methods, ns per path-step, "
      "medians of " +
      std::to_string(rounds) + " interleaved rounds, one thread";
  Table t{"levy_cost",
          {"case", "w_only_cpu_ns", "space_time_time_cpu_ns", "cpu_ratio", "w_only_wall_ns",
           "space_time_time_wall_ns"},
          {}};
  for (const Case& c : cases) {
    const solver::Method& method = solver::GetMethod(c.method);
    integrate::SolveOptions w_only =
        bench::EnsembleOptions({1.0}, 1.0, control::ConstantStep{0x1p-10}, 1);
    w_only.num_paths = static_cast<uint32_t>(paths);
    w_only.brownian.levy_area = brownian::LevyArea::kNone;
    integrate::SolveOptions by_default = w_only;
    by_default.brownian.levy_area.reset();
    Samples s;
    for (int r = 0; r < rounds; ++r) {
      Timing a, b;
      if (r % 2 == 0) {
        ASSIGN_OR_RETURN(a, TimeSolve(*c.sde, method, w_only));
        ASSIGN_OR_RETURN(b, TimeSolve(*c.sde, method, by_default));
      } else {
        ASSIGN_OR_RETURN(b, TimeSolve(*c.sde, method, by_default));
        ASSIGN_OR_RETURN(a, TimeSolve(*c.sde, method, w_only));
      }
      s.w_only_cpu.push_back(a.cpu_ns);
      s.default_cpu.push_back(b.cpu_ns);
      s.w_only_wall.push_back(a.wall_ns);
      s.default_wall.push_back(b.wall_ns);
      s.cpu_ratio.push_back(b.cpu_ns / a.cpu_ns);
    }
    const double ratio = Median(s.cpu_ratio);
    t.rows.push_back({c.name, Median(s.w_only_cpu), Median(s.default_cpu), ratio,
                      Median(s.w_only_wall), Median(s.default_wall)});
    rep.scalars.push_back({c.name + "_cpu_ratio", ratio});
  }
  rep.tables.push_back(std::move(t));
  return rep;
}

}  // namespace pathwise::lab
