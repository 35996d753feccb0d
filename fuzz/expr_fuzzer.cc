// libFuzzer target: any bytes, as one to four expressions separated by ';',
// are parsed, printed and re-parsed (the round trip must hold), compiled with
// derivatives and a diffusion layout, and evaluated at special points one at
// a time and over lanes (lanes must give the scalar bits). Crashes, hangs,
// sanitizer reports and broken invariants (__builtin_trap) are findings.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "core/expr/compiler.h"
#include "core/expr/parser.h"
#include "core/expr/printer.h"

namespace pathwise::expr {
namespace {

constexpr size_t kMaxExpressions = 4;
constexpr size_t kLanes = 130;  // more than one lane block, plus a partial one

Limits FuzzLimits() {
  Limits limits;
  limits.max_length = 4096;
  limits.max_nodes = 20000;  // keeps derivative blow-up fast enough for the fuzzer
  return limits;
}

void CheckRoundTrip(const std::string& text) {
  const Limits limits = FuzzLimits();
  absl::StatusOr<Ast> ast = Parse(Source{"fuzz", text}, limits);
  if (!ast.ok()) return;
  const std::string printed = Print(*ast);
  // Printing adds parentheses only where the tree needs them, so the depth
  // limit cannot newly fail; give the length limit room for added spaces.
  Limits loose = limits;
  loose.max_length = 1 << 20;
  absl::StatusOr<Ast> again = Parse(Source{"fuzz", printed}, loose);
  if (!again.ok() || !SameTree(*ast, *again) || Print(*again) != printed) __builtin_trap();
}

ProgramSpec MakeSpec(const std::vector<std::string>& texts) {
  ProgramSpec spec;
  spec.limits = FuzzLimits();
  spec.state_names = {"x", "y"};
  spec.parameters = {{"a", 1.5}, {"b", -0.25}, {"c", std::nullopt}};
  for (size_t k = 0; k < texts.size(); ++k) {
    spec.expressions.push_back({"fuzz[" + std::to_string(k) + "]", texts[k], k != 1});
  }
  for (size_t k = 0; k < texts.size(); ++k) {
    spec.derivatives.push_back({k, 0});
    spec.derivatives.push_back({k, 1});
  }
  spec.derivatives.push_back({0, DerivativeRequest::kTime});
  spec.derivatives.push_back({texts.size(), 0});  // a second derivative
  if (texts.size() == 2 || texts.size() == 4) {
    spec.diffusion = DiffusionLayout{"fuzz.diffusion", 0, texts.size(), texts.size() / 2, false};
  }
  return spec;
}

bool SameBits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

void Evaluate(const CompiledProgram& program) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> specials = {
      0.0,   -0.0,    1.0, -1.5, 0.5,
      1e300, -1e-310, inf, -inf, std::numeric_limits<double>::quiet_NaN()};
  Workspace ws(program);
  const size_t n_out = program.num_outputs();
  std::vector<double> t(kLanes), state(2 * kLanes), lanes(n_out * kLanes, 0.0);
  for (size_t l = 0; l < kLanes; ++l) {
    t[l] = specials[l % specials.size()];
    state[l] = specials[(l / 3) % specials.size()];
    state[kLanes + l] = specials[(l / 7) % specials.size()];
  }
  if (!program.EvaluateLanes(t, state, kLanes, kLanes, absl::MakeSpan(lanes), ws).ok()) {
    __builtin_trap();
  }
  std::vector<double> one(n_out, 0.0);
  for (size_t l = 0; l < kLanes; l += 13) {
    const std::vector<double> in = {t[l], state[l], state[kLanes + l]};
    if (!program.Evaluate(in, absl::MakeSpan(one), ws).ok()) __builtin_trap();
    for (size_t k = 0; k < n_out; ++k) {
      if (k == 1) continue;  // value_needed = false: not written
      if (!SameBits(one[k], lanes[k * kLanes + l])) __builtin_trap();
    }
  }
}

}  // namespace
}  // namespace pathwise::expr

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathwise::expr;
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> texts = absl::StrSplit(input, ';');
  if (texts.size() > kMaxExpressions) texts.resize(kMaxExpressions);
  for (const std::string& text : texts) CheckRoundTrip(text);
  absl::StatusOr<std::shared_ptr<const CompiledProgram>> program = Compile(MakeSpec(texts));
  if (program.ok()) Evaluate(**program);
  return 0;
}
