// Calls that are retried when a replica goes away: a range of a split
// ensemble whose call fails with UNAVAILABLE (replica killed or unreachable),
// CANCELLED (the client never cancels, so the server did: shutdown) or
// DEADLINE_EXCEEDED is sent again on the round_robin channel with
// wait_for_ready, which holds it until a healthy replica can take it.
#ifndef PATHWISE_CLIENT_CLI_RETRY_H_
#define PATHWISE_CLIENT_CLI_RETRY_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "client/cli/channel.h"

namespace pathwise::cli {

struct RetryPolicy {
  int retries = 3;          // further attempts after the first
  double timeout_s = 10.0;  // deadline of each attempt (seconds)
};

// Whether a failed call may succeed when sent again: UNAVAILABLE and
// CANCELLED always (a replica went away; another, or the same one restarted,
// can take it); DEADLINE_EXCEEDED only with `several_replicas` (the same
// replica would likely be as slow again).
bool IsRetryable(grpc::StatusCode code, bool several_replicas);

// One attempt on `channel` with a fresh context (deadline and wait_for_ready set).
using Attempt = std::function<grpc::Status(const std::shared_ptr<grpc::Channel>& channel,
                                           grpc::ClientContext* context)>;

// Runs `attempt` for call `index` of a split: first on channels.ForCall(index),
// then on the round_robin channel until it succeeds, fails with a code that
// is not retryable, or the retries are spent. There is no retry when no
// replica can be reached (the round_robin channel goes to TRANSIENT_FAILURE):
// that is reported at once rather than waited out. `what` names the call in
// the retry notes printed on stderr.
grpc::Status CallWithRetries(const Channels& channels, size_t index, const RetryPolicy& policy,
                             const std::string& what, const Attempt& attempt);

// Whether the channel has a READY replica, connecting if needed; false once
// every replica failed to connect (TRANSIENT_FAILURE) or at `deadline`.
bool AnyReplicaReady(grpc::Channel* channel, std::chrono::system_clock::time_point deadline);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_RETRY_H_
