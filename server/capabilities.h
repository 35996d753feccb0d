// ListCapabilities: the core's catalog (methods, builtin models, potentials)
// and the server's limits as a v1::Capabilities.
#ifndef PATHWISE_SERVER_CAPABILITIES_H_
#define PATHWISE_SERVER_CAPABILITIES_H_

#include "pathwise/v1/solver.pb.h"
#include "server/solve_request.h"

namespace pathwise::server {

// Every method (in the core registry's order; the wire enum names each), every builtin model and
// potential of the catalog (in catalog order), and `limits`.
v1::Capabilities BuildCapabilities(const SolveLimits& limits);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_CAPABILITIES_H_
