// The identity of a ProgramSpec for caching: a canonical byte string of
// everything that affects the compiled program, and its 64-bit FNV-1a hash.
#ifndef PATHWISE_CORE_EXPR_FINGERPRINT_H_
#define PATHWISE_CORE_EXPR_FINGERPRINT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "core/expr/compiler.h"

namespace pathwise::expr {

// Length-prefixed fields (so no two specs share a key): state names,
// parameters (names and the bits of their values), expressions (labels and
// texts), derivative requests, diffusion layout, limits.
std::string CanonicalKey(const ProgramSpec& spec);

// 64-bit FNV-1a of `bytes`: stable across processes and builds, so it can be
// logged or returned to clients to identify a model.
uint64_t Fingerprint64(absl::string_view bytes);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_FINGERPRINT_H_
