// libFuzzer target: any bytes, parsed as a pathwise.v1.McmcRequest (the
// binary wire format, as McmcService receives it), go through the service's
// validation and conversion (ValidateMcmcRequest with the server's default
// limits and a program cache, as the service calls it). A rejected request
// must get a client-error code. An accepted one is sampled, bounded: at most
// kMaxChains chains of at most kMaxDraws draws and kMaxSteps steps each (a
// chain reaching it is flagged unstable), dimension at most kMaxDim; the run
// must succeed, or fail with a client error, and its result must be
// consistent (counts, shapes, the unstable chains). Crashes, hangs, sanitizer reports and broken
// invariants
// (__builtin_trap) are findings.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/expr/program_cache.h"
#include "core/mcmc/sampler.h"
#include "fuzz/fuzz_check.h"
#include "pathwise/v1/mcmc.pb.h"
#include "server/bad_request.h"
#include "server/mcmc_request.h"

namespace pathwise::fuzz {
namespace {

constexpr uint32_t kMaxChains = 2;  // larger requests are validated, not run
constexpr int kMaxDim = 16;
constexpr uint32_t kMaxDraws = 16;         // per chain
constexpr uint64_t kMaxSteps = 2000;       // per chain, warm-up and sampling
constexpr uint64_t kMaxDataValues = 4096;  // a builtin's data costs every gradient

void CheckResult(const mcmc::SamplerResult& r, uint32_t chains, uint32_t draws, int dim) {
  if (r.num_chains != chains || r.dim != dim) __builtin_trap();
  if (r.kept_draws > uint64_t{chains} * draws) __builtin_trap();
  if (!r.diagnostics.empty() && r.diagnostics.size() != static_cast<size_t>(dim)) __builtin_trap();
  if (r.inverse_mass.size() != static_cast<size_t>(dim)) __builtin_trap();
  if (r.unstable_chains.size() > chains) __builtin_trap();
  for (size_t i = 0; i < r.unstable_chains.size(); ++i) {
    if (r.unstable_chains[i] >= chains) __builtin_trap();
    if (i > 0 && r.unstable_chains[i] <= r.unstable_chains[i - 1]) __builtin_trap();
  }
  // Stable chains keep every draw.
  if (r.kept_draws < uint64_t{chains - r.unstable_chains.size()} * draws) __builtin_trap();
  if (r.steps_accepted + r.steps_rejected > chains * kMaxSteps) __builtin_trap();
}

}  // namespace

void Run(const uint8_t* data, size_t size) {
  v1::McmcRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  static expr::ProgramCache cache(64);
  const server::McmcLimits limits;
  absl::StatusOr<server::McmcInputs> inputs = server::ValidateMcmcRequest(request, limits, &cache);
  if (!inputs.ok()) {
    CheckRejection(inputs.status());
    return;
  }
  if (inputs->potential == nullptr || inputs->method_name.empty()) __builtin_trap();

  // The bounded run: fewer draws and steps than asked (validation has seen
  // the request as sent); chains may end unstable at kMaxSteps.
  mcmc::SamplerOptions options = inputs->options;
  const int dim = inputs->potential->dim();
  const uint32_t chains = options.ResolvedNumChains();
  if (chains > kMaxChains || dim > kMaxDim ||
      static_cast<uint64_t>(request.target().builtin().data_size()) > kMaxDataValues) {
    return;
  }
  options.num_draws = std::min(options.num_draws, kMaxDraws);
  options.max_steps_per_chain = kMaxSteps;
  options.keep_draws = true;
  absl::StatusOr<mcmc::SamplerResult> result = mcmc::Sample(inputs->potential, options);
  if (!result.ok()) {
    // The sampler finds some requests invalid only when it lays out the step
    // grid (a warm-up too short for the Brownian tree's resolution, found by
    // this fuzzer): the service sends that as a client error (McmcRun), so it
    // must be one; anything else is a finding.
    CheckRejection(server::FromCoreStatus(result.status(), ""));
    return;
  }
  CheckResult(*result, chains, options.num_draws, dim);
}

}  // namespace pathwise::fuzz
