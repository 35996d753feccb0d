#include "server/caller_quota.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/overload_status.h"

namespace pathwise::server {

std::string QuotaCaller(absl::string_view authenticated, absl::string_view peer) {
  if (!authenticated.empty()) return std::string(authenticated);
  absl::string_view address = peer;
  const size_t scheme = address.find(':');
  const absl::string_view kind = scheme == absl::string_view::npos ? "" : address.substr(0, scheme);
  if (kind != "ipv4" && kind != "ipv6") return std::string(peer);  // unix sockets: the path
  address.remove_prefix(scheme + 1);
  if (!address.empty() && address.front() == '[') {  // ipv6:[::1]:51234
    const size_t close = address.find(']');
    if (close != absl::string_view::npos) return std::string(address.substr(1, close - 1));
  }
  const size_t port = address.rfind(':');
  return std::string(port == absl::string_view::npos ? address : address.substr(0, port));
}

absl::Status CallerQuota::CheckBytesLocked(const std::string& caller, const Usage& usage,
                                           uint64_t bytes) const {
  if (bytes >
      limits_.max_inflight_bytes - std::min(usage.inflight_bytes, limits_.max_inflight_bytes)) {
    return CallerQuotaError(
        caller, "max_inflight_bytes_per_caller", limits_.max_inflight_bytes,
        absl::StrCat(usage.inflight_bytes, " response bytes in flight + ", bytes,
                     " would exceed it; read the answers of open "
                     "streams first, or ask for less at once"));
  }
  return absl::OkStatus();
}

absl::Status CallerQuota::AdmitSolve(const std::string& caller, uint64_t paths, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  Usage& usage = usage_[caller];
  absl::Status status;
  const char* limit = nullptr;
  if (usage.solves >= limits_.max_solves) {
    limit = "max_concurrent_solves_per_caller";
    status = CallerQuotaError(caller, limit, limits_.max_solves,
                              absl::StrCat(usage.solves, " solves running; wait for one to end"));
  } else if (paths >
             limits_.max_queued_paths - std::min(usage.queued_paths, limits_.max_queued_paths)) {
    limit = "max_queued_paths_per_caller";
    status = CallerQuotaError(
        caller, limit, limits_.max_queued_paths,
        absl::StrCat(usage.queued_paths, " paths queued + num_paths ", paths,
                     " would exceed it; wait for running solves or ask for fewer paths"));
  } else if (status = CheckBytesLocked(caller, usage, bytes); !status.ok()) {
    limit = "max_inflight_bytes_per_caller";
  }
  if (!status.ok()) {
    ForgetIfIdleLocked(usage_.find(caller));
    metrics_.Rejected(limit);
    return status;
  }
  ++usage.solves;
  usage.queued_paths += paths;
  usage.inflight_bytes += bytes;
  return absl::OkStatus();
}

void CallerQuota::PathsDone(const std::string& caller, uint64_t paths) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = usage_.find(caller);
  if (it == usage_.end()) return;
  it->second.queued_paths -= std::min(paths, it->second.queued_paths);
}

void CallerQuota::SolveDone(const std::string& caller, uint64_t paths_left, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = usage_.find(caller);
  if (it == usage_.end()) return;
  Usage& usage = it->second;
  usage.solves -= std::min<uint32_t>(1, usage.solves);
  usage.queued_paths -= std::min(paths_left, usage.queued_paths);
  usage.inflight_bytes -= std::min(bytes, usage.inflight_bytes);
  ForgetIfIdleLocked(it);
}

absl::Status CallerQuota::ReserveBytes(const std::string& caller, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  Usage& usage = usage_[caller];
  if (absl::Status status = CheckBytesLocked(caller, usage, bytes); !status.ok()) {
    ForgetIfIdleLocked(usage_.find(caller));
    metrics_.Rejected("max_inflight_bytes_per_caller");
    return status;
  }
  usage.inflight_bytes += bytes;
  return absl::OkStatus();
}

void CallerQuota::ReleaseBytes(const std::string& caller, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = usage_.find(caller);
  if (it == usage_.end()) return;
  it->second.inflight_bytes -= std::min(bytes, it->second.inflight_bytes);
  ForgetIfIdleLocked(it);
}

CallerQuota::Usage CallerQuota::usage(const std::string& caller) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = usage_.find(caller);
  return it == usage_.end() ? Usage{} : it->second;
}

size_t CallerQuota::callers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return usage_.size();
}

void CallerQuota::ForgetIfIdleLocked(std::unordered_map<std::string, Usage>::iterator it) {
  // Only callers holding something are kept: the map stays as small as the
  // set of active callers, however many distinct addresses call.
  if (it != usage_.end() && it->second.solves == 0 && it->second.queued_paths == 0 &&
      it->second.inflight_bytes == 0) {
    usage_.erase(it);
  }
}

}  // namespace pathwise::server
