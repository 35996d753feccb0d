// The pathwise-lab commands.
#ifndef PATHWISE_TOOLS_LAB_COMMANDS_H_
#define PATHWISE_TOOLS_LAB_COMMANDS_H_

#include "absl/status/statusor.h"
#include "tools/lab/args.h"
#include "tools/lab/report.h"

namespace pathwise::lab {

// orders --model NAME --method NAME [--params k=v,..] [--y0 a,b] [--dim d]
//        [--calculus ito|stratonovich] [--t1 T] [--paths N] [--coarsest k] [--finest k]
//        [--reference k] [--seed s] [--threads t]
absl::StatusOr<Report> RunOrders(const Args& args);

// cir [--paths N] [--threads t] [--seed s] [--plot FILE.svg]
absl::StatusOr<Report> RunCir(const Args& args);

// bench [--threads t] [--repeats r]
absl::StatusOr<Report> RunBench(const Args& args);

// levy-cost [--rounds r] [--paths n]
absl::StatusOr<Report> RunLevyCost(const Args& args);

}  // namespace pathwise::lab

#endif  // PATHWISE_TOOLS_LAB_COMMANDS_H_
