#include "core/brownian/leaf_weights_replay.h"

namespace pathwise::brownian {

const LeafWeights& LeafWeightsReplay::Record(Entry& entry, double sr, double ru) {
  entry.sr = sr;
  entry.ru = ru;
  ComputeLeafWeights(kind_, sr, ru, entry.weights);
  return entry.weights;
}

const LeafWeights& LeafWeightsReplay::GetAfterTheRecorded(double sr, double ru) {
  if (!recording_ || next_ == kMaxEntries) {
    ComputeLeafWeights(kind_, sr, ru, scratch_);
    return scratch_;
  }
  entries_.push_back({sr, ru, {}});
  ++next_;
  return Record(entries_.back(), sr, ru);
}

}  // namespace pathwise::brownian
