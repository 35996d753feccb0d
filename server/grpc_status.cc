#include "server/grpc_status.h"

#include <optional>
#include <string>

#include "absl/strings/cord.h"
#include "google/rpc/status.pb.h"

namespace pathwise::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int raw = static_cast<int>(status.code());
  // Both enumerations number the canonical codes 0..16 identically; anything
  // else cannot come from our code and is reported as INTERNAL.
  const grpc::StatusCode code = raw >= 0 && raw <= grpc::StatusCode::UNAUTHENTICATED
                                    ? static_cast<grpc::StatusCode>(raw)
                                    : grpc::StatusCode::INTERNAL;
  const std::string message(status.message());
  std::optional<google::rpc::Status> details;
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    if (!details) {
      details.emplace();
      details->set_code(static_cast<int>(code));
      details->set_message(message);
    }
    google::protobuf::Any* any = details->add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  if (!details) return grpc::Status(code, message);
  return grpc::Status(code, message, details->SerializeAsString());
}

}  // namespace pathwise::server
