// The parse tree of one expression, exactly as written (no folding), for
// printing and for lowering into the compiled graph.
#ifndef PATHWISE_CORE_EXPR_AST_H_
#define PATHWISE_CORE_EXPR_AST_H_

#include <cstdint>
#include <string>
#include <vector>

namespace pathwise::expr {

enum class AstKind : uint8_t { kNumber, kName, kNeg, kBinary, kCall };

enum class BinaryOp : uint8_t { kAdd, kSub, kMul, kDiv, kPow, kLt, kLe, kGt, kGe, kEq, kNe };

struct AstNode {
  AstKind kind = AstKind::kNumber;
  BinaryOp op = BinaryOp::kAdd;  // kBinary only
  uint32_t offset = 0;           // where errors about this node point: its operator, name or number
  double number = 0.0;           // kNumber only
  std::string name;              // kName and kCall
  std::vector<uint32_t> args;    // operands (kNeg: 1, kBinary: 2, kCall: any)
};

// Nodes are stored children first: every argument index is smaller than the
// index of its node, so passes can walk the tree in order, without recursion.
struct Ast {
  std::vector<AstNode> nodes;
  uint32_t root = 0;
};

// Structural equality (kinds, operators, names, numbers bit for bit).
bool SameTree(const Ast& a, const Ast& b);

// The spelling of a binary operator, e.g. "<=".
const char* BinaryOpSpelling(BinaryOp op);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_AST_H_
