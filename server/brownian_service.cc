#include "server/brownian_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/brownian_encoding.h"
#include "server/overload_status.h"
#include "server/sample_request.h"

namespace pathwise::server {
namespace {

uint64_t BytesOf(const brownian::BatchRequest& batch) {
  return SampleResponseBytes(batch.path_count, batch.times.size() + batch.intervals.size(),
                             batch.path.dim, batch.path.levy_area);
}

}  // namespace

// What both reactors share: the call, and the response bytes it holds
// against max_inflight_bytes from admission until the response is written.
template <class Reactor>
class BrownianServiceImpl::SampleCallReactor : public Reactor {
 public:
  void OnCancel() override { call_.Cancel(); }

  void OnDone() override {
    service_.ReleaseBytes(caller_, reserved_);
    call_.Done();
    delete this;
  }

 protected:
  SampleCallReactor(BrownianServiceImpl& service, RpcMethod method,
                    grpc::CallbackServerContext* context)
      : service_(service),
        call_(service.calls_, service.metrics_, method, context),
        caller_(QuotaCaller(call_.caller(), context->peer())) {}

  // Parses, validates and admits one request, reserving its response bytes.
  absl::StatusOr<brownian::BatchRequest> Admit(const grpc::ByteBuffer& bytes) {
    if (absl::Status admitted = call_.Admit(); !admitted.ok()) return admitted;
    v1::SampleRequest request;
    if (absl::Status status = ParseSampleRequest(bytes, request); !status.ok()) return status;
    absl::StatusOr<brownian::BatchRequest> batch = ValidateSampleRequest(request, service_.limits_);
    if (!batch.ok()) return batch.status();
    const uint64_t bytes_needed = BytesOf(*batch);
    if (absl::Status status = service_.ReserveBytes(caller_, bytes_needed); !status.ok()) {
      return status;
    }
    reserved_ += bytes_needed;
    return batch;
  }

  // Runs an admitted request on the evaluator; `done` as for Evaluator::Run.
  void Evaluate(brownian::BatchRequest batch, Evaluator::Done done) {
    service_.evaluator_.Run(std::move(batch), call_.cancelled(), std::move(done), caller_);
  }

  void ReleaseBytes() { service_.ReleaseBytes(caller_, reserved_); }
  void FinishWith(const absl::Status& status) { this->Finish(call_.Conclude(status)); }

  BrownianServiceImpl& service_;
  RpcCall call_;
  const std::string caller_;  // QuotaCaller(): whose bytes and whose lane in the pool

 private:
  uint64_t reserved_ = 0;
};

class BrownianServiceImpl::SampleReactor final
    : public SampleCallReactor<grpc::ServerUnaryReactor> {
 public:
  SampleReactor(BrownianServiceImpl& service, grpc::CallbackServerContext* context,
                const grpc::ByteBuffer* request, grpc::ByteBuffer* response)
      : SampleCallReactor(service, RpcMethod::kSample, context), response_(response) {
    absl::StatusOr<brownian::BatchRequest> batch = Admit(*request);
    if (!batch.ok()) {
      FinishWith(batch.status());
      return;
    }
    Evaluate(*std::move(batch), [this](absl::Status status, brownian::BatchResult& result) {
      if (status.ok()) *response_ = EncodeSampleResponse(result);
      FinishWith(status);  // `this` may be gone after this call
    });
  }

 private:
  grpc::ByteBuffer* response_;
};

class BrownianServiceImpl::SampleStreamReactor final
    : public SampleCallReactor<grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>> {
 public:
  SampleStreamReactor(BrownianServiceImpl& service, grpc::CallbackServerContext* context)
      : SampleCallReactor(service, RpcMethod::kSampleStream, context) {
    if (absl::Status admitted = call_.Admit(); !admitted.ok()) {
      FinishWith(admitted);
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client half-closed (or the call is gone): done
      FinishWith(absl::OkStatus());
      return;
    }
    // Admitted bytes are released when the response has been written.
    absl::StatusOr<brownian::BatchRequest> batch = Admit(request_);
    if (!batch.ok()) {
      FinishWith(batch.status());
      return;
    }
    Evaluate(*std::move(batch), [this](absl::Status status, brownian::BatchResult& result) {
      if (!status.ok()) {
        FinishWith(status);
        return;
      }
      response_ = EncodeSampleResponse(result);
      StartWrite(&response_);
    });
  }

  // The next read starts once the response is written: one message in flight each way.
  void OnWriteDone(bool ok) override {
    ReleaseBytes();
    if (!ok) {
      FinishWith(absl::CancelledError("the stream broke while writing a response"));
      return;
    }
    service_.metrics_.StreamMessage();
    request_.Clear();
    response_.Clear();
    StartRead(&request_);
  }

 private:
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

absl::Status BrownianServiceImpl::ReserveBytes(const std::string& caller, uint64_t bytes) {
  // The caller's own limit first: a caller over it learns so (QuotaFailure)
  // even when the server as a whole is busy too.
  if (callers_ != nullptr) {
    if (absl::Status status = callers_->ReserveBytes(caller, bytes); !status.ok()) return status;
  }
  uint64_t current = inflight_bytes_.load();
  do {
    if (bytes > limits_.max_inflight_bytes - std::min(current, limits_.max_inflight_bytes)) {
      if (callers_ != nullptr) callers_->ReleaseBytes(caller, bytes);
      metrics_.Rejected("max_inflight_bytes");
      return ServerBusyError(absl::StrCat(current, " response bytes in flight + ", bytes,
                                          " would exceed the limit max_inflight_bytes = ",
                                          limits_.max_inflight_bytes, "; retry later"));
    }
  } while (!inflight_bytes_.compare_exchange_weak(current, current + bytes));
  metrics_.AddInflightBytes(static_cast<double>(bytes));
  return absl::OkStatus();
}

void BrownianServiceImpl::ReleaseBytes(const std::string& caller, uint64_t& reserved) {
  if (reserved == 0) return;
  inflight_bytes_.fetch_sub(reserved);
  metrics_.AddInflightBytes(-static_cast<double>(reserved));
  if (callers_ != nullptr) callers_->ReleaseBytes(caller, reserved);
  reserved = 0;
}

grpc::ServerUnaryReactor* BrownianServiceImpl::Sample(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request,
                                                      grpc::ByteBuffer* response) {
  return new SampleReactor(*this, context, request, response);
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* BrownianServiceImpl::SampleStream(
    grpc::CallbackServerContext* context) {
  return new SampleStreamReactor(*this, context);
}

}  // namespace pathwise::server
