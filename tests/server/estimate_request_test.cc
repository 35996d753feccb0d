// EstimateRequest validation and conversion: every invalid field is
// INVALID_ARGUMENT naming it with one google.rpc.BadRequest violation; limits
// are RESOURCE_EXHAUSTED naming the limit; defaults and the functional's
// names as documented.
#include "server/estimate_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "server/bad_request.h"
#include "tests/server/estimate_calls.h"

namespace pathwise::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

absl::StatusOr<EstimateInputs> Validate(const v1::EstimateRequest& request,
                                        const EstimateLimits& limits = {}) {
  return ValidateEstimateRequest(request, SolveLimits{}, limits);
}

// The one field violation of an INVALID_ARGUMENT status.
google::rpc::BadRequest::FieldViolation ViolationOf(const absl::Status& status) {
  google::rpc::BadRequest bad;
  const auto payload = status.GetPayload(kBadRequestTypeUrl);
  EXPECT_TRUE(payload.has_value()) << status;
  if (payload.has_value()) bad.ParseFromString(std::string(*payload));
  EXPECT_EQ(bad.field_violations_size(), 1) << status;
  return bad.field_violations_size() > 0 ? bad.field_violations(0)
                                         : google::rpc::BadRequest::FieldViolation();
}

TEST(EstimateRequestTest, ConvertsTheRequestWithTheDocumentedDefaults) {
  auto in = Validate(GbmCallRequest(1e-3));
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->method->info().name, "milstein");
  EXPECT_EQ(in->sde->state_dim(), 1);
  EXPECT_THAT(in->scope.state_names, ElementsAre("y"));
  const estimate::EstimateOptions& o = in->options;
  EXPECT_EQ(o.estimator, estimate::Estimator::kMultilevel);
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(o.target_rmse, 1e-3);
  EXPECT_EQ(o.ResolvedCoarsestDt(), 0.25);
  EXPECT_EQ(o.ResolvedMaxLevel(), estimate::kDefaultMaxLevel);
  EXPECT_EQ(o.ResolvedMaxPathSteps(), estimate::kDefaultMaxPathSteps);
  EXPECT_EQ(o.ResolvedTol(), 0.5 * 0.25 / 1024);
  // Unset: the solve's default kind, so one seed drives every method alike.
  EXPECT_FALSE(o.brownian.levy_area.has_value());
}

TEST(EstimateRequestTest, FunctionalNamesAreTheModelsStateAndParameters) {
  v1::EstimateRequest request = GbmCallRequest(1e-3);
  request.set_functional("exp(-mu) * max(y - 1, 0)");  // a builtin's parameter, resolved
  auto builtin = Validate(request);
  ASSERT_TRUE(builtin.ok()) << builtin.status();
  ASSERT_EQ(builtin->scope.parameters.size(), 2u);

  // Heston's state names, a fixed-dimension builtin.
  v1::EstimateRequest heston = GbmCallRequest(1e-3, v1::EULER);
  heston.mutable_model()->mutable_builtin()->set_name("heston");
  heston.mutable_model()->mutable_builtin()->clear_params();
  heston.clear_y0();
  heston.add_y0(1.0);
  heston.add_y0(0.04);
  heston.set_functional("max(S - 1, 0) + 0 * v");
  auto h = Validate(heston);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_THAT(h->scope.state_names, ElementsAre("S", "v"));

  // An expression model's own names and parameters.
  v1::EstimateRequest expression = GbmCallRequest(1e-3, v1::EULER);
  v1::ExpressionModel* m = expression.mutable_model()->mutable_expression();
  m->add_state("x");
  m->add_drift("-k * x");
  m->add_diffusion("0.5");
  (*m->mutable_params())["k"] = 2.0;
  expression.set_functional("x * x + k");
  auto e = Validate(expression);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_THAT(e->scope.state_names, ElementsAre("x"));
}

TEST(EstimateRequestTest, InvalidFieldsAreNamed) {
  struct Case {
    const char* field;
    void (*mutate)(v1::EstimateRequest&);
  };
  const Case cases[] = {
      {"target_rmse", [](v1::EstimateRequest& r) { r.set_target_rmse(0); }},
      {"target_rmse", [](v1::EstimateRequest& r) { r.set_target_rmse(-1e-3); }},
      {"target_rmse", [](v1::EstimateRequest& r) { r.set_target_rmse(kNan); }},
      {"target_rmse",
       [](v1::EstimateRequest& r) { r.set_target_rmse(std::numeric_limits<double>::infinity()); }},
      {"functional", [](v1::EstimateRequest& r) { r.clear_functional(); }},
      {"functional", [](v1::EstimateRequest& r) { r.set_functional("max(S - 1, 0)"); }},
      {"functional", [](v1::EstimateRequest& r) { r.set_functional("max(y - 1, 0"); }},
      {"method", [](v1::EstimateRequest& r) { r.set_method(v1::SRA1); }},
      {"method", [](v1::EstimateRequest& r) { r.set_method(v1::METHOD_UNSPECIFIED); }},
      {"coarsest_dt", [](v1::EstimateRequest& r) { r.set_coarsest_dt(2.0); }},
      {"coarsest_dt", [](v1::EstimateRequest& r) { r.set_coarsest_dt(-0.1); }},
      {"max_level", [](v1::EstimateRequest& r) { r.set_max_level(31); }},
      {"max_level", [](v1::EstimateRequest& r) { r.set_max_level(30); }},  // 2^32 steps a path
      {"t1", [](v1::EstimateRequest& r) { r.set_t1(0.0); }},
      {"t1", [](v1::EstimateRequest& r) { r.set_t0(kNan); }},
      {"y0", [](v1::EstimateRequest& r) { r.clear_y0(); }},
      {"y0[0]", [](v1::EstimateRequest& r) { r.set_y0(0, kNan); }},
      {"brownian.tol", [](v1::EstimateRequest& r) { r.mutable_brownian()->set_tol(0.01); }},
      {"brownian.levy_area",
       [](v1::EstimateRequest& r) {
         r.mutable_brownian()->set_levy_area(static_cast<v1::LevyArea>(9));
       }},
      {"estimator", [](v1::EstimateRequest& r) { r.set_estimator(static_cast<v1::Estimator>(7)); }},
      {"model.builtin.name",
       [](v1::EstimateRequest& r) { r.mutable_model()->mutable_builtin()->set_name("nope"); }},
      {"model", [](v1::EstimateRequest& r) { r.clear_model(); }},
  };
  for (const Case& c : cases) {
    v1::EstimateRequest request = GbmCallRequest(1e-3);
    c.mutate(request);
    auto in = Validate(request);
    ASSERT_FALSE(in.ok()) << c.field;
    EXPECT_EQ(in.status().code(), absl::StatusCode::kInvalidArgument) << in.status();
    EXPECT_EQ(in.status().message().rfind(c.field, 0), 0u) << c.field << ": " << in.status();
    EXPECT_EQ(ViolationOf(in.status()).field(), c.field) << in.status();
  }
}

TEST(EstimateRequestTest, AFunctionalErrorIsLocatedWithACaret) {
  v1::EstimateRequest request = GbmCallRequest(1e-3);
  request.set_functional("max(S - 1, 0)");
  auto in = Validate(request);
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().message().rfind("functional: 1:5: ", 0), 0u) << in.status();
  EXPECT_THAT(std::string(in.status().message()), HasSubstr("^"));
  const auto violation = ViolationOf(in.status());
  EXPECT_EQ(violation.field(), "functional");
  EXPECT_EQ(violation.description().rfind("1:5: ", 0), 0u) << violation.description();
}

TEST(EstimateRequestTest, PathStepsOverTheLimitAreResourceExhaustedNamingIt) {
  v1::EstimateRequest request = GbmCallRequest(1e-3);
  request.set_max_path_steps(1001);
  auto over = Validate(request, EstimateLimits{.max_path_steps = 1000});
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(over.status().message()), HasSubstr("max_estimate_path_steps = 1000"));
  // A request's 0 is the limit when the limit is below the core's default.
  request.set_max_path_steps(0);
  auto in = Validate(request, EstimateLimits{.max_path_steps = 1000});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->options.ResolvedMaxPathSteps(), 1000u);
}

}  // namespace
}  // namespace pathwise::server
