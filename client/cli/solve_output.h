// Printing what `pathwise solve` returned.
//
// csv   paths: path_index,t,component,value (one row per path, save time and
//       component; long form, like the statistics and `pathwise sample`).
//       statistics: t,component,mean,variance,stderr,q0.05,q0.5,q0.95.
//       With --output both: the paths, an empty line, then the statistics.
// table the same columns, aligned, after "# ..." heading lines.
// json  one object {"paths": [...], "statistics": {...}, "summary": {...}},
//       each key present when asked for; arrays nested [time][component]
//       (quantiles [time][level][component]); non-finite numbers are null.
// Numbers are in the shortest form that reads back as the same double.
#ifndef PATHWISE_CLIENT_CLI_SOLVE_OUTPUT_H_
#define PATHWISE_CLIENT_CLI_SOLVE_OUTPUT_H_

#include <string>
#include <vector>

#include "client/cli/solve_stream.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

std::vector<std::vector<std::string>> PathRows(const std::vector<v1::Path>& paths);
std::vector<std::vector<std::string>> StatisticsRows(const v1::Statistics& st);

// The whole output in `format` (table, csv or json) for `output`.
std::string FormatSolve(const SolveResult& result, v1::Output output, const std::string& format);

// "pathwise: 3000 paths (success 3000); 300000 steps accepted, 0 rejected;
// brownian tol 0.005, levy space-time; 0.52 s" for stderr.
std::string SummaryLine(const v1::Summary& summary);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SOLVE_OUTPUT_H_
