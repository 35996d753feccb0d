// Parsing and printing: canonical text, round trips, precedence.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/expr/parser.h"
#include "core/expr/printer.h"
#include "expr_test_util.h"

namespace pathwise::expr {
namespace {

using testing::EvalAll;
using testing::MustCompile;
using testing::OneExpression;

Ast MustParse(const std::string& text) {
  absl::StatusOr<Ast> ast = Parse(Source{"e", text}, Limits{});
  EXPECT_TRUE(ast.ok()) << ast.status();
  return ast.ok() ? *std::move(ast) : Ast{};
}

// Print(Parse(text)) == expected, and parsing that again gives the same tree.
void ExpectCanonical(const std::string& text, const std::string& expected) {
  const Ast ast = MustParse(text);
  const std::string printed = Print(ast);
  EXPECT_EQ(printed, expected) << "from " << text;
  const Ast again = MustParse(printed);
  EXPECT_TRUE(SameTree(ast, again)) << text << " -> " << printed;
  EXPECT_EQ(Print(again), printed);
}

TEST(ExprParse, CanonicalText) {
  ExpectCanonical("kappa*(theta-x)", "kappa*(theta - x)");
  ExpectCanonical("  sigma * sqrt( max(x,0) ) ", "sigma*sqrt(max(x, 0))");
  ExpectCanonical("-x^2", "-x^2");
  ExpectCanonical("(-x)^2", "(-x)^2");
  ExpectCanonical("2^-1", "2^-1");
  ExpectCanonical("x^y^z", "x^y^z");
  ExpectCanonical("(x^y)^z", "(x^y)^z");
  ExpectCanonical("x ** 2", "x^2");
  ExpectCanonical("a - (b - c)", "a - (b - c)");
  ExpectCanonical("(a - b) - c", "a - b - c");
  ExpectCanonical("a/(b*c)", "a/(b*c)");
  ExpectCanonical("(a/b)*c", "a/b*c");
  ExpectCanonical("(a + b)*c", "(a + b)*c");
  ExpectCanonical("a*-b", "a*-b");
  ExpectCanonical("a - -b", "a - -b");
  ExpectCanonical("--x", "--x");
  ExpectCanonical("+x", "x");
  ExpectCanonical("a < b == c", "a < b == c");
  ExpectCanonical("a < (b == c)", "a < (b == c)");
  ExpectCanonical("if(x<=1,2,3)", "if(x <= 1, 2, 3)");
  ExpectCanonical("f()", "f()");
  ExpectCanonical("1e300", "1e+300");
  ExpectCanonical("0.1", "0.1");
  ExpectCanonical(".5", "0.5");
  ExpectCanonical("2.50", "2.5");
  ExpectCanonical("1E-3", "0.001");
  ExpectCanonical("x\n+\ty", "x + y");
}

// Random token soup built from the grammar: every printed form must re-parse
// to the same tree (the property the round trip promises for any input).
std::string RandomExpression(std::mt19937_64& rng, int depth) {
  std::uniform_int_distribution<int> pick(0, depth <= 0 ? 2 : 9);
  static const char* kNames[] = {"x", "y", "t", "kappa"};
  static const char* kOps[] = {"+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!="};
  static const char* kNumbers[] = {"0", "1", "2.5", "1e-3", "3", "0.1"};
  switch (pick(rng)) {
    case 0:
    case 1:
      return kNames[rng() % 4];
    case 2:
      return kNumbers[rng() % 6];
    case 3:
      return absl::StrCat("-", RandomExpression(rng, depth - 1));
    case 4:
      return absl::StrCat("(", RandomExpression(rng, depth - 1), ")");
    case 5: {
      const std::string a = RandomExpression(rng, depth - 1);
      return absl::StrCat("max(", a, ", ", RandomExpression(rng, depth - 1), ")");
    }
    case 6:
      return absl::StrCat("exp(", RandomExpression(rng, depth - 1), ")");
    default: {
      const std::string a = RandomExpression(rng, depth - 1);
      return absl::StrCat(a, kOps[rng() % 11], RandomExpression(rng, depth - 1));
    }
  }
}

TEST(ExprParse, RandomRoundTrip) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const std::string text = RandomExpression(rng, 5);
    const Ast ast = MustParse(text);
    const std::string printed = Print(ast);
    const Ast again = MustParse(printed);
    ASSERT_TRUE(SameTree(ast, again)) << text << " -> " << printed;
    ASSERT_EQ(Print(again), printed);
  }
}

TEST(ExprParse, NumbersRoundTripExactly) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < 1000; ++i) {
    const double value = unit(rng) * std::pow(10.0, static_cast<int>(rng() % 40) - 20);
    const Ast ast = MustParse(FormatNumber(value));
    ASSERT_EQ(ast.nodes[ast.root].number, value);
  }
}

// Only the parser recurses, and only on nesting; a 30 000-term chain is a
// tree 30 000 deep that every later pass walks without recursion.
TEST(ExprParse, LongChainsDoNotRecurse) {
  std::string text = "x";
  for (int i = 0; i < 30000; ++i) absl::StrAppend(&text, i % 2 ? " + x*" : " - x/", i % 7 + 1);
  Limits limits;
  limits.max_length = text.size();
  const absl::StatusOr<Ast> ast = Parse(Source{"e", text}, limits);
  ASSERT_TRUE(ast.ok()) << ast.status();
  EXPECT_EQ(Print(*ast), text);
  ProgramSpec spec = OneExpression(text);
  spec.limits = limits;
  spec.derivatives = {{0, 0}};
  const auto program = MustCompile(spec);
  ASSERT_NE(program, nullptr);
  const std::vector<double> out = EvalAll(*program, {0.0, 1.0});
  EXPECT_TRUE(std::isfinite(out[0]) && std::isfinite(out[1]));
}

double Value(const std::string& text) {
  auto program = MustCompile(OneExpression(text, {}));
  return program ? EvalAll(*program, {0.0})[0] : 0.0;
}

TEST(ExprParse, PrecedenceAndAssociativity) {
  EXPECT_EQ(Value("-2^2"), -4.0);
  EXPECT_EQ(Value("2^3^2"), 512.0);
  EXPECT_EQ(Value("2^-1"), 0.5);
  EXPECT_EQ(Value("1 - 2 - 3"), -4.0);
  EXPECT_EQ(Value("8/4/2"), 1.0);
  EXPECT_EQ(Value("2 + 3*4"), 14.0);
  EXPECT_EQ(Value("1 + 2 < 4"), 1.0);
  EXPECT_EQ(Value("3 < 2 == 0"), 1.0);
  EXPECT_EQ(Value("if(2 > 1, 10, 20)"), 10.0);
  EXPECT_EQ(Value("-(-(3))"), 3.0);
}

}  // namespace
}  // namespace pathwise::expr
