#include "client/cli/solve_flags.h"

#include <cstdio>
#include <fstream>

#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

v1::SolveRequest Build(const std::vector<std::string>& words) {
  return BuildSolveRequest(Args(words, SolveRequestFlagSpecs()));
}

std::string UsageMessage(const std::vector<std::string>& words) {
  try {
    Build(words);
  } catch (const UsageError& e) {
    return e.message;
  }
  return "(no error)";
}

TEST(SolveFlagsTest, TheBriefsCirExample) {
  const v1::SolveRequest r = Build(
      {"--model", "cir",     "--param",  "a=0.5",  "--param",    "b=0.04",   "--param", "sigma=1",
       "--y0",    "0.04",    "--method", "heun",   "--adaptive", "--atol",   "1e-3",    "--t1",
       "1",       "--paths", "10000",    "--save", "0:1:0.01",   "--output", "stats"});
  EXPECT_EQ(r.model().builtin().name(), "cir");
  EXPECT_EQ(r.model().builtin().params().at("b"), 0.04);
  EXPECT_EQ(r.method(), v1::HEUN);
  EXPECT_EQ(r.step().adaptive().atol(), 1e-3);
  EXPECT_EQ(r.step().adaptive().rtol(), 0.0);
  EXPECT_EQ(r.step().adaptive().icoeff_presence_case(),
            v1::AdaptiveStep::ICOEFF_PRESENCE_NOT_SET);  // unset: the classical 1
  EXPECT_EQ(r.t0(), 0.0);
  EXPECT_EQ(r.t1(), 1.0);
  EXPECT_EQ(r.y0_size(), 1);
  EXPECT_EQ(r.num_paths(), 10000u);
  EXPECT_EQ(r.saveat().ts_size(), 101);
  EXPECT_EQ(r.output(), v1::OUTPUT_STATISTICS);
}

TEST(SolveFlagsTest, ExpressionModelWithCommasInExpressions) {
  const v1::SolveRequest r = Build({"--state",     "x,v",
                                    "--drift",     "v",
                                    "--drift",     "-x - max(v, 0)",
                                    "--diffusion", "0",
                                    "--diffusion", "sigma",
                                    "--param",     "sigma=0.2",
                                    "--calculus",  "stratonovich",
                                    "--method",    "euler_heun",
                                    "--dt",        "0.01",
                                    "--y0",        "1,0"});
  const v1::ExpressionModel& e = r.model().expression();
  EXPECT_EQ(e.state_size(), 2);
  EXPECT_EQ(e.drift(1), "-x - max(v, 0)");
  EXPECT_EQ(e.diffusion(1), "sigma");
  EXPECT_EQ(e.params().at("sigma"), 0.2);
  EXPECT_EQ(e.calculus(), v1::STRATONOVICH);
  EXPECT_EQ(e.noise(), v1::NOISE_DIAGONAL);
  EXPECT_EQ(r.step().constant().dt(), 0.01);
}

TEST(SolveFlagsTest, LangevinModels) {
  const v1::SolveRequest expr =
      Build({"--langevin-potential", "k * x0^2 / 2", "--param", "k=2", "--dim", "1", "--gamma",
             "1.5", "--u", "1", "--x0", "0.5", "--method", "quicsort", "--dt", "0.1"});
  EXPECT_EQ(expr.model().langevin().expression(), "k * x0^2 / 2");
  EXPECT_EQ(expr.model().langevin().params().at("k"), 2.0);
  EXPECT_EQ(expr.model().langevin().gamma(), 1.5);
  const v1::SolveRequest builtin =
      Build({"--langevin-builtin", "logistic_regression", "--data", "1,0,1,1", "--data-cols", "2",
             "--gamma", "1", "--u", "1", "--method", "should", "--dt", "0.1"});
  EXPECT_EQ(builtin.model().langevin().builtin().name(), "logistic_regression");
  EXPECT_EQ(builtin.model().langevin().builtin().data_size(), 4);
  EXPECT_EQ(builtin.model().langevin().builtin().data_cols(), 2u);
}

TEST(SolveFlagsTest, StepControls) {
  const v1::SolveRequest a =
      Build({"--model", "ou", "--method", "heun", "--adaptive", "--rtol", "1e-4", "--dtmin", "1e-6",
             "--icoeff", "0", "--step-ts", "0.5", "--save-steps", "--save-t0"});
  EXPECT_EQ(a.step().adaptive().rtol(), 1e-4);
  EXPECT_EQ(a.step().adaptive().dtmin(), 1e-6);
  EXPECT_EQ(a.step().adaptive().icoeff_presence_case(), v1::AdaptiveStep::kIcoeff);
  EXPECT_EQ(a.step().adaptive().icoeff(), 0.0);  // an explicit 0 is kept
  EXPECT_EQ(a.step().adaptive().step_ts(0), 0.5);
  EXPECT_TRUE(a.saveat().steps());
  EXPECT_TRUE(a.saveat().t0());
  const v1::SolveRequest to =
      Build({"--model", "ou", "--method", "euler", "--step-to", "0,0.5,1", "--levy", "space-time",
             "--tol", "1e-3", "--seed", "9", "--first-path", "64", "--max-steps", "100"});
  EXPECT_EQ(to.step().step_to().ts_size(), 3);
  EXPECT_EQ(to.brownian().levy_area(), v1::LEVY_AREA_SPACE_TIME);
  EXPECT_EQ(to.brownian().tol(), 1e-3);
  EXPECT_EQ(to.seed(), 9u);
  EXPECT_EQ(to.first_path(), 64u);
  EXPECT_EQ(to.max_steps(), 100u);
}

TEST(SolveFlagsTest, PreciseUsageErrors) {
  const std::vector<std::string> ou = {"--model", "ou", "--method", "euler"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> w = ou;
    w.insert(w.end(), more.begin(), more.end());
    return UsageMessage(w);
  };
  EXPECT_EQ(UsageMessage({"--method", "euler", "--dt", "0.1"}).rfind("give a model", 0), 0u);
  EXPECT_EQ(UsageMessage({"--model", "ou", "--dt", "0.1"}).rfind("--method is required", 0), 0u);
  EXPECT_EQ(UsageMessage({"--model", "ou", "--method", "rk4", "--dt", "0.1"}),
            "--method: 'rk4' is not one of euler, euler_heun, heun, milstein, sra1, shark, sea, "
            "spark, align, should, quicsort, cir_splitting, cir_implicit_euler");
  EXPECT_EQ(with({}).rfind("give a step control", 0), 0u);
  EXPECT_EQ(with({"--dt", "0.1", "--adaptive", "--rtol", "1"}),
            "give one step control: --dt, --adaptive or --step-to");
  EXPECT_EQ(with({"--dt", "0.1", "--rtol", "1"}), "--rtol needs --adaptive");
  EXPECT_EQ(with({"--adaptive"}),
            "--adaptive needs --rtol and/or --atol (no tolerance is implied)");
  EXPECT_EQ(with({"--dt", "0.1", "--drift", "x"}),
            "--drift does not apply to a model given by --model");
  EXPECT_EQ(with({"--dt", "0.1", "--param", "theta=1", "--param", "theta=2"}),
            "--param: 'theta' given twice");
  EXPECT_EQ(with({"--dt", "0.1", "--output", "all"}),
            "--output: 'all' is not one of paths, stats, both");
  EXPECT_EQ(with({"--dt", "0.1", "--y0", "1,x"}), "--y0: 'x' is not a number");
  EXPECT_EQ(UsageMessage({"--drift", "x", "--method", "euler", "--dt", "0.1"}),
            "--drift needs --state NAME,... (the state variables)");
  EXPECT_EQ(UsageMessage({"--state", "x", "--gamma", "1", "--method", "euler", "--dt", "0.1"}),
            "--gamma does not apply to a model given by --state");
  EXPECT_EQ(UsageMessage({"--gamma", "1", "--method", "align", "--dt", "0.1"}),
            "--gamma: give exactly one of --langevin-potential EXPR and --langevin-builtin NAME");
  EXPECT_EQ(UsageMessage({"--param", "a=1", "--method", "euler", "--dt", "0.1"})
                .rfind("--param needs a model", 0),
            0u);
}

TEST(SolveFlagsTest, ModelFileRequestWithOverrides) {
  const std::string path = ::testing::TempDir() + "/pathwise_solve_flags_test.json";
  std::ofstream(path) << R"({"model": {"builtin": {"name": "ou"}}, "method": "SHARK",
      "t1": 2, "y0": [1], "step": {"constant": {"dt": 0.01}}, "num_paths": 50,
      "saveat": {"ts": [1, 2]}})";
  const v1::SolveRequest kept = Build({"--model-file", path});
  EXPECT_EQ(kept.t1(), 2.0);  // the file's, not the option's default 1
  EXPECT_EQ(kept.method(), v1::SHARK);
  EXPECT_EQ(kept.saveat().ts_size(), 2);
  const v1::SolveRequest replaced = Build(
      {"--model-file", path, "--paths", "7", "--dt", "0.5", "--save", "2", "--method", "euler"});
  EXPECT_EQ(replaced.num_paths(), 7u);
  EXPECT_EQ(replaced.step().constant().dt(), 0.5);
  EXPECT_EQ(replaced.saveat().ts_size(), 1);
  EXPECT_EQ(replaced.method(), v1::EULER);
  EXPECT_EQ(replaced.y0(0), 1.0);
  EXPECT_EQ(UsageMessage({"--model-file", path, "--model", "gbm"}),
            "--model-file gives the model; drop the other model options");
  std::ofstream(path) << R"({"builtin": {"name": "gbm", "params": {"mu": 0.1}}})";
  const v1::SolveRequest model_only =
      Build({"--model-file", path, "--method", "euler", "--dt", "0.1", "--y0", "1"});
  EXPECT_EQ(model_only.model().builtin().params().at("mu"), 0.1);
  EXPECT_EQ(model_only.t1(), 1.0);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace pathwise::cli
