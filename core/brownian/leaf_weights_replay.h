// The interpolation weights (§7) of one path's queries, kept for the next path.
//
// Inside a leaf, a query's cost is mostly its interpolation weights (square
// roots, divisions and, with K, a 3x3 factorisation), which depend only on
// where the query's ends lie in their leaves, not on the path. The paths of an
// ensemble stepping on one grid, or one Sample request's paths, query the same
// times in the same order, so a cursor pointed at the next path (Rewind) finds
// its i-th interpolation's weights in the i-th entry recorded on the path
// before. An entry is used only when its positions equal the query's exactly,
// and holds the very values ComputeLeafWeights returns for them, so replaying
// changes no bit; a path that queries other times recomputes and re-records.
#ifndef PATHWISE_CORE_BROWNIAN_LEAF_WEIGHTS_REPLAY_H_
#define PATHWISE_CORE_BROWNIAN_LEAF_WEIGHTS_REPLAY_H_

#include <cstddef>
#include <vector>

#include "core/brownian/levy_area.h"
#include "core/brownian/tree_math.h"

namespace pathwise::brownian {

class LeafWeightsReplay {
 public:
  // At most this many interpolations of a path are kept (2.4 MiB); later ones
  // are computed every time.
  static constexpr size_t kMaxEntries = size_t{1} << 14;

  explicit LeafWeightsReplay(LevyArea kind) : kind_(kind) {}

  // The next interpolations are those of another path: the i-th is looked up
  // in the i-th entry. Until the first call nothing is recorded (a cursor that
  // reads a single path gains nothing from it).
  void Rewind() {
    next_ = 0;
    recording_ = true;
  }

  // The weights for the positions (sr, ru) in a leaf; `reused` tells whether
  // they came from the entry recorded on the path before. The reference is
  // valid until the next call.
  const LeafWeights& Get(double sr, double ru, bool& reused) {
    if (recording_ && next_ < entries_.size()) {
      Entry& entry = entries_[next_++];
      reused = entry.sr == sr && entry.ru == ru;
      if (reused) return entry.weights;
      return Record(entry, sr, ru);
    }
    reused = false;
    return GetAfterTheRecorded(sr, ru);
  }

 private:
  struct Entry {
    double sr, ru;
    LeafWeights weights;
  };

  // Recomputes `entry` for (sr, ru).
  const LeafWeights& Record(Entry& entry, double sr, double ru);
  // Get past the entries recorded so far: a new entry, or none past kMaxEntries.
  const LeafWeights& GetAfterTheRecorded(double sr, double ru);

  LevyArea kind_;
  bool recording_ = false;
  size_t next_ = 0;  // the entry the next interpolation looks up
  std::vector<Entry> entries_;
  LeafWeights scratch_;  // weights neither kept nor replayed
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_LEAF_WEIGHTS_REPLAY_H_
