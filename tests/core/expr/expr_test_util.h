// Helpers shared by the expression-compiler tests.
#ifndef PATHWISE_TESTS_CORE_EXPR_EXPR_TEST_UTIL_H_
#define PATHWISE_TESTS_CORE_EXPR_EXPR_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/expr/compiler.h"

namespace pathwise::expr::testing {

// A spec with one expression labelled "e" over the given state and parameters.
inline ProgramSpec OneExpression(const std::string& text, std::vector<std::string> state = {"x"},
                                 std::vector<Parameter> parameters = {}) {
  ProgramSpec spec;
  spec.state_names = std::move(state);
  spec.parameters = std::move(parameters);
  spec.expressions = {{"e", text}};
  return spec;
}

inline std::shared_ptr<const CompiledProgram> MustCompile(const ProgramSpec& spec) {
  absl::StatusOr<std::shared_ptr<const CompiledProgram>> program = Compile(spec);
  EXPECT_TRUE(program.ok()) << program.status();
  return program.ok() ? *program : nullptr;
}

// The error message of compiling `spec` ("" if it compiles).
inline std::string CompileError(const ProgramSpec& spec) {
  absl::StatusOr<std::shared_ptr<const CompiledProgram>> program = Compile(spec);
  if (program.ok()) return "";
  EXPECT_EQ(program.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(program.status().message());
}

// All outputs at one point.
inline std::vector<double> EvalAll(const CompiledProgram& program,
                                   const std::vector<double>& inputs) {
  Workspace workspace(program);
  std::vector<double> out(program.num_outputs());
  const absl::Status status = program.Evaluate(inputs, absl::MakeSpan(out), workspace);
  EXPECT_TRUE(status.ok()) << status;
  return out;
}

inline uint64_t Bits(double x) { return std::bit_cast<uint64_t>(x); }

}  // namespace pathwise::expr::testing

#endif  // PATHWISE_TESTS_CORE_EXPR_EXPR_TEST_UTIL_H_
