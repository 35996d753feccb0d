// McmcRequest -> core: validation against the wire contract and the server's
// limits, and conversion to the sampler's target and options
// (core/mcmc/sampler.h). The sampler's own checks name the wire fields; this
// file adds the server's limits and the fields the core does not see (target
// potential, method, v0, the enum values).
#ifndef PATHWISE_SERVER_MCMC_REQUEST_H_
#define PATHWISE_SERVER_MCMC_REQUEST_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/expr/program_cache.h"
#include "core/mcmc/sampler.h"
#include "core/model/potential.h"
#include "pathwise/v1/mcmc.pb.h"

namespace pathwise::server {

// The server's limits on one McmcRequest (flags --max_mcmc_*).
struct McmcLimits {
  uint32_t max_dim = 4096;                           // largest target dimension
  uint32_t max_chains = 256;                         // largest num_chains
  uint64_t max_draw_values = uint64_t{1} << 26;      // num_chains * num_draws * dim
  uint64_t max_steps_per_chain = uint64_t{1} << 24;  // warm-up and sampling, accepted + rejected
  // Largest target.builtin.data (values): 2^21 doubles are 16 MiB on the wire,
  // within the default receive limit (the breast-cancer table is 146 kB).
  uint64_t max_data_values = uint64_t{1} << 21;

  // Bytes a request may take on the wire: max_data_values doubles plus the rest.
  int MaxRequestBytes() const;
};

// A validated request, ready for mcmc::Sample(potential, options) once the
// caller sets the options' runner, callbacks and cancel flag.
struct McmcInputs {
  std::shared_ptr<const model::Potential> potential;
  mcmc::SamplerOptions options;  // keep_draws false: draws are streamed, not kept
  bool return_draws = false;
  std::string method_name;  // of the resolved method, e.g. "align"
};

// Validates and converts a request. Errors:
// - RESOURCE_EXHAUSTED naming the limit and its value ("num_chains: 1000
//   exceeds the limit max_mcmc_chains = 256");
// - INVALID_ARGUMENT naming the wire field ("target.dim: ...",
//   "method: euler is not a Langevin method ...", "num_draws: must be >= 4,
//   got 0", "inverse_mass[2]: ...") with a google.rpc.BadRequest violation.
// Expression potentials are compiled through `cache` when not null.
absl::StatusOr<McmcInputs> ValidateMcmcRequest(const v1::McmcRequest& request,
                                               const McmcLimits& limits,
                                               expr::ProgramCache* cache = nullptr);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_MCMC_REQUEST_H_
