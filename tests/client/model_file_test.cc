#include "client/cli/model_file.h"

#include <cstdio>
#include <fstream>

#include "client/cli/args.h"
#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

TEST(ModelFileTest, AModel) {
  auto file =
      ParseModelJson(R"({"builtin": {"name": "ou", "params": {"theta": 2, "sigma": 0.5}}})");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(file->model.has_value());
  EXPECT_FALSE(file->request.has_value());
  EXPECT_EQ(file->model->builtin().name(), "ou");
  EXPECT_EQ(file->model->builtin().params().at("theta"), 2.0);
}

TEST(ModelFileTest, AnExpressionModelWithEnumsByName) {
  auto file = ParseModelJson(R"({"expression": {"state": ["x", "v"], "drift": ["v", "-x"],
      "diffusion": ["0", "sigma"], "noise": "NOISE_DIAGONAL", "calculus": "STRATONOVICH",
      "params": {"sigma": 0.3}}})");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->model->expression().calculus(), v1::STRATONOVICH);
  EXPECT_EQ(file->model->expression().state_size(), 2);
}

TEST(ModelFileTest, AWholeRequest) {
  auto file = ParseModelJson(R"({"model": {"langevin": {"expression": "x0^2/2", "dim": 1,
      "gamma": 1, "u": 1, "x0": [0.5]}}, "method": "SHOULD", "t1": 2,
      "step": {"constant": {"dt": 0.01}}, "num_paths": 100,
      "saveat": {"ts": [1, 2]}, "output": "OUTPUT_STATISTICS"})");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(file->request.has_value());
  EXPECT_FALSE(file->model.has_value());
  EXPECT_EQ(file->request->method(), v1::SHOULD);
  EXPECT_EQ(file->request->num_paths(), 100u);
  EXPECT_EQ(file->request->step().constant().dt(), 0.01);
  EXPECT_EQ(file->request->model().langevin().x0(0), 0.5);
  // lowerCamelCase names are the JSON form too.
  auto camel = ParseModelJson(R"({"numPaths": 7, "firstPath": "3"})");
  ASSERT_TRUE(camel.ok()) << camel.status();
  EXPECT_EQ(camel->request->num_paths(), 7u);
  EXPECT_EQ(camel->request->first_path(), 3u);
}

TEST(ModelFileTest, ErrorsNameTheProblem) {
  auto unknown = ParseModelJson(R"({"builtin": {"name": "ou", "parms": {}}})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("pathwise.v1.Model"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("parms"), std::string::npos)
      << unknown.status().message();
  auto bad_request = ParseModelJson(R"({"model": {}, "num_path": 3})");
  ASSERT_FALSE(bad_request.ok());
  EXPECT_NE(bad_request.status().message().find("num_path"), std::string::npos)
      << bad_request.status().message();
  EXPECT_FALSE(ParseModelJson("[1, 2]").ok());
  EXPECT_FALSE(ParseModelJson("{").ok());
}

TEST(ModelFileTest, LoadReportsThePath) {
  try {
    LoadModelFile("/nonexistent/model.json");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(e.message, "--model-file: cannot read '/nonexistent/model.json'");
  }
  const std::string path = ::testing::TempDir() + "/pathwise_model_file_test.json";
  std::ofstream(path) << R"({"builtin": {"name": "gbm"}})";
  EXPECT_EQ(LoadModelFile(path).model->builtin().name(), "gbm");
  std::ofstream(path) << R"({"builtin": 3})";
  try {
    LoadModelFile(path);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(e.message.rfind("--model-file: " + path + ": not a pathwise.v1.Model", 0), 0u)
        << e.message;
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace pathwise::cli
