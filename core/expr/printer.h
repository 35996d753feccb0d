// Parse tree -> text, with the fewest parentheses that keep the same tree.
#ifndef PATHWISE_CORE_EXPR_PRINTER_H_
#define PATHWISE_CORE_EXPR_PRINTER_H_

#include <string>

#include "core/expr/ast.h"

namespace pathwise::expr {

// Canonical text of `ast`: numbers in the shortest form that reads back to
// the same double, single spaces around binary operators except '^' and '*'
// and '/', ", " between arguments. Parse(Print(a)) is SameTree as a, and
// Print is idempotent through Parse.
std::string Print(const Ast& ast);

// The shortest decimal text that parses back to exactly `value` (finite).
std::string FormatNumber(double value);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_PRINTER_H_
