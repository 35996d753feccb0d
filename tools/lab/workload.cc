// One timed run of a workload that bench/torchsde/run_side_by_side.py also
// runs on torchsde, so that the two engines can be compared in interleaved
// rounds (one process per round; the time excludes start-up):
//   query: W+H interval queries, each a request for `paths` paths of dimension
//          `dim` over one interval (brownian::SampleBatch, the engine behind
//          the Sample RPC, on the calling thread);
//   ou:    an OU ensemble dy = -y dt + dW, y0 = 1 on [0, t1] with a constant
//          step (integrate::SolveEnsemble on one thread, statistics on,
//          trajectories off, as `pathwise-lab bench`).
// The report gives wall and process-CPU ns per unit (path-query or path-step)
// and a check value with its standard error, which the script compares with
// theory so that a wrong workload cannot pass as a fast one.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench/solver/ensemble_options.h"
#include "core/brownian/batch.h"
#include "core/integrate/ensemble.h"
#include "core/model/catalog.h"
#include "core/solver/registry.h"
#include "core/util/status_macros.h"
#include "tools/lab/commands.h"

namespace pathwise::lab {
namespace {

// Wall and process-CPU clocks read together.
struct Stopwatch {
  std::chrono::steady_clock::time_point wall0 = std::chrono::steady_clock::now();
  std::clock_t cpu0 = std::clock();
  double WallNs() const {
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - wall0)
        .count();
  }
  double CpuNs() const { return 1e9 * static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC; }
};

// "s:t,s:t,..." -> intervals; errors name --intervals.
std::vector<brownian::Interval> ParseIntervals(const std::string& text) {
  std::vector<brownian::Interval> out;
  for (const std::string& item : cmdline::ParseWordList("intervals", text)) {
    const size_t colon = item.find(':');
    if (colon == std::string::npos) {
      throw cmdline::UsageError{"--intervals: '" + item + "' is not s:t"};
    }
    out.push_back({cmdline::ParseDouble("intervals", item.substr(0, colon)),
                   cmdline::ParseDouble("intervals", item.substr(colon + 1))});
  }
  if (out.empty()) throw cmdline::UsageError{"--intervals: no interval given"};
  return out;
}

// `count` intervals with uniform random ends in [0, 1], drawn from `seed`.
std::vector<brownian::Interval> RandomIntervals(int count, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<brownian::Interval> out;
  for (int i = 0; i < count; ++i) {
    const double a = u(gen), b = u(gen);
    out.push_back({std::min(a, b), std::max(a, b)});
  }
  return out;
}

struct MeanAndError {
  double mean = 0.0;
  double std_error = 0.0;  // sqrt(unbiased variance / n); 0 for n < 2
};

MeanAndError MeanOverPaths(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double sum = 0.0, sum2 = 0.0;
  for (const double v : x) sum += v;
  const double mean = sum / n;
  for (const double v : x) sum2 += (v - mean) * (v - mean);
  return {mean, x.size() < 2 ? 0.0 : std::sqrt(sum2 / (n - 1) / n)};
}

void AddTiming(Report& rep, const Stopwatch& clock, double units, const std::string& unit) {
  rep.scalars.push_back({"unit", unit});
  rep.scalars.push_back({"units", units});
  rep.scalars.push_back({"wall_ns_per_unit", clock.WallNs() / units});
  rep.scalars.push_back({"cpu_ns_per_unit", clock.CpuNs() / units});
}

absl::StatusOr<Report> RunQueries(const cmdline::Args& args) {
  brownian::BatchRequest request;
  request.path.seed = args.Unsigned("seed", 1);
  request.path.dim = static_cast<uint32_t>(args.Int("dim", 1, 1, 4096));
  request.path.levy_area = brownian::LevyArea::kSpaceTime;
  request.path_count = static_cast<uint32_t>(args.Int("paths", 1000, 1, 1 << 20));
  const std::vector<brownian::Interval> intervals =
      args.Has("intervals") ? ParseIntervals(*args.Get("intervals"))
                            : RandomIntervals(static_cast<int>(args.Int("queries", 32, 1, 1 << 20)),
                                              args.Unsigned("query-seed", 1));
  request.intervals.resize(1);
  // Per path, the mean of W² / (t − s) over its queries and components (mean
  // 1). The queries of one path overlap and are correlated, so the standard
  // error comes from the spread across paths, which are independent.
  std::vector<double> w2_scaled(request.path_count, 0.0);
  const double per_path = static_cast<double>(intervals.size()) * request.path.dim;
  const Stopwatch clock;
  for (const brownian::Interval& q : intervals) {
    request.intervals[0] = q;
    ASSIGN_OR_RETURN(const brownian::BatchResult r, brownian::SampleBatch(request));
    if (q.t <= q.s) continue;
    const double scale = 1.0 / ((q.t - q.s) * per_path);
    for (size_t i = 0; i < r.w.size(); ++i) {
      w2_scaled[i / request.path.dim] += r.w[i] * r.w[i] * scale;
    }
  }
  Report rep;
  rep.title = "pathwise workload: W+H interval queries, one request per interval";
  AddTiming(rep, clock, static_cast<double>(intervals.size()) * request.path_count, "path-query");
  rep.scalars.push_back({"dim", static_cast<double>(request.path.dim)});
  const MeanAndError check = MeanOverPaths(w2_scaled);
  rep.scalars.push_back({"check_w2_over_length", check.mean});
  rep.scalars.push_back({"check_std_error", check.std_error});
  return rep;
}

// --levy: the Lévy kind of the solve's path; "default" leaves it to the
// engine (space-time-time for every method, integrate::kDefaultLevyArea).
std::optional<brownian::LevyArea> LevyOption(const cmdline::Args& args) {
  const std::string name =
      args.Choice("levy", "default", {"default", "none", "space-time", "space-time-time"});
  if (name == "none") return brownian::LevyArea::kNone;
  if (name == "space-time") return brownian::LevyArea::kSpaceTime;
  if (name == "space-time-time") return brownian::LevyArea::kSpaceTimeTime;
  return std::nullopt;
}

absl::StatusOr<Report> RunOu(const cmdline::Args& args) {
  ASSIGN_OR_RETURN(const solver::Method* method,
                   solver::FindMethod(args.String("method", "shark")));
  ASSIGN_OR_RETURN(auto ou, model::MakeBuiltinModel("ou", {}, 1));  // theta 1, mu 0, sigma 1
  const double t1 = args.Double("t1", 1.0);
  integrate::SolveOptions opts = bench::EnsembleOptions(
      {1.0}, t1, control::ConstantStep{args.Double("dt", 0x1p-10)}, /*threads=*/1);
  opts.num_paths = static_cast<uint32_t>(args.Int("paths", 1000, 1, 1 << 24));
  opts.seed = args.Unsigned("seed", 1);
  opts.brownian.levy_area = LevyOption(args);
  const Stopwatch clock;
  ASSIGN_OR_RETURN(const integrate::EnsembleSolution sol,
                   integrate::SolveEnsemble(*ou, *method, opts));
  Report rep;
  rep.title = "pathwise workload: OU ensemble, constant step, one thread";
  AddTiming(rep, clock, static_cast<double>(sol.summary.steps_accepted), "path-step");
  rep.scalars.push_back({"levy_area", std::string(brownian::LevyAreaName(sol.summary.levy_area))});
  // E y(t1) = e^{-t1} for y0 = 1, whatever the method's (small) bias at this dt.
  rep.scalars.push_back({"check_mean_y_t1", sol.statistics.mean.back()});
  rep.scalars.push_back({"check_std_error", sol.statistics.std_error.back()});
  return rep;
}

}  // namespace

std::vector<cmdline::FlagSpec> WorkloadFlags() {
  return {{"kind"}, {"dim"},    {"paths"}, {"intervals"}, {"queries"}, {"query-seed"},
          {"seed"}, {"method"}, {"dt"},    {"t1"},        {"levy"},    {"format"}};
}

absl::StatusOr<Report> RunWorkload(const cmdline::Args& args) {
  const std::string kind = args.Choice("kind", "", {"query", "ou"});
  if (kind == "query") return RunQueries(args);
  return RunOu(args);
}

}  // namespace pathwise::lab
