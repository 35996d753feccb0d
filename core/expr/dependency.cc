#include "core/expr/dependency.h"

#include <algorithm>

namespace pathwise::expr {

std::vector<InputSet> InputDependencies(const Graph& graph, absl::Span<const NodeId> roots,
                                        uint32_t num_inputs) {
  NodeId last = 0;
  for (NodeId r : roots) last = std::max(last, r);
  // Arguments precede their node, so one forward pass suffices.
  std::vector<InputSet> sets(roots.empty() ? 0 : last + 1, InputSet(num_inputs));
  for (NodeId i = 0; i < sets.size(); ++i) {
    const GraphNode& n = graph.node(i);
    if (n.op == Op::kInput) {
      if (n.input < num_inputs) sets[i].Insert(n.input);
      continue;
    }
    for (int k = 0; k < Arity(n.op); ++k) sets[i].Union(sets[n.args[k]]);
  }
  std::vector<InputSet> result;
  result.reserve(roots.size());
  for (NodeId r : roots) result.push_back(sets[r]);
  return result;
}

}  // namespace pathwise::expr
