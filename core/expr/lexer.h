// Splits an expression's text into tokens.
#ifndef PATHWISE_CORE_EXPR_LEXER_H_
#define PATHWISE_CORE_EXPR_LEXER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/expr/diagnostic.h"

namespace pathwise::expr {

enum class TokenKind : uint8_t {
  kNumber,
  kName,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kCaret,  // '^' or '**'
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kEqualEqual,
  kNotEqual,
  kLeftParen,
  kRightParen,
  kComma,
  kEnd,
};

struct Token {
  TokenKind kind;
  uint32_t offset;  // byte offset in the text
  uint32_t length;
  double number;  // kNumber: the value, finite and correctly rounded
};

// The tokens of source.text, ending with one kEnd token. Errors: characters
// outside the language, a lone '=' or '!', malformed numbers, and numbers that
// overflow to infinity or underflow to zero.
absl::StatusOr<std::vector<Token>> Tokenize(const Source& source);

// How a token is shown in "found ..." messages, e.g. "'+'", "the name 'x'",
// "the end of the expression".
std::string DescribeToken(const Source& source, const Token& token);

// `spelling`, cut to 40 characters plus "..." when longer (names in messages).
std::string Abbreviate(absl::string_view spelling);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_LEXER_H_
