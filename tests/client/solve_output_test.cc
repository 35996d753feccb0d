#include "client/cli/solve_output.h"

#include <algorithm>
#include <cmath>
#include <map>

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
  r.summary.set_brownian_tol(0.005);
  (*r.summary.mutable_status_counts())["SOLVE_STATUS_SUCCESS"] = 1;
  (*r.summary.mutable_status_counts())["NONFINITE"] = 1;
  (*r.summary.mutable_status_counts())["MAX_STEPS_REACHED"] = 0;
  return r;
}

v1::SolveRequest Request(v1::Output output) {
  v1::SolveRequest request;
  request.mutable_model()->mutable_builtin()->set_name("ou");
  (*request.mutable_model()->mutable_builtin()->mutable_params())["theta"] = 2;
  request.set_method(v1::SHARK);
  request.mutable_step()->mutable_constant()->set_dt(0.25);
  request.set_seed(17);
  request.set_num_paths(2);
  request.set_output(output);
  return request;
}

TEST(SolveOutputTest, CsvPathsAreLongForm) {
  const std::string csv = FormatSolve(Example(), Request(v1::OUTPUT_PATHS), "csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "path_index,t,component,value");
  EXPECT_NE(csv.find("\n11,0.5,0,1.1\n"), std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 2 * 2);
}

TEST(SolveOutputTest, CsvStatisticsColumns) {
  const std::string csv = FormatSolve(Example(), Request(v1::OUTPUT_STATISTICS), "csv");
  EXPECT_EQ(csv,
            "t,component,mean,variance,stderr,q0.05,q0.5,q0.95\n"
            "0.5,0,0.1,0,0,0.1,0.1,0.1\n"
            "0.5,1,-0.2,0,0,-0.2,-0.2,nan\n");
}

TEST(SolveOutputTest, BothInCsvAreOneLongTable) {
  const std::string csv = FormatSolve(Example(), Request(v1::OUTPUT_PATHS_AND_STATISTICS), "csv");
  EXPECT_EQ(csv.find("\n\n"), std::string::npos);  // no blank line: one table
  EXPECT_EQ(csv.rfind("kind,path_index,t,component,quantity,value\n"
                      "path,10,0,0,y,1\n",
                      0),
            0u)
      << csv;
  EXPECT_NE(csv.find("\npath,11,0.5,1,y,-0.2\nstatistic,,0.5,0,mean,0.1\n"), std::string::npos);
  EXPECT_NE(csv.find("\nstatistic,,0.5,1,q0.95,nan\n"), std::string::npos);
  // Every row has the header's 6 fields: 8 path values, 2 x 6 statistics.
  size_t rows = 0;
  for (size_t at = 0; at < csv.size(); at = csv.find('\n', at) + 1) {
    const std::string row = csv.substr(at, csv.find('\n', at) - at);
    EXPECT_EQ(std::count(row.begin(), row.end(), ','), 5) << row;
    ++rows;
  }
  EXPECT_EQ(rows, 1u + 8 + 12);
}

TEST(SolveOutputTest, JsonIsOneParsableObject) {
  const std::string json = FormatSolve(Example(), Request(v1::OUTPUT_PATHS_AND_STATISTICS), "json");
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  const auto& f = parsed.fields();
  const auto& path1 = f.at("paths").list_value().values(1).struct_value().fields();
  EXPECT_EQ(path1.at("path_index").number_value(), 11);
  EXPECT_EQ(path1.at("status").string_value(), "NONFINITE");
  EXPECT_EQ(path1.at("ys").list_value().values(1).list_value().values(0).number_value(), 1.1);
  const auto& st = f.at("statistics").struct_value().fields();
  EXPECT_EQ(st.at("mean").list_value().values(0).list_value().values(1).number_value(), -0.2);
  // quantiles[time][level][component]; NaN is null.
  const auto& q = st.at("quantiles").list_value().values(0).list_value();
  EXPECT_EQ(q.values(2).list_value().values(1).kind_case(), google::protobuf::Value::kNullValue);
  const auto& sum = f.at("summary").struct_value().fields();
  EXPECT_EQ(sum.at("levy_area").string_value(), "space-time");
  EXPECT_EQ(sum.at("status_counts").struct_value().fields().at("NONFINITE").number_value(), 1);
  // The request, with the Brownian tolerance and Lévy area used, reads back
  // as the SolveRequest that reproduces the result.
  std::string request_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(f.at("request"), &request_json).ok());
  v1::SolveRequest echoed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(request_json, &echoed).ok());
  v1::SolveRequest expected = Request(v1::OUTPUT_PATHS_AND_STATISTICS);
  expected.mutable_brownian()->set_tol(0.005);
  expected.mutable_brownian()->set_levy_area(v1::LEVY_AREA_SPACE_TIME);
  EXPECT_EQ(echoed.SerializeAsString(), expected.SerializeAsString()) << request_json;
  // Only what was asked for.
  const std::string stats_only = FormatSolve(Example(), Request(v1::OUTPUT_STATISTICS), "json");
  EXPECT_EQ(stats_only.find("\"paths\": ["), std::string::npos);
}

TEST(SolveOutputTest, JsonNumbersReadBackExactly) {
  SolveResult r = Example();
  r.paths[0].set_ys(0, 0.1 + 0.2);  // 0.30000000000000004
  const std::string json = FormatSolve(r, Request(v1::OUTPUT_PATHS), "json");
  EXPECT_NE(json.find("0.30000000000000004"), std::string::npos);
}

TEST(SolveOutputTest, TableHasHeadings) {
  const std::string table =
      FormatSolve(Example(), Request(v1::OUTPUT_PATHS_AND_STATISTICS), "table");
  EXPECT_EQ(table.rfind("# paths: 2\npath_index  t    component  value\n", 0), 0u) << table;
  EXPECT_NE(table.find("# statistics over 1 completed paths\n"), std::string::npos);
}

TEST(SolveOutputTest, SummaryLine) {
  v1::Summary s = Example().summary;
  s.set_steps_accepted(10);
  s.set_brownian_tol(0.005);
  s.set_wall_seconds(1.25);
  EXPECT_EQ(SummaryLine(s),
            "pathwise: 2 paths (NONFINITE 1, SOLVE_STATUS_SUCCESS 1); 10 steps accepted, 0 "
            "rejected; "
            "brownian tol 0.005, levy space-time; 1.250 s\n");
}

TEST(SolveOutputTest, FailuresAreCountedPerStatus) {
  v1::Summary s = Example().summary;
  EXPECT_EQ(FailedStatusCounts(s), (std::map<std::string, uint64_t>{{"NONFINITE", 1}}));
  EXPECT_EQ(FailureLine(s),
            "pathwise: error: 1 of 2 paths ended other than SOLVE_STATUS_SUCCESS (NONFINITE 1); "
            "--allow-failures exits 0\n");
  (*s.mutable_status_counts())["NONFINITE"] = 0;
  EXPECT_TRUE(FailedStatusCounts(s).empty());
  EXPECT_EQ(FailureLine(s), "");
}

}  // namespace
}  // namespace pathwise::cli
