// Graph -> register bytecode.
//
// Registers are numbered: inputs [0, num_inputs) (0 = t, 1 + j = state j),
// constants [num_inputs, + constants.size()), then output registers (one per
// distinct computed output, never reused), then temporaries, which are reused
// once their last reader has run. The lane interpreter points each register at
// a column of lanes: inputs at the caller's state, output registers at the
// caller's output columns (so results are written in place), temporaries at
// scratch space small enough to stay in the L1 cache.
#ifndef PATHWISE_CORE_EXPR_BYTECODE_H_
#define PATHWISE_CORE_EXPR_BYTECODE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "core/expr/graph.h"

namespace pathwise::expr {

// Which operand of a binary instruction is a constant register. The lane
// interpreter then reads it once as a scalar instead of streaming a column of
// copies, which matters for programs with many constants (data in a potential).
enum class ConstOperand : uint8_t { kNone, kA, kB };

struct Instruction {
  Op op;
  ConstOperand constant = ConstOperand::kNone;
  uint32_t dst;
  uint32_t a, b, c;  // operand registers (as many as Arity(op))
};

struct Bytecode {
  uint32_t num_inputs = 0;
  std::vector<double> constants;
  // Constants the lane interpreter reads as columns (operands of if, outputs);
  // the others are only binary operands, read as scalars (ConstOperand).
  std::vector<bool> constant_is_column;
  uint32_t num_registers = 0;
  // Output registers are [first_output_register, + pinned_outputs.size());
  // register first_output_register + p holds output pinned_outputs[p].
  uint32_t first_output_register = 0;
  std::vector<uint32_t> pinned_outputs;
  std::vector<Instruction> code;
  // The register holding output k once `code` has run, or kNotComputed for an
  // output that was not asked for.
  static constexpr uint32_t kNotComputed = 0xffffffffu;
  std::vector<uint32_t> output_registers;

  uint32_t first_temporary() const {
    return first_output_register + static_cast<uint32_t>(pinned_outputs.size());
  }
  bool IsConstantRegister(uint32_t r) const {
    return r >= num_inputs && r < num_inputs + constants.size();
  }
  // True when output k is computed but not written in place, so must be copied.
  bool NeedsCopy(size_t k) const;
  // A listing, one instruction per line, e.g. "r5 = mul r1, r4".
  std::string Dump() const;
};

// Code computing `roots` (output k = roots[k]) from the inputs, for the k with
// needed[k] (all when `needed` is empty). Only nodes the needed roots reach
// are computed, each once, in id order.
Bytecode GenerateBytecode(const Graph& graph, absl::Span<const NodeId> roots,
                          const std::vector<bool>& needed, uint32_t num_inputs);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_BYTECODE_H_
