#include "client/cli/solve_output.h"

#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "client/cli/names.h"
#include "client/cli/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace pathwise::cli {
namespace {

bool WantsPaths(v1::Output output) { return output != v1::OUTPUT_STATISTICS; }
bool WantsStatistics(v1::Output output) { return output != v1::OUTPUT_PATHS; }

size_t Dim(const v1::Path& p) { return p.ts_size() > 0 ? p.ys_size() / p.ts_size() : 0; }

std::string PathStatus(const v1::Path& p) { return v1::SolveStatus_Name(p.status()); }

// [[a, b], [c, d]]: `rows` rows of `cols` values from `values`.
std::string JsonMatrix(const google::protobuf::RepeatedField<double>& values, size_t offset,
                       size_t rows, size_t cols) {
  std::string out = "[";
  for (size_t r = 0; r < rows; ++r) {
    out += r ? ", [" : "[";
    for (size_t c = 0; c < cols; ++c) {
      out += (c ? ", " : "") + JsonNum(values.Get(static_cast<int>(offset + r * cols + c)));
    }
    out += "]";
  }
  return out + "]";
}

std::string JsonList(const google::protobuf::RepeatedField<double>& values) {
  std::string out = "[";
  for (int i = 0; i < values.size(); ++i) out += (i ? ", " : "") + JsonNum(values.Get(i));
  return out + "]";
}

std::string PathJson(const v1::Path& p) {
  return "{\"path_index\": " + std::to_string(p.path_index()) +
         ", \"status\": " + JsonString(PathStatus(p)) +
         ", \"steps_accepted\": " + std::to_string(p.steps_accepted()) +
         ", \"steps_rejected\": " + std::to_string(p.steps_rejected()) +
         ", \"ts\": " + JsonList(p.ts()) +
         ", \"ys\": " + JsonMatrix(p.ys(), 0, p.ts_size(), Dim(p)) + "}";
}

std::string StatisticsJson(const v1::Statistics& st) {
  const size_t nt = st.ts_size(), n = st.state_dim(), nq = st.quantile_levels_size();
  std::string quantiles = "[";
  for (size_t k = 0; k < nt; ++k) {
    quantiles += (k ? ", " : "") + JsonMatrix(st.quantiles(), k * nq * n, nq, n);
  }
  return "{\"ts\": " + JsonList(st.ts()) + ", \"state_dim\": " + std::to_string(n) +
         ", \"count\": " + std::to_string(st.count()) +
         ", \"quantile_levels\": " + JsonList(st.quantile_levels()) +
         ", \"mean\": " + JsonMatrix(st.mean(), 0, nt, n) +
         ", \"variance\": " + JsonMatrix(st.variance(), 0, nt, n) +
         ", \"stderr\": " + JsonMatrix(st.stderr(), 0, nt, n) + ", \"quantiles\": " + quantiles +
         "]}";
}

std::string SummaryJson(const v1::Summary& s) {
  std::map<std::string, uint64_t> counts(s.status_counts().begin(), s.status_counts().end());
  std::string statuses = "{";
  for (const auto& [name, n] : counts) {
    statuses += (statuses.size() > 1 ? ", " : "") + JsonString(name) + ": " + std::to_string(n);
  }
  return "{\"paths\": " + std::to_string(s.paths()) +
         ", \"steps_accepted\": " + std::to_string(s.steps_accepted()) +
         ", \"steps_rejected\": " + std::to_string(s.steps_rejected()) +
         ", \"drift_evaluations\": " + std::to_string(s.drift_evaluations()) +
         ", \"diffusion_evaluations\": " + std::to_string(s.diffusion_evaluations()) +
         ", \"brownian_tol\": " + JsonNum(s.brownian_tol()) +
         ", \"levy_area\": " + JsonString(LevyName(s.levy_area())) +
         ", \"algorithm\": " + JsonString(s.algorithm()) +
         ", \"wall_seconds\": " + JsonNum(s.wall_seconds()) + ", \"status_counts\": " + statuses +
         "}}";
}

// The request with the Brownian tolerance and Lévy area the server used (the
// defaults resolved), as protobuf JSON: solving it again gives the same result.
std::string RequestJson(const v1::SolveRequest& request, const v1::Summary& summary) {
  v1::SolveRequest echoed = request;
  echoed.mutable_brownian()->set_tol(summary.brownian_tol());
  echoed.mutable_brownian()->set_levy_area(summary.levy_area());
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(echoed, &json, options).ok()) return "null";
  return json;
}

std::string FormatJson(const SolveResult& result, const v1::SolveRequest& request) {
  const v1::Output output = request.output();
  std::string out = "{\"request\": " + RequestJson(request, result.summary) + ",\n ";
  if (WantsPaths(output)) {
    out += "\"paths\": [";
    for (size_t i = 0; i < result.paths.size(); ++i) {
      out += (i ? ",\n  " : "\n  ") + PathJson(result.paths[i]);
    }
    out += "],\n ";
  }
  if (WantsStatistics(output) && result.statistics) {
    out += "\"statistics\": " + StatisticsJson(*result.statistics) + ",\n ";
  }
  return out + "\"summary\": " + SummaryJson(result.summary) + "}\n";
}

}  // namespace

std::vector<Row> PathRows(const std::vector<v1::Path>& paths) {
  std::vector<Row> rows = {{"path_index", "t", "component", "value"}};
  for (const v1::Path& p : paths) {
    const size_t n = Dim(p);
    for (int k = 0; k < p.ts_size(); ++k) {
      for (size_t j = 0; j < n; ++j) {
        rows.push_back({std::to_string(p.path_index()), Num(p.ts(k)), std::to_string(j),
                        Num(p.ys(static_cast<int>(k * n + j)))});
      }
    }
  }
  return rows;
}

std::vector<Row> StatisticsRows(const v1::Statistics& st) {
  const size_t n = st.state_dim(), nq = st.quantile_levels_size();
  Row header = {"t", "component", "mean", "variance", "stderr"};
  for (const double level : st.quantile_levels()) header.push_back(absl::StrCat("q", Num(level)));
  std::vector<Row> rows = {header};
  for (int k = 0; k < st.ts_size(); ++k) {
    for (size_t j = 0; j < n; ++j) {
      const int at = static_cast<int>(k * n + j);
      Row row = {Num(st.ts(k)), std::to_string(j), Num(st.mean(at)), Num(st.variance(at)),
                 Num(st.stderr(at))};
      for (size_t q = 0; q < nq; ++q) {
        row.push_back(Num(st.quantiles(static_cast<int>((k * nq + q) * n + j))));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::vector<Row> CombinedRows(const std::vector<v1::Path>& paths,
                              const std::optional<v1::Statistics>& statistics) {
  std::vector<Row> rows = {{"kind", "path_index", "t", "component", "quantity", "value"}};
  for (const v1::Path& p : paths) {
    const size_t n = Dim(p);
    for (int k = 0; k < p.ts_size(); ++k) {
      for (size_t j = 0; j < n; ++j) {
        rows.push_back({"path", std::to_string(p.path_index()), Num(p.ts(k)), std::to_string(j),
                        "y", Num(p.ys(static_cast<int>(k * n + j)))});
      }
    }
  }
  if (!statistics) return rows;
  // The statistics table, one row per (t, component, column).
  const std::vector<Row> stats = StatisticsRows(*statistics);
  for (size_t r = 1; r < stats.size(); ++r) {
    for (size_t c = 2; c < stats[r].size(); ++c) {
      rows.push_back({"statistic", "", stats[r][0], stats[r][1], stats[0][c], stats[r][c]});
    }
  }
  return rows;
}

std::string FormatSolve(const SolveResult& result, const v1::SolveRequest& request,
                        const std::string& format) {
  if (format == "json") return FormatJson(result, request);
  const v1::Output output = request.output();
  const bool csv = format == "csv";
  if (csv && WantsPaths(output) && WantsStatistics(output)) {
    return RenderRows(CombinedRows(result.paths, result.statistics), true);
  }
  std::string out;
  if (WantsPaths(output)) {
    if (!csv) out += "# paths: " + std::to_string(result.paths.size()) + "\n";
    out += RenderRows(PathRows(result.paths), csv);
  }
  if (WantsStatistics(output) && result.statistics) {
    if (!out.empty()) out += "\n";
    if (!csv) {
      out +=
          "# statistics over " + std::to_string(result.statistics->count()) + " completed paths\n";
    }
    out += RenderRows(StatisticsRows(*result.statistics), csv);
  }
  return out;
}

std::string SummaryLine(const v1::Summary& s) {
  std::map<std::string, uint64_t> counts(s.status_counts().begin(), s.status_counts().end());
  std::string statuses;
  for (const auto& [name, n] : counts) {
    if (n == 0) continue;  // the line stays short; json lists every status
    absl::StrAppend(&statuses, statuses.empty() ? "" : ", ", name, " ", n);
  }
  char line[512];
  std::snprintf(line, sizeof(line),
                "pathwise: %llu paths (%s); %llu steps accepted, %llu rejected; brownian tol %.6g, "
                "levy %s; %.3f s\n",
                static_cast<unsigned long long>(s.paths()), statuses.c_str(),
                static_cast<unsigned long long>(s.steps_accepted()),
                static_cast<unsigned long long>(s.steps_rejected()), s.brownian_tol(),
                LevyName(s.levy_area()).c_str(), s.wall_seconds());
  return line;
}

std::map<std::string, uint64_t> FailedStatusCounts(const v1::Summary& summary) {
  std::map<std::string, uint64_t> failed;
  for (const auto& [name, n] : summary.status_counts()) {
    if (n > 0 && name != v1::SolveStatus_Name(v1::SOLVE_STATUS_SUCCESS)) failed[name] = n;
  }
  return failed;
}

std::string FailureLine(const v1::Summary& summary) {
  const std::map<std::string, uint64_t> failed = FailedStatusCounts(summary);
  uint64_t total = 0;
  std::string counts;
  for (const auto& [name, n] : failed) {
    total += n;
    absl::StrAppend(&counts, counts.empty() ? "" : ", ", name, " ", n);
  }
  if (total == 0) return "";
  return absl::StrCat("pathwise: error: ", total, " of ", summary.paths(),
                      " paths ended other than SOLVE_STATUS_SUCCESS (", counts,
                      "); --allow-failures exits 0\n");
}

}  // namespace pathwise::cli
