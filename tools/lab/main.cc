// pathwise-lab: offline experiments on the solver engine.
//   pathwise-lab orders --model ou --method shark [--format table|json] ...
//   pathwise-lab cir [--paths 10000] [--plot docs/cir.svg]
//   pathwise-lab bench [--threads N]
//   pathwise-lab levy-cost [--rounds 5]
//   pathwise-lab mlmc [--quick] [--check] [--plots docs/mlmc]
//   pathwise-lab mcmc [--problem all|logistic|funnel] [--plot docs/mcmc_logistic.svg]
//   pathwise-lab workload --kind query|ou [...]   (bench/torchsde/run_side_by_side.py)
//   pathwise-lab --version | --help | <command> --help
// Exit codes: 0 success; 1 the experiment failed; 2 bad command line.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pathwise/version.h"
#include "tools/lab/commands.h"
#include "tools/lab/report.h"

namespace {

constexpr char kHead[] =
    "Usage: pathwise-lab <orders|cir|bench|levy-cost|mlmc|mcmc|workload> [--format table|json] "
    "[options]\n"
    "       pathwise-lab --version | --help | <command> --help\n"
    "Offline experiments on the solver engine (no server).\n";
constexpr char kOrdersUsage[] =
    "  orders --model NAME --method NAME [--params k=v,..] [--y0 a,b] [--dim d]\n"
    "         [--calculus ito|stratonovich] [--t1 T] [--paths N] [--coarsest k]\n"
    "         [--finest k] [--reference k] [--seed s] [--threads t]\n"
    "         strong order of convergence of a method on a model\n";
constexpr char kCirUsage[] =
    "  cir    [--paths N] [--threads t] [--seed s] [--first j] [--last j] [--afirst j]\n"
    "         [--alast j] [--plot FILE.svg]\n"
    "         RMS error vs steps of the CIR methods, constant and adaptive\n";
constexpr char kBenchUsage[] =
    "  bench  [--threads t] [--repeats r]\n"
    "         solver throughput\n";
constexpr char kLevyCostUsage[] =
    "  levy-cost [--rounds r] [--paths n]\n"
    "         cost of the default space-time-time path for W-only methods\n";
constexpr char kMlmcUsage[] =
    "  mlmc   [--quick] [--check] [--seed s] [--threads t] [--plots DIR]\n"
    "         [--parts gbm,heston,heston-feller,antithetic]\n"
    "         Giles' multilevel Monte Carlo figures: GBM call (Milstein), Heston call\n"
    "         (Euler; heston-feller: xi = 1, levels only), antithetic pairs; --plots\n"
    "         writes DIR/<part>.svg;\n"
    "         --check fails unless the GBM beta and values match the theory\n";
constexpr char kMcmcUsage[] =
    "  mcmc   [--problem all|logistic|funnel] [--threads t] [--seed s] [--chains m]\n"
    "         [--warmup T] [--draws n] [--thin t] [--gamma g] [--method NAME] [--dt h]\n"
    "         [--rtol r] [--atol a] [--pcoeff p] [--icoeff i]\n"
    "         [--preconditioner adapted|none] [--reference-draws n] [--data FILE] [--plot "
    "FILE.svg]\n"
    "         Langevin MCMC on breast-cancer logistic regression and Neal's funnel\n";
constexpr char kWorkloadUsage[] =
    "  workload --kind query|ou [--dim d] [--paths n] [--intervals s:t,..] [--queries q]\n"
    "         [--query-seed s] [--seed s] [--method NAME] [--dt h] [--t1 T]\n"
    "         [--levy default|none|space-time|space-time-time]\n"
    "         one timed run of a workload of bench/torchsde/run_side_by_side.py: W+H\n"
    "         interval queries over n paths, or an OU ensemble on one thread\n";
constexpr char kTail[] = "Exit codes: 0 success; 1 the experiment failed; 2 bad command line.\n";

bool IsHelp(const char* word) {
  return std::strcmp(word, "--help") == 0 || std::strcmp(word, "-h") == 0;
}

// The usage of `command` (every command when it is not one).
std::string Usage(const std::string& command) {
  std::string out = kHead;
  if (command == "orders") return out + kOrdersUsage + kTail;
  if (command == "cir") return out + kCirUsage + kTail;
  if (command == "bench") return out + kBenchUsage + kTail;
  if (command == "levy-cost") return out + kLevyCostUsage + kTail;
  if (command == "mlmc") return out + kMlmcUsage + kTail;
  if (command == "mcmc") return out + kMcmcUsage + kTail;
  if (command == "workload") return out + kWorkloadUsage + kTail;
  return out + kOrdersUsage + kCirUsage + kBenchUsage + kLevyCostUsage + kMlmcUsage + kMcmcUsage +
         kWorkloadUsage + kTail;
}

}  // namespace

using Run = absl::StatusOr<pathwise::lab::Report> (*)(const pathwise::cmdline::Args&);

// The command's options and runner; false when there is no such command.
bool Find(const std::string& command, std::vector<pathwise::cmdline::FlagSpec>* flags, Run* run) {
  namespace lab = pathwise::lab;
  if (command == "orders") {
    *flags = lab::OrdersFlags();
    *run = lab::RunOrders;
  } else if (command == "cir") {
    *flags = lab::CirFlags();
    *run = lab::RunCir;
  } else if (command == "bench") {
    *flags = lab::BenchFlags();
    *run = lab::RunBench;
  } else if (command == "levy-cost") {
    *flags = lab::LevyCostFlags();
    *run = lab::RunLevyCost;
  } else if (command == "mlmc") {
    *flags = lab::MlmcFlags();
    *run = lab::RunMlmc;
  } else if (command == "mcmc") {
    *flags = lab::McmcFlags();
    *run = lab::RunMcmc;
  } else if (command == "workload") {
    *flags = lab::WorkloadFlags();
    *run = lab::RunWorkload;
  }
  return *run != nullptr;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(Usage("").c_str(), stderr);
    return 2;
  }
  const std::string command = argv[1];
  if (command == "--version") {
    std::printf("pathwise-lab %s\n", pathwise::kVersionLine);
    return 0;
  }
  for (int i = 1; i < argc; ++i) {
    if (IsHelp(argv[i]) || (i == 1 && command == "help")) {
      std::fputs(Usage(i == 1 ? "" : command).c_str(), stdout);
      return 0;
    }
  }
  std::vector<pathwise::cmdline::FlagSpec> flags;
  Run run = nullptr;
  if (!Find(command, &flags, &run)) {
    std::fprintf(stderr, "pathwise-lab: unknown command '%s'\n%s", command.c_str(),
                 Usage("").c_str());
    return 2;
  }
  absl::StatusOr<pathwise::lab::Report> report;
  absl::StatusOr<pathwise::lab::Format> format;
  try {
    const pathwise::cmdline::Args args(std::vector<std::string>(argv + 2, argv + argc), flags);
    format = pathwise::lab::ParseFormat(args.String("format", "table"));
    if (!format.ok()) throw pathwise::cmdline::UsageError{std::string(format.status().message())};
    report = run(args);
  } catch (const pathwise::cmdline::UsageError& e) {
    std::fprintf(stderr, "pathwise-lab %s: %s\n%s", command.c_str(), e.message.c_str(),
                 Usage(command).c_str());
    return 2;
  }
  if (!report.ok()) {
    std::fprintf(stderr, "pathwise-lab %s: %s\n", command.c_str(),
                 std::string(report.status().message()).c_str());
    return 1;
  }
  std::fputs(pathwise::lab::Render(*report, *format).c_str(), stdout);
  return 0;
}
