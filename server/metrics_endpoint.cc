#include "server/metrics_endpoint.h"

#include <exception>
#include <vector>

#include "absl/strings/str_cat.h"

namespace pathwise::server {

absl::StatusOr<std::unique_ptr<prometheus::Exposer>> StartMetricsEndpoint(
    const std::string& listen, const MetricsEndpointOptions& options) {
  if (options.threads < 1) return absl::InvalidArgumentError("metrics_threads: must be >= 1");
  if (options.request_timeout < absl::Milliseconds(1) || options.request_timeout > absl::Hours(1)) {
    return absl::InvalidArgumentError("metrics_request_timeout: must be in [1ms, 1h]");
  }
  const std::string timeout_ms = absl::StrCat(absl::ToInt64Milliseconds(options.request_timeout));
  // civetweb options (docs of civetweb 1.15, UserManual.md).
  std::vector<std::string> civetweb = {
      "listening_ports",
      listen,
      "num_threads",
      absl::StrCat(options.threads),
      // Reading the request and writing the answer, per connection.
      "request_timeout_ms",
      timeout_ms,
      // After the answer: wait this long for the client's close, not 30 s.
      "linger_timeout_ms",
      timeout_ms,
      // One request per connection: an idle keep-alive connection holds no worker.
      "enable_keep_alive",
      "no",
  };
  try {
    return std::make_unique<prometheus::Exposer>(std::move(civetweb));
  } catch (const std::exception& e) {
    // CivetServer's message ("null context when constructing CivetServer")
    // does not say why; the usual reason is a port already in use.
    return absl::UnavailableError(
        absl::StrCat("metrics_listen: cannot listen on ", listen,
                     " (address already in use, or not an address of this host): ", e.what()));
  }
}

}  // namespace pathwise::server
