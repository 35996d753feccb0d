// Golden vectors: exact outputs of a few (seed, path_index, kind, dim, tol,
// times), frozen. They pin the whole construction (generator, counter layout,
// tree formulas, operation order). If one of them changes, every path changed:
// that needs a new algorithm version string, never an edit of these numbers alone.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core/brownian/batch.h"

namespace pathwise::brownian {
namespace {

struct Golden {
  const char* name;
  uint64_t seed;
  uint64_t path_index;
  LevyArea kind;
  uint32_t dim;
  double t0, t1, tol;
  std::vector<double> w, h, k;
};

// Two paths (path_index, path_index + 1); queries: point values at t0 + T/2 and
// t0 + T/4, then the intervals [t0 + T/10, t0 + T/5] and [t0 + 3T/10, t0 + 9T/10].
const Golden kGolden[] = {
    {
        "WOnlyDefaultTolerance",
        0x2aull,
        0ull,
        LevyArea(0),
        1,
        0x0p+0,
        0x1p+0,
        0x0p+0,
        {-0x1.1be8446fc5174p-4, -0x1.335ae335ca0aep-4, -0x1.013ecc19ff6p-2, 0x1.bdd4149f36c89p-2,
         -0x1.8f756cf375c12p-3, 0x1.6692132eb2fdap-4, -0x1.7e870366f937ap-4, 0x1.7810b2a157e59p-1},
        {},
        {},
    },
    {
        "SpaceTimeTwoComponents",
        0xdeadbeefcafebabeull,
        0x3039ull,
        LevyArea(1),
        2,
        -0x1p+0,
        0x1.8p+1,
        0x1.0624dd2f1a9fcp-10,
        {-0x1.0a440b2ad1629p+1, -0x1.e66d2570fbeap-5, -0x1.80b494e98deep-1, 0x1.117ba14d51918p-2,
         -0x1.2ee2dc44ad921p-2, 0x1.5898501801b0dp+0, -0x1.2e1b0aa572f87p-1, -0x1.a813cc3e6a3ffp-1,
         0x1.12a2206599d67p+0, 0x1.df9de08909f0cp-2, 0x1.c73c3a2eec40fp-1, 0x1.eb1084276a559p-1,
         -0x1.af01a02f76cfap-1, -0x1.eebbc3a766742p-5, -0x1.753ce631a402ap+0,
         -0x1.6dd66ec01ad79p-1},
        {-0x1.b527b11ee8e09p-4, 0x1.64a9e5aa3f0e4p-3, -0x1.42645b78d304p-1, 0x1.32e957d5b357cp-5,
         -0x1.89e1df630d7c9p-4, 0x1.b0dd8713cccb5p-3, -0x1.765098de217a6p-1, -0x1.0d03450da6b5bp-2,
         0x1.cdb133f850196p-3, 0x1.24e44043bc5f8p-2, 0x1.384159a7ac18ep-2, 0x1.f605ceaddfb14p-8,
         0x1.9cc23330b1923p-6, 0x1.4626f6691f368p-3, 0x1.71993e81fcc17p-2, 0x1.72116431cd2c4p-6},
        {},
    },
    {
        "SpaceTimeTimeCoarseLeaves",
        0x7ull,
        0x10000000003ull,
        LevyArea(2),
        3,
        0x0p+0,
        0x1.4p+3,
        0x1.6666666666666p-1,
        {0x1.b2d8ab4cc7ad5p-1,  -0x1.670178d03e4cbp+1, 0x1.10e6a18f4ffbep+2,  -0x1.9d922a76bc4bfp-3,
         -0x1.1b9411109ef6fp+1, 0x1.82a87f68911dp-1,   0x1.63826b5ec0bd6p-1,  -0x1.1e2972f1f6e34p+0,
         0x1.e82248efc02p-2,    0x1.fbe8ce4d338d9p-1,  0x1.ab36e1e156e51p+0,  0x1.614f1676df5dcp+2,
         0x1.2d29681513edap+0,  -0x1.bc72e012f0ed6p+1, 0x1.5fd79822d285dp+0,  0x1.6d3788bc8593bp-1,
         -0x1.70dd7ebcc4528p+1, 0x1.87dc1a900bf0bp+0,  -0x1.2ca5476171e51p-8, -0x1.26c28e66537bap+0,
         0x1.9347bb287064p-2,   0x1.020eb0f3cdcbdp-1,  -0x1.0509cb91a71b4p+0, 0x1.9f66f7410c52ap-3},
        {-0x1.8d058c9713bbfp-1, -0x1.0595ec15cccb6p-2, -0x1.08a6908b33f19p+0,
         -0x1.2779c62400133p-1, 0x1.37154bad9c1f6p-1,  -0x1.98b246884973ap-3,
         -0x1.28222c2b89cd9p-3, -0x1.4c6e3f540cc96p-3, -0x1.cc0bba8cb3f3cp-4,
         0x1.7f89f68ded104p-1,  0x1.e6d90e0109842p-2,  0x1.9f527a46d11e5p+0,
         -0x1.4637a5ea1bd71p-1, -0x1.09a76c47417bep-2, 0x1.4fd988239249cp-1,
         -0x1.de29d557c70d8p-1, 0x1.062e8d8f3d11p-2,   0x1.763e50d512e95p-4,
         0x1.080dbca73d14fp-3,  -0x1.7d68e1d18f073p-4, -0x1.588808df5fbefp-3,
         0x1.6bf1a08faaef6p-1,  -0x1.2f6d704f311eap-1, -0x1.ceefe6592bf76p-2},
        {-0x1.c9c2897b5519p-5,  0x1.dec027413e1p-4,    -0x1.df789e4c7889ap-9,
         -0x1.a35eae353dd95p-4, 0x1.0f5d9ee35d763p-4,  -0x1.1cf6841fc5459p-4,
         -0x1.229dccb794224p-5, -0x1.12e4eed17fcb1p-5, 0x1.20ace5e448876p-6,
         -0x1.a8d3b788c46b9p-4, 0x1.3acf72106f57dp-6,  0x1.f0c0206885bb7p-5,
         -0x1.dcfdd5649bb03p-6, -0x1.7f253719063f6p-7, -0x1.0241cf7b5efd2p-5,
         0x1.9676e31d05fd9p-4,  0x1.0e6bcd499c3ebp-5,  -0x1.0cd76f31ec69bp-5,
         0x1.1b7737b04b59p-8,   0x1.35b2e46630cbcp-5,  0x1.2ceab6d4bfa5cp-8,
         -0x1.9cb20c0d6f73p-4,  -0x1.faf867452cb19p-6, -0x1.4a402b6329a1bp-5},
    },
};

TEST(GoldenTest, AlgorithmVersionNamesTheseVectors) {
  EXPECT_EQ(kAlgorithmVersion, "vbt-philox-1");
}

TEST(GoldenTest, OutputsAreFrozenBitForBit) {
  for (const Golden& g : kGolden) {
    SCOPED_TRACE(g.name);
    BatchRequest request;
    request.path = {g.seed, g.path_index, g.dim, g.t0, g.t1, g.tol, g.kind};
    request.path_count = 2;
    const double span = g.t1 - g.t0;
    request.times = {g.t0 + 0.5 * span, g.t0 + 0.25 * span};
    request.intervals = {{g.t0 + 0.1 * span, g.t0 + 0.2 * span},
                         {g.t0 + 0.3 * span, g.t0 + 0.9 * span}};
    const absl::StatusOr<BatchResult> result = SampleBatch(request);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->w.size(), g.w.size());
    ASSERT_EQ(result->h.size(), g.h.size());
    ASSERT_EQ(result->k.size(), g.k.size());
    for (size_t i = 0; i < g.w.size(); ++i) {
      EXPECT_EQ(std::memcmp(&result->w[i], &g.w[i], sizeof(double)), 0) << "w[" << i << "]";
    }
    for (size_t i = 0; i < g.h.size(); ++i) {
      EXPECT_EQ(std::memcmp(&result->h[i], &g.h[i], sizeof(double)), 0) << "h[" << i << "]";
    }
    for (size_t i = 0; i < g.k.size(); ++i) {
      EXPECT_EQ(std::memcmp(&result->k[i], &g.k[i], sizeof(double)), 0) << "k[" << i << "]";
    }
  }
}

}  // namespace
}  // namespace pathwise::brownian
