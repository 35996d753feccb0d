// SolveRequest validation and conversion, and ListCapabilities' content.
#include "server/solve_request.h"

#include <cctype>
#include <cmath>
#include <functional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/brownian/path_spec.h"
#include "core/integrate/ensemble_job.h"
#include "core/integrate/options.h"
#include "core/model/catalog.h"
#include "core/model/langevin.h"
#include "core/model/params.h"
#include "core/solver/registry.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/bad_request.h"
#include "server/capabilities.h"

namespace pathwise::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// OU, one component, Euler, constant steps of 0.01 over [0, 1].
v1::SolveRequest OuRequest() {
  v1::SolveRequest r;
  v1::BuiltinModel* m = r.mutable_model()->mutable_builtin();
  m->set_name("ou");
  (*m->mutable_params())["theta"] = 1.0;
  (*m->mutable_params())["sigma"] = 0.5;
  r.set_method(v1::EULER);
  r.set_t1(1.0);
  r.add_y0(1.0);
  r.mutable_step()->mutable_constant()->set_dt(0.01);
  return r;
}

// Underdamped Langevin with U = (x0^2 + x1^2) / 2, ShOULD, constant steps.
v1::SolveRequest LangevinRequest() {
  v1::SolveRequest r;
  v1::LangevinModel* m = r.mutable_model()->mutable_langevin();
  m->set_expression("0.5*(x0^2 + x1^2)*k");
  (*m->mutable_params())["k"] = 1.0;
  m->set_dim(2);
  m->set_gamma(1.0);
  m->set_u(1.0);
  m->add_x0(1.0);
  m->add_x0(2.0);
  r.set_method(v1::SHOULD);
  r.set_t1(2.0);
  r.mutable_step()->mutable_constant()->set_dt(0.1);
  return r;
}

// dx = -theta x dt + sigma dW, as an expression.
v1::SolveRequest ExpressionRequest() {
  v1::SolveRequest r;
  v1::ExpressionModel* m = r.mutable_model()->mutable_expression();
  m->add_state("x");
  m->add_drift("-theta*x");
  m->add_diffusion("sigma");
  (*m->mutable_params())["theta"] = 2.0;
  (*m->mutable_params())["sigma"] = 0.3;
  r.set_method(v1::SHARK);
  r.set_t1(1.0);
  r.add_y0(0.5);
  r.mutable_step()->mutable_constant()->set_dt(0.05);
  return r;
}

// ------------------------------------------------------------ invalid fields

struct InvalidCase {
  std::string name;
  std::function<v1::SolveRequest()> request;
  absl::StatusCode code;
  std::string message_prefix;  // the message must start with it
  std::string field;           // the BadRequest field (INVALID_ARGUMENT only)
};

void PrintTo(const InvalidCase& c, std::ostream* os) { *os << c.name; }

std::vector<InvalidCase> InvalidCases() {
  using C = absl::StatusCode;
  const C kInvalid = C::kInvalidArgument;
  auto ou = [](std::function<void(v1::SolveRequest&)> edit) {
    return [edit] {
      v1::SolveRequest r = OuRequest();
      edit(r);
      return r;
    };
  };
  auto langevin = [](std::function<void(v1::SolveRequest&)> edit) {
    return [edit] {
      v1::SolveRequest r = LangevinRequest();
      edit(r);
      return r;
    };
  };
  auto expression = [](std::function<void(v1::SolveRequest&)> edit) {
    return [edit] {
      v1::SolveRequest r = ExpressionRequest();
      edit(r);
      return r;
    };
  };
  return {
      {"UnknownModel", ou([](auto& r) { r.mutable_model()->mutable_builtin()->set_name("x"); }),
       kInvalid, "model.builtin.name: unknown model 'x' (known: ou, gbm, cir, heston, double_well)",
       "model.builtin.name"},
      {"UnknownParameter",
       ou([](auto& r) { (*r.mutable_model()->mutable_builtin()->mutable_params())["foo"] = 1; }),
       kInvalid, "model.builtin.params.foo: unknown parameter", "model.builtin.params.foo"},
      {"ParameterOutOfRange",
       ou([](auto& r) { (*r.mutable_model()->mutable_builtin()->mutable_params())["sigma"] = -1; }),
       kInvalid, "model.builtin.params.sigma: must be in", "model.builtin.params.sigma"},
      {"HestonY0Length",
       ou([](auto& r) { r.mutable_model()->mutable_builtin()->set_name("heston"); }), kInvalid,
       "y0: heston needs 2 values (S, v), got 1", "y0"},
      {"EmptyY0", ou([](auto& r) { r.clear_y0(); }), kInvalid, "y0: must not be empty", "y0"},
      {"NonFiniteY0", ou([](auto& r) { r.set_y0(0, NAN); }), kInvalid, "y0[0]: must be finite",
       "y0[0]"},
      {"ExpressionY0Length", expression([](auto& r) { r.add_y0(1.0); }), kInvalid,
       "y0: expected 1 values for expression, got 2", "y0"},
      {"NonFiniteT0", ou([](auto& r) { r.set_t0(INFINITY); }), kInvalid, "t0: must be finite",
       "t0"},
      {"T1NotAfterT0", ou([](auto& r) { r.set_t1(0.0); }), kInvalid, "t1: must be finite and > t0",
       "t1"},
      {"MissingModel", ou([](auto& r) { r.clear_model(); }), kInvalid, "model: required", "model"},
      {"MissingMethod", ou([](auto& r) { r.set_method(v1::METHOD_UNSPECIFIED); }), kInvalid,
       "method: required (one of euler, euler_heun, heun, milstein, sra1, shark, sea, spark, "
       "align, should, quicsort, cir_splitting, cir_implicit_euler)",
       "method"},
      {"UnknownMethod", ou([](auto& r) { r.set_method(static_cast<v1::Method>(42)); }), kInvalid,
       "method: unknown value 42", "method"},
      {"MethodModelMismatch", ou([](auto& r) {
         r.mutable_model()->mutable_builtin()->set_name("gbm");
         r.mutable_model()->mutable_builtin()->clear_params();
         r.set_method(v1::SHARK);
       }),
       kInvalid, "method: shark needs additive noise", "method"},
      {"LangevinMethodOnOu", ou([](auto& r) { r.set_method(v1::ALIGN); }), kInvalid,
       "method: align", "method"},
      {"MissingStep", ou([](auto& r) { r.clear_step(); }), kInvalid, "step: required", "step"},
      {"ZeroDt", ou([](auto& r) { r.mutable_step()->mutable_constant()->set_dt(0); }), kInvalid,
       "step.constant.dt: must be > 0 and <= t1 - t0", "step.constant.dt"},
      {"NegativeRtol", ou([](auto& r) { r.mutable_step()->mutable_adaptive()->set_rtol(-1); }),
       kInvalid, "step.adaptive.rtol: must be >= 0", "step.adaptive.rtol"},
      {"NoTolerance", ou([](auto& r) { r.mutable_step()->mutable_adaptive(); }), kInvalid,
       "step.adaptive.rtol: rtol or atol must be > 0", "step.adaptive.rtol"},
      {"DtmaxBelowDtmin", ou([](auto& r) {
         v1::AdaptiveStep* a = r.mutable_step()->mutable_adaptive();
         a->set_rtol(1e-3);
         a->set_dtmin(0.1);
         a->set_dtmax(0.01);
       }),
       kInvalid, "step.adaptive.dtmax: must be >= dtmin", "step.adaptive.dtmax"},
      {"StepToNotIncreasing", ou([](auto& r) {
         v1::StepTo* s = r.mutable_step()->mutable_step_to();
         for (double t : {0.0, 0.5, 0.4, 1.0}) s->add_ts(t);
       }),
       kInvalid, "step.step_to.ts[2]", "step.step_to.ts[2]"},
      {"SaveAtOutside", ou([](auto& r) {
         r.mutable_saveat()->add_ts(0.5);
         r.mutable_saveat()->add_ts(1.5);
       }),
       kInvalid, "saveat.ts[1]: must be within [t0, t1]", "saveat.ts[1]"},
      {"SaveAtUnsorted", ou([](auto& r) {
         for (double t : {0.1, 0.2, 0.3, 0.25}) r.mutable_saveat()->add_ts(t);
       }),
       kInvalid, "saveat.ts[3]: must be greater than the previous time", "saveat.ts[3]"},
      {"NegativeTol", ou([](auto& r) { r.mutable_brownian()->set_tol(-1); }), kInvalid,
       "brownian.tol: must be >= 0 and finite", "brownian.tol"},
      {"TolTooLarge", ou([](auto& r) { r.mutable_brownian()->set_tol(2.0); }), kInvalid,
       "brownian.tol:", "brownian.tol"},
      {"UnknownLevyArea",
       ou([](auto& r) { r.mutable_brownian()->set_levy_area(static_cast<v1::LevyArea>(9)); }),
       kInvalid, "brownian.levy_area: unknown value 9", "brownian.levy_area"},
      {"LevyAreaTooPoor",
       langevin([](auto& r) { r.mutable_brownian()->set_levy_area(v1::LEVY_AREA_SPACE_TIME); }),
       kInvalid, "brownian.levy_area: should needs space-time-time, got space-time",
       "brownian.levy_area"},
      {"UnknownOutput", ou([](auto& r) { r.set_output(static_cast<v1::Output>(7)); }), kInvalid,
       "output: unknown value 7", "output"},
      {"PathIndexOverflow", ou([](auto& r) {
         r.set_first_path(UINT64_MAX);
         r.set_num_paths(2);
       }),
       kInvalid, "num_paths: first_path + num_paths overflows 2^64", "num_paths"},
      {"ExpressionBadDrift", expression([](auto& r) {
         r.mutable_model()->mutable_expression()->set_drift(0, "-theta*");
       }),
       kInvalid, "model.expression.drift[0]: 1:8: ", "model.expression.drift[0]"},
      {"ExpressionUnknownCalculus", expression([](auto& r) {
         r.mutable_model()->mutable_expression()->set_calculus(static_cast<v1::Calculus>(5));
       }),
       kInvalid, "model.expression.calculus: unknown value 5", "model.expression.calculus"},
      {"LangevinZeroGamma",
       langevin([](auto& r) { r.mutable_model()->mutable_langevin()->set_gamma(0); }), kInvalid,
       "model.langevin.gamma: must be > 0 and finite", "model.langevin.gamma"},
      {"LangevinNoPotential",
       langevin([](auto& r) { r.mutable_model()->mutable_langevin()->clear_expression(); }),
       kInvalid, "model.langevin.potential: required", "model.langevin.potential"},
      {"LangevinZeroDim",
       langevin([](auto& r) { r.mutable_model()->mutable_langevin()->set_dim(0); }), kInvalid,
       "model.langevin.dim:", "model.langevin.dim"},
      {"LangevinX0Length",
       langevin([](auto& r) { r.mutable_model()->mutable_langevin()->add_x0(3.0); }), kInvalid,
       "model.langevin.x0: expected 2 values (dim), got 3", "model.langevin.x0"},
      {"LangevinY0AndX0", langevin([](auto& r) { r.add_y0(1.0); }), kInvalid,
       "y0: give either y0 or model.langevin.x0 / v0, not both", "y0"},
      {"LangevinUnknownPotential", langevin([](auto& r) {
         v1::LangevinModel* m = r.mutable_model()->mutable_langevin();
         m->clear_params();
         m->mutable_builtin()->set_name("zz");
       }),
       kInvalid, "model.langevin.builtin.name: unknown potential 'zz'",
       "model.langevin.builtin.name"},
      {"LangevinGaussianBadData", langevin([](auto& r) {
         v1::LangevinModel* m = r.mutable_model()->mutable_langevin();
         m->clear_params();
         m->mutable_builtin()->set_name("gaussian");
         m->mutable_builtin()->add_data(1.0);
       }),
       kInvalid, "model.langevin.builtin.data: must hold dim = 2 scales, got 1",
       "model.langevin.builtin.data"},
      // Steps that cannot move time (issue 14, found fuzzing the wire): at
      // |t| = 1e6 doubles are 2^-33 apart, so a step of 1e-12 leaves t as it is.
      {"DtBelowSpacingOfDoubles", ou([](auto& r) {
         r.set_t0(1e6);
         r.set_t1(1e6 + 1);
         r.mutable_step()->mutable_constant()->set_dt(1e-12);
       }),
       kInvalid, "step.constant.dt: 1e-12 is below the spacing of doubles", "step.constant.dt"},
      {"SubnormalDt", ou([](auto& r) { r.mutable_step()->mutable_constant()->set_dt(5e-324); }),
       kInvalid, "step.constant.dt: 4.94066e-324 is below the spacing", "step.constant.dt"},
      {"DtminBelowSpacingOfDoubles", ou([](auto& r) {
         r.set_t0(1e6);
         r.set_t1(1e6 + 1);
         v1::AdaptiveStep* a = r.mutable_step()->mutable_adaptive();
         a->set_rtol(1e-3);
         a->set_dtmin(1e-12);
       }),
       kInvalid, "step.adaptive.dtmin: 1e-12 is below the spacing", "step.adaptive.dtmin"},
      // Half of the smallest subnormal step rounds to 0, which means "the default".
      {"DefaultTolRoundsToZero", ou([](auto& r) {
         r.set_t1(1e-320);
         r.mutable_step()->mutable_constant()->set_dt(5e-324);
       }),
       kInvalid, "brownian.tol: the default, half the smallest step", "brownian.tol"},
      // Limits (see TestLimits below).
      {"LangevinDimPastInt",
       langevin([](auto& r) { r.mutable_model()->mutable_langevin()->set_dim(4294967295u); }),
       C::kResourceExhausted,
       "model.langevin.dim: 4294967295 exceeds the limit max_state_dim / 2 = 2", ""},
      {"TooManyPaths", ou([](auto& r) { r.set_num_paths(11); }), C::kResourceExhausted,
       "num_paths: 11 exceeds the limit max_paths = 10", ""},
      {"TooManySteps", ou([](auto& r) { r.set_max_steps(1001); }), C::kResourceExhausted,
       "max_steps: 1001 exceeds the limit max_steps = 1000", ""},
      {"TooManySaveTimes", ou([](auto& r) {
         for (int i = 0; i < 6; ++i) r.mutable_saveat()->add_ts(0.1 * i);
       }),
       C::kResourceExhausted, "saveat.ts: 6 exceeds the limit max_times = 5", ""},
      {"TooManyDims", ou([](auto& r) {
         for (int i = 0; i < 4; ++i) r.add_y0(0.0);
       }),
       C::kResourceExhausted, "y0: 5 exceeds the limit max_state_dim = 4", ""},
      {"TooManyPoints", ou([](auto& r) {
         r.set_num_paths(10);
         for (double t : {0.25, 0.5, 0.75}) r.mutable_saveat()->add_ts(t);
         r.mutable_saveat()->set_t1(true);
       }),
       C::kResourceExhausted,
       "num_paths, saveat: 10 paths * 4 save times * state dimension 1 exceed the limit "
       "max_points = 39",
       ""},
  };
}

SolveLimits TestLimits() {
  SolveLimits l;
  l.max_paths = 10;
  l.max_steps = 1000;
  l.max_times = 5;
  l.max_state_dim = 4;
  l.max_points = 39;
  return l;
}

class InvalidRequestTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidRequestTest, RejectedNamingTheField) {
  const InvalidCase& c = GetParam();
  auto in = ValidateSolveRequest(c.request(), TestLimits());
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().code(), c.code) << in.status();
  EXPECT_THAT(std::string(in.status().message()), StartsWith(c.message_prefix));
  if (c.code == absl::StatusCode::kInvalidArgument) {
    auto payload = in.status().GetPayload(kBadRequestTypeUrl);
    ASSERT_TRUE(payload.has_value());
    google::rpc::BadRequest bad;
    ASSERT_TRUE(bad.ParseFromString(std::string(*payload)));
    ASSERT_EQ(bad.field_violations_size(), 1);
    EXPECT_EQ(bad.field_violations(0).field(), c.field);
  }
}

INSTANTIATE_TEST_SUITE_P(AllFields, InvalidRequestTest, ::testing::ValuesIn(InvalidCases()),
                         [](const auto& info) { return info.param.name; });

// A long name sent by a client is not echoed whole (issue 14): the message and
// the field violation quote its start only.
TEST(SolveRequestTest, LongNamesAreAbbreviatedInErrors) {
  const std::string long_name(1 << 20, 'z');
  v1::SolveRequest model = OuRequest();
  model.mutable_model()->mutable_builtin()->set_name(long_name);
  v1::SolveRequest param = OuRequest();
  (*param.mutable_model()->mutable_builtin()->mutable_params())[long_name] = 1.0;
  v1::SolveRequest potential = LangevinRequest();
  potential.mutable_model()->mutable_langevin()->clear_params();
  potential.mutable_model()->mutable_langevin()->mutable_builtin()->set_name(long_name);
  for (const v1::SolveRequest& r : {model, param, potential}) {
    auto in = ValidateSolveRequest(r, SolveLimits{});
    ASSERT_FALSE(in.ok());
    EXPECT_EQ(in.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(in.status().message()), HasSubstr("zzz..."));
    EXPECT_LT(in.status().message().size(), 512u) << in.status().message().substr(0, 200);
    auto payload = in.status().GetPayload(kBadRequestTypeUrl);
    ASSERT_TRUE(payload.has_value());
    EXPECT_LT(payload->size(), 1024u);
  }
}

TEST(SolveRequestTest, MismatchListsTheMethodsThatFit) {
  v1::SolveRequest r = OuRequest();
  r.mutable_model()->mutable_builtin()->set_name("gbm");
  r.mutable_model()->mutable_builtin()->clear_params();
  r.set_method(v1::SHARK);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_FALSE(in.ok());
  const std::string msg(in.status().message());
  EXPECT_THAT(msg, HasSubstr("methods that fit: "));
  EXPECT_THAT(msg, HasSubstr("euler"));
  EXPECT_THAT(msg.substr(msg.find("methods that fit: ")), ::testing::Not(HasSubstr("shark")));
}

TEST(SolveRequestTest, MismatchNamesFittingMethodsAClientCanSend) {
  // The core lists every fitting method, the CIR-specific ones included; each
  // must be a value of the wire's Method enum, so the client can follow the hint.
  v1::SolveRequest r = OuRequest();
  r.mutable_model()->mutable_builtin()->set_name("cir");
  r.mutable_model()->mutable_builtin()->clear_params();
  r.set_method(v1::SHARK);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_FALSE(in.ok());
  const std::string msg(in.status().message());
  const size_t at = msg.find("methods that fit: ");
  ASSERT_NE(at, std::string::npos) << msg;
  const std::vector<std::string> fit =
      absl::StrSplit(msg.substr(at + std::string("methods that fit: ").size()), ", ");
  EXPECT_THAT(fit, ::testing::Contains("euler"));
  EXPECT_THAT(fit, ::testing::Contains("cir_splitting"));
  for (const std::string& name : fit) {
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    v1::Method method;
    EXPECT_TRUE(v1::Method_Parse(upper, &method)) << name;
  }
}

// ------------------------------------------------------------ valid requests

TEST(SolveRequestTest, BuiltinDefaults) {
  auto in = ValidateSolveRequest(OuRequest(), SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->method, &solver::GetMethod(solver::MethodId::kEuler));
  EXPECT_EQ(in->sde->name(), "ou");
  EXPECT_EQ(in->sde->state_dim(), 1);
  const integrate::SolveOptions& o = in->options;
  EXPECT_EQ(o.num_paths, 1u);  // 0 means 1
  EXPECT_THAT(o.y0, ElementsAre(1.0));
  EXPECT_EQ(o.t0, 0.0);
  EXPECT_EQ(o.t1, 1.0);
  ASSERT_TRUE(std::holds_alternative<control::ConstantStep>(o.step));
  EXPECT_EQ(std::get<control::ConstantStep>(o.step).dt, 0.01);
  EXPECT_TRUE(o.keep_paths);
  EXPECT_FALSE(o.statistics.enabled);
  EXPECT_EQ(in->output, v1::OUTPUT_PATHS);
  EXPECT_THAT(in->plan.fixed_save, ElementsAre(1.0));  // saveat default: t1 only
  EXPECT_FALSE(in->plan.save_steps);
  EXPECT_EQ(in->plan.spec.tol, 0.005);  // half of dt
  // Unnamed on the wire: unset in the core, so the one default kind for every method.
  EXPECT_FALSE(o.brownian.levy_area.has_value());
  EXPECT_EQ(in->plan.spec.levy_area, brownian::LevyArea::kSpaceTimeTime);
  EXPECT_EQ(in->plan.max_steps, integrate::kDefaultMaxSteps);
  EXPECT_EQ(in->plan.spec.dim, 1u);
}

TEST(SolveRequestTest, BuiltinFieldsCarriedOver) {
  v1::SolveRequest r = OuRequest();
  r.set_seed(77);
  r.set_first_path(5);
  r.set_num_paths(8);
  r.set_max_steps(1234);
  r.set_t0(-1.0);
  r.add_y0(2.0);
  r.mutable_saveat()->add_ts(0.0);
  r.mutable_saveat()->add_ts(0.5);
  r.mutable_saveat()->set_t0(true);
  r.mutable_saveat()->set_steps(true);
  r.mutable_brownian()->set_tol(1e-4);
  r.mutable_brownian()->set_levy_area(v1::LEVY_AREA_SPACE_TIME);
  r.set_output(v1::OUTPUT_PATHS_AND_STATISTICS);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  const integrate::SolveOptions& o = in->options;
  EXPECT_EQ(o.seed, 77u);
  EXPECT_EQ(o.first_path, 5u);
  EXPECT_EQ(o.num_paths, 8u);
  EXPECT_EQ(o.max_steps, 1234u);
  EXPECT_EQ(o.t0, -1.0);
  EXPECT_THAT(o.y0, ElementsAre(1.0, 2.0));
  EXPECT_THAT(o.saveat.ts, ElementsAre(0.0, 0.5));
  EXPECT_TRUE(o.saveat.t0);
  EXPECT_FALSE(o.saveat.t1);
  EXPECT_TRUE(o.saveat.steps);
  EXPECT_EQ(o.brownian.tol, 1e-4);
  EXPECT_EQ(o.brownian.levy_area, brownian::LevyArea::kSpaceTime);
  EXPECT_TRUE(o.keep_paths);
  EXPECT_TRUE(o.statistics.enabled);
  EXPECT_THAT(o.statistics.quantile_levels, ElementsAre(0.05, 0.5, 0.95));
  EXPECT_EQ(in->sde->state_dim(), 2);
  EXPECT_EQ(in->plan.spec.tol, 1e-4);
  EXPECT_EQ(in->plan.spec.path_index, 5u);
  EXPECT_EQ(in->plan.spec.seed, 77u);
  EXPECT_EQ(in->plan.max_steps, 1234u);
  EXPECT_THAT(in->plan.fixed_save, ElementsAre(-1.0, 0.0, 0.5));  // no t1: ts and t0 set
}

TEST(SolveRequestTest, StatisticsOnlyDropsPaths) {
  v1::SolveRequest r = OuRequest();
  r.set_output(v1::OUTPUT_STATISTICS);
  r.set_num_paths(10);
  for (double t : {0.1, 0.2, 0.3}) r.mutable_saveat()->add_ts(t);
  auto in = ValidateSolveRequest(r, TestLimits());
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_FALSE(in->options.keep_paths);
  EXPECT_TRUE(in->options.statistics.enabled);
  EXPECT_EQ(in->output, v1::OUTPUT_STATISTICS);
}

// Exact quantiles keep every path's values at the fixed save times: statistics
// count against max_points as paths do (10 paths * 4 times > 39).
TEST(SolveRequestTest, StatisticsCountAgainstMaxPoints) {
  v1::SolveRequest r = OuRequest();
  r.set_output(v1::OUTPUT_STATISTICS);
  r.set_num_paths(10);
  for (double t : {0.1, 0.2, 0.3, 0.4}) r.mutable_saveat()->add_ts(t);
  auto in = ValidateSolveRequest(r, TestLimits());
  EXPECT_EQ(in.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(in.status().message()), testing::HasSubstr("max_points = 39"));
}

TEST(SolveRequestTest, AdaptiveDefaultsAndTolFromDtmin) {
  v1::SolveRequest r = OuRequest();
  r.set_method(v1::HEUN);  // additive noise: Stratonovich = Itô
  r.mutable_step()->mutable_adaptive()->set_rtol(1e-3);
  r.mutable_step()->mutable_adaptive()->set_atol(1e-6);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  ASSERT_TRUE(std::holds_alternative<control::AdaptiveStep>(in->options.step));
  const auto& a = std::get<control::AdaptiveStep>(in->options.step);
  const control::AdaptiveStep d;
  EXPECT_EQ(a.rtol, 1e-3);
  EXPECT_EQ(a.atol, 1e-6);
  EXPECT_EQ(a.dtmax, d.dtmax);
  EXPECT_TRUE(std::isinf(a.dtmax));
  EXPECT_EQ(a.icoeff, d.icoeff);
  EXPECT_EQ(a.safety, d.safety);
  EXPECT_EQ(a.factormin, d.factormin);
  EXPECT_EQ(a.factormax, d.factormax);
  EXPECT_EQ(in->plan.spec.tol, 0.5 * std::ldexp(1.0, -20));  // dtmin default (t1 - t0) 2^-20

  v1::AdaptiveStep* w = r.mutable_step()->mutable_adaptive();
  w->set_dtmin(1e-4);
  w->set_dtmax(0.1);
  w->set_icoeff(0.0);  // explicitly 0: kept
  w->set_pcoeff(0.3);
  w->set_safety(0.8);
  w->add_step_ts(0.5);
  in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  const auto& b = std::get<control::AdaptiveStep>(in->options.step);
  EXPECT_EQ(b.dtmin, 1e-4);
  EXPECT_EQ(b.dtmax, 0.1);
  EXPECT_EQ(b.icoeff, 0.0);
  EXPECT_EQ(b.pcoeff, 0.3);
  EXPECT_EQ(b.safety, 0.8);
  EXPECT_THAT(b.step_ts, ElementsAre(0.5));
  EXPECT_EQ(in->plan.spec.tol, 5e-5);  // half of dtmin
}

TEST(SolveRequestTest, StepToTolFromSmallestGap) {
  v1::SolveRequest r = OuRequest();
  for (double t : {0.0, 0.5, 0.6, 1.0}) r.mutable_step()->mutable_step_to()->add_ts(t);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  ASSERT_TRUE(std::holds_alternative<control::StepTo>(in->options.step));
  EXPECT_THAT(std::get<control::StepTo>(in->options.step).ts, ElementsAre(0.0, 0.5, 0.6, 1.0));
  EXPECT_NEAR(in->plan.spec.tol, 0.05, 1e-15);
}

TEST(SolveRequestTest, HestonIsGeneralNoiseOfDimensionTwo) {
  v1::SolveRequest r = OuRequest();
  r.mutable_model()->mutable_builtin()->set_name("heston");
  r.mutable_model()->mutable_builtin()->clear_params();
  r.add_y0(0.04);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->sde->state_dim(), 2);
  EXPECT_EQ(in->sde->noise_dim(), 2);
  EXPECT_EQ(in->plan.spec.dim, 2u);
}

TEST(SolveRequestTest, ExpressionModel) {
  auto in = ValidateSolveRequest(ExpressionRequest(), SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->sde->name(), "expression");
  EXPECT_EQ(in->sde->state_dim(), 1);
  EXPECT_EQ(in->sde->traits().noise, model::NoiseClass::kAdditive);
  EXPECT_EQ(in->method, &solver::GetMethod(solver::MethodId::kShark));
  EXPECT_EQ(in->plan.spec.levy_area, brownian::LevyArea::kSpaceTimeTime);  // the default
  double f = 0.0;
  const double y = 0.5;
  in->sde->Drift(0.0, &y, &f);
  EXPECT_DOUBLE_EQ(f, -1.0);  // -theta * x with theta = 2
}

// docs/expressions.md: "nesting depth 200", one level per parenthesis, call,
// unary sign or power. 200 nested parentheses in a drift are accepted and 201
// are INVALID_ARGUMENT naming the field and the limit (the parser used to
// count two levels per parenthesis, about 100).
TEST(SolveRequestTest, ExpressionNestingDepthIsTheDocumentedLimit) {
  const auto with_parentheses = [](int n) {
    v1::SolveRequest r = ExpressionRequest();
    r.mutable_model()->mutable_expression()->set_drift(
        0, std::string(n, '(') + "-theta*x" + std::string(n, ')'));
    return r;
  };
  // "-theta*x" inside: the unary minus is one more level.
  auto deepest = ValidateSolveRequest(with_parentheses(199), SolveLimits{});
  EXPECT_TRUE(deepest.ok()) << deepest.status();
  auto too_deep = ValidateSolveRequest(with_parentheses(200), SolveLimits{});
  ASSERT_EQ(too_deep.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(too_deep.status().message()),
              testing::HasSubstr("model.expression.drift[0]"));
  EXPECT_THAT(std::string(too_deep.status().message()),
              testing::HasSubstr("exceeds the depth limit of 200"));
}

TEST(SolveRequestTest, ExpressionGeneralNoiseStratonovich) {
  v1::SolveRequest r;
  v1::ExpressionModel* m = r.mutable_model()->mutable_expression();
  m->add_state("x");
  m->add_state("y");
  m->add_drift("0");
  m->add_drift("0");
  for (const char* g : {"x", "y", "1", "x*y"}) m->add_diffusion(g);
  m->set_noise(v1::NOISE_GENERAL);
  m->set_noise_dim(2);
  m->set_calculus(v1::STRATONOVICH);
  r.set_method(v1::SPARK);
  r.set_t1(1.0);
  r.add_y0(1.0);
  r.add_y0(1.0);
  r.mutable_step()->mutable_constant()->set_dt(0.1);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->sde->traits().shape, model::NoiseShape::kGeneral);
  EXPECT_EQ(in->sde->traits().calculus, model::Calculus::kStratonovich);
  EXPECT_EQ(in->sde->noise_dim(), 2);

  // Euler needs the Itô reading of multiplicative noise.
  r.set_method(v1::EULER);
  auto bad = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), StartsWith("method: euler"));
}

TEST(SolveRequestTest, LangevinExpressionFromX0) {
  auto in = ValidateSolveRequest(LangevinRequest(), SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  ASSERT_NE(in->sde->AsLangevin(), nullptr);
  EXPECT_EQ(in->sde->AsLangevin()->dim(), 2);
  EXPECT_EQ(in->sde->AsLangevin()->gamma(), 1.0);
  EXPECT_THAT(in->options.y0, ElementsAre(1.0, 2.0, 0.0, 0.0));  // v0 empty: zeros
  EXPECT_EQ(in->plan.spec.levy_area, brownian::LevyArea::kSpaceTimeTime);
  EXPECT_EQ(in->plan.spec.dim, 2u);
}

TEST(SolveRequestTest, LangevinY0AndV0) {
  v1::SolveRequest r = LangevinRequest();
  r.mutable_model()->mutable_langevin()->add_v0(3.0);
  r.mutable_model()->mutable_langevin()->add_v0(4.0);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_THAT(in->options.y0, ElementsAre(1.0, 2.0, 3.0, 4.0));

  r.mutable_model()->mutable_langevin()->clear_x0();
  r.mutable_model()->mutable_langevin()->clear_v0();
  for (double v : {5.0, 6.0, 7.0, 8.0}) r.add_y0(v);
  in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_THAT(in->options.y0, ElementsAre(5.0, 6.0, 7.0, 8.0));
}

TEST(SolveRequestTest, LangevinBuiltinGaussian) {
  v1::SolveRequest r = LangevinRequest();
  v1::LangevinModel* m = r.mutable_model()->mutable_langevin();
  m->clear_params();
  m->mutable_builtin()->set_name("gaussian");
  m->mutable_builtin()->add_data(1.0);
  m->mutable_builtin()->add_data(2.0);
  r.set_method(v1::ALIGN);
  auto in = ValidateSolveRequest(r, SolveLimits{});
  ASSERT_TRUE(in.ok()) << in.status();
  ASSERT_NE(in->sde->AsLangevin(), nullptr);
  EXPECT_EQ(in->sde->AsLangevin()->potential().name(), "gaussian");
  EXPECT_EQ(in->plan.spec.levy_area, brownian::LevyArea::kSpaceTimeTime);  // the default
}

TEST(SolveRequestTest, MethodFromWireCoversEveryWireMethod) {
  EXPECT_EQ(MethodFromWire(v1::METHOD_UNSPECIFIED), nullptr);
  EXPECT_EQ(MethodFromWire(static_cast<v1::Method>(50)), nullptr);  // not an enum value
  const google::protobuf::EnumDescriptor* wire = v1::Method_descriptor();
  for (int i = 0; i < wire->value_count(); ++i) {
    const int id = wire->value(i)->number();
    if (id == v1::METHOD_UNSPECIFIED) continue;
    const solver::Method* m = MethodFromWire(static_cast<v1::Method>(id));
    ASSERT_NE(m, nullptr) << wire->value(i)->name();
    EXPECT_EQ(static_cast<int>(m->info().id), id);
    std::string upper(m->info().name);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(wire->value(i)->name(), upper);
  }
  // And every core method has a wire value.
  EXPECT_EQ(size_t(wire->value_count() - 1), solver::AllMethods().size());
}

// ------------------------------------------------------------ capabilities

TEST(CapabilitiesTest, EveryWireMethod) {
  const v1::Capabilities caps = BuildCapabilities(SolveLimits{});
  ASSERT_EQ(size_t(caps.methods_size()), solver::AllMethods().size());
  for (int i = 0; i < caps.methods_size(); ++i) {
    const v1::Capabilities::MethodInfo& m = caps.methods(i);
    const solver::MethodInfo& info = solver::AllMethods()[size_t(i)]->info();
    EXPECT_EQ(m.method(), static_cast<int>(info.id));
    EXPECT_EQ(m.name(), info.name);
    EXPECT_EQ(m.description(), info.description);
    EXPECT_EQ(static_cast<int>(m.levy_area()), static_cast<int>(info.levy_area));
    EXPECT_EQ(m.order_additive(), info.order_additive);
    EXPECT_EQ(m.order_commutative(), info.order_commutative);
    EXPECT_EQ(m.order_general(), info.order_general);
    EXPECT_EQ(m.embedded_error(), info.embedded_error);
    EXPECT_EQ(m.needs_diffusion_jvp(), info.needs_diffusion_jvp);
    EXPECT_EQ(m.max_noise(), model::NoiseClassName(info.max_noise));
  }
  auto find = [&](absl::string_view name) {
    for (const auto& m : caps.methods()) {
      if (m.name() == name) return m;
    }
    ADD_FAILURE() << "no method " << name;
    return v1::Capabilities::MethodInfo();
  };
  EXPECT_EQ(find("shark").levy_area(), v1::LEVY_AREA_SPACE_TIME);
  EXPECT_EQ(find("should").levy_area(), v1::LEVY_AREA_SPACE_TIME_TIME);
  EXPECT_EQ(find("euler").levy_area(), v1::LEVY_AREA_NONE);
  EXPECT_TRUE(find("heun").embedded_error());
  EXPECT_TRUE(find("spark").embedded_error());
  EXPECT_FALSE(find("euler").embedded_error());
  EXPECT_EQ(find("align").model_form(), "langevin");
  EXPECT_EQ(find("euler").model_form(), "any");
  EXPECT_EQ(find("heun").calculus(), v1::STRATONOVICH);
  EXPECT_EQ(find("milstein").calculus(), v1::ITO);
  EXPECT_TRUE(find("milstein").needs_diffusion_jvp());
}

TEST(CapabilitiesTest, EveryBuiltinModelWithParameters) {
  const v1::Capabilities caps = BuildCapabilities(SolveLimits{});
  const auto& models = model::BuiltinModels();
  ASSERT_EQ(caps.models_size(), static_cast<int>(models.size()));
  for (size_t i = 0; i < models.size(); ++i) {
    const v1::Capabilities::ModelInfo& m = caps.models(static_cast<int>(i));
    EXPECT_EQ(m.name(), models[i].name);
    EXPECT_EQ(m.description(), models[i].description);
    EXPECT_EQ(static_cast<int>(m.state_dim()), models[i].state_dim);
    EXPECT_EQ(m.noise(), model::NoiseClassName(models[i].noise));
    ASSERT_EQ(m.state_names_size(), static_cast<int>(models[i].state_names.size()));
    ASSERT_EQ(m.params_size(), static_cast<int>(models[i].params.size()));
    for (size_t j = 0; j < models[i].params.size(); ++j) {
      const model::ParamSpec& spec = models[i].params[j];
      const v1::Capabilities::Parameter& p = m.params(static_cast<int>(j));
      EXPECT_EQ(p.name(), spec.name);
      EXPECT_EQ(p.default_value(), spec.default_value);
      EXPECT_EQ(p.min(), spec.min);
      EXPECT_EQ(p.max(), spec.max);
      EXPECT_EQ(p.min_open(), spec.min_open);
      EXPECT_EQ(p.max_open(), spec.max_open);
      EXPECT_EQ(p.range(), model::RangeString(spec));
      EXPECT_EQ(p.units(), spec.units);
      EXPECT_FALSE(p.units().empty()) << m.name() << "." << p.name();
    }
  }
  std::vector<std::string> names;
  for (const auto& m : caps.models()) names.push_back(m.name());
  EXPECT_THAT(names, ElementsAre("ou", "gbm", "cir", "heston", "double_well"));
  const v1::Capabilities::ModelInfo& heston = caps.models(3);
  EXPECT_EQ(heston.state_dim(), 2u);
  EXPECT_THAT(heston.state_names(), ElementsAre("S", "v"));
  EXPECT_EQ(heston.noise(), "general");
  EXPECT_EQ(caps.models(0).noise(), "additive");
}

TEST(CapabilitiesTest, EveryPotentialAndTheLimits) {
  SolveLimits limits = TestLimits();
  const v1::Capabilities caps = BuildCapabilities(limits);
  const auto& potentials = model::BuiltinPotentials();
  ASSERT_EQ(caps.potentials_size(), static_cast<int>(potentials.size()));
  std::vector<std::string> names;
  for (size_t i = 0; i < potentials.size(); ++i) {
    const auto& p = caps.potentials(static_cast<int>(i));
    names.push_back(p.name());
    EXPECT_EQ(p.description(), potentials[i].description);
    EXPECT_EQ(p.params_size(), static_cast<int>(potentials[i].params.size()));
    EXPECT_THAT(p.state_names(), ElementsAre("x", "v"));
  }
  EXPECT_THAT(names, ElementsAre("gaussian", "logistic_regression"));
  EXPECT_EQ(caps.limits().max_paths(), 10u);
  EXPECT_EQ(caps.limits().max_steps(), 1000u);
  EXPECT_EQ(caps.limits().max_times(), 5u);
  EXPECT_EQ(caps.limits().max_state_dim(), 4u);
  EXPECT_EQ(caps.limits().max_points(), 39u);
  EXPECT_EQ(caps.limits().default_max_steps(), integrate::kDefaultMaxSteps);
  EXPECT_EQ(caps.algorithm(), brownian::kAlgorithmVersion);
}

TEST(CapabilitiesTest, PublishTheEstimateAndMcmcLimits) {
  const EstimateLimits estimate{12345};
  McmcLimits mcmc;
  mcmc.max_dim = 7;
  mcmc.max_chains = 8;
  mcmc.max_draw_values = 9;
  mcmc.max_steps_per_chain = 10;
  mcmc.max_data_values = 11;
  const v1::Capabilities::Limits limits = BuildCapabilities(TestLimits(), estimate, mcmc).limits();
  EXPECT_EQ(limits.max_paths(), 10u);  // the solve limits as before
  EXPECT_EQ(limits.max_estimate_path_steps(), 12345u);
  EXPECT_EQ(limits.max_mcmc_dim(), 7u);
  EXPECT_EQ(limits.max_mcmc_chains(), 8u);
  EXPECT_EQ(limits.max_mcmc_draw_values(), 9u);
  EXPECT_EQ(limits.max_mcmc_steps_per_chain(), 10u);
  EXPECT_EQ(limits.max_mcmc_data_values(), 11u);
}

TEST(CapabilitiesTest, PublishTheStatisticsBlockSizeAndQuantileLevels) {
  const v1::Capabilities caps = BuildCapabilities(SolveLimits{});
  EXPECT_EQ(caps.statistics().block_paths(), 64u);
  EXPECT_EQ(caps.statistics().block_paths(), static_cast<uint32_t>(integrate::kBlockPaths));
  EXPECT_THAT(caps.statistics().quantile_levels(), ElementsAre(0.05, 0.5, 0.95));
}

}  // namespace
}  // namespace pathwise::server
