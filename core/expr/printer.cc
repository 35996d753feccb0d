#include "core/expr/printer.h"

#include <charconv>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace pathwise::expr {
namespace {

// Precedence levels of the grammar in parser.h; higher binds tighter.
enum Level : int { kComparison = 1, kAdditive, kMultiplicative, kUnary, kPower, kPrimary };

int LevelOf(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return kAdditive;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
      return kMultiplicative;
    case BinaryOp::kPow:
      return kPower;
    default:
      return kComparison;
  }
}

struct Printed {
  std::string text;
  int level = kPrimary;
};

std::string Wrap(Printed p, int at_least) {
  if (p.level >= at_least) return std::move(p.text);
  return absl::StrCat("(", p.text, ")");
}

Printed PrintBinary(const AstNode& node, Printed left, Printed right) {
  const int level = LevelOf(node.op);
  // Left-associative operators keep an equal-level left operand bare and
  // parenthesise an equal-level right one; '^' is the other way round, and its
  // exponent is parsed as a unary expression.
  const int left_min = node.op == BinaryOp::kPow ? kPrimary : level;
  const int right_min = node.op == BinaryOp::kPow ? kUnary : level + 1;
  const bool tight = level >= kMultiplicative;
  std::string text = Wrap(std::move(left), left_min);
  absl::StrAppend(&text, tight ? "" : " ", BinaryOpSpelling(node.op), tight ? "" : " ",
                  Wrap(std::move(right), right_min));
  return Printed{std::move(text), level};
}

Printed PrintNode(const AstNode& node, std::vector<Printed>& done) {
  switch (node.kind) {
    case AstKind::kNumber:
      return Printed{FormatNumber(node.number), kPrimary};
    case AstKind::kName:
      return Printed{node.name, kPrimary};
    case AstKind::kNeg:
      return Printed{absl::StrCat("-", Wrap(std::move(done[node.args[0]]), kUnary)), kUnary};
    case AstKind::kBinary:
      return PrintBinary(node, std::move(done[node.args[0]]), std::move(done[node.args[1]]));
    case AstKind::kCall: {
      std::string text = absl::StrCat(node.name, "(");
      for (size_t i = 0; i < node.args.size(); ++i) {
        absl::StrAppend(&text, i == 0 ? "" : ", ", done[node.args[i]].text);
      }
      text.push_back(')');
      return Printed{std::move(text), kPrimary};
    }
  }
  return Printed{};
}

}  // namespace

std::string FormatNumber(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

std::string Print(const Ast& ast) {
  // Children precede parents in ast.nodes, and each node has one parent, so
  // one forward pass can move every child's text into its parent.
  std::vector<Printed> done(ast.nodes.size());
  for (size_t i = 0; i <= ast.root && i < ast.nodes.size(); ++i) {
    done[i] = PrintNode(ast.nodes[i], done);
  }
  return ast.root < done.size() ? std::move(done[ast.root].text) : std::string();
}

}  // namespace pathwise::expr
