// The Prometheus endpoint of pathwised: prometheus-cpp's Exposer (an HTTP
// server, civetweb) with options that keep a slow or half-open connection
// from blinding the scrapes (docs/server.md, "Metrics").
#ifndef PATHWISE_SERVER_METRICS_ENDPOINT_H_
#define PATHWISE_SERVER_METRICS_ENDPOINT_H_

#include <prometheus/exposer.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace pathwise::server {

struct MetricsEndpointOptions {
  // HTTP worker threads. civetweb gives each connection a worker until its
  // request is answered or times out, so one thread could be held by one
  // client that sends half a request; each of several is held at most
  // request_timeout.
  int threads = 4;
  // How long a connection may take to send its request (and to take the
  // answer); a scrape sends its few hundred bytes at once.
  absl::Duration request_timeout = absl::Seconds(2);
};

// Listens on `listen` (host:port; port 0: a free port). UNAVAILABLE when the
// address cannot be bound; INVALID_ARGUMENT for threads < 1 or a
// request_timeout outside [1ms, 1h].
absl::StatusOr<std::unique_ptr<prometheus::Exposer>> StartMetricsEndpoint(
    const std::string& listen, const MetricsEndpointOptions& options);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_METRICS_ENDPOINT_H_
