// The bytes of BrownianService messages. The service takes raw ByteBuffers so
// that (1) a request that does not parse is answered INVALID_ARGUMENT (gRPC's
// own deserialisation would answer INTERNAL), and (2) a response is encoded
// straight from the core's BatchResult with one copy of each array, instead
// of copying it into a SampleResponse and serialising that.
#ifndef PATHWISE_SERVER_WIRE_H_
#define PATHWISE_SERVER_WIRE_H_

#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "core/brownian/batch.h"
#include "pathwise/v1/brownian.pb.h"

namespace pathwise::server {

// Parses a message; INVALID_ARGUMENT naming its type when the bytes are not one.
absl::Status ParseMessage(const grpc::ByteBuffer& bytes, google::protobuf::Message& message);
// A message's bytes, as gRPC would send them.
grpc::ByteBuffer SerializeMessage(const google::protobuf::Message& message);

// Parses a pathwise.v1.SampleRequest; INVALID_ARGUMENT when the bytes are not one.
absl::Status ParseSampleRequest(const grpc::ByteBuffer& bytes, v1::SampleRequest& request);

// Encodes a result as a pathwise.v1.SampleResponse (proto3 wire format: dim,
// path_count, query_count, packed w / h / k, algorithm = kAlgorithmVersion),
// byte-for-byte what SampleResponse::SerializeAsString would give.
grpc::ByteBuffer EncodeSampleResponse(const brownian::BatchResult& result);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_WIRE_H_
