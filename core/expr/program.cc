#include "core/expr/program.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "core/expr/interpreter.h"

namespace pathwise::expr {

Workspace::Workspace(const CompiledProgram& program) : program_(&program) {
  const Bytecode& bc = program.bytecode();
  registers_.assign(bc.num_registers, 0.0);
  std::copy(bc.constants.begin(), bc.constants.end(), registers_.begin() + bc.num_inputs);
  // Lane columns: broadcast copies of the constants read as columns, then the
  // temporaries. Constants read only as scalars get no column (a potential
  // with thousands of data constants would otherwise need megabytes).
  const size_t num_columns = static_cast<size_t>(
      std::count(bc.constant_is_column.begin(), bc.constant_is_column.end(), true));
  const size_t num_temporaries = bc.num_registers - bc.first_temporary();
  blocks_.assign((num_columns + num_temporaries) * kLaneBlock, 0.0);
  columns_.assign(bc.num_registers, nullptr);
  double* next = blocks_.data();
  for (size_t k = 0; k < bc.constants.size(); ++k) {
    if (!bc.constant_is_column[k]) continue;
    std::fill(next, next + kLaneBlock, bc.constants[k]);
    columns_[bc.num_inputs + k] = next;
    next += kLaneBlock;
  }
  for (size_t k = 0; k < num_temporaries; ++k) {
    columns_[bc.first_temporary() + k] = next;
    next += kLaneBlock;
  }
  time_.assign(kLaneBlock, 0.0);
}

std::optional<size_t> CompiledProgram::DerivativeOutput(size_t output, int wrt) const {
  for (size_t k = 0; k < data_.derivatives.size(); ++k) {
    if (data_.derivatives[k] == std::make_pair(output, wrt)) return data_.num_expressions + k;
  }
  return std::nullopt;
}

bool CompiledProgram::DependsOnState(size_t output, size_t state) const {
  return data_.dependencies[output].Contains(static_cast<uint32_t>(1 + state));
}

bool CompiledProgram::DependsOnTime(size_t output) const {
  return data_.dependencies[output].Contains(0);
}

bool CompiledProgram::IsStateIndependent(size_t output) const {
  return !data_.dependencies[output].ContainsState();
}

absl::Status CompiledProgram::Evaluate(absl::Span<const double> inputs, absl::Span<double> outputs,
                                       Workspace& workspace) const {
  if (workspace.program_ != this) {
    return absl::FailedPreconditionError("Evaluate: the workspace belongs to another program");
  }
  if (inputs.size() != num_inputs() || outputs.size() < num_outputs()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Evaluate: expected ", num_inputs(), " inputs (t and the state) and room for ",
                     num_outputs(), " outputs, got ", inputs.size(), " and ", outputs.size()));
  }
  const Bytecode& bc = data_.bytecode;
  double* r = workspace.registers_.data();
  std::copy(inputs.begin(), inputs.end(), r);
  RunScalar(bc, r);
  for (size_t k = 0; k < bc.output_registers.size(); ++k) {
    if (bc.output_registers[k] != Bytecode::kNotComputed) outputs[k] = r[bc.output_registers[k]];
  }
  return absl::OkStatus();
}

void CompiledProgram::EvaluateAt(double t, const double* state, double* outputs) const {
  const Bytecode& bc = data_.bytecode;
  double stack[kStackRegisters];
  double* r = stack;
  if (bc.num_registers > kStackRegisters) {
    thread_local std::vector<double> heap;
    if (heap.size() < bc.num_registers) heap.resize(bc.num_registers);
    r = heap.data();
  }
  r[0] = t;
  std::copy(state, state + num_state(), r + 1);
  std::copy(bc.constants.begin(), bc.constants.end(), r + bc.num_inputs);
  RunScalar(bc, r);
  for (size_t k = 0; k < bc.output_registers.size(); ++k) {
    if (bc.output_registers[k] != Bytecode::kNotComputed) outputs[k] = r[bc.output_registers[k]];
  }
}

absl::Status CompiledProgram::CheckLanes(absl::Span<const double> state, size_t lanes,
                                         size_t stride, absl::Span<double> outputs,
                                         const Workspace& workspace) const {
  if (workspace.program_ != this) {
    return absl::FailedPreconditionError("EvaluateLanes: the workspace belongs to another program");
  }
  if (stride < lanes) {
    return absl::InvalidArgumentError(
        absl::StrCat("EvaluateLanes: stride ", stride, " is smaller than lanes ", lanes));
  }
  // The last column need only hold `lanes` values.
  auto needed = [&](size_t columns) { return columns == 0 ? 0 : (columns - 1) * stride + lanes; };
  if (state.size() < needed(num_state()) || outputs.size() < needed(num_outputs())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "EvaluateLanes: expected at least ", needed(num_state()), " state values and ",
        needed(num_outputs()), " output values, got ", state.size(), " and ", outputs.size()));
  }
  return absl::OkStatus();
}

absl::Status CompiledProgram::EvaluateLanes(double t, absl::Span<const double> state, size_t lanes,
                                            size_t stride, absl::Span<double> outputs,
                                            Workspace& workspace) const {
  if (absl::Status s = CheckLanes(state, lanes, stride, outputs, workspace); !s.ok()) return s;
  std::fill(workspace.time_.begin(), workspace.time_.end(), t);
  RunBlocks(workspace.time_.data(), 0, state.data(), lanes, stride, outputs.data(), workspace);
  return absl::OkStatus();
}

absl::Status CompiledProgram::EvaluateLanes(absl::Span<const double> t,
                                            absl::Span<const double> state, size_t lanes,
                                            size_t stride, absl::Span<double> outputs,
                                            Workspace& workspace) const {
  if (absl::Status s = CheckLanes(state, lanes, stride, outputs, workspace); !s.ok()) return s;
  if (t.size() < lanes) {
    return absl::InvalidArgumentError(
        absl::StrCat("EvaluateLanes: expected ", lanes, " times, got ", t.size()));
  }
  RunBlocks(t.data(), 1, state.data(), lanes, stride, outputs.data(), workspace);
  return absl::OkStatus();
}

// t_step is 1 for a time per lane and 0 for one shared time (then t points at
// a block of copies). Input columns are only read: no instruction writes an
// input register, which is why the const_casts below are safe.
void CompiledProgram::RunBlocks(const double* t, size_t t_step, const double* state, size_t lanes,
                                size_t stride, double* outputs, Workspace& workspace) const {
  for (size_t start = 0; start < lanes; start += kLaneBlock) {
    RunBlock(workspace.columns_.data(), t + start * t_step, state + start,
             std::min(kLaneBlock, lanes - start), stride, outputs + start);
  }
}

void CompiledProgram::RunBlock(double** col, const double* t_column, const double* state, size_t n,
                               size_t stride, double* outputs) const {
  const Bytecode& bc = data_.bytecode;
  col[0] = const_cast<double*>(t_column);
  for (size_t j = 0; j < num_state(); ++j) col[1 + j] = const_cast<double*>(state + j * stride);
  for (size_t p = 0; p < bc.pinned_outputs.size(); ++p) {
    col[bc.first_output_register + p] = outputs + bc.pinned_outputs[p] * stride;
  }
  RunLanes(bc, col, n);
  for (size_t k = 0; k < bc.output_registers.size(); ++k) {
    if (!bc.NeedsCopy(k)) continue;
    std::memcpy(outputs + k * stride, col[bc.output_registers[k]], n * sizeof(double));
  }
}

// The columns a Workspace holds, laid out per call in memory of this thread:
// t's copies, the constants read as columns, the temporaries, `lanes` each.
void CompiledProgram::EvaluateLanesAt(double t, const double* state, size_t lanes,
                                      double* outputs) const {
  const Bytecode& bc = data_.bytecode;
  const size_t columns = 1 + bc.constants.size() + (bc.num_registers - bc.first_temporary());
  double stack_blocks[kStackRegisters * kStackLanes];
  double* stack_col[kStackRegisters];
  double* blocks = stack_blocks;
  double** col = stack_col;
  if (columns * lanes > kStackRegisters * kStackLanes || bc.num_registers > kStackRegisters) {
    thread_local std::vector<double> heap_blocks;
    thread_local std::vector<double*> heap_col;
    if (heap_blocks.size() < columns * lanes) heap_blocks.resize(columns * lanes);
    if (heap_col.size() < bc.num_registers) heap_col.resize(bc.num_registers);
    blocks = heap_blocks.data();
    col = heap_col.data();
  }
  double* next = blocks;
  std::fill(next, next + lanes, t);
  const double* t_column = next;
  next += lanes;
  for (size_t k = 0; k < bc.constants.size(); ++k) {
    if (!bc.constant_is_column[k]) continue;
    std::fill(next, next + lanes, bc.constants[k]);
    col[bc.num_inputs + k] = next;
    next += lanes;
  }
  for (uint32_t r = bc.first_temporary(); r < bc.num_registers; ++r) {
    col[r] = next;
    next += lanes;
  }
  RunBlock(col, t_column, state, lanes, lanes, outputs);
}

}  // namespace pathwise::expr
