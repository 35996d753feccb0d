// A compiled set of expressions: evaluates k outputs (expressions and their
// requested derivatives) at one point or over many ensemble members at once.
//
// Inputs are numbered 0 = t, 1 + j = state variable j; parameters were bound
// at compile time. A CompiledProgram is immutable and may be shared between
// threads; each thread evaluates with its own Workspace.
#ifndef PATHWISE_CORE_EXPR_PROGRAM_H_
#define PATHWISE_CORE_EXPR_PROGRAM_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "core/expr/bytecode.h"
#include "core/expr/dependency.h"
#include "core/expr/noise_structure.h"

namespace pathwise::expr {

class CompiledProgram;

// Scratch memory for evaluating one program on one thread (not thread-safe;
// cheap to keep, a few KiB per register).
class Workspace {
 public:
  explicit Workspace(const CompiledProgram& program);

 private:
  friend class CompiledProgram;
  const CompiledProgram* program_;
  std::vector<double> registers_;  // scalar register file, constants preloaded
  std::vector<double> blocks_;     // lane columns: constants (broadcast), then temporaries
  std::vector<double> time_;       // kLaneBlock copies of a shared t
  std::vector<double*> columns_;   // per-register column pointers for the current block
};

// Everything the compiler produces (see compiler.h); a CompiledProgram owns it.
struct ProgramData {
  std::vector<std::string> state_names;
  std::vector<std::string> output_labels;  // expressions, then derivatives
  size_t num_expressions = 0;
  // (output, wrt) of each derivative output; wrt = -1 for t, else a state index.
  std::vector<std::pair<size_t, int>> derivatives;
  std::vector<InputSet> dependencies;            // per output
  std::vector<std::optional<double>> constants;  // per output, when constant in (t, state)
  std::optional<NoiseStructure> noise;
  Bytecode bytecode;
  size_t graph_nodes = 0;
  uint64_t fingerprint = 0;
};

class CompiledProgram {
 public:
  explicit CompiledProgram(ProgramData data) : data_(std::move(data)) {}

  // Shape.
  size_t num_state() const { return data_.state_names.size(); }
  size_t num_inputs() const { return 1 + num_state(); }  // t, then the state
  size_t num_outputs() const { return data_.output_labels.size(); }
  size_t num_expressions() const { return data_.num_expressions; }
  const std::vector<std::string>& state_names() const { return data_.state_names; }
  // "model.expression.drift[0]", or "d(model.expression.drift[0])/d(x)" for a derivative.
  const std::string& output_label(size_t output) const { return data_.output_labels[output]; }
  // The output holding d output / d wrt (wrt = -1 for t, else a state index), if requested.
  std::optional<size_t> DerivativeOutput(size_t output, int wrt) const;

  // Structure (syntactic, after folding; see dependency.h).
  bool DependsOnState(size_t output, size_t state) const;
  bool DependsOnTime(size_t output) const;
  // Constant in the state (it may still depend on t): additive noise.
  bool IsStateIndependent(size_t output) const;
  // The value when the output depends on neither t nor the state.
  std::optional<double> ConstantValue(size_t output) const { return data_.constants[output]; }
  // Set when the program was compiled with a DiffusionLayout.
  const std::optional<NoiseStructure>& noise_structure() const { return data_.noise; }

  // Evaluation at one point: inputs = {t, state...} (num_inputs() values);
  // writes num_outputs() values to outputs (except those of expressions
  // compiled with value_needed = false, left as they were). Errors: wrong
  // sizes, a workspace made for another program.
  absl::Status Evaluate(absl::Span<const double> inputs, absl::Span<double> outputs,
                        Workspace& workspace) const;

  // The same without checks and without a workspace, for per-path model
  // interfaces (e.g. Sde::Drift(t, y, f)): `state` holds num_state() values,
  // `outputs` has room for num_outputs(). Thread-safe and allocation-free for
  // programs of up to kStackRegisters registers (larger ones use a buffer per
  // thread, allocated on first use).
  static constexpr size_t kStackRegisters = 128;
  void EvaluateAt(double t, const double* state, double* outputs) const;

  // Evaluation over `lanes` ensemble members at one time t, structure of
  // arrays: state j of lane l is state[j * stride + l], output k of lane l is
  // written to outputs[k * stride + l]; stride >= lanes. Lane l's outputs are
  // bit for bit those of Evaluate at lane l's inputs. state and outputs must
  // not overlap.
  absl::Status EvaluateLanes(double t, absl::Span<const double> state, size_t lanes, size_t stride,
                             absl::Span<double> outputs, Workspace& workspace) const;
  // As above with a time per lane: t[l] (t.size() >= lanes).
  absl::Status EvaluateLanes(absl::Span<const double> t, absl::Span<const double> state,
                             size_t lanes, size_t stride, absl::Span<double> outputs,
                             Workspace& workspace) const;

  // The lane evaluation without checks and without a workspace, for models
  // that evaluate several ensemble members per call (Sde::ForLanes): `lanes`
  // members (1 <= lanes <= kLaneBlock) at one time t, stride = lanes, state
  // j of lane l at state[j * lanes + l], output k at outputs[k * lanes + l]
  // (outputs not computed are left as they were). Bit for bit EvaluateAt at
  // each lane's state. Thread-safe; allocation-free for up to kStackLanes
  // lanes and kStackRegisters registers (else a buffer per thread).
  static constexpr size_t kStackLanes = 8;
  void EvaluateLanesAt(double t, const double* state, size_t lanes, double* outputs) const;

  // Diagnostics.
  uint64_t fingerprint() const { return data_.fingerprint; }
  size_t graph_nodes() const { return data_.graph_nodes; }
  size_t num_instructions() const { return data_.bytecode.code.size(); }
  const Bytecode& bytecode() const { return data_.bytecode; }

 private:
  absl::Status CheckLanes(absl::Span<const double> state, size_t lanes, size_t stride,
                          absl::Span<double> outputs, const Workspace& workspace) const;
  void RunBlocks(const double* t, size_t t_step, const double* state, size_t lanes, size_t stride,
                 double* outputs, Workspace& workspace) const;
  // One block of n <= kLaneBlock lanes whose constant and temporary columns
  // are set in `col`: points the inputs at t_column and the state, the
  // pinned outputs at theirs, runs the code and copies the other outputs.
  void RunBlock(double** col, const double* t_column, const double* state, size_t n, size_t stride,
                double* outputs) const;

  ProgramData data_;
};

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_PROGRAM_H_
