// Printing what `pathwise solve` returned. Solve statuses are spelled as the
// wire enum's value names (SOLVE_STATUS_SUCCESS, MAX_STEPS_REACHED,
// DTMIN_REACHED, NONFINITE), as in the Python client.
//
// csv   paths: path_index,t,component,value (one row per path, save time and
//       component; long form, like the statistics and `pathwise sample`).
//       statistics: t,component,mean,variance,stderr,q0.05,q0.5,q0.95.
//       With --output both: one long table a CSV reader takes whole,
//       kind,path_index,t,component,quantity,value, with rows
//       "path,<index>,t,j,y,<value>" and then "statistic,,t,j,<column>,<value>"
//       for each statistics column (mean, variance, stderr, q0.05, ...).
// table the same columns, aligned, after "# ..." heading lines; with
//       --output both, the paths and the statistics tables.
// json  one object {"request": {...}, "paths": [...], "statistics": {...},
//       "summary": {...}}, paths and statistics when asked for; "request" is
//       the SolveRequest as protobuf JSON (proto field names) with
//       brownian.tol and brownian.levy_area set to what the server used, so
//       `pathwise solve --model-file` of it solves the same ensemble again;
//       arrays nested [time][component] (quantiles [time][level][component]);
//       non-finite numbers are null.
// Numbers are in the shortest form that reads back as the same double.
#ifndef PATHWISE_CLIENT_CLI_SOLVE_OUTPUT_H_
#define PATHWISE_CLIENT_CLI_SOLVE_OUTPUT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "client/cli/solve_stream.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

std::vector<std::vector<std::string>> PathRows(const std::vector<v1::Path>& paths);
std::vector<std::vector<std::string>> StatisticsRows(const v1::Statistics& st);

// The whole output in `format` (table, csv or json) for request.output().
std::string FormatSolve(const SolveResult& result, const v1::SolveRequest& request,
                        const std::string& format);

// "pathwise: 3000 paths (SOLVE_STATUS_SUCCESS 3000); 300000 steps accepted, 0 rejected;
// brownian tol 0.005, levy space-time; 0.52 s" for stderr.
std::string SummaryLine(const v1::Summary& summary);

// Paths per status other than SOLVE_STATUS_SUCCESS (statuses with none left out).
std::map<std::string, uint64_t> FailedStatusCounts(const v1::Summary& summary);

// "pathwise: error: 3 of 10 paths ended other than SOLVE_STATUS_SUCCESS
// (MAX_STEPS_REACHED 2, NONFINITE 1); --allow-failures exits 0", or "" when
// every path succeeded.
std::string FailureLine(const v1::Summary& summary);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SOLVE_OUTPUT_H_
