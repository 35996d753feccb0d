// pathwise estimate: SolverService.Estimate, E[f(y(t1))] to a target RMSE.
#include <unistd.h>

#include <cstdio>

#include "client/cli/args.h"
#include "client/cli/channel.h"
#include "client/cli/commands.h"
#include "client/cli/estimate_flags.h"
#include "client/cli/estimate_output.h"
#include "client/cli/estimate_stream.h"
#include "client/cli/exit_codes.h"
#include "client/cli/model_flags.h"
#include "client/cli/progress_bar.h"

namespace pathwise::cli {
namespace {

constexpr char kEstimateHelp[] = R"(Usage: pathwise estimate [options]

Estimates E[f(y(t1))] to a target root-mean-square error with
SolverService.Estimate: Giles' multilevel Monte Carlo over constant steps
coarsest-dt 2^-l (or plain Monte Carlo on the finest level), every level's
fine and coarse solves driven by the same Brownian path (docs/estimate.md).
Prints the per-level table and the result; the same options give the same
numbers on any replica.

  pathwise estimate --model gbm --param mu=0.05 --param sigma=0.2 --y0 1 \
      --method milstein --functional 'exp(-0.05) * max(y - 1, 0)' \
      --target-rmse 1e-3

)";

constexpr char kEstimateHelpAfterModel[] =
    R"(  --model-file FILE      the model as JSON: a pathwise.v1.Model, e.g.
                         {"builtin": {"name": "gbm", "params": {"mu": 0.05}}}

Estimate:
  --functional EXPR      f of the state at t1 (required): an expression of the
                         model's state names and parameters, e.g.
                         'exp(-0.05) * max(y - 1, 0)' (a one-component builtin's
                         state is y; heston's S and v; an expression model's
                         own names; per-component builtins of n > 1: y0 ..)
  --target-rmse E        stop when the RMSE estimate is below E (required, > 0)
  --estimator KIND       multilevel (default) | monte-carlo (one level, the
                         finest, until the standard error is below E / sqrt 2)
  --antithetic           each sample averages a path and its mirror
  --coarsest-dt DT       level 0's step (default (t1 - t0) / 4)
  --max-level L          finest level allowed, steps coarsest-dt 2^-L
                         (default 10, at most 30)
  --max-path-steps N     budget of path steps, all levels (default and most:
                         the server's, 2^34 unless set lower); reaching it ends
                         the estimate unconverged

Method, times, Brownian path:
  --method NAME          euler, milstein, ... (`pathwise methods`)
  --t0 T --t1 T          the time interval (default 0 and 1)
  --y0 A,B,...           the initial state
  --seed N               Brownian path family seed (default 0)
  --tol T                Brownian tree tolerance, below the finest step
                         (default half of it)
  --levy KIND            none | space-time | space-time-time (default, also for
                         none: space-time-time)

Output:
  --format F             table | json (default table). table: level, dt, paths,
                         mean, variance, steps_per_sample per level, then the
                         result's fields; json: {"request": {...}, "levels":
                         [...], "result": {...}}, solver.proto's field names;
                         non-finite numbers as null
  --progress             draw a progress bar on stderr from the start (paths
                         = samples done of those started so far)
  --no-progress          never draw it (default: drawn on a terminal once the
                         estimate has run for a second)
  --quiet                no result line on stderr
  --allow-unconverged    exit 0 also when the target was not met (default:
                         exit 4 after printing the table and the result)

Server:
  --server HOST:PORT     server address (default 127.0.0.1:50051)
  --timeout SECONDS      deadline of the call (default 3600)

)";

std::vector<FlagSpec> EstimateFlagSpecs() {
  std::vector<FlagSpec> specs = EstimateRequestFlagSpecs();
  const std::vector<FlagSpec> more = {{"server"},
                                      {"timeout"},
                                      {"format"},
                                      {"progress", FlagKind::kSwitch},
                                      {"no-progress", FlagKind::kSwitch},
                                      {"quiet", FlagKind::kSwitch},
                                      {"allow-unconverged", FlagKind::kSwitch}};
  specs.insert(specs.end(), more.begin(), more.end());
  return WithSecurityFlags(specs);
}

}  // namespace

int EstimateCommand(const std::vector<std::string>& words) {
  const Args args(words, EstimateFlagSpecs());
  if (args.help()) {
    std::fputs(kEstimateHelp, stdout);
    std::fputs(kModelFlagsHelp, stdout);
    std::fputs(kEstimateHelpAfterModel, stdout);
    std::fputs(kSecurityFlagsHelp, stdout);
    std::fputs(kExitCodesHelp, stdout);
    return kExitOk;
  }
  const v1::EstimateRequest request = BuildEstimateRequest(args);
  const std::string format = args.Choice("format", "table", {"table", "json"});
  const ServerTarget server = ParseServerArgs(args);
  const double timeout_s = ParseTimeout(args.String("timeout", "3600"));
  ProgressBar bar(ProgressModeFromArgs(args), stderr, isatty(STDERR_FILENO) == 1);

  auto stub = v1::SolverService::NewStub(Connect(server));
  grpc::ClientContext context;
  context.set_deadline(DeadlineAfter(timeout_s));
  EstimateOutcome outcome;
  const grpc::Status status = ReadEstimate(
      stub.get(), &context, request,
      [&](const v1::Progress& p) { bar.Update(p.paths_done(), p.num_paths(), p.steps_accepted()); },
      &outcome);
  bar.Finish();
  if (!status.ok()) return ReportRpcError(status, server.text);
  std::fputs(FormatEstimate(outcome, request, format).c_str(), stdout);
  std::fflush(stdout);
  if (!args.Switch("quiet")) {
    std::fputs(EstimateLine(outcome.result, request.target_rmse()).c_str(), stderr);
  }
  const std::string unconverged = NotConvergedLine(outcome.result, request);
  if (unconverged.empty() || args.Switch("allow-unconverged")) return kExitOk;
  std::fputs(unconverged.c_str(), stderr);
  return kExitNotConverged;
}

}  // namespace pathwise::cli
