// The pathwise-lab commands, each with the options it takes (parsed by the
// shared cmdline::Args, whose accessors throw cmdline::UsageError).
#ifndef PATHWISE_TOOLS_LAB_COMMANDS_H_
#define PATHWISE_TOOLS_LAB_COMMANDS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "cmdline/args.h"
#include "tools/lab/report.h"

namespace pathwise::lab {

// orders --model NAME --method NAME [--params k=v,..] [--y0 a,b] [--dim d]
//        [--calculus ito|stratonovich] [--t1 T] [--paths N] [--coarsest k] [--finest k]
//        [--reference k] [--seed s] [--threads t]
std::vector<cmdline::FlagSpec> OrdersFlags();
absl::StatusOr<Report> RunOrders(const cmdline::Args& args);

// cir [--paths N] [--threads t] [--seed s] [--first j] [--last j] [--afirst j]
//     [--alast j] [--plot FILE.svg]
std::vector<cmdline::FlagSpec> CirFlags();
absl::StatusOr<Report> RunCir(const cmdline::Args& args);

// bench [--threads t] [--repeats r]
std::vector<cmdline::FlagSpec> BenchFlags();
absl::StatusOr<Report> RunBench(const cmdline::Args& args);

// levy-cost [--rounds r] [--paths n]
std::vector<cmdline::FlagSpec> LevyCostFlags();
absl::StatusOr<Report> RunLevyCost(const cmdline::Args& args);

// mlmc [--quick] [--check] [--seed s] [--threads t] [--plots DIR]
//      [--parts gbm,heston,heston-feller,antithetic]
std::vector<cmdline::FlagSpec> MlmcFlags();
absl::StatusOr<Report> RunMlmc(const cmdline::Args& args);

// mcmc [--problem all|logistic|funnel] [--threads t] [--seed s] [--chains m] [--warmup T]
//      [--draws n] [--thin t] [--gamma g] [--method NAME] [--dt h] [--rtol r] [--atol a]
//      [--preconditioner adapted|none] [--reference-draws n] [--data FILE] [--plot FILE.svg]
std::vector<cmdline::FlagSpec> McmcFlags();
absl::StatusOr<Report> RunMcmc(const cmdline::Args& args);

// workload --kind query|ou [--dim d] [--paths n] [--intervals s:t,..] [--queries q]
//          [--query-seed s] [--seed s] [--method NAME] [--dt h] [--t1 T]
//          [--levy default|none|space-time|space-time-time]
std::vector<cmdline::FlagSpec> WorkloadFlags();
absl::StatusOr<Report> RunWorkload(const cmdline::Args& args);

}  // namespace pathwise::lab

#endif  // PATHWISE_TOOLS_LAB_COMMANDS_H_
