// pathwise mcmc: McmcService.Sample, its diagnostics as a table and a plot.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "client/cli/args.h"
#include "client/cli/channel.h"
#include "client/cli/channel_security.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "client/cli/mcmc_flags.h"
#include "client/cli/mcmc_output.h"
#include "client/cli/mcmc_plot.h"
#include "client/cli/progress_bar.h"
#include "pathwise/v1/mcmc.grpc.pb.h"

namespace pathwise::cli {
namespace {

constexpr char kMcmcHelp[] = R"(Usage: pathwise mcmc [options]

Samples the density exp(-U) with McmcService.Sample (underdamped Langevin
chains; chain c is the Brownian path (seed, c), so the same options give the
same draws on any replica) and prints the diagnostics of every parameter:
mean, sd, mcse (of the mean), ess_bulk, ess_tail and rhat (rank-normalised
split R-hat), then a summary line on stderr.

  pathwise mcmc --potential "(x0 - 1)^2 / 2 + x1^2 / 8" --dim 2 --draws 1000
  pathwise mcmc --builtin logistic_regression --data-file table.csv \
      --chains 4 --warmup 200 --draws 1000 --plot trace.svg

Target (one of):
  --potential EXPR       U in x0 .. x{dim-1}, with --dim and --param constants
  --builtin NAME         a builtin potential (gaussian, logistic_regression;
                         `pathwise models` lists them), with --param values
  --param KEY=VALUE      a constant or parameter (repeat for each)
  --data-file FILE.csv   the builtin's data as a CSV table of numbers; a first
                         line that is not numbers is a header, whose columns
                         but the last name the parameters (logistic_regression:
                         features, then the 0/1 label)
  --data A,B,...         ... or the data inline, row-major, with --data-cols N
  --dim N                the dimension (0 for a builtin: from the data)
  --x0 A,B,...           the common start of the chains (default 0)
  --gamma G --u U        friction and inverse mass (default 0: the sampler
                         chooses)

Chains and times (Langevin time units):
  --chains N             chains (default 4)
  --initial-positions A,B,...   [chains][dim] starts (default: x0 spread by
                         the server)
  --warmup T             warm-up time, discarded; adaptation happens here
                         (default 100)
  --draws N              kept draws per chain (required, >= 4)
  --thin T               time between kept draws (default 0: the server's, 1)
  --seed N               the Brownian path family (default 0)

Method and steps:
  --method NAME          align, should or quicsort (default: the server's, align)
  --dt DT                constant steps, or
  --adaptive --rtol R --atol A   PID steps; neither: steps adapted in warm-up
  --preconditioner P     adapted | none | given (default adapted: a diagonal
                         inverse mass from the warm-up's variances)
  --inverse-mass A,B,... with --preconditioner given: dim values > 0

Output:
  --format F             table | csv (default table): param,mean,sd,mcse,
                         ess_bulk,ess_tail,rhat
  --plot FILE.svg        trace (one line per chain) and marginal density (a
                         kernel density estimate over all chains) of each
                         parameter in --plot-params, as an SVG file
  --plot-params P,...    parameters to plot, by name or index (default: the
                         first 4)
  --quiet                no summary line on stderr
  --allow-unstable       exit 0 also when chains were unstable (default: exit 6
                         after printing what came back)

Server:
  --server HOST:PORT     server address (default 127.0.0.1:50051)
  --timeout SECONDS      deadline of the call (default 3600)

)";

std::vector<FlagSpec> McmcFlagSpecs() {
  std::vector<FlagSpec> specs = McmcRequestFlagSpecs();
  const std::vector<FlagSpec> more = {{"server"},
                                      {"timeout"},
                                      {"format"},
                                      {"plot"},
                                      {"plot-params"},
                                      {"quiet", FlagKind::kSwitch},
                                      {"allow-unstable", FlagKind::kSwitch}};
  specs.insert(specs.end(), more.begin(), more.end());
  return WithSecurityFlags(specs);
}

// Indices of the parameters named (or numbered) in --plot-params.
std::vector<uint32_t> PlotParams(const Args& args, const std::vector<std::string>& names) {
  std::vector<uint32_t> out;
  if (!args.Has("plot-params")) {
    for (uint32_t j = 0; j < names.size() && j < 4; ++j) out.push_back(j);
    return out;
  }
  for (const std::string& word : ParseWordList("plot-params", args.String("plot-params", ""))) {
    const auto named = std::find(names.begin(), names.end(), word);
    if (named != names.end()) {
      out.push_back(static_cast<uint32_t>(named - names.begin()));
      continue;
    }
    const uint64_t index = ParseUnsigned("plot-params", word, UINT32_MAX);
    if (index >= names.size()) {
      throw UsageError{"--plot-params: '" + word + "' is neither a parameter name nor an index < " +
                       std::to_string(names.size())};
    }
    out.push_back(static_cast<uint32_t>(index));
  }
  return out;
}

struct McmcStream {
  ChainDraws draws;
  v1::McmcDiagnostics diagnostics;
  v1::McmcSummary summary;
};

grpc::Status RunSample(const ServerTarget& server, const v1::McmcRequest& request, double timeout_s,
                       McmcStream* out) {
  auto stub = v1::McmcService::NewStub(Connect(server));
  grpc::ClientContext context;
  context.set_deadline(DeadlineAfter(timeout_s));
  ProgressBar bar(ProgressBar::Mode::kAuto, stderr, isatty(STDERR_FILENO) == 1);
  auto reader = stub->Sample(&context, request);
  v1::McmcResponse event;
  while (reader->Read(&event)) {
    if (event.has_progress()) {
      const v1::Progress& p = event.progress();
      bar.Update(p.paths_done(), p.num_paths(), p.steps_accepted() + p.steps_rejected());
    } else if (event.has_draws()) {
      const v1::Draws& d = event.draws();
      out->draws.dim = d.dim();
      if (out->draws.chains.size() <= d.chain()) out->draws.chains.resize(d.chain() + 1);
      std::vector<double>& chain = out->draws.chains[d.chain()];
      chain.insert(chain.end(), d.x().begin(), d.x().end());
    } else if (event.has_diagnostics()) {
      out->diagnostics = event.diagnostics();
    } else if (event.has_summary()) {
      out->summary = event.summary();
    }
  }
  const grpc::Status status = reader->Finish();
  bar.Finish();
  return status;
}

}  // namespace

int McmcCommand(const std::vector<std::string>& words) {
  const Args args(words, McmcFlagSpecs());
  if (args.help()) {
    std::fputs(kMcmcHelp, stdout);
    std::fputs(kSecurityFlagsHelp, stdout);
    std::fputs(kExitCodesHelp, stdout);
    return kExitOk;
  }
  McmcInput input = BuildMcmcRequest(args);
  const std::string format = args.Choice("format", "table", {"table", "csv"});
  const std::string plot = args.String("plot", "");
  if (args.Has("plot") && (plot.size() < 5 || plot.substr(plot.size() - 4) != ".svg")) {
    throw UsageError{"--plot: '" + plot + "' does not end in .svg (plots are SVG)"};
  }
  if (args.Has("plot-params") && !args.Has("plot")) {
    throw UsageError{"--plot-params goes with --plot"};
  }
  input.request.set_return_draws(args.Has("plot"));
  const ServerTarget server = ParseServerArgs(args);
  const double timeout_s = ParseTimeout(args.String("timeout", "3600"));

  McmcStream stream;
  const grpc::Status status = RunSample(server, input.request, timeout_s, &stream);
  if (!status.ok()) return ReportRpcError(status, server.text);
  const std::vector<std::string> names =
      ParameterNames(input.parameter_names, stream.diagnostics.dim());
  std::fputs(FormatDiagnostics(stream.diagnostics, names, format == "csv").c_str(), stdout);
  std::fflush(stdout);
  if (!args.Switch("quiet")) std::fputs(McmcSummaryLine(stream.summary).c_str(), stderr);
  if (args.Has("plot")) {
    const std::vector<uint32_t> params = PlotParams(args, names);
    const std::string title = "pathwise mcmc: " + std::to_string(stream.summary.num_chains()) +
                              " chains, " + std::to_string(stream.summary.draws()) + " draws";
    std::ofstream file(plot, std::ios::binary | std::ios::trunc);
    file << plot::RenderSvg(McmcFigure(title, stream.draws, params, names));
    if (!file.flush()) {
      std::fprintf(stderr, "pathwise: error: cannot write the plot to '%s'\n", plot.c_str());
      return kExitServerError;
    }
  }
  if (stream.summary.unstable_chains() == 0 || args.Switch("allow-unstable")) return kExitOk;
  std::fprintf(stderr,
               "pathwise: %u of %u chains were unstable (diverged or reached the server's step "
               "limit); their draws stop where they failed (--allow-unstable exits 0)\n",
               stream.summary.unstable_chains(), stream.summary.num_chains());
  return kExitUnstableChains;
}

}  // namespace pathwise::cli
