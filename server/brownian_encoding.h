// The bytes of BrownianService messages (raw_message.h): a SampleResponse is
// encoded straight from the core's BatchResult with one copy of each array,
// instead of copying it into a SampleResponse and serialising that.
#ifndef PATHWISE_SERVER_BROWNIAN_ENCODING_H_
#define PATHWISE_SERVER_BROWNIAN_ENCODING_H_

#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "core/brownian/batch.h"
#include "pathwise/v1/brownian.pb.h"

namespace pathwise::server {

// Parses a pathwise.v1.SampleRequest; INVALID_ARGUMENT when the bytes are not one.
absl::Status ParseSampleRequest(const grpc::ByteBuffer& bytes, v1::SampleRequest& request);

// Encodes a result as a pathwise.v1.SampleResponse (proto3 wire format: dim,
// path_count, query_count, packed w / h / k, algorithm = kAlgorithmVersion),
// byte-for-byte what SampleResponse::SerializeAsString would give.
grpc::ByteBuffer EncodeSampleResponse(const brownian::BatchResult& result);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_BROWNIAN_ENCODING_H_
