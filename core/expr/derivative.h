// Exact symbolic derivatives on the graph.
//
// The derivative of a node is built from the usual rules (chain, product,
// quotient; d|u| = if(u < 0, -du, du), d min(a, b) = if(b < a, db, da), the
// derivative of a comparison is 0, d if(c, a, b) = if(c, da, db)). Terms that
// are symbolically zero are dropped and factors that are one are skipped, so
// the derivative of a formula that does not involve the variable is the
// constant 0 and derivatives stay small. New nodes share the graph with the
// expressions, so common subexpressions (exp(u) in d exp(u), sqrt(u) in
// d sqrt(u), ...) are reused rather than recomputed.
//
// The walk is iterative (nodes are topologically ordered by id), so no graph
// depth can overflow the stack.
#ifndef PATHWISE_CORE_EXPR_DERIVATIVE_H_
#define PATHWISE_CORE_EXPR_DERIVATIVE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "core/expr/graph.h"

namespace pathwise::expr {

// d node / d input[`input`] (input 0 is t, 1 + j is state j). Errors: the
// graph's node limit.
absl::StatusOr<NodeId> Differentiate(Graph& graph, NodeId node, uint32_t input);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_DERIVATIVE_H_
