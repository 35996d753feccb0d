// Prints the core's answers (brownian::SampleBatch, no gRPC) for the fixed
// requests that tests/python/test_client.py sends through pathwised, as JSON
// with every double in C99 hex-float form ("%a") so the comparison is exact.
#include <cstdio>
#include <string>
#include <vector>

#include "core/brownian/batch.h"

namespace {

using pathwise::brownian::BatchRequest;
using pathwise::brownian::LevyArea;

void PrintArray(const char* name, const std::vector<double>& values) {
  std::printf("\"%s\": [", name);
  for (size_t i = 0; i < values.size(); ++i) std::printf("%s\"%a\"", i ? ", " : "", values[i]);
  std::printf("]");
}

}  // namespace

int main() {
  // Keep in step with CASES in test_client.py.
  std::vector<BatchRequest> cases;
  {
    BatchRequest r;
    r.path = {.seed = 42,
              .path_index = 0,
              .dim = 2,
              .t0 = 0.0,
              .t1 = 1.0,
              .tol = 0.0,
              .levy_area = LevyArea::kSpaceTime};
    r.path_count = 4;
    r.times = {0.5, 0.25};
    r.intervals = {{0.1, 0.2}, {0.3, 0.9}};
    cases.push_back(r);
  }
  {
    BatchRequest r;
    r.path = {.seed = 7,
              .path_index = 1000,
              .dim = 3,
              .t0 = -1.0,
              .t1 = 3.0,
              .tol = 1e-3,
              .levy_area = LevyArea::kSpaceTimeTime};
    r.path_count = 2;
    r.times = {3.0, -1.0, 0.0};
    r.intervals = {{-0.5, 2.5}, {1.0, 1.0}};
    cases.push_back(r);
  }
  {
    BatchRequest r;
    r.path = {.seed = 18446744073709551615ull,
              .path_index = 5,
              .dim = 1,
              .t0 = 0.0,
              .t1 = 10.0,
              .tol = 0.0,
              .levy_area = LevyArea::kNone};
    r.path_count = 1;
    r.times = {10.0, 5.0, 5.0, 2.5};
    cases.push_back(r);
  }
  std::printf("[\n");
  for (size_t c = 0; c < cases.size(); ++c) {
    auto result = pathwise::brownian::SampleBatch(cases[c]);
    if (!result.ok()) {
      std::fprintf(stderr, "case %zu: %s\n", c, std::string(result.status().message()).c_str());
      return 1;
    }
    std::printf("%s{", c ? ",\n" : "");
    PrintArray("w", result->w);
    std::printf(", ");
    PrintArray("h", result->h);
    std::printf(", ");
    PrintArray("k", result->k);
    std::printf("}");
  }
  std::printf("\n]\n");
  return 0;
}
