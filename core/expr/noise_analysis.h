// Checks a diffusion layout against the state and noise dimensions and
// detects its NoiseStructure on the compiled graph.
#ifndef PATHWISE_CORE_EXPR_NOISE_ANALYSIS_H_
#define PATHWISE_CORE_EXPR_NOISE_ANALYSIS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "core/expr/dependency.h"
#include "core/expr/graph.h"
#include "core/expr/noise_structure.h"

namespace pathwise::expr {

// `roots` are the expressions' nodes and `deps` their input sets. Errors:
// dimension mismatches, naming layout.label. The commutativity proof adds
// derivative nodes to `graph`; if they would pass the node limit the proof is
// abandoned (commutative = false) rather than failing the compile.
absl::StatusOr<NoiseStructure> AnalyzeNoise(Graph& graph, const std::vector<NodeId>& roots,
                                            const std::vector<InputSet>& deps,
                                            const DiffusionLayout& layout, size_t state_dim);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_NOISE_ANALYSIS_H_
