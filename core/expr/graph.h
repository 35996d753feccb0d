// The compiled form of expressions before code generation: a DAG of
// operations with constant folding and common-subexpression elimination.
//
// Every node is unique (hash-consing), so a subexpression that occurs twice,
// in one expression, in several outputs or in derivatives, is one node and is
// computed once. Folding only applies rewrites that give the same bits as
// evaluating the original (constant operands, x*1, x/1, x-0, x+(-0), -(-x),
// if with a constant or repeated branch, operand order of + * == !=), so a
// compiled formula still equals its C++ transcription bit for bit.
#ifndef PATHWISE_CORE_EXPR_GRAPH_H_
#define PATHWISE_CORE_EXPR_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "core/expr/ops.h"

namespace pathwise::expr {

using NodeId = uint32_t;

struct GraphNode {
  Op op = Op::kConst;
  NodeId args[3] = {0, 0, 0};
  double value = 0.0;  // kConst
  uint32_t input = 0;  // kInput: 0 = t, 1 + j = state j
};

class Graph {
 public:
  // At most `max_nodes` nodes; building more is an error naming the limit.
  explicit Graph(size_t max_nodes) : max_nodes_(max_nodes) {}

  // A constant; error when `value` is not finite.
  absl::StatusOr<NodeId> Constant(double value);
  absl::StatusOr<NodeId> Input(uint32_t index);
  // op applied to the nodes `a`, `b`, `c` (as many as Arity(op)), folded as
  // described above. Errors: division by a constant zero, a constant result
  // that is not finite, the node limit.
  absl::StatusOr<NodeId> Apply(Op op, NodeId a, NodeId b = 0, NodeId c = 0);

  const GraphNode& node(NodeId id) const { return nodes_[id]; }
  size_t size() const { return nodes_.size(); }
  // The value of a constant node.
  std::optional<double> ConstantValue(NodeId id) const;

 private:
  struct Key {
    Op op;
    NodeId a, b, c;
    uint64_t bits;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };

  absl::StatusOr<NodeId> Intern(const GraphNode& node);
  std::optional<NodeId> Simplify(Op op, NodeId a, NodeId b, NodeId c) const;
  bool IsConstantEqual(NodeId id, double value, bool match_sign) const;

  size_t max_nodes_;
  std::vector<GraphNode> nodes_;
  std::unordered_map<Key, NodeId, KeyHash> index_;
};

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_GRAPH_H_
