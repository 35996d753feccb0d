#include "server/mcmc_encoding.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/raw_message.h"
#include "server/solve_encoding.h"

namespace pathwise::server {
namespace {

// Bytes of a Draws event around its packed doubles: the oneof tag and
// length, chain, first_draw, dim and x's tag and length, all varints.
constexpr size_t kDrawsOverhead = 64;

}  // namespace

absl::StatusOr<std::vector<grpc::ByteBuffer>> EncodeDraws(uint32_t chain, uint32_t first_draw,
                                                          int dim,
                                                          const std::vector<double>& positions,
                                                          size_t max_message_bytes) {
  const size_t d = static_cast<size_t>(dim);
  const size_t draw_bytes = 8 * d;
  if (d == 0 || draw_bytes + kDrawsOverhead > max_message_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "one draw of dim ", dim, " takes ", draw_bytes + kDrawsOverhead,
        " bytes, more than the largest message, max_response_bytes = ", max_message_bytes));
  }
  const size_t per_message = (max_message_bytes - kDrawsOverhead) / draw_bytes;
  const size_t draws = positions.size() / d;
  std::vector<grpc::ByteBuffer> messages;
  for (size_t begin = 0; begin < draws; begin += per_message) {
    const size_t end = std::min(draws, begin + per_message);
    v1::McmcResponse event;
    v1::Draws* out = event.mutable_draws();
    out->set_chain(chain);
    out->set_first_draw(first_draw + static_cast<uint32_t>(begin));
    out->set_dim(static_cast<uint32_t>(dim));
    out->mutable_x()->Assign(positions.begin() + static_cast<std::ptrdiff_t>(begin * d),
                             positions.begin() + static_cast<std::ptrdiff_t>(end * d));
    messages.push_back(SerializeMessage(event));
  }
  return messages;
}

v1::McmcResponse McmcProgressEvent(const integrate::Progress& progress) {
  v1::McmcResponse event;
  *event.mutable_progress() = ProgressEvent(progress).progress();  // Solve's, field for field
  return event;
}

v1::McmcResponse McmcDiagnosticsEvent(const mcmc::SamplerResult& result) {
  v1::McmcResponse event;
  v1::McmcDiagnostics* out = event.mutable_diagnostics();
  out->set_dim(static_cast<uint32_t>(result.dim));
  for (const mcmc::ParameterSummary& p : result.diagnostics) {
    out->add_mean(p.mean);
    out->add_sd(p.sd);
    out->add_mcse_mean(p.mcse_mean);
    out->add_ess_bulk(p.ess_bulk);
    out->add_ess_tail(p.ess_tail);
    out->add_rhat(p.r_hat);
  }
  return event;
}

v1::McmcResponse McmcSummaryEvent(const mcmc::SamplerResult& result) {
  v1::McmcResponse event;
  v1::McmcSummary* out = event.mutable_summary();
  out->set_num_chains(result.num_chains);
  out->set_draws(result.kept_draws);
  out->set_gradient_evaluations_warmup(result.gradient_evaluations_warmup);
  out->set_gradient_evaluations_sampling(result.gradient_evaluations_sampling);
  out->set_steps_accepted(result.steps_accepted);
  out->set_steps_rejected(result.steps_rejected);
  out->set_unstable_chains(static_cast<uint32_t>(result.unstable_chains.size()));
  out->set_step_size(result.step_size);
  out->mutable_inverse_mass()->Assign(result.inverse_mass.begin(), result.inverse_mass.end());
  out->set_algorithm(result.algorithm);
  out->set_wall_seconds(result.wall_seconds);
  return event;
}

}  // namespace pathwise::server
