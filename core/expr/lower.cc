#include "core/expr/lower.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/expr/closest_name.h"
#include "core/expr/functions.h"
#include "core/expr/lexer.h"

namespace pathwise::expr {
namespace {

Op BinaryToOp(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return Op::kAdd;
    case BinaryOp::kSub:
      return Op::kSub;
    case BinaryOp::kMul:
      return Op::kMul;
    case BinaryOp::kDiv:
      return Op::kDiv;
    case BinaryOp::kPow:
      return Op::kPow;
    case BinaryOp::kLt:
      return Op::kLt;
    case BinaryOp::kLe:
      return Op::kLe;
    case BinaryOp::kGt:
      return Op::kGt;
    case BinaryOp::kGe:
      return Op::kGe;
    case BinaryOp::kEq:
      return Op::kEq;
    case BinaryOp::kNe:
      return Op::kNe;
  }
  return Op::kAdd;
}

std::vector<std::string> FunctionNameStrings() {
  std::vector<std::string> names;
  for (absl::string_view name : FunctionNames()) names.emplace_back(name);
  return names;
}

class Lowering {
 public:
  Lowering(const Source& source, const Ast& ast, const Symbols& symbols, Graph& graph)
      : source_(source), ast_(ast), symbols_(symbols), graph_(graph), ids_(ast.nodes.size()) {}

  absl::StatusOr<NodeId> Run() {
    // Children come before parents in ast.nodes (see ast.h).
    for (size_t i = 0; i <= ast_.root && i < ast_.nodes.size(); ++i) {
      absl::StatusOr<NodeId> id = LowerNode(ast_.nodes[i]);
      if (!id.ok()) return id.status();
      ids_[i] = *id;
    }
    return ids_[ast_.root];
  }

 private:
  absl::Status At(const AstNode& node, absl::string_view message) const {
    return SourceError(source_, node.offset, message);
  }

  // Graph errors carry no position; this adds the node's.
  absl::StatusOr<NodeId> Located(const AstNode& node, absl::StatusOr<NodeId> id) const {
    if (id.ok()) return id;
    return At(node, id.status().message());
  }

  absl::StatusOr<NodeId> LowerNode(const AstNode& node) {
    switch (node.kind) {
      case AstKind::kNumber:
        return Located(node, graph_.Constant(node.number));
      case AstKind::kName:
        return LowerName(node);
      case AstKind::kNeg:
        return Located(node, graph_.Apply(Op::kNeg, ids_[node.args[0]]));
      case AstKind::kBinary:
        return LowerBinary(node);
      case AstKind::kCall:
        return LowerCall(node);
    }
    return At(node, "internal error: unknown node kind");
  }

  absl::StatusOr<NodeId> LowerName(const AstNode& node) {
    const std::optional<Binding> binding = symbols_.Find(node.name);
    if (!binding) {
      if (FindFunction(node.name)) {
        return At(node, absl::StrCat("'", node.name,
                                     "' is a function; expected '(' and its arguments after it"));
      }
      const std::string closest = ClosestName(node.name, symbols_.names());
      return At(node,
                absl::StrCat("unknown identifier '", Abbreviate(node.name), "'; ",
                             closest.empty() ? symbols_.DescribeKnownNames()
                                             : absl::StrCat("did you mean '", closest, "'?")));
    }
    switch (binding->kind) {
      case Binding::Kind::kInput:
        return Located(node, graph_.Input(binding->input));
      case Binding::Kind::kValue:
        return Located(node, graph_.Constant(binding->value));
      case Binding::Kind::kMissingValue:
        break;
    }
    return At(node, absl::StrCat("parameter '", Abbreviate(node.name),
                                 "' has no value; expected a value for it in the parameters"));
  }

  // The literal integer n of `a^n` when it is expanded into products.
  std::optional<int> ExpandedExponent(const AstNode& exponent) const {
    if (exponent.kind != AstKind::kNumber) return std::nullopt;
    const double n = exponent.number;
    if (n < 2 || n > kMaxExpandedPower || n != std::floor(n)) return std::nullopt;
    return static_cast<int>(n);
  }

  absl::StatusOr<NodeId> LowerBinary(const AstNode& node) {
    const NodeId left = ids_[node.args[0]];
    const NodeId right = ids_[node.args[1]];
    if (node.op == BinaryOp::kPow) {
      if (const std::optional<int> n = ExpandedExponent(ast_.nodes[node.args[1]])) {
        NodeId product = left;
        for (int k = 1; k < *n; ++k) {
          absl::StatusOr<NodeId> next = Located(node, graph_.Apply(Op::kMul, product, left));
          if (!next.ok()) return next;
          product = *next;
        }
        return product;
      }
    }
    return Located(node, graph_.Apply(BinaryToOp(node.op), left, right));
  }

  absl::StatusOr<NodeId> LowerCall(const AstNode& node) {
    const std::optional<FunctionInfo> function = FindFunction(node.name);
    if (!function) {
      if (symbols_.Find(node.name)) {
        return At(node, absl::StrCat("'", Abbreviate(node.name),
                                     "' is not a function; expected an operator between it "
                                     "and '('"));
      }
      const std::string closest = ClosestName(node.name, FunctionNameStrings());
      return At(node,
                absl::StrCat("unknown function '", Abbreviate(node.name), "'; ",
                             closest.empty() ? "expected one of the built-in functions"
                                             : absl::StrCat("did you mean '", closest, "'?")));
    }
    if (static_cast<int>(node.args.size()) != function->arity) {
      return At(node,
                absl::StrCat("wrong number of arguments: '", node.name, "' takes ", function->arity,
                             function->arity == 1 ? " argument" : " arguments", " but ",
                             node.args.size(), node.args.size() == 1 ? " was" : " were", " given"));
    }
    NodeId args[3] = {0, 0, 0};
    for (size_t k = 0; k < node.args.size(); ++k) args[k] = ids_[node.args[k]];
    return Located(node, graph_.Apply(function->op, args[0], args[1], args[2]));
  }

  const Source& source_;
  const Ast& ast_;
  const Symbols& symbols_;
  Graph& graph_;
  std::vector<NodeId> ids_;
};

}  // namespace

absl::StatusOr<NodeId> Lower(const Source& source, const Ast& ast, const Symbols& symbols,
                             Graph& graph) {
  if (ast.nodes.empty()) return absl::InvalidArgumentError("internal error: empty parse tree");
  return Lowering(source, ast, symbols, graph).Run();
}

}  // namespace pathwise::expr
