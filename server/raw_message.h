// Messages as the raw ByteBuffers the services take: so that a request that
// does not parse is answered INVALID_ARGUMENT (gRPC's own deserialisation
// would answer INTERNAL), and so that bulk responses can be encoded by hand
// (brownian_encoding.h, solve_encoding.h).
#ifndef PATHWISE_SERVER_RAW_MESSAGE_H_
#define PATHWISE_SERVER_RAW_MESSAGE_H_

#include <google/protobuf/message.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"

namespace pathwise::server {

// Parses a message; INVALID_ARGUMENT naming its type when the bytes are not one.
absl::Status ParseMessage(const grpc::ByteBuffer& bytes, google::protobuf::Message& message);
// A message's bytes, as gRPC would send them.
grpc::ByteBuffer SerializeMessage(const google::protobuf::Message& message);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_RAW_MESSAGE_H_
