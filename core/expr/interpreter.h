// Runs bytecode: on one point (a register file of doubles), or on a block of
// lanes (each register a column of up to kLaneBlock ensemble members).
//
// Both call the functions of ops.h for each operation, so a lane computes
// exactly the bits the scalar interpreter computes for the same inputs. The
// lane loops are plain element-wise loops the compiler vectorises where the
// operation allows (arithmetic, comparisons, selects); with -ffp-contract=off
// a vector lane rounds exactly as a scalar operation does.
#ifndef PATHWISE_CORE_EXPR_INTERPRETER_H_
#define PATHWISE_CORE_EXPR_INTERPRETER_H_

#include <cstddef>

#include "core/expr/bytecode.h"
#include "core/expr/dispatch.h"  // RunScalar

namespace pathwise::expr {

// Lanes per block: 128 doubles = 1 KiB per register, so a program's
// temporaries usually fit in the L1 data cache while the per-instruction
// dispatch cost is spread over 128 lanes.
inline constexpr size_t kLaneBlock = 128;

// columns[r] points at register r's column; runs bc.code on lanes [0, n).
void RunLanes(const Bytecode& bc, double* const* columns, size_t n);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_INTERPRETER_H_
