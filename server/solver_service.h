// pathwise.v1.SolverService on gRPC's callback API (raw methods, so that bytes
// that do not parse are INVALID_ARGUMENT, not INTERNAL). Solve validates the
// request (solve_request.h), admits it (solve_admission.h) and streams a
// SolveRun; Estimate likewise (estimate_request.h, one admitted solve of no
// paths, an EstimateRun; its reactor is in estimate_call.cc);
// ListCapabilities answers from the catalog and the limits.
#ifndef PATHWISE_SERVER_SOLVER_SERVICE_H_
#define PATHWISE_SERVER_SOLVER_SERVICE_H_

#include <cstddef>

#include "core/expr/program_cache.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "server/caller_quota.h"
#include "server/estimate_request.h"
#include "server/mcmc_request.h"
#include "server/metrics.h"
#include "server/rpc_call.h"
#include "server/solve_admission.h"
#include "server/solve_request.h"
#include "server/solve_run.h"
#include "server/ticker.h"
#include "server/worker_pool.h"

namespace pathwise::server {

struct SolverServiceOptions {
  SolveLimits limits;
  AdmissionLimits admission;
  SolveRunOptions run;
  EstimateLimits estimate;
  // McmcService's limits, published by ListCapabilities (McmcService enforces them).
  McmcLimits mcmc;
  size_t program_cache_capacity = 256;  // compiled expression models kept
};

class SolverServiceImpl final
    : public v1::SolverService::WithRawCallbackMethod_Solve<
          v1::SolverService::WithRawCallbackMethod_ListCapabilities<
              v1::SolverService::WithRawCallbackMethod_Estimate<v1::SolverService::Service>>> {
 public:
  // `callers`: per-caller limits, shared with BrownianService (null: none).
  SolverServiceImpl(const SolverServiceOptions& options, WorkerPool& pool, Metrics& metrics,
                    CallerQuota* callers = nullptr);

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Solve(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request) override;
  grpc::ServerUnaryReactor* ListCapabilities(grpc::CallbackServerContext* context,
                                             const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Estimate(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request) override;

  // While draining, new calls get UNAVAILABLE; running solves go on.
  void SetDraining(bool draining) { calls_.SetDraining(draining); }
  // The callers' tokens, to name each call's caller (null: no tokens).
  void SetTokens(std::shared_ptr<const TokenStore> tokens) { calls_.SetTokens(std::move(tokens)); }
  bool draining() const { return calls_.draining(); }
  // Calls (streaming or unary) started and not yet done.
  int active_calls() const { return calls_.active_calls(); }
  // The solves admitted and the paths they hold (read by the tests).
  const SolveAdmission& admission() const { return admission_; }
  // McmcService admits each run here too, as one solve (mcmc_admission.h).
  SolveAdmission& admission() { return admission_; }

 private:
  class SolveReactor;
  class EstimateReactor;

  const SolverServiceOptions options_;
  WorkerPool& pool_;
  Metrics& metrics_;
  CallGate calls_;
  SolveAdmission admission_;
  expr::ProgramCache program_cache_;
  const grpc::ByteBuffer capabilities_;  // serialized once
  Ticker ticker_;                        // last: stops first, before what the runs it ticks use
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SOLVER_SERVICE_H_
