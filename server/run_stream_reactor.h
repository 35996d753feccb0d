// The reactor of a server-streaming call whose events a run object writes
// (SolveRun, EstimateRun, McmcRun): the part every such call shares. The run
// paces the writes (at most one outstanding; the next starts from
// OnWriteDone), a cancellation reaches it from OnCancel, and OnDone detaches
// it, ends the RpcCall and frees the reactor, which gRPC no longer uses.
//
// A service's reactor derives from this, admits its request in its
// constructor and either starts a run (set run_, then run_->Begin()) or ends
// the call at once with FinishWith(status); it forwards its run's writer
// calls to WriteNext and FinishWith.
#ifndef PATHWISE_SERVER_RUN_STREAM_REACTOR_H_
#define PATHWISE_SERVER_RUN_STREAM_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/status.h"
#include "server/rpc_call.h"

namespace pathwise::server {

template <class Run>
class RunStreamReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  void OnWriteDone(bool ok) final { run_->OnWriteDone(ok); }

  void OnCancel() final {
    call_.Cancel();
    if (run_ != nullptr) run_->Cancel();
  }

  void OnDone() final {
    if (run_ != nullptr) run_->Detach();
    Finished(call_.FinalCode());
    call_.Done();
    delete this;
  }

 protected:
  RunStreamReactor(CallGate& gate, Metrics& metrics, RpcMethod method,
                   const grpc::CallbackServerContext* context)
      : call_(gate, metrics, method, context) {}
  ~RunStreamReactor() override = default;

  void WriteNext(const grpc::ByteBuffer* message) { StartWrite(message); }
  void FinishWith(const absl::Status& status) { Finish(call_.Conclude(status)); }

  // Called from OnDone with the code the client sees, before the call ends
  // (per-method metrics).
  virtual void Finished(grpc::StatusCode /*code*/) {}

  RpcCall call_;
  std::shared_ptr<Run> run_;  // null until admitted
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_RUN_STREAM_REACTOR_H_
