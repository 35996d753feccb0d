// Text -> parse tree, with errors that point at the problem.
//
// Grammar (lowest precedence first; all binary operators are left-associative
// except '^', which is right-associative and binds tighter than unary minus,
// so -x^2 is -(x^2) and 2^-1 is 2^(-1)):
//
//   comparison := additive (('<' | '<=' | '>' | '>=' | '==' | '!=') additive)*
//   additive   := term (('+' | '-') term)*
//   term       := unary (('*' | '/') unary)*
//   unary      := ('-' | '+') unary | power
//   power      := primary (('^' | '**') unary)?
//   primary    := number | name | name '(' (comparison (',' comparison)*)? ')'
//               | '(' comparison ')'
#ifndef PATHWISE_CORE_EXPR_PARSER_H_
#define PATHWISE_CORE_EXPR_PARSER_H_

#include "absl/status/statusor.h"
#include "core/expr/ast.h"
#include "core/expr/diagnostic.h"
#include "core/expr/limits.h"

namespace pathwise::expr {

// Parses source.text. Names are not resolved here (see lower.h), so any
// identifier is accepted. Errors: text longer than limits.max_length, nesting
// deeper than limits.max_depth, and syntax errors, each as a diagnostic.
absl::StatusOr<Ast> Parse(const Source& source, const Limits& limits);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_PARSER_H_
