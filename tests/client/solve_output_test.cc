#include "client/cli/solve_output.h"

#include <cmath>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

// Two paths of a 2-dimensional state at t = 0, 0.5; statistics at 0.5.
SolveResult Example() {
  SolveResult r;
  for (int p = 0; p < 2; ++p) {
    v1::Path& path = r.paths.emplace_back();
    path.set_path_index(10 + p);
    path.add_ts(0.0);
    path.add_ts(0.5);
    for (double y : {1.0, 2.0, 0.1 + p, -0.2}) path.add_ys(y);
    path.set_steps_accepted(5);
  }
  r.paths[1].set_status(v1::NONFINITE);
  v1::Statistics& st = r.statistics.emplace();
  st.add_ts(0.5);
  st.set_state_dim(2);
  st.set_count(1);
  for (double v : {0.1, -0.2}) st.add_mean(v);
  for (double v : {0.0, 0.0}) st.add_variance(v);
  for (double v : {0.0, 0.0}) st.add_stderr(v);
  for (double v : {0.05, 0.5, 0.95}) st.add_quantile_levels(v);
  for (double v : {0.1, -0.2, 0.1, -0.2, 0.1, std::nan("")}) st.add_quantiles(v);
  r.summary.set_paths(2);
  r.summary.set_levy_area(v1::LEVY_AREA_SPACE_TIME);
  (*r.summary.mutable_status_counts())["success"] = 1;
  (*r.summary.mutable_status_counts())["nonfinite"] = 1;
  return r;
}

TEST(SolveOutputTest, CsvPathsAreLongForm) {
  const std::string csv = FormatSolve(Example(), v1::OUTPUT_PATHS, "csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "path_index,t,component,value");
  EXPECT_NE(csv.find("\n11,0.5,0,1.1\n"), std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 2 * 2);
}

TEST(SolveOutputTest, CsvStatisticsColumns) {
  const std::string csv = FormatSolve(Example(), v1::OUTPUT_STATISTICS, "csv");
  EXPECT_EQ(csv,
            "t,component,mean,variance,stderr,q0.05,q0.5,q0.95\n"
            "0.5,0,0.1,0,0,0.1,0.1,0.1\n"
            "0.5,1,-0.2,0,0,-0.2,-0.2,nan\n");
}

TEST(SolveOutputTest, BothInCsvAreTwoSections) {
  const std::string csv = FormatSolve(Example(), v1::OUTPUT_PATHS_AND_STATISTICS, "csv");
  EXPECT_NE(csv.find("\n\nt,component,mean"), std::string::npos);
}

TEST(SolveOutputTest, JsonIsOneParsableObject) {
  const std::string json = FormatSolve(Example(), v1::OUTPUT_PATHS_AND_STATISTICS, "json");
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  const auto& f = parsed.fields();
  const auto& path1 = f.at("paths").list_value().values(1).struct_value().fields();
  EXPECT_EQ(path1.at("path_index").number_value(), 11);
  EXPECT_EQ(path1.at("status").string_value(), "nonfinite");
  EXPECT_EQ(path1.at("ys").list_value().values(1).list_value().values(0).number_value(), 1.1);
  const auto& st = f.at("statistics").struct_value().fields();
  EXPECT_EQ(st.at("mean").list_value().values(0).list_value().values(1).number_value(), -0.2);
  // quantiles[time][level][component]; NaN is null.
  const auto& q = st.at("quantiles").list_value().values(0).list_value();
  EXPECT_EQ(q.values(2).list_value().values(1).kind_case(), google::protobuf::Value::kNullValue);
  const auto& sum = f.at("summary").struct_value().fields();
  EXPECT_EQ(sum.at("levy_area").string_value(), "space-time");
  EXPECT_EQ(sum.at("status_counts").struct_value().fields().at("nonfinite").number_value(), 1);
  // Only what was asked for.
  const std::string stats_only = FormatSolve(Example(), v1::OUTPUT_STATISTICS, "json");
  EXPECT_EQ(stats_only.find("\"paths\": ["), std::string::npos);
}

TEST(SolveOutputTest, JsonNumbersReadBackExactly) {
  SolveResult r = Example();
  r.paths[0].set_ys(0, 0.1 + 0.2);  // 0.30000000000000004
  const std::string json = FormatSolve(r, v1::OUTPUT_PATHS, "json");
  EXPECT_NE(json.find("0.30000000000000004"), std::string::npos);
}

TEST(SolveOutputTest, TableHasHeadings) {
  const std::string table = FormatSolve(Example(), v1::OUTPUT_PATHS_AND_STATISTICS, "table");
  EXPECT_EQ(table.rfind("# paths: 2\npath_index  t    component  value\n", 0), 0u) << table;
  EXPECT_NE(table.find("# statistics over 1 completed paths\n"), std::string::npos);
}

TEST(SolveOutputTest, SummaryLine) {
  v1::Summary s = Example().summary;
  s.set_steps_accepted(10);
  s.set_brownian_tol(0.005);
  s.set_wall_seconds(1.25);
  EXPECT_EQ(SummaryLine(s),
            "pathwise: 2 paths (nonfinite 1, success 1); 10 steps accepted, 0 rejected; "
            "brownian tol 0.005, levy space-time; 1.250 s\n");
}

}  // namespace
}  // namespace pathwise::cli
