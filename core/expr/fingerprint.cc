#include "core/expr/fingerprint.h"

#include <bit>

#include "absl/strings/str_cat.h"

namespace pathwise::expr {
namespace {

void Field(std::string& key, absl::string_view text) {
  absl::StrAppend(&key, text.size(), ":", text, ";");
}

void Number(std::string& key, uint64_t value) { absl::StrAppend(&key, value, ";"); }

}  // namespace

std::string CanonicalKey(const ProgramSpec& spec) {
  std::string key = "pathwise-expr-1;";
  Number(key, spec.state_names.size());
  for (const std::string& name : spec.state_names) Field(key, name);
  Number(key, spec.parameters.size());
  for (const Parameter& p : spec.parameters) {
    Field(key, p.name);
    Number(key, p.value.has_value());
    Number(key, std::bit_cast<uint64_t>(p.value.value_or(0.0)));
  }
  Number(key, spec.expressions.size());
  for (const Expression& e : spec.expressions) {
    Field(key, e.label);
    Field(key, e.text);
    Number(key, e.value_needed);
  }
  Number(key, spec.derivatives.size());
  for (const DerivativeRequest& r : spec.derivatives) {
    Number(key, r.output);
    Number(key, static_cast<uint64_t>(static_cast<int64_t>(r.wrt)));
  }
  Number(key, spec.diffusion.has_value());
  if (spec.diffusion) {
    Field(key, spec.diffusion->label);
    Number(key, spec.diffusion->first);
    Number(key, spec.diffusion->count);
    Number(key, spec.diffusion->noise_dim);
    Number(key, spec.diffusion->diagonal_only);
  }
  Number(key, spec.limits.max_length);
  Number(key, static_cast<uint64_t>(spec.limits.max_depth));
  Number(key, spec.limits.max_nodes);
  Number(key, spec.limits.max_outputs);
  Number(key, spec.limits.max_state);
  return key;
}

uint64_t Fingerprint64(absl::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace pathwise::expr
