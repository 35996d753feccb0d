#include "core/expr/interpreter.h"

#include "core/expr/dispatch.h"

namespace pathwise::expr {
namespace {

struct LaneKernel {
  double* const* col;
  size_t n;
  const Bytecode& bc;
  template <Op kOp>
  void Unary(const Instruction& in) {
    double* d = col[in.dst];
    const double* a = col[in.a];
    for (size_t l = 0; l < n; ++l) d[l] = EvalUnary(kOp, a[l]);
  }
  template <Op kOp>
  void Binary(const Instruction& in) {
    double* d = col[in.dst];
    if (in.constant == ConstOperand::kA) {
      const double a = bc.constants[in.a - bc.num_inputs];
      const double* b = col[in.b];
      for (size_t l = 0; l < n; ++l) d[l] = EvalBinary(kOp, a, b[l]);
    } else if (in.constant == ConstOperand::kB) {
      const double* a = col[in.a];
      const double b = bc.constants[in.b - bc.num_inputs];
      for (size_t l = 0; l < n; ++l) d[l] = EvalBinary(kOp, a[l], b);
    } else {
      const double* a = col[in.a];
      const double* b = col[in.b];
      for (size_t l = 0; l < n; ++l) d[l] = EvalBinary(kOp, a[l], b[l]);
    }
  }
  void Select(const Instruction& in) {
    double* d = col[in.dst];
    const double* c = col[in.a];
    const double* a = col[in.b];
    const double* b = col[in.c];
    for (size_t l = 0; l < n; ++l) d[l] = EvalSelect(c[l], a[l], b[l]);
  }
};

}  // namespace

// On x86-64 the lane loops are also compiled for AVX2 (4 doubles per vector
// instead of SSE2's 2), chosen once at load time; flatten puts every kernel
// loop inside each variant. The bits cannot change: IEEE-754 operations round
// the same at any vector width, "avx2" does not enable FMA, and
// -ffp-contract=off forbids contraction anyway (tests compare lanes with the
// scalar interpreter bit for bit). Not under ThreadSanitizer: the clones'
// resolver is an ifunc that the dynamic loader runs before TSan's runtime is
// set up, and its instrumented code crashed every binary at start-up.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
__attribute__((flatten, target_clones("avx2", "default")))
#endif
void RunLanes(const Bytecode& bc, double* const* columns, size_t n) {
  LaneKernel kernel{columns, n, bc};
  for (const Instruction& in : bc.code) Dispatch(in, kernel);
}

}  // namespace pathwise::expr
