// Limits that bound the work any expression text can cause.
#ifndef PATHWISE_CORE_EXPR_LIMITS_H_
#define PATHWISE_CORE_EXPR_LIMITS_H_

#include <cstddef>

#include "absl/status/status.h"

namespace pathwise::expr {

struct Limits {
  // Characters in one expression's text.
  size_t max_length = 100000;
  // Nesting of parentheses, function calls, unary signs and powers, one level
  // each: "((x))" and "exp(-x)" nest 2 deep. The parser is the only recursive
  // pass, so this bounds its stack use (every later pass walks the nodes in
  // order, without recursion).
  int max_depth = 200;
  // Nodes of the compiled graph of one program, derivatives included.
  size_t max_nodes = 200000;
  // Expressions plus derivative requests of one program.
  size_t max_outputs = 10000;
  // State variables of one program (dependency sets cost nodes x this / 8 bytes).
  size_t max_state = 1024;

  // Every limit must be >= 1; max_length <= 2^30; max_depth <= 5000 to keep the parser's stack
  // small (a level costs up to six parser frames).
  absl::Status Validate() const;
};

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_LIMITS_H_
