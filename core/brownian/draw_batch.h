// The normal draws of several tree nodes, generated in one vectorised call.
//
// A descent knows every node it will split before it computes any value: node
// ids depend on the leaf only (counter_layout.h). So it adds the Philox
// counters of all those nodes first and draws their normals together, which
// keeps the generator in vector code instead of drawing one block at a time.
// A node's draws are a pure function of its counters, so batching changes no bit.
//
// Layout: a node adds BlocksPerNode(kind) blocks of dim counters, block-major
// (block b of component j at offset + b * dim + j), and block b gives draws
// 2b and 2b + 1 (counter_layout.h) in first() and second().
#ifndef PATHWISE_CORE_BROWNIAN_DRAW_BATCH_H_
#define PATHWISE_CORE_BROWNIAN_DRAW_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/brownian/counter_layout.h"
#include "core/brownian/levy_area.h"
#include "core/brownian/tree_math.h"
#include "core/random/normal.h"
#include "core/random/philox.h"

namespace pathwise::brownian {

class DrawBatch {
 public:
  // Room for the draws of up to max_nodes nodes of a path with this kind and dim.
  DrawBatch(LevyArea kind, size_t dim, size_t max_nodes);

  // Starts an empty batch; offsets returned before become invalid.
  void Clear() { size_ = 0; }
  // The offset the next Add returns.
  size_t size() const { return size_; }

  // Adds the counters of `node`'s draws for `purpose`; returns the offset at
  // which At() finds them once the batch is drawn.
  size_t Add(uint64_t node, DrawPurpose purpose) {
    const size_t offset = size_;
    const uint32_t low = static_cast<uint32_t>(node), high = static_cast<uint32_t>(node >> 32);
    uint32_t* c0 = c0_.data() + offset;
    uint32_t* c1 = c1_.data() + offset;
    uint32_t* c2 = c2_.data() + offset;
    uint32_t* c3 = c3_.data() + offset;
    for (int block = 0; block < blocks_; ++block) {
      const uint32_t word = PurposeWord(kind_, purpose, block);
      for (size_t j = 0; j < dim_; ++j) {
        *c0++ = low;
        *c1++ = high;
        *c2++ = static_cast<uint32_t>(j);
        *c3++ = word;
      }
    }
    size_ = offset + size_t(blocks_) * dim_;
    return offset;
  }

  // Draws the normals of every counter added under the path key; returns the
  // number of Philox blocks that carry draws (padding excluded).
  size_t Fill(const random::PhiloxKey& key);

  // For a one-component path: replaces the batch with the draws of up to two
  // descents (the splits from a level down to a leaf, and the leaf's own draws
  // where asked), their counters computed inside the generator's loop rather
  // than added one node at a time. Entries lie as Add would have put them:
  // descent 0's nodes from its first level down, then descent 1's. Returns the
  // number of Philox blocks drawn.
  size_t FillDescents(const random::PhiloxKey& key, const random::HeapPathCounters& descents);

  // Clears the batch and draws one node alone, at offset 0, along its
  // components: cheaper than Add and Fill for a single node.
  size_t FillOne(const random::PhiloxKey& key, uint64_t node, DrawPurpose purpose);

  // The draws of the node added at `offset`.
  Draws At(size_t offset) const {
    const double* first = first_.data() + offset;
    return Draws{{first, second_.data() + offset, first + dim_}};
  }

 private:
  // Pads the batch to a multiple of the vector width; returns the padded size.
  size_t PadToVectorWidth();

  LevyArea kind_;
  size_t dim_;
  int blocks_;       // Philox blocks per node and component
  size_t size_ = 0;  // counters added
  std::vector<uint32_t> c0_, c1_, c2_, c3_;
  std::vector<double> first_, second_;
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_DRAW_BATCH_H_
