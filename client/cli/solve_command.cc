// pathwise solve: SolverService.Solve, optionally split over replicas.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "client/cli/args.h"
#include "client/cli/channel.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "client/cli/model_flags.h"
#include "client/cli/names.h"
#include "client/cli/plot_data.h"
#include "client/cli/progress_bar.h"
#include "client/cli/save_grid.h"
#include "client/cli/solve_flags.h"
#include "client/cli/solve_output.h"
#include "client/cli/split_solve.h"
#include "client/cli/split_statistics.h"

namespace pathwise::cli {
namespace {

constexpr char kSolveHelp[] = R"(Usage: pathwise solve [options]

Solves an SDE ensemble with SolverService.Solve and prints its paths and/or
statistics. Member i is driven by the Brownian path (seed, first-path + i), so
the same options give the same numbers on any replica, however the ensemble is
split.

  pathwise solve --model cir --param a=0.5 --param b=0.04 --param sigma=1 \
      --y0 0.04 --method milstein --dt 0.01 --t1 1 --paths 10000 \
      --save 0:1:0.01 --output stats --format csv

)";

constexpr char kSolveHelpAfterModel[] =
    R"(  --model-file FILE      the model as JSON: a pathwise.v1.Model, e.g.
                         {"builtin": {"name": "ou", "params": {"theta": 2}}}, or
                         a whole pathwise.v1.SolveRequest (options given here
                         replace its fields); protobuf JSON field names

Method and steps:
  --method NAME          euler, euler_heun, heun, milstein, sra1, shark, sea,
                         spark, align, should, quicsort, cir_splitting,
                         cir_implicit_euler (`pathwise methods` says which fits)
  --dt DT                constant steps of DT (time units), or
  --adaptive             PID-controlled steps, with
    --rtol R --atol A    relative / absolute tolerance (at least one is needed)
    --dt0 DT             first step (default (t1 - t0) / 64)
    --dtmin DT --dtmax DT   smallest / largest step (defaults (t1 - t0) * 2^-20
                         and none)
    --pcoeff P --icoeff I --dcoeff D   PID coefficients (defaults 0, 1, 0)
    --safety S --factormin F --factormax F   (defaults 0.9, 0.2, 10)
    --step-ts T,T,...    times the steps must hit
  --step-to T,T,...      steps to exactly these times (first t0, last t1)
  --max-steps N          per path, accepted + rejected (default 2^24)

Times, states and saving:
  --t0 T --t1 T          the time interval (default 0 and 1)
  --y0 A,B,...           the initial state (its length sets the dimension of
                         per-component builtin models)
  --save SPEC            save times: T values and/or inclusive grids A:B:STEP,
                         comma-separated (e.g. 0:1:0.01 or 0,0.5,1); default:
                         t1 only
  --save-t0 --save-t1    also save at t0 / t1
  --save-steps           also save after every step (paths only; statistics
                         use the fixed times)

Ensemble and Brownian path:
  --paths N              ensemble size (default 1)
  --seed N               Brownian path family seed (default 0)
  --first-path N         path_index of member 0 (default 0)
  --tol T                Brownian tree tolerance (default: half the smallest
                         step)
  --levy KIND            none | space-time | space-time-time (default, also for
                         none: space-time-time, the same path for every method)

Output:
  --output WHAT          paths | stats | both (default paths); stats are mean,
                         variance, stderr and the 0.05, 0.5, 0.95 quantiles at
                         each fixed save time over the paths that completed
  --format F             table | csv | json (default table). csv paths:
                         path_index,t,component,value (one row per path, time
                         and component); csv stats:
                         t,component,mean,variance,stderr,q0.05,q0.5,q0.95;
                         csv with --output both: one long table
                         kind,path_index,t,component,quantity,value (kind
                         path, quantity y; then kind statistic, quantity mean,
                         variance, stderr, q0.05, q0.5, q0.95). json:
                         {"request": {...}, "paths": [...], "statistics":
                         {...}, "summary": {...}}; "request" is the request
                         with the Brownian tol and Lévy area used, which
                         --model-file reads back to solve the same again;
                         non-finite numbers as null. Numbers read back as the
                         same doubles. Path statuses are spelled
                         SOLVE_STATUS_SUCCESS, MAX_STEPS_REACHED,
                         DTMIN_REACHED, NONFINITE.
  --plot FILE.svg        draw the mean, median and 0.05-0.95 band of every
                         component, with the first few paths when paths are
                         output, as an SVG file (the name must end in .svg);
                         axes named by the model's state names
  --plot-paths N         sample paths drawn with --plot (default 5)
  --progress             draw a progress bar on stderr from the start
  --no-progress          never draw it (default: drawn on a terminal once a
                         solve has run for a second)
  --quiet                no summary line on stderr (the summary gives paths,
                         status counts, steps, Brownian tol, Lévy kind, time)
  --allow-failures       exit 0 also when some paths ended other than
                         SOLVE_STATUS_SUCCESS (default: exit 4, after printing
                         what came back and a count per status)

Server:
  --server HOST:PORT     server address (default 127.0.0.1:50051); several
                         addresses A:P,B:Q,... (or dns:///NAME:PORT with many
                         addresses) are spread over with round_robin
  --split N              solve the ensemble as N contiguous ranges of
                         multiples of 64 paths, concurrently (default: the
                         number of addresses in --server, else 1). The result
                         is the same, bit for bit, for every N: statistics of a
                         split solve are computed here from the paths exactly
                         as the server computes them (so the ranges send every
                         path at the fixed save times: paths x times x state
                         dimension values, each range within the server's
                         max_points)
  --retries N            a range whose call fails with UNAVAILABLE or CANCELLED
                         (or DEADLINE_EXCEEDED, with several addresses) is sent
                         again up to N times, on the round_robin channel and
                         waiting for a healthy replica (default 3); not when no
                         replica can be reached at all
  --timeout SECONDS      deadline of each call, each attempt (default 3600)

)";

std::vector<FlagSpec> SolveFlagSpecs() {
  std::vector<FlagSpec> specs = SolveRequestFlagSpecs();
  const std::vector<FlagSpec> more = {{"server"},
                                      {"split"},
                                      {"retries"},
                                      {"timeout"},
                                      {"format"},
                                      {"plot"},
                                      {"plot-paths"},
                                      {"progress", FlagKind::kSwitch},
                                      {"no-progress", FlagKind::kSwitch},
                                      {"quiet", FlagKind::kSwitch},
                                      {"allow-failures", FlagKind::kSwitch}};
  specs.insert(specs.end(), more.begin(), more.end());
  return WithSecurityFlags(specs);
}

// The catalog's state names of a builtin model or potential (ListCapabilities),
// or none (then the plot says y[j]); expression models name their own.
std::vector<std::string> CatalogStateNames(const Channels& channels,
                                           const v1::SolveRequest& request, double timeout_s) {
  const v1::Model& model = request.model();
  const bool builtin_potential = model.has_langevin() && model.langevin().has_builtin();
  if (!model.has_builtin() && !builtin_potential) return {};
  auto stub = v1::SolverService::NewStub(channels.balanced);
  grpc::ClientContext context;
  context.set_deadline(DeadlineAfter(timeout_s));
  v1::Capabilities caps;
  if (!stub->ListCapabilities(&context, v1::ListCapabilitiesRequest(), &caps).ok()) return {};
  if (model.has_builtin()) {
    for (const auto& info : caps.models()) {
      if (info.name() == model.builtin().name()) {
        return {info.state_names().begin(), info.state_names().end()};
      }
    }
  } else {
    for (const auto& info : caps.potentials()) {
      if (info.name() == model.langevin().builtin().name()) {
        return {info.state_names().begin(), info.state_names().end()};
      }
    }
  }
  return {};
}

// Whether `file` can be written (checked before the solve, which may be long).
bool CanWrite(const std::string& file) {
  if (file.empty()) return false;
  if (access(file.c_str(), F_OK) == 0) return access(file.c_str(), W_OK) == 0;
  const size_t slash = file.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : file.substr(0, slash + 1);
  return access(dir.c_str(), W_OK) == 0;
}

// Draws the plot; statistics come from the paths when the solve returned none.
int WritePlot(const std::string& file, const v1::SolveRequest& request, const SolveResult& result,
              size_t max_paths, const std::vector<std::string>& catalog_names) {
  std::optional<v1::Statistics> stats = result.statistics;
  const uint32_t n = StateDim(request, result.paths);
  if (!stats && !result.paths.empty()) {
    absl::StatusOr<v1::Statistics> computed =
        PathStatistics(result.paths, FixedSaveTimes(request.saveat(), request.t0(), request.t1()),
                       n, {0.05, 0.95});  // the plot's band
    if (computed.ok()) stats = *std::move(computed);
  }
  const std::string svg =
      plot::RenderSvg(MakePlot(PlotTitle(request, result.summary), stats, result.paths, max_paths,
                               ComponentNames(request, n, catalog_names)));
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << svg;
  if (!out.flush()) {
    std::fprintf(stderr, "pathwise: error: cannot write the plot to '%s'\n", file.c_str());
    return kExitServerError;
  }
  return kExitOk;
}

}  // namespace

int SolveCommand(const std::vector<std::string>& words) {
  const Args args(words, SolveFlagSpecs());
  if (args.help()) {
    std::fputs(kSolveHelp, stdout);
    std::fputs(kModelFlagsHelp, stdout);
    std::fputs(kSolveHelpAfterModel, stdout);
    std::fputs(kSecurityFlagsHelp, stdout);
    std::fputs(kExitCodesHelp, stdout);
    return kExitOk;
  }
  const v1::SolveRequest request = BuildSolveRequest(args);
  const std::string format = args.Choice("format", "table", {"table", "csv", "json"});
  const ServerTarget server = ParseServerArgs(args);
  const RetryPolicy policy{static_cast<int>(args.Unsigned("retries", 3, 100)),
                           ParseTimeout(args.String("timeout", "3600"))};
  const uint64_t parts = ParseSplit(args.Get("split"), server.addresses);
  const size_t plot_paths = args.Unsigned("plot-paths", 5, 1000);
  const std::string plot = args.String("plot", "");
  if (args.Has("plot") && (plot.size() < 5 || plot.substr(plot.size() - 4) != ".svg")) {
    throw UsageError{"--plot: '" + plot + "' does not end in .svg (plots are SVG)"};
  }
  if (args.Has("plot") && !CanWrite(plot)) {
    throw UsageError{"--plot: cannot write '" + plot + "'"};
  }
  ProgressBar bar(ProgressModeFromArgs(args), stderr, isatty(STDERR_FILENO) == 1);

  SolveResult result;
  const Channels channels = ConnectAll(server);
  const grpc::Status status = SplitSolve(channels, request, parts, policy, &bar, &result);
  bar.Finish();
  if (!status.ok()) return ReportRpcError(status, server.text);
  std::fputs(FormatSolve(result, request, format).c_str(), stdout);
  std::fflush(stdout);
  if (!args.Switch("quiet")) std::fputs(SummaryLine(result.summary).c_str(), stderr);
  if (args.Has("plot")) {
    const int code = WritePlot(plot, request, result, plot_paths,
                               CatalogStateNames(channels, request, policy.timeout_s));
    if (code != kExitOk) return code;
  }
  const std::string failures = FailureLine(result.summary);
  if (failures.empty() || args.Switch("allow-failures")) return kExitOk;
  std::fputs(failures.c_str(), stderr);
  return kExitPathsFailed;
}

}  // namespace pathwise::cli
