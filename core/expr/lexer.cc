#include "core/expr/lexer.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace pathwise::expr {
namespace {

bool IsNameStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsNameChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

size_t SkipDigits(absl::string_view text, size_t i) {
  while (i < text.size() && absl::ascii_isdigit(text[i])) ++i;
  return i;
}

// Reads the number starting at `start` (a digit, or '.' followed by a digit).
absl::StatusOr<Token> LexNumber(const Source& source, size_t start) {
  const absl::string_view text = source.text;
  size_t i = SkipDigits(text, start);
  if (i < text.size() && text[i] == '.') i = SkipDigits(text, i + 1);
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j >= text.size() || !absl::ascii_isdigit(text[j])) {
      return SourceError(source, j, "expected the digits of an exponent after 'e'");
    }
    i = SkipDigits(text, j);
  }
  Token token{TokenKind::kNumber, static_cast<uint32_t>(start), static_cast<uint32_t>(i - start),
              0.0};
  const auto [end, ec] = std::from_chars(text.data() + start, text.data() + i, token.number);
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports both overflow and underflow; the exponent's sign tells which.
    const bool negative_exponent =
        text.substr(start, i - start).find("e-") != absl::string_view::npos ||
        text.substr(start, i - start).find("E-") != absl::string_view::npos;
    return SourceError(source, start,
                       negative_exponent
                           ? "numeric constant underflows to zero; expected a number of magnitude "
                             "above 2.2250738585072014e-308, or 0"
                           : "non-finite constant: the number overflows to infinity; expected a "
                             "finite number, at most 1.7976931348623157e308");
  }
  if (ec != std::errc() || end != text.data() + i || !std::isfinite(token.number)) {
    return SourceError(source, start, "malformed number; expected digits, '.', and an exponent");
  }
  return token;
}

// The operator or punctuation at `i`, or an error.
absl::StatusOr<Token> LexSymbol(const Source& source, size_t i) {
  const absl::string_view text = source.text;
  const char c = text[i];
  const char next = i + 1 < text.size() ? text[i + 1] : '\0';
  auto make = [i](TokenKind kind, uint32_t length) {
    return Token{kind, static_cast<uint32_t>(i), length, 0.0};
  };
  switch (c) {
    case '+':
      return make(TokenKind::kPlus, 1);
    case '-':
      return make(TokenKind::kMinus, 1);
    case '*':
      return next == '*' ? make(TokenKind::kCaret, 2) : make(TokenKind::kStar, 1);
    case '/':
      return make(TokenKind::kSlash, 1);
    case '^':
      return make(TokenKind::kCaret, 1);
    case '(':
      return make(TokenKind::kLeftParen, 1);
    case ')':
      return make(TokenKind::kRightParen, 1);
    case ',':
      return make(TokenKind::kComma, 1);
    case '<':
      return next == '=' ? make(TokenKind::kLessEqual, 2) : make(TokenKind::kLess, 1);
    case '>':
      return next == '=' ? make(TokenKind::kGreaterEqual, 2) : make(TokenKind::kGreater, 1);
    case '=':
      if (next == '=') return make(TokenKind::kEqualEqual, 2);
      return SourceError(source, i, "unexpected '='; expected '==' to compare");
    case '!':
      if (next == '=') return make(TokenKind::kNotEqual, 2);
      return SourceError(source, i, "unexpected '!'; expected '!=' to compare");
    default:
      break;
  }
  const unsigned char u = static_cast<unsigned char>(c);
  const std::string shown = u >= 0x20 && u < 0x7f ? absl::StrCat("'", std::string(1, c), "'")
                                                  : absl::StrCat("byte 0x", absl::Hex(u));
  return SourceError(source, i,
                     absl::StrCat("unexpected character ", shown,
                                  "; expected a number, a name, an operator or a parenthesis"));
}

}  // namespace

absl::StatusOr<std::vector<Token>> Tokenize(const Source& source) {
  const absl::string_view text = source.text;
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    absl::StatusOr<Token> token;
    if (absl::ascii_isdigit(c) ||
        (c == '.' && i + 1 < text.size() && absl::ascii_isdigit(text[i + 1]))) {
      token = LexNumber(source, i);
    } else if (IsNameStart(c)) {
      size_t j = i + 1;
      while (j < text.size() && IsNameChar(text[j])) ++j;
      token = Token{TokenKind::kName, static_cast<uint32_t>(i), static_cast<uint32_t>(j - i), 0.0};
    } else {
      token = LexSymbol(source, i);
    }
    if (!token.ok()) return token.status();
    tokens.push_back(*token);
    i += token->length;
  }
  tokens.push_back(Token{TokenKind::kEnd, static_cast<uint32_t>(text.size()), 0, 0.0});
  return tokens;
}

std::string Abbreviate(absl::string_view spelling) {
  constexpr size_t kMaxShown = 40;
  if (spelling.size() <= kMaxShown) return std::string(spelling);
  return absl::StrCat(spelling.substr(0, kMaxShown), "...");
}

std::string DescribeToken(const Source& source, const Token& token) {
  const std::string spelling = Abbreviate(source.text.substr(token.offset, token.length));
  switch (token.kind) {
    case TokenKind::kEnd:
      return "the end of the expression";
    case TokenKind::kName:
      return absl::StrCat("the name '", spelling, "'");
    case TokenKind::kNumber:
      return absl::StrCat("the number ", spelling);
    default:
      return absl::StrCat("'", spelling, "'");
  }
}

}  // namespace pathwise::expr
