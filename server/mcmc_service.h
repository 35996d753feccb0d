// pathwise.v1.McmcService on gRPC's callback API (a raw method, so that bytes
// that do not parse are INVALID_ARGUMENT, not INTERNAL). Sample validates the
// request (mcmc_request.h), admits it (mcmc_admission.h: as an MCMC run and
// as one solve of its caller) and streams an McmcRun.
#ifndef PATHWISE_SERVER_MCMC_SERVICE_H_
#define PATHWISE_SERVER_MCMC_SERVICE_H_

#include <cstddef>

#include "core/expr/program_cache.h"
#include "pathwise/v1/mcmc.grpc.pb.h"
#include "server/mcmc_admission.h"
#include "server/mcmc_request.h"
#include "server/mcmc_run.h"
#include "server/metrics.h"
#include "server/rpc_call.h"
#include "server/solve_admission.h"
#include "server/ticker.h"
#include "server/worker_pool.h"

namespace pathwise::server {

struct McmcServiceOptions {
  McmcLimits limits;
  McmcAdmissionLimits admission;
  McmcRunOptions run;
  size_t program_cache_capacity = 64;  // compiled expression potentials kept
};

class McmcServiceImpl final
    : public v1::McmcService::WithRawCallbackMethod_Sample<v1::McmcService::Service> {
 public:
  // `solves`: SolverService's admission, where each run is also one solve.
  McmcServiceImpl(const McmcServiceOptions& options, WorkerPool& pool, Metrics& metrics,
                  SolveAdmission& solves);

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Sample(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request) override;

  // While draining, new calls get UNAVAILABLE; running ones go on.
  void SetDraining(bool draining) { calls_.SetDraining(draining); }
  // The callers' tokens, to name each call's caller (null: no tokens).
  void SetTokens(std::shared_ptr<const TokenStore> tokens) { calls_.SetTokens(std::move(tokens)); }
  int active_calls() const { return calls_.active_calls(); }
  const McmcAdmission& admission() const { return admission_; }

 private:
  class SampleReactor;

  const McmcServiceOptions options_;
  WorkerPool& pool_;
  Metrics& metrics_;
  CallGate calls_;
  McmcAdmission admission_;
  SolveAdmission& solves_;
  expr::ProgramCache program_cache_;
  Ticker ticker_;  // last: stops first, before what the runs it ticks use
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_MCMC_SERVICE_H_
