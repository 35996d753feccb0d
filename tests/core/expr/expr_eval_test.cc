// Evaluation: a compiled formula gives the same bits as the same formula
// written in C++ with the same operations in the same order; lanes give the
// same bits as single points; folding and CSE keep both properties.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/expr/interpreter.h"
#include "core/expr/ops.h"
#include "expr_test_util.h"

namespace pathwise::expr {
namespace {

using testing::Bits;
using testing::EvalAll;
using testing::MustCompile;

constexpr double kKappa = 2.0, kTheta = 0.5, kSigma = 0.3, kRho = -0.7;

struct Case {
  std::string text;
  std::function<double(double t, double x, double y)> cxx;
};

// The C++ transcriptions use std:: functions and the documented definitions
// (x^n for n in [2, 8] is x*x*...*x, left to right; min/max are std::min/max;
// if is ?:; comparisons are 1.0/0.0; sigmoid/softplus as in ops.h).
std::vector<Case> Cases() {
  return {
      {"kappa*(theta - x)", [](double, double x, double) { return kKappa * (kTheta - x); }},
      {"sigma*sqrt(max(x, 0))",
       [](double, double x, double) { return kSigma * std::sqrt(std::max(x, 0.0)); }},
      {"kappa*(theta - y)*x - rho*sigma*sqrt(max(y, 0))*x",
       [](double, double x, double y) {
         return kKappa * (kTheta - y) * x - kRho * kSigma * std::sqrt(std::max(y, 0.0)) * x;
       }},
      {"x^3 - 3*x*y^2 + t^2",
       [](double t, double x, double y) { return x * x * x - 3 * x * (y * y) + t * t; }},
      {"x^2.5 + pow(abs(y), 1.5) - x^-2",
       [](double, double x, double y) {
         return std::pow(x, 2.5) + std::pow(std::fabs(y), 1.5) - std::pow(x, -2.0);
       }},
      {"if(x < 0.5, sin(x)*cos(t), tanh(x)/(1 + x^2))",
       [](double t, double x, double) {
         return x < 0.5 ? std::sin(x) * std::cos(t) : std::tanh(x) / (1 + x * x);
       }},
      {"sigmoid(x) + softplus(-y) - erf(x)*atan(t)",
       [](double t, double x, double y) {
         return Sigmoid(x) + Softplus(-y) - std::erf(x) * std::atan(t);
       }},
      {"log(x) + log1p(y*y) - expm1(-x) + exp(t/2)",
       [](double t, double x, double y) {
         return std::log(x) + std::log1p(y * y) - std::expm1(-x) + std::exp(t / 2);
       }},
      {"min(x, t)*max(y, -t) + sinh(y) - cosh(x) + tan(t)",
       [](double t, double x, double y) {
         return std::min(x, t) * std::max(y, -t) + std::sinh(y) - std::cosh(x) + std::tan(t);
       }},
      {"(x > y) + (x >= y)*2 + (x == y)*4 + (x != y)*8 + (x <= 1)*16",
       [](double, double x, double y) {
         return (x > y ? 1.0 : 0.0) + (x >= y ? 1.0 : 0.0) * 2 + (x == y ? 1.0 : 0.0) * 4 +
                (x != y ? 1.0 : 0.0) * 8 + (x <= 1 ? 1.0 : 0.0) * 16;
       }},
      {"2*3*x + 1/3 + pi*y",
       [](double, double x, double y) { return 2.0 * 3.0 * x + 1.0 / 3.0 + std::numbers::pi * y; }},
      {"exp(-x*x/2)/sqrt(2*pi) + exp(-x*x/2)",
       [](double, double x, double) {
         return std::exp(-x * x / 2) / std::sqrt(2 * std::numbers::pi) + std::exp(-x * x / 2);
       }},
      {"x*1 + 1*y - (x - 0) + y/1 + --x",
       [](double, double x, double y) { return x * 1 + 1 * y - (x - 0) + y / 1 + -(-x); }},
  };
}

ProgramSpec CaseSpec() {
  ProgramSpec spec;
  spec.state_names = {"x", "y"};
  spec.parameters = {{"kappa", kKappa}, {"theta", kTheta}, {"sigma", kSigma}, {"rho", kRho}};
  for (const Case& c : Cases()) spec.expressions.push_back({c.text, c.text});
  return spec;
}

std::vector<std::vector<double>> RandomPoints(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-0.2, 2.5);
  std::vector<std::vector<double>> points;
  for (size_t i = 0; i < n; ++i) points.push_back({u(rng), u(rng), u(rng)});
  points.push_back({0.0, 0.0, 0.0});  // signed zeros, 0/0 in x^-2, log(0)
  points.push_back({-0.0, -0.0, 1.0});
  points.push_back({1.0, 1.0, 1.0});  // ties in comparisons and min/max
  return points;
}

TEST(ExprEval, EqualsCxxBitForBit) {
  const auto program = MustCompile(CaseSpec());
  ASSERT_NE(program, nullptr);
  const std::vector<Case> cases = Cases();
  for (const std::vector<double>& p : RandomPoints(500, 1)) {
    const std::vector<double> out = EvalAll(*program, p);
    for (size_t k = 0; k < cases.size(); ++k) {
      const double expected = cases[k].cxx(p[0], p[1], p[2]);
      // NaN payloads are not part of the contract (C++ compilers may swap the
      // operands of + and * too); every other result must match in all bits.
      if (std::isnan(expected) && std::isnan(out[k])) continue;
      ASSERT_EQ(Bits(out[k]), Bits(expected))
          << cases[k].text << " at t=" << p[0] << " x=" << p[1] << " y=" << p[2] << ": " << out[k]
          << " vs " << expected;
    }
  }
}

// Lanes must reproduce the scalar bits for every lane, for lane counts that
// fill several blocks, a partial block, and a stride larger than the count.
void CheckLanesEqualScalar(size_t lanes, size_t stride, bool time_per_lane) {
  const auto program = MustCompile(CaseSpec());
  ASSERT_NE(program, nullptr);
  const auto points = RandomPoints(lanes, 100 + lanes);
  std::vector<double> t(lanes), state(2 * stride, 7.0), out(program->num_outputs() * stride, -1.0);
  for (size_t l = 0; l < lanes; ++l) {
    t[l] = time_per_lane ? points[l][0] : 0.75;
    state[l] = points[l][1];
    state[stride + l] = points[l][2];
  }
  Workspace ws(*program);
  const absl::Status status =
      time_per_lane ? program->EvaluateLanes(t, state, lanes, stride, absl::MakeSpan(out), ws)
                    : program->EvaluateLanes(0.75, state, lanes, stride, absl::MakeSpan(out), ws);
  ASSERT_TRUE(status.ok()) << status;
  for (size_t l = 0; l < lanes; ++l) {
    const std::vector<double> one = EvalAll(*program, {t[l], state[l], state[stride + l]});
    for (size_t k = 0; k < one.size(); ++k) {
      ASSERT_EQ(Bits(out[k * stride + l]), Bits(one[k])) << "lane " << l << " output " << k;
    }
  }
  // Padding between lanes and stride is untouched.
  for (size_t k = 0; k < program->num_outputs(); ++k) {
    for (size_t l = lanes; l < stride; ++l) ASSERT_EQ(out[k * stride + l], -1.0);
  }
}

TEST(ExprEval, LanesEqualScalar) {
  CheckLanesEqualScalar(1, 1, false);
  CheckLanesEqualScalar(kLaneBlock, kLaneBlock, true);
  CheckLanesEqualScalar(3 * kLaneBlock + 17, 3 * kLaneBlock + 20, true);
  CheckLanesEqualScalar(1000, 1003, false);
}

// A program with more registers than CompiledProgram::kStackRegisters.
ProgramSpec LargeSpec() {
  ProgramSpec spec;
  spec.state_names = {"x", "y"};
  for (int k = 0; k < 300; ++k) {
    spec.expressions.push_back({"e", absl::StrCat("exp(x/", k + 1, ") - y*", k)});
  }
  return spec;
}

// EvaluateAt (no workspace, for per-path interfaces) gives Evaluate's bits,
// on the stack for small programs and in a per-thread buffer for large ones.
TEST(ExprEval, EvaluateAtEqualsEvaluate) {
  const auto small = MustCompile(CaseSpec());
  ASSERT_NE(small, nullptr);
  const auto large = MustCompile(LargeSpec());
  ASSERT_NE(large, nullptr);
  ASSERT_GT(large->bytecode().num_registers, CompiledProgram::kStackRegisters);
  for (const auto* program : {small.get(), large.get()}) {
    for (const std::vector<double>& p : RandomPoints(50, 4)) {
      const std::vector<double> expected = EvalAll(*program, p);
      std::vector<double> out(program->num_outputs());
      program->EvaluateAt(p[0], p.data() + 1, out.data());
      for (size_t k = 0; k < out.size(); ++k) {
        ASSERT_TRUE(Bits(out[k]) == Bits(expected[k]) ||
                    (std::isnan(out[k]) && std::isnan(expected[k])));
      }
    }
  }
}

// EvaluateLanesAt (no workspace, for models stepping several paths per call)
// gives EvaluateAt's bits in every lane: the lane widths of the lane solver
// and a few others up to a whole block, on the stack for small programs and
// in a per-thread buffer for large ones; outputs not computed stay as they were.
TEST(ExprEval, EvaluateLanesAtEqualsEvaluateAt) {
  const auto small = MustCompile(CaseSpec());
  ASSERT_NE(small, nullptr);
  ProgramSpec large_spec = LargeSpec();
  large_spec.expressions.push_back({"unused", "sin(x)", false});
  const auto large = MustCompile(large_spec);
  ASSERT_NE(large, nullptr);
  ASSERT_GT(large->bytecode().num_registers, CompiledProgram::kStackRegisters);
  for (const auto* program : {small.get(), large.get()}) {
    for (size_t lanes :
         {size_t{1}, size_t{3}, CompiledProgram::kStackLanes, size_t{9}, kLaneBlock}) {
      const auto points = RandomPoints(lanes, 200 + lanes);
      const double t = points[0][0];
      std::vector<double> state(2 * lanes), out(program->num_outputs() * lanes, -3.0);
      for (size_t l = 0; l < lanes; ++l) {
        state[l] = points[l][1];
        state[lanes + l] = points[l][2];
      }
      program->EvaluateLanesAt(t, state.data(), lanes, out.data());
      for (size_t l = 0; l < lanes; ++l) {
        std::vector<double> one(program->num_outputs(), -3.0);
        const double y[2] = {state[l], state[lanes + l]};
        program->EvaluateAt(t, y, one.data());
        for (size_t k = 0; k < one.size(); ++k) {
          ASSERT_TRUE(Bits(out[k * lanes + l]) == Bits(one[k]) ||
                      (std::isnan(out[k * lanes + l]) && std::isnan(one[k])))
              << lanes << " lanes, lane " << l << ", output " << k;
        }
      }
    }
  }
}

TEST(ExprEval, OutputsThatAreInputsConstantsOrRepeated) {
  ProgramSpec spec;
  spec.state_names = {"x"};
  spec.parameters = {{"sigma", 0.3}};
  spec.expressions = {{"a", "x"}, {"b", "sigma"}, {"c", "exp(x)"}, {"d", "exp(x)"}, {"e", "t"}};
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  EXPECT_EQ(EvalAll(*program, {2.0, 1.5}),
            (std::vector<double>{1.5, 0.3, std::exp(1.5), std::exp(1.5), 2.0}));
  const size_t lanes = 300;
  std::vector<double> x(lanes), out(5 * lanes);
  for (size_t l = 0; l < lanes; ++l) x[l] = 0.01 * static_cast<double>(l);
  Workspace ws(*program);
  ASSERT_TRUE(program->EvaluateLanes(2.0, x, lanes, lanes, absl::MakeSpan(out), ws).ok());
  for (size_t l = 0; l < lanes; ++l) {
    ASSERT_EQ(out[l], x[l]);
    ASSERT_EQ(out[lanes + l], 0.3);
    ASSERT_EQ(out[2 * lanes + l], std::exp(x[l]));
    ASSERT_EQ(out[3 * lanes + l], std::exp(x[l]));
    ASSERT_EQ(out[4 * lanes + l], 2.0);
  }
}

TEST(ExprEval, ValueNotNeededIsNotComputed) {
  ProgramSpec spec;
  spec.state_names = {"x"};
  spec.expressions = {{"potential", "softplus(x) + x^2/2", false}, {"other", "x + 1"}};
  spec.derivatives = {{0, 0}};
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  for (const Instruction& i : program->bytecode().code) EXPECT_NE(i.op, Op::kSoftplus);
  Workspace ws(*program);
  std::vector<double> out(3, -7.0);
  ASSERT_TRUE(program->Evaluate(std::vector<double>{0.0, 0.5}, absl::MakeSpan(out), ws).ok());
  EXPECT_EQ(out[0], -7.0);  // left unwritten
  EXPECT_EQ(out[1], 1.5);
  EXPECT_EQ(Bits(out[2]), Bits(Sigmoid(0.5) + (0.5 + 0.5) / 2));
  std::vector<double> lanes(3 * 200, -7.0), x(200, 0.5);
  ASSERT_TRUE(program->EvaluateLanes(0.0, x, 200, 200, absl::MakeSpan(lanes), ws).ok());
  EXPECT_EQ(lanes[0], -7.0);
  EXPECT_EQ(lanes[199], -7.0);
  EXPECT_EQ(lanes[200], 1.5);
  EXPECT_EQ(Bits(lanes[400]), Bits(out[2]));
}

// Found by the fuzzer: an expression whose value is not needed may have the
// largest node of the program; code generation must not index past the last
// needed one.
TEST(ExprEval, ValueNotNeededWithTheLargestNode) {
  ProgramSpec spec;
  spec.state_names = {"x", "y"};
  spec.expressions = {{"a", "x"}, {"b", "if(x < y, sin(t), exp(-x^0))", false}};
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  EXPECT_EQ(EvalAll(*program, {0.0, 2.0, 1.0})[0], 2.0);
}

size_t CountOps(const CompiledProgram& program, Op op) {
  const auto& code = program.bytecode().code;
  return static_cast<size_t>(
      std::count_if(code.begin(), code.end(), [op](const Instruction& i) { return i.op == op; }));
}

TEST(ExprEval, ConstantFoldingAndCse) {
  // 2*3*kappa folds to one constant; exp(-x) is computed once across outputs.
  ProgramSpec spec;
  spec.state_names = {"x"};
  spec.parameters = {{"kappa", 0.5}};
  spec.expressions = {{"a", "2*3*kappa*x + exp(-x)"}, {"b", "exp(-x)*exp(-x) + x*2*3*kappa"}};
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  EXPECT_EQ(CountOps(*program, Op::kExp), 1u);
  EXPECT_EQ(CountOps(*program, Op::kNeg), 1u);
  // 2*3*kappa*x = ((2*3)*kappa)*x: one multiplication by the folded 3; x*2*3*kappa is not
  // reassociated (it would change rounding), so it keeps its three.
  EXPECT_EQ(CountOps(*program, Op::kMul), 1u + 1u + 3u);
  const std::vector<double> out = EvalAll(*program, {0.0, 0.7});
  EXPECT_EQ(Bits(out[0]), Bits(2.0 * 3.0 * 0.5 * 0.7 + std::exp(-0.7)));
  EXPECT_EQ(Bits(out[1]), Bits(std::exp(-0.7) * std::exp(-0.7) + 0.7 * 2 * 3 * 0.5));
}

TEST(ExprEval, FullyConstantExpressionsFold) {
  const auto program = MustCompile(testing::OneExpression("exp(1)*2 + if(pi > 3, 1, 2)", {}));
  ASSERT_NE(program, nullptr);
  EXPECT_EQ(program->num_instructions(), 0u);
  ASSERT_TRUE(program->ConstantValue(0).has_value());
  EXPECT_EQ(Bits(*program->ConstantValue(0)), Bits(std::exp(1.0) * 2 + 1.0));
}

TEST(ExprEval, SizeAndWorkspaceErrors) {
  const auto a = MustCompile(testing::OneExpression("x + 1"));
  const auto b = MustCompile(testing::OneExpression("x + 2"));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Workspace ws(*a);
  std::vector<double> out(1);
  EXPECT_EQ(b->Evaluate(std::vector<double>{0.0, 1.0}, absl::MakeSpan(out), ws).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(a->Evaluate(std::vector<double>{1.0}, absl::MakeSpan(out), ws).code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<double> state(4), lanes_out(4);
  EXPECT_EQ(a->EvaluateLanes(0.0, state, 5, 5, absl::MakeSpan(lanes_out), ws).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(a->EvaluateLanes(0.0, state, 4, 3, absl::MakeSpan(lanes_out), ws).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(a->EvaluateLanes(0.0, state, 0, 0, absl::MakeSpan(lanes_out), ws).ok());
}

}  // namespace
}  // namespace pathwise::expr
