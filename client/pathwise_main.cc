// pathwise: command-line client of pathwised.
//
//   pathwise sample --server 127.0.0.1:50051 --seed 42 --dim 2 --levy space-time
//       --t0 0 --t1 1 --times 0.5,0.25 --intervals 0.1:0.2,0.3:0.9 --paths 4 --format table
//   pathwise solve --model ou --y0 1 --method shark --dt 0.01 --paths 1000 --output stats
//   pathwise estimate --model gbm --y0 1 --method milstein --functional 'max(y - 1, 0)'
//       --target-rmse 1e-3
//   pathwise models | methods | health
//
// Exit codes: client/cli/exit_codes.h.
#include <cstdio>
#include <string>
#include <vector>

#include "client/cli/args.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "pathwise/version.h"

namespace {

constexpr char kMainHelp[] =
    R"(pathwise: command-line client of the pathwise gRPC server (pathwised).

Usage: pathwise <command> [options]

Commands:
  sample   Brownian increments (and Lévy areas) of reproducible paths
  solve    an SDE ensemble: paths, statistics, a plot
  estimate E[f(y(t1))] to a target RMSE by multilevel Monte Carlo
  mcmc     posterior sampling with Langevin chains: diagnostics, a trace plot
  models   the builtin models and Langevin potentials, with their parameters
  methods  the integration methods and what they need
  health   the server's health (grpc.health.v1)
  help     this text; `pathwise <command> --help` explains a command

  pathwise --version     the version and the Brownian path algorithm

--server takes one address or several (A:P,B:Q,...); sample and solve split
their ensemble over several with --split.

Security, for every command: --tls-ca FILE (TLS, trusting that CA bundle),
--tls-cert FILE --tls-key FILE (mutual TLS), --token-file FILE (a bearer
token; else the environment variable PATHWISE_TOKEN).

)";

using Command = int (*)(const std::vector<std::string>&);

Command Find(const std::string& name) {
  if (name == "sample") return pathwise::cli::SampleCommand;
  if (name == "solve") return pathwise::cli::SolveCommand;
  if (name == "estimate") return pathwise::cli::EstimateCommand;
  if (name == "mcmc") return pathwise::cli::McmcCommand;
  if (name == "models") return pathwise::cli::ModelsCommand;
  if (name == "methods") return pathwise::cli::MethodsCommand;
  if (name == "health") return pathwise::cli::HealthCommand;
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  using pathwise::cli::kExitCodesHelp;
  using pathwise::cli::kExitOk;
  using pathwise::cli::kExitUsage;
  if (argc < 2) {
    std::fputs(kMainHelp, stderr);
    std::fputs(kExitCodesHelp, stderr);
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kMainHelp, stdout);
    std::fputs(kExitCodesHelp, stdout);
    return kExitOk;
  }
  if (command == "--version") {
    std::printf("pathwise %s\n", pathwise::kVersionLine);
    return kExitOk;
  }
  try {
    const Command run = Find(command);
    if (run == nullptr) {
      throw pathwise::cli::UsageError{"unknown command '" + command + "' (try pathwise help)"};
    }
    return run(std::vector<std::string>(argv + 2, argv + argc));
  } catch (const pathwise::cli::UsageError& e) {
    std::fprintf(stderr, "pathwise %s: %s\n", command.c_str(), e.message.c_str());
    return kExitUsage;
  }
}
