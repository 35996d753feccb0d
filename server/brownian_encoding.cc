#include "server/brownian_encoding.h"

#include <grpcpp/support/slice.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "core/brownian/path_spec.h"
#include "server/raw_message.h"
#include "server/wire_format.h"

namespace pathwise::server {
using wire_format::kMaxVarint;
using wire_format::PutBytes;
using wire_format::PutUint;

absl::Status ParseSampleRequest(const grpc::ByteBuffer& bytes, v1::SampleRequest& request) {
  return ParseMessage(bytes, request);
}

grpc::ByteBuffer EncodeSampleResponse(const brownian::BatchResult& result) {
  const size_t w = result.w.size() * sizeof(double);
  const size_t h = result.h.size() * sizeof(double);
  const size_t k = result.k.size() * sizeof(double);
  const size_t algorithm = brownian::kAlgorithmVersion.size();
  const size_t capacity = 3 * (1 + kMaxVarint) + 4 * (1 + kMaxVarint) + w + h + k + algorithm;
  char* buffer = static_cast<char*>(std::malloc(capacity));
  if (buffer == nullptr) throw std::bad_alloc();
  char* out = buffer;
  out = PutUint(out, 1, result.dim);
  out = PutUint(out, 2, result.path_count);
  out = PutUint(out, 3, result.query_count);
  out = PutBytes(out, 4, result.w.data(), w);
  out = PutBytes(out, 5, result.h.data(), h);
  out = PutBytes(out, 6, result.k.data(), k);
  out = PutBytes(out, 7, brownian::kAlgorithmVersion.data(), algorithm);
  grpc::Slice slice(buffer, static_cast<size_t>(out - buffer), &std::free);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace pathwise::server
