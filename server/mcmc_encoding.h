// McmcService.Sample's events on the wire (mcmc.proto McmcResponse): kept
// draws split into Draws messages that fit the send limit, the diagnostics,
// the summary and progress.
#ifndef PATHWISE_SERVER_MCMC_ENCODING_H_
#define PATHWISE_SERVER_MCMC_ENCODING_H_

#include <grpcpp/support/byte_buffer.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "core/integrate/options.h"
#include "core/mcmc/sampler.h"
#include "pathwise/v1/mcmc.pb.h"

namespace pathwise::server {

// Chain `chain`'s kept draws first_draw, first_draw + 1, ... (positions
// [draws][dim] row-major) as serialized Draws events of at most
// `max_message_bytes` each, in draw order. RESOURCE_EXHAUSTED when a single
// draw does not fit.
absl::StatusOr<std::vector<grpc::ByteBuffer>> EncodeDraws(uint32_t chain, uint32_t first_draw,
                                                          int dim,
                                                          const std::vector<double>& positions,
                                                          size_t max_message_bytes);

v1::McmcResponse McmcProgressEvent(const integrate::Progress& progress);
// Per coordinate; the arrays are empty when no chain was stable (nothing to summarize).
v1::McmcResponse McmcDiagnosticsEvent(const mcmc::SamplerResult& result);
v1::McmcResponse McmcSummaryEvent(const mcmc::SamplerResult& result);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_MCMC_ENCODING_H_
