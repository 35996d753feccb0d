#include "core/expr/parser.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/expr/lexer.h"

namespace pathwise::expr {
namespace {

constexpr int64_t kFailed = -1;

std::optional<BinaryOp> ComparisonOp(TokenKind kind) {
  switch (kind) {
    case TokenKind::kLess:
      return BinaryOp::kLt;
    case TokenKind::kLessEqual:
      return BinaryOp::kLe;
    case TokenKind::kGreater:
      return BinaryOp::kGt;
    case TokenKind::kGreaterEqual:
      return BinaryOp::kGe;
    case TokenKind::kEqualEqual:
      return BinaryOp::kEq;
    case TokenKind::kNotEqual:
      return BinaryOp::kNe;
    default:
      return std::nullopt;
  }
}

// Recursive descent. Every parse function returns a node index or kFailed
// with status_ set to the first error; callers return kFailed at once.
class Parser {
 public:
  Parser(const Source& source, std::vector<Token> tokens, const Limits& limits)
      : source_(source), tokens_(std::move(tokens)), limits_(limits) {}

  absl::StatusOr<Ast> Run() {
    if (Peek().kind == TokenKind::kEnd) {
      return SourceError(source_, 0, "expected an expression but the text is empty");
    }
    const int64_t root = ParseComparison();
    if (root == kFailed) return status_;
    if (Peek().kind != TokenKind::kEnd) {
      return SourceError(source_, Peek().offset,
                         absl::StrCat("expected an operator (+ - * / ^ < <= > >= == !=) or the "
                                      "end of the expression but found ",
                                      DescribeToken(source_, Peek())));
    }
    ast_.root = static_cast<uint32_t>(root);
    return std::move(ast_);
  }

 private:
  // Counts one nesting level for as long as it lives.
  class Level {
   public:
    explicit Level(int& depth) : depth_(depth) { ++depth_; }
    ~Level() { --depth_; }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;

   private:
    int& depth_;
  };

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Advance() { return tokens_[pos_++]; }

  int64_t Fail(uint32_t offset, absl::string_view message) {
    status_ = SourceError(source_, offset, message);
    return kFailed;
  }

  // One level per enclosing parenthesis, call, unary sign or power, so
  // "((x))" has depth 2; every recursion of the parser passes one of them.
  bool TooDeep() const { return depth_ > limits_.max_depth; }
  int64_t FailDepth() {
    return Fail(Peek().offset,
                absl::StrCat("expression nesting exceeds the depth limit of ", limits_.max_depth,
                             " (each parenthesis, function call, unary sign and power adds a "
                             "level)"));
  }

  int64_t Add(AstNode node) {
    ast_.nodes.push_back(std::move(node));
    return static_cast<int64_t>(ast_.nodes.size() - 1);
  }

  int64_t AddBinary(BinaryOp op, uint32_t offset, int64_t left, int64_t right) {
    AstNode node;
    node.kind = AstKind::kBinary;
    node.op = op;
    node.offset = offset;
    node.args = {static_cast<uint32_t>(left), static_cast<uint32_t>(right)};
    return Add(std::move(node));
  }

  int64_t ParseComparison() {
    int64_t left = ParseAdditive();
    while (left != kFailed) {
      const std::optional<BinaryOp> op = ComparisonOp(Peek().kind);
      if (!op) break;
      const uint32_t offset = Advance().offset;
      const int64_t right = ParseAdditive();
      if (right == kFailed) return kFailed;
      left = AddBinary(*op, offset, left, right);
    }
    return left;
  }

  int64_t ParseAdditive() {
    int64_t left = ParseTerm();
    while (left != kFailed &&
           (Peek().kind == TokenKind::kPlus || Peek().kind == TokenKind::kMinus)) {
      const Token& op = Advance();
      const int64_t right = ParseTerm();
      if (right == kFailed) return kFailed;
      left = AddBinary(op.kind == TokenKind::kPlus ? BinaryOp::kAdd : BinaryOp::kSub, op.offset,
                       left, right);
    }
    return left;
  }

  int64_t ParseTerm() {
    int64_t left = ParseUnary();
    while (left != kFailed &&
           (Peek().kind == TokenKind::kStar || Peek().kind == TokenKind::kSlash)) {
      const Token& op = Advance();
      const int64_t right = ParseUnary();
      if (right == kFailed) return kFailed;
      left = AddBinary(op.kind == TokenKind::kStar ? BinaryOp::kMul : BinaryOp::kDiv, op.offset,
                       left, right);
    }
    return left;
  }

  int64_t ParseUnary() {
    if (Peek().kind != TokenKind::kPlus && Peek().kind != TokenKind::kMinus) return ParsePower();
    Level level(depth_);
    if (TooDeep()) return FailDepth();
    if (Peek().kind == TokenKind::kPlus) {
      Advance();
      return ParseUnary();
    }
    const uint32_t offset = Advance().offset;
    const int64_t operand = ParseUnary();
    if (operand == kFailed) return kFailed;
    AstNode node;
    node.kind = AstKind::kNeg;
    node.offset = offset;
    node.args = {static_cast<uint32_t>(operand)};
    return Add(std::move(node));
  }

  int64_t ParsePower() {
    const int64_t base = ParsePrimary();
    if (base == kFailed || Peek().kind != TokenKind::kCaret) return base;
    Level level(depth_);
    if (TooDeep()) return FailDepth();
    const uint32_t offset = Advance().offset;
    const int64_t exponent = ParseUnary();
    if (exponent == kFailed) return kFailed;
    return AddBinary(BinaryOp::kPow, offset, base, exponent);
  }

  int64_t ParsePrimary() {
    const Token& token = Peek();
    switch (token.kind) {
      case TokenKind::kNumber: {
        Advance();
        AstNode node;
        node.kind = AstKind::kNumber;
        node.offset = token.offset;
        node.number = token.number;
        return Add(std::move(node));
      }
      case TokenKind::kName:
        Advance();
        if (Peek().kind == TokenKind::kLeftParen) return ParseCall(token);
        return AddName(token);
      case TokenKind::kLeftParen: {
        Level level(depth_);
        if (TooDeep()) return FailDepth();
        Advance();
        const int64_t inner = ParseComparison();
        if (inner == kFailed) return kFailed;
        if (Peek().kind != TokenKind::kRightParen) {
          return Fail(Peek().offset, absl::StrCat("expected ')' to close the '(' at column ",
                                                  ColumnOf(token.offset), " but found ",
                                                  DescribeToken(source_, Peek())));
        }
        Advance();
        return inner;
      }
      default:
        return Fail(token.offset, absl::StrCat("expected a number, a name, '(' or '-' but found ",
                                               DescribeToken(source_, token)));
    }
  }

  int64_t AddName(const Token& token) {
    AstNode node;
    node.kind = AstKind::kName;
    node.offset = token.offset;
    node.name = std::string(source_.text.substr(token.offset, token.length));
    return Add(std::move(node));
  }

  // name '(' arguments ')', with the name already consumed and '(' next.
  int64_t ParseCall(const Token& name) {
    Level level(depth_);
    if (TooDeep()) return FailDepth();
    Advance();  // '('
    AstNode node;
    node.kind = AstKind::kCall;
    node.offset = name.offset;
    node.name = std::string(source_.text.substr(name.offset, name.length));
    if (Peek().kind != TokenKind::kRightParen) {
      while (true) {
        const int64_t arg = ParseComparison();
        if (arg == kFailed) return kFailed;
        node.args.push_back(static_cast<uint32_t>(arg));
        if (Peek().kind == TokenKind::kComma) {
          Advance();
          continue;
        }
        if (Peek().kind == TokenKind::kRightParen) break;
        return Fail(Peek().offset,
                    absl::StrCat("expected ',' or ')' in the arguments of '", Abbreviate(node.name),
                                 "' but found ", DescribeToken(source_, Peek())));
      }
    }
    Advance();  // ')'
    return Add(std::move(node));
  }

  size_t ColumnOf(size_t offset) const {
    size_t start = offset;
    while (start > 0 && source_.text[start - 1] != '\n') --start;
    return offset - start + 1;
  }

  const Source& source_;
  std::vector<Token> tokens_;
  const Limits& limits_;
  size_t pos_ = 0;
  int depth_ = 0;
  Ast ast_;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<Ast> Parse(const Source& source, const Limits& limits) {
  if (source.text.size() > limits.max_length) {
    return SourceError(source, limits.max_length,
                       absl::StrCat("expression is ", source.text.size(),
                                    " characters long; the length limit is ", limits.max_length));
  }
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(source);
  if (!tokens.ok()) return tokens.status();
  Parser parser(source, *std::move(tokens), limits);
  return parser.Run();
}

}  // namespace pathwise::expr
