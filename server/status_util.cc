#include "server/status_util.h"

#include <optional>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pathwise::server {

absl::Status InvalidArgumentWithViolations(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  parts.reserve(violations.size());
  for (const FieldViolation& v : violations) {
    google::rpc::BadRequest::FieldViolation* out = bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
    parts.push_back(v.field.empty() ? v.description : absl::StrCat(v.field, ": ", v.description));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

FieldViolation ViolationFromCoreMessage(absl::string_view message, absl::string_view prefix) {
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos) {
    absl::string_view field = prefix;
    if (!field.empty() && field.back() == '.') field.remove_suffix(1);
    return {std::string(field), std::string(message)};
  }
  return {absl::StrCat(prefix, message.substr(0, colon)), std::string(message.substr(colon + 2))};
}

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
