// ListCapabilities: the core's catalog (methods, builtin models, potentials)
// and the server's limits on one request (Solve, Estimate, McmcService.Sample)
// as a v1::Capabilities.
#ifndef PATHWISE_SERVER_CAPABILITIES_H_
#define PATHWISE_SERVER_CAPABILITIES_H_

#include "pathwise/v1/solver.pb.h"
#include "server/estimate_request.h"
#include "server/mcmc_request.h"
#include "server/solve_request.h"

namespace pathwise::server {

// Every method (in the core registry's order; the wire enum names each), every builtin model and
// potential of the catalog (in catalog order), and the limits.
v1::Capabilities BuildCapabilities(const SolveLimits& limits,
                                   const EstimateLimits& estimate = EstimateLimits{},
                                   const McmcLimits& mcmc = McmcLimits{});

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_CAPABILITIES_H_
