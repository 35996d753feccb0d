#include "client/cli/retry.h"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace pathwise::cli {

bool IsRetryable(grpc::StatusCode code, bool several_replicas) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::CANCELLED ||
         (code == grpc::StatusCode::DEADLINE_EXCEEDED && several_replicas);
}

bool AnyReplicaReady(grpc::Channel* channel, std::chrono::system_clock::time_point deadline) {
  grpc_connectivity_state state = channel->GetState(/*try_to_connect=*/true);
  while (state == GRPC_CHANNEL_IDLE || state == GRPC_CHANNEL_CONNECTING) {
    if (!channel->WaitForStateChange(state, deadline)) return false;
    state = channel->GetState(true);
  }
  return state == GRPC_CHANNEL_READY;
}

grpc::Status CallWithRetries(const Channels& channels, size_t index, const RetryPolicy& policy,
                             const std::string& what, const Attempt& attempt) {
  for (int tried = 0;; ++tried) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineAfter(policy.timeout_s));
    // The first attempt fails fast when nothing listens; later ones wait for
    // a replica that is up (round_robin skips the ones that are down).
    context.set_wait_for_ready(tried > 0);
    const grpc::Status status =
        attempt(tried == 0 ? channels.ForCall(index) : channels.balanced, &context);
    const bool several = channels.replicas.size() > 1;
    if (status.ok() || !IsRetryable(status.error_code(), several) || tried >= policy.retries) {
      return status;
    }
    if (!AnyReplicaReady(channels.balanced.get(), DeadlineAfter(policy.timeout_s))) return status;
    std::fprintf(stderr, "pathwise: %s: %s: %s; retrying (%d of %d)\n", what.c_str(),
                 CodeName(status.error_code()).c_str(), status.error_message().c_str(), tried + 1,
                 policy.retries);
    // A short pause, growing, so that a replica's death is noticed by the channel first.
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100 << tried, 2000)));
  }
}

}  // namespace pathwise::cli
