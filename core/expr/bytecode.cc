#include "core/expr/bytecode.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "core/expr/printer.h"

namespace pathwise::expr {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

std::vector<uint8_t> MarkReached(const Graph& graph, absl::Span<const NodeId> roots,
                                 const std::vector<bool>& needed, NodeId last) {
  std::vector<uint8_t> reached(last + 1, 0);
  for (size_t k = 0; k < roots.size(); ++k) {
    if (needed[k]) reached[roots[k]] = 1;  // roots not needed may lie beyond `last`
  }
  for (NodeId i = last + 1; i-- > 0;) {
    if (!reached[i]) continue;
    const GraphNode& n = graph.node(i);
    for (int k = 0; k < Arity(n.op); ++k) reached[n.args[k]] = 1;
  }
  return reached;
}

// Hands out temporary registers, reusing freed ones (most recently freed
// first, which keeps the working set small).
class RegisterPool {
 public:
  explicit RegisterPool(uint32_t first) : next_(first) {}
  uint32_t Take() {
    if (free_.empty()) return next_++;
    const uint32_t r = free_.back();
    free_.pop_back();
    return r;
  }
  void Give(uint32_t r) { free_.push_back(r); }
  uint32_t end() const { return next_; }

 private:
  uint32_t next_;
  std::vector<uint32_t> free_;
};

void MarkConstantColumns(Bytecode& bc) {
  bc.constant_is_column.assign(bc.constants.size(), false);
  auto mark = [&bc](uint32_t r) {
    if (bc.IsConstantRegister(r)) bc.constant_is_column[r - bc.num_inputs] = true;
  };
  for (const Instruction& ins : bc.code) {
    if (Arity(ins.op) == 2) continue;  // binary: constants are scalar operands
    mark(ins.a);
    if (Arity(ins.op) == 3) {
      mark(ins.b);
      mark(ins.c);
    }
  }
  for (uint32_t r : bc.output_registers) {
    if (r != Bytecode::kNotComputed) mark(r);
  }
}

}  // namespace

bool Bytecode::NeedsCopy(size_t k) const {
  const uint32_t r = output_registers[k];
  if (r == kNotComputed) return false;
  return r < first_output_register || r >= first_temporary() ||
         pinned_outputs[r - first_output_register] != k;
}

Bytecode GenerateBytecode(const Graph& graph, absl::Span<const NodeId> roots,
                          const std::vector<bool>& needed_or_empty, uint32_t num_inputs) {
  Bytecode bc;
  bc.num_inputs = num_inputs;
  std::vector<bool> needed = needed_or_empty;
  needed.resize(roots.size(), true);
  if (std::find(needed.begin(), needed.end(), true) == needed.end()) {
    bc.output_registers.assign(roots.size(), Bytecode::kNotComputed);
    bc.num_registers = num_inputs;
    bc.first_output_register = num_inputs;
    return bc;
  }
  NodeId last = 0;
  for (size_t k = 0; k < roots.size(); ++k) last = needed[k] ? std::max(last, roots[k]) : last;
  const std::vector<uint8_t> reached = MarkReached(graph, roots, needed, last);

  // Leaves: inputs and constants.
  std::vector<uint32_t> reg(last + 1, kNone);
  for (NodeId i = 0; i <= last; ++i) {
    if (!reached[i]) continue;
    const GraphNode& n = graph.node(i);
    if (n.op == Op::kInput) reg[i] = n.input;
    if (n.op == Op::kConst) {
      reg[i] = num_inputs + static_cast<uint32_t>(bc.constants.size());
      bc.constants.push_back(n.value);
    }
  }
  // Output registers for computed outputs.
  bc.first_output_register = num_inputs + static_cast<uint32_t>(bc.constants.size());
  for (size_t k = 0; k < roots.size(); ++k) {
    if (!needed[k] || reg[roots[k]] != kNone) continue;
    reg[roots[k]] = bc.first_output_register + static_cast<uint32_t>(bc.pinned_outputs.size());
    bc.pinned_outputs.push_back(static_cast<uint32_t>(k));
  }
  // Last reader of each node, to free temporaries as early as possible.
  std::vector<NodeId> last_use(last + 1, 0);
  for (NodeId i = 0; i <= last; ++i) {
    if (!reached[i]) continue;
    const GraphNode& n = graph.node(i);
    for (int k = 0; k < Arity(n.op); ++k) last_use[n.args[k]] = i;
  }
  RegisterPool pool(bc.first_temporary());
  for (NodeId i = 0; i <= last; ++i) {
    const GraphNode& n = graph.node(i);
    if (!reached[i] || n.op == Op::kInput || n.op == Op::kConst) continue;
    const int arity = Arity(n.op);
    Instruction ins{.op = n.op,
                    .dst = 0,
                    .a = reg[n.args[0]],
                    .b = arity >= 2 ? reg[n.args[1]] : 0,
                    .c = arity >= 3 ? reg[n.args[2]] : 0};
    // Free operands read for the last time before choosing the destination:
    // element-wise operations may overwrite their own operand.
    for (int k = 0; k < arity; ++k) {
      const NodeId arg = n.args[k];
      const bool repeated = (k >= 1 && n.args[k - 1] == arg) || (k == 2 && n.args[0] == arg);
      if (last_use[arg] == i && reg[arg] >= bc.first_temporary() && !repeated) pool.Give(reg[arg]);
    }
    if (reg[i] == kNone) reg[i] = pool.Take();
    ins.dst = reg[i];
    if (arity == 2 && bc.IsConstantRegister(ins.a)) ins.constant = ConstOperand::kA;
    if (arity == 2 && bc.IsConstantRegister(ins.b)) ins.constant = ConstOperand::kB;
    bc.code.push_back(ins);
  }
  bc.num_registers = pool.end();
  for (size_t k = 0; k < roots.size(); ++k) {
    bc.output_registers.push_back(needed[k] ? reg[roots[k]] : Bytecode::kNotComputed);
  }
  MarkConstantColumns(bc);
  return bc;
}

std::string Bytecode::Dump() const {
  std::string text;
  for (size_t k = 0; k < constants.size(); ++k) {
    absl::StrAppend(&text, "r", num_inputs + k, " = ", FormatNumber(constants[k]), "\n");
  }
  for (const Instruction& ins : code) {
    absl::StrAppend(&text, "r", ins.dst, " = ", OpName(ins.op), " r", ins.a);
    if (Arity(ins.op) >= 2) absl::StrAppend(&text, ", r", ins.b);
    if (Arity(ins.op) >= 3) absl::StrAppend(&text, ", r", ins.c);
    text.push_back('\n');
  }
  for (size_t k = 0; k < output_registers.size(); ++k) {
    if (output_registers[k] == kNotComputed) {
      absl::StrAppend(&text, "out", k, " not computed\n");
    } else {
      absl::StrAppend(&text, "out", k, " = r", output_registers[k], "\n");
    }
  }
  return text;
}

}  // namespace pathwise::expr
