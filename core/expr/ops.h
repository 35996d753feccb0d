// The operations of the expression language and their exact meaning.
//
// Each operation is defined once, here, as an inline function of doubles. The
// constant folder, the scalar interpreter and the lane interpreter all call
// these same functions, so folding `2*3` at compile time, evaluating one point
// and evaluating a batch of lanes give the same bits, and a formula equals the
// same C++ written with these functions in the same order (tested).
#ifndef PATHWISE_CORE_EXPR_OPS_H_
#define PATHWISE_CORE_EXPR_OPS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace pathwise::expr {

enum class Op : uint8_t {
  // Leaves.
  kConst,  // a double bound at compile time (literal, parameter, folded value)
  kInput,  // input slot: 0 = t, 1 + j = state variable j
  // Unary.
  kNeg,
  kExp,
  kLog,
  kLog1p,
  kExpm1,
  kSqrt,
  kAbs,
  kSin,
  kCos,
  kTan,
  kTanh,
  kSinh,
  kCosh,
  kAtan,
  kErf,
  kSigmoid,
  kSoftplus,
  // Binary.
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kMin,
  kMax,
  kLt,
  kLe,
  kGt,
  kGe,
  kEq,
  kNe,
  // Ternary: if(c, a, b).
  kSelect,
};

// Number of operands (0 for leaves).
int Arity(Op op);

// A short name for dumps and tests, e.g. "add", "exp".
const char* OpName(Op op);

// True for operations with f(a, b) == f(b, a) bit for bit (IEEE-754 addition
// and multiplication are commutative; comparisons for equality are too).
inline bool IsCommutative(Op op) {
  return op == Op::kAdd || op == Op::kMul || op == Op::kEq || op == Op::kNe;
}

// sigmoid(x) = 1 / (1 + exp(-x)) for x >= 0 and exp(x) / (1 + exp(x)) otherwise:
// the two branches never overflow, so sigmoid(-1000) is 0 and not NaN.
inline double Sigmoid(double x) {
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// softplus(x) = log(1 + exp(x)), written as max(x, 0) + log1p(exp(-|x|)) so
// that it is exact-to-rounding for large |x| instead of overflowing.
inline double Softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }

// Unary operations; `op` must have arity 1.
inline double EvalUnary(Op op, double x) {
  switch (op) {
    case Op::kNeg:
      return -x;
    case Op::kExp:
      return std::exp(x);
    case Op::kLog:
      return std::log(x);
    case Op::kLog1p:
      return std::log1p(x);
    case Op::kExpm1:
      return std::expm1(x);
    case Op::kSqrt:
      return std::sqrt(x);
    case Op::kAbs:
      return std::fabs(x);
    case Op::kSin:
      return std::sin(x);
    case Op::kCos:
      return std::cos(x);
    case Op::kTan:
      return std::tan(x);
    case Op::kTanh:
      return std::tanh(x);
    case Op::kSinh:
      return std::sinh(x);
    case Op::kCosh:
      return std::cosh(x);
    case Op::kAtan:
      return std::atan(x);
    case Op::kErf:
      return std::erf(x);
    case Op::kSigmoid:
      return Sigmoid(x);
    case Op::kSoftplus:
      return Softplus(x);
    default:
      return 0.0;
  }
}

// Binary operations; `op` must have arity 2. min and max are std::min and
// std::max (the first operand wins ties and NaN comparisons); comparisons give
// 1.0 for true and 0.0 for false.
inline double EvalBinary(Op op, double a, double b) {
  switch (op) {
    case Op::kAdd:
      return a + b;
    case Op::kSub:
      return a - b;
    case Op::kMul:
      return a * b;
    case Op::kDiv:
      return a / b;
    case Op::kPow:
      return std::pow(a, b);
    case Op::kMin:
      return std::min(a, b);
    case Op::kMax:
      return std::max(a, b);
    case Op::kLt:
      return a < b ? 1.0 : 0.0;
    case Op::kLe:
      return a <= b ? 1.0 : 0.0;
    case Op::kGt:
      return a > b ? 1.0 : 0.0;
    case Op::kGe:
      return a >= b ? 1.0 : 0.0;
    case Op::kEq:
      return a == b ? 1.0 : 0.0;
    case Op::kNe:
      return a != b ? 1.0 : 0.0;
    default:
      return 0.0;
  }
}

// if(c, a, b): a where c is non-zero (NaN counts as non-zero, as in C++).
inline double EvalSelect(double c, double a, double b) { return c != 0.0 ? a : b; }

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_OPS_H_
