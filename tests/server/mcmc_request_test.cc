// McmcRequest validation and conversion (server/mcmc_request.h): every
// invalid field named with INVALID_ARGUMENT and a google.rpc.BadRequest
// violation, every server limit with RESOURCE_EXHAUSTED naming it, and a valid
// request converted field for field.
#include "server/mcmc_request.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "server/bad_request.h"
#include "tests/server/mcmc_requests.h"

namespace pathwise::server {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The field of the status's single BadRequest violation ("" when there is none).
std::string ViolatedField(const absl::Status& status) {
  const auto payload = status.GetPayload(kBadRequestTypeUrl);
  google::rpc::BadRequest bad;
  if (!payload.has_value() || !bad.ParseFromString(std::string(*payload)) ||
      bad.field_violations_size() != 1) {
    return "";
  }
  return bad.field_violations(0).field();
}

TEST(McmcRequestTest, ValidRequestConvertsFieldForField) {
  v1::McmcRequest request = GaussianMcmcRequest();
  request.set_method(v1::SHOULD);
  request.set_seed(77);
  request.set_thin_time(0.5);
  request.mutable_target()->set_gamma(2.0);
  request.set_preconditioner(v1::PRECONDITIONER_DIAGONAL_GIVEN);
  request.add_inverse_mass(0.25);
  request.add_inverse_mass(4.0);
  request.mutable_step()->mutable_constant()->set_dt(0.1);
  request.set_return_draws(true);
  auto inputs = ValidateMcmcRequest(request, McmcLimits{});
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  const mcmc::SamplerOptions& o = inputs->options;
  EXPECT_EQ(inputs->potential->dim(), 2);
  EXPECT_EQ(inputs->method_name, "should");
  EXPECT_EQ(o.method, solver::MethodId::kShould);
  EXPECT_EQ(o.seed, 77u);
  EXPECT_EQ(o.ResolvedNumChains(), request.num_chains());
  EXPECT_EQ(o.num_draws, request.num_draws());
  EXPECT_EQ(o.warmup_time, request.warmup_time());
  EXPECT_EQ(o.thin_time, 0.5);
  EXPECT_EQ(o.gamma, 2.0);
  EXPECT_EQ(o.u, 0.0);
  EXPECT_EQ(o.preconditioner, mcmc::Preconditioner::kDiagonalGiven);
  EXPECT_EQ(o.inverse_mass, (std::vector<double>{0.25, 4.0}));
  ASSERT_TRUE(o.step.has_value());
  EXPECT_EQ(std::get<control::ConstantStep>(*o.step).dt, 0.1);
  EXPECT_FALSE(o.keep_draws);  // streamed, not kept
  EXPECT_EQ(o.max_steps_per_chain, McmcLimits{}.max_steps_per_chain);
  EXPECT_TRUE(inputs->return_draws);
}

TEST(McmcRequestTest, DefaultsStayTheSamplers) {
  v1::McmcRequest request = GaussianMcmcRequest();
  request.clear_num_chains();
  auto inputs = ValidateMcmcRequest(request, McmcLimits{});
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  EXPECT_FALSE(inputs->options.method.has_value());
  EXPECT_FALSE(inputs->options.step.has_value());  // adapted
  EXPECT_EQ(inputs->options.ResolvedNumChains(), mcmc::kDefaultNumChains);
  EXPECT_EQ(inputs->method_name, "align");
}

struct InvalidCase {
  const char* name;
  std::function<void(v1::McmcRequest&)> change;
  const char* field;
};

TEST(McmcRequestTest, EveryInvalidFieldIsNamed) {
  const std::vector<InvalidCase> cases = {
      {"no potential", [](v1::McmcRequest& r) { r.mutable_target()->clear_expression(); },
       "target.potential"},
      {"expression syntax", [](v1::McmcRequest& r) { r.mutable_target()->set_expression("x0 +"); },
       "target.expression"},
      {"unknown variable",
       [](v1::McmcRequest& r) { r.mutable_target()->set_expression("x0^2 + y"); },
       "target.expression"},
      {"dim 0 for an expression", [](v1::McmcRequest& r) { r.mutable_target()->set_dim(0); },
       "target.dim"},
      {"unknown builtin",
       [](v1::McmcRequest& r) {
         r.mutable_target()->clear_params();
         r.mutable_target()->mutable_builtin()->set_name("nope");
       },
       "target.builtin.name"},
      {"builtin data_cols",
       [](v1::McmcRequest& r) {
         r.mutable_target()->clear_params();
         r.mutable_target()->set_dim(0);
         v1::BuiltinPotential* b = r.mutable_target()->mutable_builtin();
         b->set_name("logistic_regression");
         b->add_data(1.0);
       },
       "target.builtin.data_cols"},
      {"params with a builtin",
       [](v1::McmcRequest& r) {
         r.mutable_target()->mutable_builtin()->set_name("gaussian");
         (*r.mutable_target()->mutable_params())["a"] = 1.0;
       },
       "target.params"},
      {"euler", [](v1::McmcRequest& r) { r.set_method(v1::EULER); }, "method"},
      {"shark", [](v1::McmcRequest& r) { r.set_method(v1::SHARK); }, "method"},
      {"unknown method", [](v1::McmcRequest& r) { r.set_method(static_cast<v1::Method>(77)); },
       "method"},
      {"initial_positions size", [](v1::McmcRequest& r) { r.add_initial_positions(1.0); },
       "initial_positions"},
      {"initial_positions nan",
       [](v1::McmcRequest& r) {
         for (uint32_t i = 0; i < r.num_chains() * 2; ++i)
           r.add_initial_positions(i == 3 ? kNaN : 0);
       },
       "initial_positions[3]"},
      {"x0 size", [](v1::McmcRequest& r) { r.mutable_target()->add_x0(1.0); }, "target.x0"},
      {"x0 inf",
       [](v1::McmcRequest& r) {
         r.mutable_target()->add_x0(0.0);
         r.mutable_target()->add_x0(kInf);
       },
       "target.x0[1]"},
      {"v0", [](v1::McmcRequest& r) { r.mutable_target()->add_v0(0.0); }, "target.v0"},
      {"gamma negative", [](v1::McmcRequest& r) { r.mutable_target()->set_gamma(-1.0); },
       "target.gamma"},
      {"gamma nan", [](v1::McmcRequest& r) { r.mutable_target()->set_gamma(kNaN); },
       "target.gamma"},
      {"u negative", [](v1::McmcRequest& r) { r.mutable_target()->set_u(-0.5); }, "target.u"},
      {"u inf", [](v1::McmcRequest& r) { r.mutable_target()->set_u(kInf); }, "target.u"},
      {"warmup_time negative", [](v1::McmcRequest& r) { r.set_warmup_time(-1.0); }, "warmup_time"},
      {"warmup_time nan", [](v1::McmcRequest& r) { r.set_warmup_time(kNaN); }, "warmup_time"},
      {"num_draws 0", [](v1::McmcRequest& r) { r.set_num_draws(0); }, "num_draws"},
      {"num_draws 3", [](v1::McmcRequest& r) { r.set_num_draws(3); }, "num_draws"},
      {"thin_time negative", [](v1::McmcRequest& r) { r.set_thin_time(-0.1); }, "thin_time"},
      {"thin_time inf", [](v1::McmcRequest& r) { r.set_thin_time(kInf); }, "thin_time"},
      {"step without kind", [](v1::McmcRequest& r) { r.mutable_step(); }, "step"},
      {"step constant dt 0", [](v1::McmcRequest& r) { r.mutable_step()->mutable_constant(); },
       "step.constant.dt"},
      {"step_to", [](v1::McmcRequest& r) { r.mutable_step()->mutable_step_to()->add_ts(1.0); },
       "step.step_to"},
      {"adaptive rtol negative",
       [](v1::McmcRequest& r) { r.mutable_step()->mutable_adaptive()->set_rtol(-1.0); },
       "step.adaptive.rtol"},
      {"unknown preconditioner",
       [](v1::McmcRequest& r) { r.set_preconditioner(static_cast<v1::Preconditioner>(9)); },
       "preconditioner"},
      {"given without inverse_mass",
       [](v1::McmcRequest& r) { r.set_preconditioner(v1::PRECONDITIONER_DIAGONAL_GIVEN); },
       "inverse_mass"},
      {"inverse_mass size",
       [](v1::McmcRequest& r) {
         r.set_preconditioner(v1::PRECONDITIONER_DIAGONAL_GIVEN);
         r.add_inverse_mass(1.0);
       },
       "inverse_mass"},
      {"inverse_mass zero",
       [](v1::McmcRequest& r) {
         r.set_preconditioner(v1::PRECONDITIONER_DIAGONAL_GIVEN);
         r.add_inverse_mass(1.0);
         r.add_inverse_mass(0.0);
       },
       "inverse_mass[1]"},
      {"inverse_mass without given", [](v1::McmcRequest& r) { r.add_inverse_mass(1.0); },
       "inverse_mass"},
  };
  for (const InvalidCase& c : cases) {
    v1::McmcRequest request = GaussianMcmcRequest();
    c.change(request);
    const auto inputs = ValidateMcmcRequest(request, McmcLimits{});
    ASSERT_FALSE(inputs.ok()) << c.name;
    EXPECT_EQ(inputs.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name << ": " << inputs.status();
    EXPECT_EQ(ViolatedField(inputs.status()), c.field) << c.name << ": " << inputs.status();
  }
}

TEST(McmcRequestTest, LimitsAreResourceExhaustedNamingTheLimit) {
  McmcLimits limits;
  limits.max_dim = 8;
  limits.max_chains = 16;
  limits.max_draw_values = 1000;
  limits.max_steps_per_chain = 10000;
  limits.max_data_values = 100;
  struct Case {
    std::function<void(v1::McmcRequest&)> change;
    const char* limit;
  };
  const std::vector<Case> cases = {
      {[](v1::McmcRequest& r) { r.mutable_target()->set_dim(9); }, "max_mcmc_dim = 8"},
      {[](v1::McmcRequest& r) { r.set_num_chains(17); }, "max_mcmc_chains = 16"},
      {[](v1::McmcRequest& r) { r.set_num_draws(1000); }, "max_mcmc_draw_values = 1000"},
      {[](v1::McmcRequest& r) { r.mutable_step()->mutable_constant()->set_dt(1e-3); },
       "max_mcmc_steps_per_chain = 10000"},
      {[](v1::McmcRequest& r) {
         v1::BuiltinPotential* b = r.mutable_target()->mutable_builtin();
         b->set_name("logistic_regression");
         b->mutable_data()->Resize(101, 0.0);
         b->set_data_cols(3);
       },
       "max_mcmc_data_values = 100"},
  };
  for (const Case& c : cases) {
    v1::McmcRequest request = GaussianMcmcRequest();
    c.change(request);
    const auto inputs = ValidateMcmcRequest(request, limits);
    ASSERT_FALSE(inputs.ok()) << c.limit;
    EXPECT_EQ(inputs.status().code(), absl::StatusCode::kResourceExhausted) << inputs.status();
    EXPECT_NE(inputs.status().message().find(c.limit), std::string::npos) << inputs.status();
  }
}

TEST(McmcRequestTest, ReceiveLimitFitsTheDataLimit) {
  McmcLimits limits;
  v1::McmcRequest request = GaussianMcmcRequest();
  request.mutable_target()->mutable_builtin()->mutable_data()->Resize(
      static_cast<int>(limits.max_data_values), 1.0);
  EXPECT_LE(request.ByteSizeLong(), static_cast<size_t>(limits.MaxRequestBytes()));
}

}  // namespace
}  // namespace pathwise::server
