// pathwise-lab: offline experiments on the solver engine.
//   pathwise-lab orders --model ou --method shark [--format table|json] ...
//   pathwise-lab cir [--paths 10000] [--plot docs/cir.svg]
//   pathwise-lab bench [--threads N]
//   pathwise-lab levy-cost [--rounds 5]
#include <cstdio>
#include <string>

#include "tools/lab/args.h"
#include "tools/lab/commands.h"
#include "tools/lab/report.h"

namespace {

constexpr const char* kUsage =
    "usage: pathwise-lab <orders|cir|bench|levy-cost> [--format table|json] [options]\n"
    "  orders --model NAME --method NAME [--params k=v,..] [--y0 a,b] [--dim d]\n"
    "         [--calculus ito|stratonovich] [--t1 T] [--paths N] [--coarsest k]\n"
    "         [--finest k] [--reference k] [--seed s] [--threads t]\n"
    "  cir    [--paths N] [--threads t] [--seed s] [--first j] [--last j] [--afirst j]\n"
    "         [--alast j] [--plot FILE.svg]\n"
    "  bench  [--threads t] [--repeats r]\n"
    "  levy-cost [--rounds r] [--paths n]\n";

}  // namespace

int main(int argc, char** argv) {
  using pathwise::lab::Args;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  auto args = Args::Parse(argc, argv, 2);
  if (!args.ok()) {
    std::fprintf(stderr, "pathwise-lab: %s\n%s", std::string(args.status().message()).c_str(),
                 kUsage);
    return 2;
  }
  auto format = pathwise::lab::ParseFormat(args->Str("format", "table"));
  if (!format.ok()) {
    std::fprintf(stderr, "pathwise-lab: %s\n", std::string(format.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<pathwise::lab::Report> report;
  if (command == "orders") {
    report = pathwise::lab::RunOrders(*args);
  } else if (command == "cir") {
    report = pathwise::lab::RunCir(*args);
  } else if (command == "bench") {
    report = pathwise::lab::RunBench(*args);
  } else if (command == "levy-cost") {
    report = pathwise::lab::RunLevyCost(*args);
  } else {
    std::fputs(kUsage, stderr);
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
