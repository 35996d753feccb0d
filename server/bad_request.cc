#include "server/bad_request.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"

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

absl::Status FromCoreStatus(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
  }
  FieldViolation v = ViolationFromCoreMessage(status.message(), prefix);
  if (const size_t colon = v.field.find(':'); colon != std::string::npos) {
    v.description = absl::StrCat(v.field.substr(colon + 1), ": ", v.description);
    v.field.resize(colon);
  }
  return InvalidArgumentWithViolations({std::move(v)});
}

}  // namespace pathwise::server
