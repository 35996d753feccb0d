#include "core/expr/ops.h"

namespace pathwise::expr {

int Arity(Op op) {
  if (op == Op::kConst || op == Op::kInput) return 0;
  if (op < Op::kAdd) return 1;
  if (op < Op::kSelect) return 2;
  return 3;
}

const char* OpName(Op op) {
  switch (op) {
    case Op::kConst:
      return "const";
    case Op::kInput:
      return "input";
    case Op::kNeg:
      return "neg";
    case Op::kExp:
      return "exp";
    case Op::kLog:
      return "log";
    case Op::kLog1p:
      return "log1p";
    case Op::kExpm1:
      return "expm1";
    case Op::kSqrt:
      return "sqrt";
    case Op::kAbs:
      return "abs";
    case Op::kSin:
      return "sin";
    case Op::kCos:
      return "cos";
    case Op::kTan:
      return "tan";
    case Op::kTanh:
      return "tanh";
    case Op::kSinh:
      return "sinh";
    case Op::kCosh:
      return "cosh";
    case Op::kAtan:
      return "atan";
    case Op::kErf:
      return "erf";
    case Op::kSigmoid:
      return "sigmoid";
    case Op::kSoftplus:
      return "softplus";
    case Op::kAdd:
      return "add";
    case Op::kSub:
      return "sub";
    case Op::kMul:
      return "mul";
    case Op::kDiv:
      return "div";
    case Op::kPow:
      return "pow";
    case Op::kMin:
      return "min";
    case Op::kMax:
      return "max";
    case Op::kLt:
      return "lt";
    case Op::kLe:
      return "le";
    case Op::kGt:
      return "gt";
    case Op::kGe:
      return "ge";
    case Op::kEq:
      return "eq";
    case Op::kNe:
      return "ne";
    case Op::kSelect:
      return "select";
  }
  return "?";
}

}  // namespace pathwise::expr
