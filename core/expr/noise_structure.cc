#include "core/expr/noise_structure.h"

#include <vector>

#include "absl/strings/str_join.h"

namespace pathwise::expr {

std::string DescribeNoise(const NoiseStructure& noise) {
  std::vector<const char*> parts;
  if (noise.scalar) parts.push_back("scalar");
  if (noise.additive) parts.push_back("additive");
  if (noise.diagonal) parts.push_back("diagonal");
  if (noise.commutative) parts.push_back("commutative");
  if (parts.empty()) return "general";
  return absl::StrJoin(parts, ", ");
}

}  // namespace pathwise::expr
