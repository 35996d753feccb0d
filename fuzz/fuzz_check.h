// What every wire fuzzer checks of a rejected request: the code is one a
// client error may get (never INTERNAL or UNKNOWN), the message is not empty,
// and it converts to a grpc::Status as the services send it.
#ifndef PATHWISE_FUZZ_FUZZ_CHECK_H_
#define PATHWISE_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "server/grpc_status.h"

namespace pathwise::fuzz {

// The target's body: bytes as one request through parsing, validation,
// conversion and a bounded run. Each wire fuzzer defines it;
// wire_fuzzer_main.cc is the libFuzzer entry point that calls it.
void Run(const uint8_t* data, size_t size);

inline void CheckRejection(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument &&
      status.code() != absl::StatusCode::kResourceExhausted) {
    __builtin_trap();
  }
  if (status.message().empty()) __builtin_trap();
  const grpc::Status wire = server::ToGrpcStatus(status);
  if (wire.ok() || wire.error_message().empty()) __builtin_trap();
}

}  // namespace pathwise::fuzz

#endif  // PATHWISE_FUZZ_FUZZ_CHECK_H_
