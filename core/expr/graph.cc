#include "core/expr/graph.h"

#include <bit>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/expr/printer.h"

namespace pathwise::expr {

size_t Graph::KeyHash::operator()(const Key& k) const {
  // splitmix64-style mixing of the fields; quality matters more than speed here.
  uint64_t h = static_cast<uint64_t>(k.op) * 0x9e3779b97f4a7c15ull;
  for (uint64_t v : {uint64_t{k.a}, uint64_t{k.b}, uint64_t{k.c}, k.bits}) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
  }
  return static_cast<size_t>(h);
}

absl::StatusOr<NodeId> Graph::Intern(const GraphNode& node) {
  const Key key{node.op, node.args[0], node.args[1], node.args[2],
                node.op == Op::kConst ? std::bit_cast<uint64_t>(node.value) : node.input};
  const auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  if (nodes_.size() >= max_nodes_) {
    return absl::InvalidArgumentError(
        absl::StrCat("the compiled program exceeds the node limit of ", max_nodes_,
                     " (expressions and derivatives together)"));
  }
  const NodeId id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(node);
  index_.emplace(key, id);
  return id;
}

absl::StatusOr<NodeId> Graph::Constant(double value) {
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat("non-finite constant: this evaluates to ",
                                                   FormatNumber(value),
                                                   "; expected a finite value"));
  }
  GraphNode node;
  node.op = Op::kConst;
  node.value = value;
  return Intern(node);
}

absl::StatusOr<NodeId> Graph::Input(uint32_t index) {
  GraphNode node;
  node.op = Op::kInput;
  node.input = index;
  return Intern(node);
}

std::optional<double> Graph::ConstantValue(NodeId id) const {
  if (nodes_[id].op != Op::kConst) return std::nullopt;
  return nodes_[id].value;
}

bool Graph::IsConstantEqual(NodeId id, double value, bool match_sign) const {
  const GraphNode& n = nodes_[id];
  if (n.op != Op::kConst || n.value != value) return false;
  return !match_sign || std::signbit(n.value) == std::signbit(value);
}

// Rewrites that return an existing node with the same bits for every input.
std::optional<NodeId> Graph::Simplify(Op op, NodeId a, NodeId b, NodeId c) const {
  switch (op) {
    case Op::kMul:
      if (IsConstantEqual(a, 1.0, false)) return b;
      if (IsConstantEqual(b, 1.0, false)) return a;
      break;
    case Op::kDiv:
      if (IsConstantEqual(b, 1.0, false)) return a;
      break;
    case Op::kSub:  // x - (+0) == x, also for x = -0
      if (IsConstantEqual(b, 0.0, true)) return a;
      break;
    case Op::kAdd:  // x + (-0) == x, also for x = +0
      if (IsConstantEqual(b, -0.0, true)) return a;
      if (IsConstantEqual(a, -0.0, true)) return b;
      break;
    case Op::kNeg:
      if (nodes_[a].op == Op::kNeg) return nodes_[a].args[0];
      break;
    case Op::kSelect:
      if (b == c) return b;
      if (const std::optional<double> cv = ConstantValue(a)) return *cv != 0.0 ? b : c;
      break;
    default:
      break;
  }
  return std::nullopt;
}

absl::StatusOr<NodeId> Graph::Apply(Op op, NodeId a, NodeId b, NodeId c) {
  const int arity = Arity(op);
  if (op == Op::kDiv && IsConstantEqual(b, 0.0, false)) {
    return absl::InvalidArgumentError(
        "division by zero: the denominator is the constant 0; expected a non-zero denominator");
  }
  if (const std::optional<NodeId> same = Simplify(op, a, b, c)) return *same;
  const std::optional<double> va = ConstantValue(a);
  const std::optional<double> vb = arity >= 2 ? ConstantValue(b) : 0.0;
  const std::optional<double> vc = arity >= 3 ? ConstantValue(c) : 0.0;
  if (va && vb && vc) {
    const double folded = arity == 1   ? EvalUnary(op, *va)
                          : arity == 2 ? EvalBinary(op, *va, *vb)
                                       : EvalSelect(*va, *vb, *vc);
    return Constant(folded);
  }
  if (IsCommutative(op) && b < a) std::swap(a, b);
  GraphNode node;
  node.op = op;
  node.args[0] = a;
  node.args[1] = arity >= 2 ? b : 0;
  node.args[2] = arity >= 3 ? c : 0;
  return Intern(node);
}

}  // namespace pathwise::expr
