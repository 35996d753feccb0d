// The libFuzzer entry points of the wire fuzzers (sample_request_fuzzer,
// solve_request_fuzzer): each links this file with its own fuzz::Run.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_check.h"
#include "google/protobuf/stubs/logging.h"

// Protobuf logs every string field that is not UTF-8; the parse failing is
// what counts, so its logs are silenced.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathwise::fuzz::Run(data, size);
  return 0;
}
