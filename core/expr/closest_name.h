// "Did you mean ...?" suggestions for unknown names.
#ifndef PATHWISE_CORE_EXPR_CLOSEST_NAME_H_
#define PATHWISE_CORE_EXPR_CLOSEST_NAME_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pathwise::expr {

// The candidate with the smallest edit distance (insertions, deletions,
// substitutions, adjacent transpositions) to `name`, if that distance is at
// most ceil(|name| / 3) (at least 1); otherwise "". Ties go to the earlier candidate.
std::string ClosestName(absl::string_view name, const std::vector<std::string>& candidates);

// Edit distance as above (optimal string alignment). Names longer than 64
// characters are compared on their first 64 characters, which bounds the cost.
int EditDistance(absl::string_view a, absl::string_view b);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_CLOSEST_NAME_H_
