#include "core/expr/derivative.h"

#include <limits>
#include <numbers>
#include <vector>

namespace pathwise::expr {
namespace {

// A derivative that is symbolically zero, kept out of the graph.
constexpr NodeId kZero = std::numeric_limits<NodeId>::max();

// Graph building with symbolic zero and one: 0 * u = 0, 0 + u = u, and so on.
// These are the rules of differentiation, not IEEE rewrites of user formulas,
// which is why they live here and not in Graph::Apply.
class Builder {
 public:
  explicit Builder(Graph& graph) : graph_(graph) {}

  const absl::Status& status() const { return status_; }

  bool IsZero(NodeId a) const {
    if (a == kZero) return true;
    const std::optional<double> v = graph_.ConstantValue(a);
    return v && *v == 0.0;
  }

  NodeId Const(double v) { return Check(graph_.Constant(v)); }
  NodeId One() { return Const(1.0); }
  NodeId Materialize(NodeId a) { return a == kZero ? Const(0.0) : a; }

  NodeId Apply(Op op, NodeId a, NodeId b = 0, NodeId c = 0) {
    if (!status_.ok()) return kZero;
    return Check(graph_.Apply(op, a, b, c));
  }
  NodeId Add(NodeId a, NodeId b) {
    if (IsZero(a)) return b;
    if (IsZero(b)) return a;
    return Apply(Op::kAdd, a, b);
  }
  NodeId Sub(NodeId a, NodeId b) {
    if (IsZero(b)) return a;
    if (IsZero(a)) return Neg(b);
    return Apply(Op::kSub, a, b);
  }
  NodeId Mul(NodeId a, NodeId b) {
    if (IsZero(a) || IsZero(b)) return kZero;
    return Apply(Op::kMul, a, b);
  }
  NodeId Div(NodeId a, NodeId b) {
    if (IsZero(a)) return kZero;
    return Apply(Op::kDiv, a, b);
  }
  NodeId Neg(NodeId a) { return IsZero(a) ? kZero : Apply(Op::kNeg, a); }
  NodeId Select(NodeId c, NodeId a, NodeId b) {
    if (IsZero(a) && IsZero(b)) return kZero;
    return Apply(Op::kSelect, c, Materialize(a), Materialize(b));
  }

 private:
  NodeId Check(absl::StatusOr<NodeId> id) {
    if (id.ok()) return *id;
    if (status_.ok()) status_ = id.status();
    return kZero;
  }

  Graph& graph_;
  absl::Status status_;
};

// d f / d x for one node f = op(u, v, w), given du, dv, dw.
NodeId Rule(Builder& b, NodeId f, const GraphNode& n, NodeId du, NodeId dv, NodeId dw) {
  const NodeId u = n.args[0];
  const NodeId v = n.args[1];
  switch (n.op) {
    case Op::kNeg:
      return b.Neg(du);
    case Op::kExp:
      return b.Mul(du, f);
    case Op::kLog:
      return b.Div(du, u);
    case Op::kLog1p:
      return b.Div(du, b.Add(b.One(), u));
    case Op::kExpm1:
      return b.Mul(du, b.Apply(Op::kExp, u));
    case Op::kSqrt:
      return b.Div(du, b.Mul(b.Const(2.0), f));
    case Op::kAbs:
      return b.Select(b.Apply(Op::kLt, u, b.Const(0.0)), b.Neg(du), du);
    case Op::kSin:
      return b.Mul(du, b.Apply(Op::kCos, u));
    case Op::kCos:
      return b.Neg(b.Mul(du, b.Apply(Op::kSin, u)));
    case Op::kTan:
      return b.Mul(du, b.Add(b.One(), b.Mul(f, f)));
    case Op::kTanh:
      return b.Mul(du, b.Sub(b.One(), b.Mul(f, f)));
    case Op::kSinh:
      return b.Mul(du, b.Apply(Op::kCosh, u));
    case Op::kCosh:
      return b.Mul(du, b.Apply(Op::kSinh, u));
    case Op::kAtan:
      return b.Div(du, b.Add(b.One(), b.Mul(u, u)));
    case Op::kErf: {
      const NodeId gauss = b.Apply(Op::kExp, b.Neg(b.Mul(u, u)));
      return b.Mul(du, b.Mul(b.Const(2.0 * std::numbers::inv_sqrtpi), gauss));
    }
    case Op::kSigmoid:
      return b.Mul(du, b.Mul(f, b.Sub(b.One(), f)));
    case Op::kSoftplus:
      return b.Mul(du, b.Apply(Op::kSigmoid, u));
    case Op::kAdd:
      return b.Add(du, dv);
    case Op::kSub:
      return b.Sub(du, dv);
    case Op::kMul:
      return b.Add(b.Mul(du, v), b.Mul(u, dv));
    case Op::kDiv:
      return b.Div(b.Sub(du, b.Mul(f, dv)), v);
    case Op::kPow: {
      // d u^v = v u^(v-1) du + u^v log(u) dv; each term only when its factor is non-zero.
      NodeId by_base = kZero;
      if (!b.IsZero(du)) {
        const NodeId power = b.Apply(Op::kPow, u, b.Sub(v, b.One()));
        by_base = b.Mul(du, b.Mul(v, power));
      }
      const NodeId by_exponent = b.IsZero(dv) ? kZero : b.Mul(dv, b.Mul(f, b.Apply(Op::kLog, u)));
      return b.Add(by_base, by_exponent);
    }
    case Op::kMin:
      return b.Select(b.Apply(Op::kLt, v, u), dv, du);  // std::min: b < a ? b : a
    case Op::kMax:
      return b.Select(b.Apply(Op::kLt, u, v), dv, du);  // std::max: a < b ? b : a
    case Op::kSelect:
      return b.Select(u, dv, dw);
    default:
      return kZero;  // comparisons are piecewise constant
  }
}

}  // namespace

absl::StatusOr<NodeId> Differentiate(Graph& graph, NodeId node, uint32_t input) {
  // Mark the nodes `node` reaches (ids only decrease along arguments).
  std::vector<uint8_t> reached(node + 1, 0);
  reached[node] = 1;
  for (NodeId i = node + 1; i-- > 0;) {
    if (!reached[i]) continue;
    const GraphNode& n = graph.node(i);
    for (int k = 0; k < Arity(n.op); ++k) reached[n.args[k]] = 1;
  }
  Builder b(graph);
  std::vector<NodeId> d(node + 1, kZero);
  for (NodeId i = 0; i <= node; ++i) {
    if (!reached[i]) continue;
    const GraphNode n = graph.node(i);  // a copy: building may reallocate the node table
    if (n.op == Op::kConst) continue;
    if (n.op == Op::kInput) {
      d[i] = n.input == input ? b.One() : kZero;
      continue;
    }
    const int arity = Arity(n.op);
    const NodeId du = d[n.args[0]];
    const NodeId dv = arity >= 2 ? d[n.args[1]] : kZero;
    const NodeId dw = arity >= 3 ? d[n.args[2]] : kZero;
    const bool any = du != kZero || dv != kZero || dw != kZero;
    d[i] = any ? Rule(b, i, n, du, dv, dw) : kZero;
    if (!b.status().ok()) return b.status();
  }
  const NodeId result = b.Materialize(d[node]);
  if (!b.status().ok()) return b.status();
  return result;
}

}  // namespace pathwise::expr
