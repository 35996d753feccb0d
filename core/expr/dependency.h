// Which inputs (t, state variables) each expression depends on.
#ifndef PATHWISE_CORE_EXPR_DEPENDENCY_H_
#define PATHWISE_CORE_EXPR_DEPENDENCY_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "core/expr/graph.h"

namespace pathwise::expr {

// A set of input indices (0 = t, 1 + j = state j).
class InputSet {
 public:
  InputSet() = default;
  explicit InputSet(uint32_t num_inputs) : words_((num_inputs + 63) / 64, 0) {}

  bool Contains(uint32_t input) const {
    return input / 64 < words_.size() && ((words_[input / 64] >> (input % 64)) & 1) != 0;
  }
  void Insert(uint32_t input) { words_[input / 64] |= uint64_t{1} << (input % 64); }
  void Union(const InputSet& other) {
    for (size_t w = 0; w < words_.size(); ++w) words_[w] |= other.words_[w];
  }
  bool Empty() const {
    for (uint64_t w : words_) {
      if (w != 0) return false;
    }
    return true;
  }
  // True when some input other than t (index 0) is in the set.
  bool ContainsState() const {
    for (size_t w = 0; w < words_.size(); ++w) {
      if ((w == 0 ? words_[w] & ~uint64_t{1} : words_[w]) != 0) return true;
    }
    return false;
  }

 private:
  std::vector<uint64_t> words_;
};

// The inputs each root depends on syntactically (after folding). A formula
// such as x - x still "depends" on x; folding does not cancel it, because
// x - x is NaN for infinite x.
std::vector<InputSet> InputDependencies(const Graph& graph, absl::Span<const NodeId> roots,
                                        uint32_t num_inputs);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_DEPENDENCY_H_
