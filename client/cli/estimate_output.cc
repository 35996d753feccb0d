#include "client/cli/estimate_output.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace pathwise::cli {
namespace {

std::string RequestJson(const v1::EstimateRequest& request) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(request, &json, options).ok()) return "null";
  return json;
}

std::string LevelJson(const v1::LevelStatistics& l) {
  return absl::StrCat("{\"level\": ", l.level(), ", \"dt\": ", JsonNum(l.dt()),
                      ", \"paths\": ", l.paths(), ", \"mean\": ", JsonNum(l.mean()),
                      ", \"variance\": ", JsonNum(l.variance()),
                      ", \"path_steps_per_sample\": ", JsonNum(l.path_steps_per_sample()), "}");
}

std::string ResultJson(const v1::EstimateResult& r) {
  return absl::StrCat(
      "{\"value\": ", JsonNum(r.value()), ", \"standard_error\": ", JsonNum(r.standard_error()),
      ", \"bias_estimate\": ", JsonNum(r.bias_estimate()),
      ", \"rmse_estimate\": ", JsonNum(r.rmse_estimate()), ", \"levels\": ", r.levels(),
      ", \"total_path_steps\": ", r.total_path_steps(),
      ", \"converged\": ", r.converged() ? "true" : "false",
      ", \"algorithm\": ", JsonString(r.algorithm()),
      ", \"wall_seconds\": ", JsonNum(r.wall_seconds()), "}");
}

std::string FormatTable(const EstimateOutcome& outcome) {
  std::vector<Row> rows = {{"level", "dt", "paths", "mean", "variance", "steps_per_sample"}};
  for (const auto& [level, l] : outcome.levels) {
    rows.push_back({std::to_string(level), Num(l.dt()), std::to_string(l.paths()), Num(l.mean()),
                    Num(l.variance()), Num(l.path_steps_per_sample())});
  }
  const v1::EstimateResult& r = outcome.result;
  const std::vector<Row> result = {{"value", Num(r.value())},
                                   {"standard_error", Num(r.standard_error())},
                                   {"bias_estimate", Num(r.bias_estimate())},
                                   {"rmse_estimate", Num(r.rmse_estimate())},
                                   {"converged", r.converged() ? "true" : "false"},
                                   {"levels", std::to_string(r.levels())},
                                   {"total_path_steps", std::to_string(r.total_path_steps())},
                                   {"algorithm", r.algorithm()},
                                   {"wall_seconds", Num(r.wall_seconds())}};
  return RenderRows(rows, false) + "\n" + RenderRows(result, false);
}

}  // namespace

std::string FormatEstimate(const EstimateOutcome& outcome, const v1::EstimateRequest& request,
                           const std::string& format) {
  if (format != "json") return FormatTable(outcome);
  std::string levels;
  for (const auto& [level, l] : outcome.levels) {
    absl::StrAppend(&levels, levels.empty() ? "" : ",\n  ", LevelJson(l));
  }
  return absl::StrCat("{\"request\": ", RequestJson(request), ",\n \"levels\": [", levels,
                      "],\n \"result\": ", ResultJson(outcome.result), "}\n");
}

std::string EstimateLine(const v1::EstimateResult& r, double target_rmse) {
  return absl::StrFormat(
      "estimate: %.6g ± %.2g (rmse estimate; target %.2g), %s, %d levels, %d path steps, %.3g s\n",
      r.value(), r.rmse_estimate(), target_rmse, r.converged() ? "converged" : "NOT converged",
      r.levels(), r.total_path_steps(), r.wall_seconds());
}

std::string NotConvergedLine(const v1::EstimateResult& r, const v1::EstimateRequest& request) {
  if (r.converged()) return "";
  return absl::StrFormat(
      "pathwise: the estimate did not meet --target-rmse %.3g (rmse estimate %.3g): max_level "
      "or the path-step budget was reached first; raise --max-level or --max-path-steps "
      "(--allow-unconverged exits 0)\n",
      request.target_rmse(), r.rmse_estimate());
}

}  // namespace pathwise::cli
