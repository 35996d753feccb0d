// The instruction dispatch shared by both interpreters, and the scalar
// interpreter itself, inline so that a per-path evaluation (EvaluateAt) runs
// without a call per program.
#ifndef PATHWISE_CORE_EXPR_DISPATCH_H_
#define PATHWISE_CORE_EXPR_DISPATCH_H_

#include "core/expr/bytecode.h"
#include "core/expr/ops.h"

namespace pathwise::expr {

// Calls kernel.Unary<op>, kernel.Binary<op> or kernel.Select for one
// instruction, so that the operation is a compile-time constant inside each
// kernel loop.
template <class Kernel>
inline void Dispatch(const Instruction& in, Kernel& k) {
  switch (in.op) {
    case Op::kNeg:
      k.template Unary<Op::kNeg>(in);
      break;
    case Op::kExp:
      k.template Unary<Op::kExp>(in);
      break;
    case Op::kLog:
      k.template Unary<Op::kLog>(in);
      break;
    case Op::kLog1p:
      k.template Unary<Op::kLog1p>(in);
      break;
    case Op::kExpm1:
      k.template Unary<Op::kExpm1>(in);
      break;
    case Op::kSqrt:
      k.template Unary<Op::kSqrt>(in);
      break;
    case Op::kAbs:
      k.template Unary<Op::kAbs>(in);
      break;
    case Op::kSin:
      k.template Unary<Op::kSin>(in);
      break;
    case Op::kCos:
      k.template Unary<Op::kCos>(in);
      break;
    case Op::kTan:
      k.template Unary<Op::kTan>(in);
      break;
    case Op::kTanh:
      k.template Unary<Op::kTanh>(in);
      break;
    case Op::kSinh:
      k.template Unary<Op::kSinh>(in);
      break;
    case Op::kCosh:
      k.template Unary<Op::kCosh>(in);
      break;
    case Op::kAtan:
      k.template Unary<Op::kAtan>(in);
      break;
    case Op::kErf:
      k.template Unary<Op::kErf>(in);
      break;
    case Op::kSigmoid:
      k.template Unary<Op::kSigmoid>(in);
      break;
    case Op::kSoftplus:
      k.template Unary<Op::kSoftplus>(in);
      break;
    case Op::kAdd:
      k.template Binary<Op::kAdd>(in);
      break;
    case Op::kSub:
      k.template Binary<Op::kSub>(in);
      break;
    case Op::kMul:
      k.template Binary<Op::kMul>(in);
      break;
    case Op::kDiv:
      k.template Binary<Op::kDiv>(in);
      break;
    case Op::kPow:
      k.template Binary<Op::kPow>(in);
      break;
    case Op::kMin:
      k.template Binary<Op::kMin>(in);
      break;
    case Op::kMax:
      k.template Binary<Op::kMax>(in);
      break;
    case Op::kLt:
      k.template Binary<Op::kLt>(in);
      break;
    case Op::kLe:
      k.template Binary<Op::kLe>(in);
      break;
    case Op::kGt:
      k.template Binary<Op::kGt>(in);
      break;
    case Op::kGe:
      k.template Binary<Op::kGe>(in);
      break;
    case Op::kEq:
      k.template Binary<Op::kEq>(in);
      break;
    case Op::kNe:
      k.template Binary<Op::kNe>(in);
      break;
    case Op::kSelect:
      k.Select(in);
      break;
    case Op::kConst:
    case Op::kInput:
      break;  // never emitted as instructions
  }
}

struct ScalarKernel {
  double* r;
  template <Op kOp>
  void Unary(const Instruction& in) {
    r[in.dst] = EvalUnary(kOp, r[in.a]);
  }
  template <Op kOp>
  void Binary(const Instruction& in) {
    r[in.dst] = EvalBinary(kOp, r[in.a], r[in.b]);
  }
  void Select(const Instruction& in) { r[in.dst] = EvalSelect(r[in.a], r[in.b], r[in.c]); }
};

// regs[0, num_registers): inputs and constants loaded; runs bc.code.
inline void RunScalar(const Bytecode& bc, double* regs) {
  ScalarKernel kernel{regs};
  for (const Instruction& in : bc.code) Dispatch(in, kernel);
}

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_DISPATCH_H_
