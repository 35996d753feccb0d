#include "server/overload_status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace pathwise::server {

absl::Status ServerBusyError(absl::string_view message, absl::Duration retry_delay) {
  absl::Status status = absl::ResourceExhaustedError(absl::StrCat("server busy: ", message));
  google::rpc::RetryInfo info;
  const int64_t seconds = absl::IDivDuration(retry_delay, absl::Seconds(1), &retry_delay);
  info.mutable_retry_delay()->set_seconds(seconds);
  info.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(retry_delay)));
  status.SetPayload(kRetryInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status CallerQuotaError(absl::string_view caller, absl::string_view limit, uint64_t value,
                              absl::string_view message) {
  absl::Status status = absl::ResourceExhaustedError(
      absl::StrCat("caller ", caller, " is at its limit ", limit, " = ", value, ": ", message));
  google::rpc::QuotaFailure failure;
  google::rpc::QuotaFailure::Violation* violation = failure.add_violations();
  violation->set_subject(absl::StrCat("caller:", caller));
  violation->set_description(absl::StrCat(limit, " = ", value));
  status.SetPayload(kQuotaFailureTypeUrl, absl::Cord(failure.SerializeAsString()));
  return status;
}

}  // namespace pathwise::server
