// Every error a user can cause, with its message: the expression's label,
// line:column, the quoted line with a caret, and what was expected.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "expr_test_util.h"

namespace pathwise::expr {
namespace {

using testing::CompileError;
using testing::OneExpression;

ProgramSpec OuSpec(const std::string& drift) {
  ProgramSpec spec;
  spec.state_names = {"x"};
  spec.parameters = {{"kappa", 2.0}, {"theta", 0.5}, {"sigma", 0.3}};
  spec.expressions = {{"model.expression.drift[0]", drift},
                      {"model.expression.diffusion[0]", "sigma"}};
  return spec;
}

// The message must contain every fragment.
void ExpectMessage(const std::string& message, const std::vector<std::string>& fragments) {
  ASSERT_FALSE(message.empty()) << "expected an error";
  for (const std::string& f : fragments) {
    EXPECT_NE(message.find(f), std::string::npos) << "missing \"" << f << "\" in:\n" << message;
  }
}

TEST(ExprError, UnknownIdentifierSuggestsClosestName) {
  EXPECT_EQ(CompileError(OuSpec("kappa*(thet - x)")),
            "model.expression.drift[0]:1:8: unknown identifier 'thet'; did you mean 'theta'?\n"
            "  kappa*(thet - x)\n"
            "         ^");
}

TEST(ExprError, UnknownIdentifierListsKnownNames) {
  ExpectMessage(CompileError(OuSpec("kappa*(zzzzz - x)")),
                {"1:8: unknown identifier 'zzzzz'; expected a state variable (x), a parameter "
                 "(kappa, theta, sigma), 't', 'pi' or a number"});
}

TEST(ExprError, UnknownFunctionSuggestsClosestFunction) {
  EXPECT_EQ(CompileError(OuSpec("exq(x)")),
            "model.expression.drift[0]:1:1: unknown function 'exq'; did you mean 'exp'?\n"
            "  exq(x)\n"
            "  ^");
}

TEST(ExprError, FunctionWithoutArgumentsAndVariableCalled) {
  ExpectMessage(CompileError(OuSpec("exp + 1")),
                {"1:1: 'exp' is a function; expected '(' and its arguments after it"});
  ExpectMessage(CompileError(OuSpec("x(2)")),
                {"1:1: 'x' is not a function; expected an operator between it and '('"});
}

TEST(ExprError, WrongArgumentCount) {
  EXPECT_EQ(CompileError(OuSpec("x + max(x)")),
            "model.expression.drift[0]:1:5: wrong number of arguments: 'max' takes 2 arguments "
            "but 1 was given\n"
            "  x + max(x)\n"
            "      ^");
  ExpectMessage(CompileError(OuSpec("sqrt(x, 2)")), {"'sqrt' takes 1 argument but 2 were given"});
  ExpectMessage(CompileError(OuSpec("if(x, 1)")), {"'if' takes 3 arguments but 2 were given"});
}

TEST(ExprError, DivisionByLiteralZero) {
  EXPECT_EQ(CompileError(OuSpec("x/0")),
            "model.expression.drift[0]:1:2: division by zero: the denominator is the constant 0; "
            "expected a non-zero denominator\n"
            "  x/0\n"
            "   ^");
  ExpectMessage(CompileError(OuSpec("x/(theta - 0.5)")), {"1:2: division by zero"});
  ExpectMessage(CompileError(OuSpec("x/-0.0")), {"division by zero"});
}

TEST(ExprError, MissingParameterValue) {
  ProgramSpec spec = OuSpec("kappa*(theta - x)");
  spec.parameters[0].value.reset();
  EXPECT_EQ(CompileError(spec),
            "model.expression.drift[0]:1:1: parameter 'kappa' has no value; expected a value for "
            "it in the parameters\n"
            "  kappa*(theta - x)\n"
            "  ^");
}

TEST(ExprError, NonFiniteConstants) {
  ExpectMessage(CompileError(OuSpec("x + 1e999")),
                {"1:5: non-finite constant: the number overflows to infinity"});
  ExpectMessage(CompileError(OuSpec("x + 1e-999")), {"1:5: numeric constant underflows to zero"});
  ExpectMessage(CompileError(OuSpec("x + exp(1000)")),
                {"1:5: non-finite constant: this evaluates to inf; expected a finite value"});
  ExpectMessage(CompileError(OuSpec("x*log(0)")), {"1:3: non-finite constant", "-inf"});
  ExpectMessage(CompileError(OuSpec("sqrt(theta - 1)")), {"non-finite constant", "nan"});
  ProgramSpec spec = OuSpec("x");
  spec.parameters[2].value = std::numeric_limits<double>::infinity();
  EXPECT_EQ(CompileError(spec),
            "parameter 'sigma' has the non-finite value inf; expected a finite number");
}

TEST(ExprError, SyntaxErrorsSayWhatWasExpected) {
  EXPECT_EQ(CompileError(OuSpec("x +")),
            "model.expression.drift[0]:1:4: expected a number, a name, '(' or '-' but found the "
            "end of the expression\n"
            "  x +\n"
            "     ^");
  ExpectMessage(CompileError(OuSpec("(x + 1")),
                {"1:7: expected ')' to close the '(' at column 1 but found the end"});
  ExpectMessage(CompileError(OuSpec("x y")),
                {"1:3: expected an operator (+ - * / ^ < <= > >= == !=) or the end of the "
                 "expression but found the name 'y'"});
  ExpectMessage(CompileError(OuSpec("max(x; 1)")), {"1:6: unexpected character ';'"});
  ExpectMessage(CompileError(OuSpec("max(x 1)")),
                {"1:7: expected ',' or ')' in the arguments of 'max' but found the number 1"});
  ExpectMessage(CompileError(OuSpec("")), {"1:1: expected an expression but the text is empty"});
  ExpectMessage(CompileError(OuSpec("   ")), {"expected an expression but the text is empty"});
  ExpectMessage(CompileError(OuSpec("x = 1")), {"1:3: unexpected '='; expected '==' to compare"});
  ExpectMessage(CompileError(OuSpec("!x")), {"unexpected '!'; expected '!=' to compare"});
  ExpectMessage(CompileError(OuSpec("1.5e+")), {"1:6: expected the digits of an exponent"});
  ExpectMessage(CompileError(OuSpec("x\x01")), {"unexpected character byte 0x1", "  x?\n"});
}

TEST(ExprError, MultiLineTextPointsAtTheRightLine) {
  EXPECT_EQ(CompileError(OuSpec("kappa*(theta - x)\n  + zeta")),
            "model.expression.drift[0]:2:5: unknown identifier 'zeta'; did you mean 'theta'?\n"
            "    + zeta\n"
            "      ^");
}

TEST(ExprError, LengthLimit) {
  ProgramSpec spec = OuSpec(std::string(200, 'x'));
  spec.limits.max_length = 100;
  ExpectMessage(CompileError(spec), {"expression is 200 characters long; the length limit is 100"});
}

TEST(ExprError, DepthLimit) {
  ProgramSpec spec = OuSpec(std::string(300, '(') + "x" + std::string(300, ')'));
  ExpectMessage(CompileError(spec), {"expression nesting exceeds the depth limit of 200"});
  ExpectMessage(CompileError(OuSpec(std::string(500, '-') + "x")), {"depth limit of 200"});
  ExpectMessage(CompileError(OuSpec("exp(" + std::string(250, '+') + "x)")), {"depth limit"});
}

// The limit counts one level per construct, as documented: 200 nested
// parentheses (or calls, signs, powers) are allowed and 201 are not.
TEST(ExprError, DepthLimitIsOneLevelPerConstruct) {
  const auto nested = [](int n, const std::string& open, const std::string& close) {
    std::string text;
    for (int i = 0; i < n; ++i) text += open;
    text += "x";
    for (int i = 0; i < n; ++i) text += close;
    return text;
  };
  EXPECT_EQ(CompileError(OuSpec(nested(200, "(", ")"))), "");
  ExpectMessage(CompileError(OuSpec(nested(201, "(", ")"))), {"depth limit of 200"});
  EXPECT_EQ(CompileError(OuSpec(nested(200, "exp(", ")"))), "");
  ExpectMessage(CompileError(OuSpec(nested(201, "exp(", ")"))), {"depth limit of 200"});
  EXPECT_EQ(CompileError(OuSpec(std::string(200, '-') + "x")), "");
  ExpectMessage(CompileError(OuSpec(std::string(201, '-') + "x")), {"depth limit of 200"});
  // A right-associative tower x^x^...^x of 200 powers nests 200 deep.
  EXPECT_EQ(CompileError(OuSpec(nested(200, "x^", ""))), "");
  ExpectMessage(CompileError(OuSpec(nested(201, "x^", ""))), {"depth limit of 200"});
  // Mixed: 100 parentheses around 100 calls are 200 levels; a sign more is 201.
  EXPECT_EQ(CompileError(OuSpec(nested(100, "(sin(", "))"))), "");
  ExpectMessage(CompileError(OuSpec(absl::StrCat("-", nested(100, "(sin(", "))")))),
                {"depth limit of 200"});
}

TEST(ExprError, NodeLimit) {
  std::string text = "x";
  for (int i = 0; i < 50; ++i) text += " + " + std::to_string(i) + "*x";
  ProgramSpec spec = OuSpec(text);
  spec.limits.max_nodes = 40;
  ExpectMessage(CompileError(spec), {"exceeds the node limit of 40"});
}

TEST(ExprError, NodeLimitInDerivatives) {
  ProgramSpec spec = OuSpec("exp(sin(x)*cos(x))*x^5");
  spec.derivatives = {{0, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}};
  spec.limits.max_nodes = 60;
  ExpectMessage(CompileError(spec),
                {"d(", ")/d(x): the compiled program exceeds the node limit of 60"});
}

TEST(ExprError, OutputLimit) {
  ProgramSpec spec = OuSpec("x");
  spec.limits.max_outputs = 1;
  ExpectMessage(CompileError(spec), {"the program has 2 outputs", "the limit is 1"});
}

TEST(ExprError, StateLimit) {
  ProgramSpec spec = OuSpec("x");
  spec.limits.max_state = 1;
  spec.state_names = {"x", "y"};
  EXPECT_EQ(CompileError(spec), "the model has 2 state variables; the limit is 1");
}

TEST(ExprError, BadNames) {
  ExpectMessage(CompileError(OneExpression("x", {"x", "x"})),
                {"state variable name 'x' is declared twice"});
  ExpectMessage(CompileError(OneExpression("x", {"t"})), {"state variable name 't' is reserved"});
  ExpectMessage(CompileError(OneExpression("x", {"x"}, {{"exp", 1.0}})),
                {"parameter name 'exp' is reserved"});
  ExpectMessage(CompileError(OneExpression("x", {"2x"})), {"'2x' is not an identifier"});
  ExpectMessage(CompileError(OneExpression("x", {"x"}, {{"x", 1.0}})), {"'x' is declared twice"});
}

TEST(ExprError, BadDerivativeRequest) {
  ProgramSpec spec = OuSpec("x");
  spec.derivatives = {{5, 0}};
  ExpectMessage(CompileError(spec), {"derivatives[0]: output 5 with respect to 0 does not exist"});
  spec.derivatives = {{0, 3}};
  ExpectMessage(CompileError(spec), {"derivatives[0]", "a state index below 1"});
}

TEST(ExprError, DiffusionDimensionMismatch) {
  ProgramSpec spec;
  spec.state_names = {"x", "y"};
  spec.expressions = {{"drift[0]", "x"},
                      {"drift[1]", "y"},
                      {"diffusion[0]", "1"},
                      {"diffusion[1]", "x"},
                      {"diffusion[2]", "y"}};
  spec.diffusion = DiffusionLayout{"model.expression.diffusion", 2, 3, 2, false};
  EXPECT_EQ(CompileError(spec),
            "model.expression.diffusion: 3 expressions given, but a state of dimension 2 with "
            "noise of dimension 2 needs 4 (one per state and noise dimension, row-major g[i][j])");
  spec.diffusion = DiffusionLayout{"model.expression.diffusion", 2, 3, 3, true};
  ExpectMessage(CompileError(spec), {"diagonal noise needs one expression per state variable (2)"});
  spec.diffusion = DiffusionLayout{"model.expression.diffusion", 4, 3, 1, false};
  ExpectMessage(CompileError(spec), {"expressions [4, 7) are out of range; there are 5"});
  spec.diffusion = DiffusionLayout{"model.expression.diffusion", 2, 0, 0, false};
  ExpectMessage(CompileError(spec), {"noise_dim must be >= 1"});
}

TEST(ExprError, InvalidLimits) {
  ProgramSpec spec = OuSpec("x");
  spec.limits.max_depth = 0;
  EXPECT_EQ(CompileError(spec), "limits.max_depth: must be in [1, 5000]");
}

TEST(ExprError, LongLinesAreQuotedAroundTheProblem) {
  std::string text = "x";
  for (int i = 0; i < 250; ++i) text += " + x";
  text += " + zz";  // at offset 1 + 4 * 250 + 3
  const std::string message = CompileError(OneExpression(text, {"x"}));
  ExpectMessage(message, {"1:1005: unknown identifier 'zz'"});
  EXPECT_LT(message.size(), 400u);
}

}  // namespace
}  // namespace pathwise::expr
