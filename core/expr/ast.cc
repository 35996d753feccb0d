#include "core/expr/ast.h"

#include <bit>
#include <utility>

namespace pathwise::expr {

bool SameTree(const Ast& a, const Ast& b) {
  // Iterative pairwise walk (trees may be long chains).
  std::vector<std::pair<uint32_t, uint32_t>> stack = {{a.root, b.root}};
  while (!stack.empty()) {
    const auto [i, j] = stack.back();
    stack.pop_back();
    if (i >= a.nodes.size() || j >= b.nodes.size()) return false;
    const AstNode& x = a.nodes[i];
    const AstNode& y = b.nodes[j];
    if (x.kind != y.kind || x.name != y.name || x.args.size() != y.args.size()) return false;
    if (x.kind == AstKind::kBinary && x.op != y.op) return false;
    if (std::bit_cast<uint64_t>(x.number) != std::bit_cast<uint64_t>(y.number)) return false;
    for (size_t k = 0; k < x.args.size(); ++k) stack.emplace_back(x.args[k], y.args[k]);
  }
  return true;
}

const char* BinaryOpSpelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kPow:
      return "^";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
  }
  return "?";
}

}  // namespace pathwise::expr
