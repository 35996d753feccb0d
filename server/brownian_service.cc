#include "server/brownian_service.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/rpc_util.h"
#include "server/sample_request.h"
#include "server/status_util.h"
#include "server/wire.h"

namespace pathwise::server {
namespace {

using Clock = std::chrono::steady_clock;

// Parses and validates one request.
absl::StatusOr<brownian::BatchRequest> ReadRequest(const grpc::ByteBuffer& bytes,
                                                   const Limits& limits) {
  v1::SampleRequest request;
  if (absl::Status status = ParseSampleRequest(bytes, request); !status.ok()) return status;
  return ValidateSampleRequest(request, limits);
}

uint64_t BytesOf(const brownian::BatchRequest& batch) {
  return ResponseBytes(batch.path_count, batch.times.size() + batch.intervals.size(),
                       batch.path.dim, batch.path.levy_area);
}

// The bookkeeping every call shares, whatever its shape: the service's count of
// calls in flight, admission of its response bytes, cancellation, the final
// code, and the metrics recorded when the call is done.
class CallRecord {
 public:
  CallRecord(BrownianServiceImpl& service, grpc::CallbackServerContext* context, Method method,
             const char* name)
      : service_(service), context_(context), method_(method), name_(name), start_(Clock::now()) {
    service_.CallStarted();
    service_.metrics().RpcStarted(method_);
  }

  bool draining() const { return service_.draining(); }

  // Parses, validates and admits one request: on success its response bytes are
  // reserved until Release() or Done().
  absl::StatusOr<brownian::BatchRequest> Admit(const grpc::ByteBuffer& bytes) {
    if (service_.draining()) return DrainingError();
    absl::StatusOr<brownian::BatchRequest> batch = ReadRequest(bytes, service_.limits());
    if (!batch.ok()) return batch.status();
    const uint64_t reserve = BytesOf(*batch);
    if (absl::Status status = service_.ReserveBytes(reserve); !status.ok()) return status;
    reserved_ = reserve;
    return batch;
  }

  void Release() {
    service_.ReleaseBytes(reserved_);
    reserved_ = 0;
  }

  // The status to finish with; logs server-side failures and remembers the code.
  grpc::Status Conclude(const absl::Status& status) {
    if (!status.ok()) LogError(name_, status);
    grpc::Status out = ToGrpcStatus(status);
    code_ = out.error_code();
    return out;
  }

  void Cancel() { cancelled_.store(true); }
  const std::atomic<bool>* cancelled() const { return &cancelled_; }

  void Done() {
    const grpc::StatusCode code = cancelled_.load() ? CancelledCode(context_) : code_;
    service_.metrics().RpcFinished(method_, code,
                                   std::chrono::duration<double>(Clock::now() - start_).count());
    Release();
    service_.CallDone();
  }

 private:
  BrownianServiceImpl& service_;
  grpc::CallbackServerContext* context_;
  const Method method_;
  const char* name_;
  const Clock::time_point start_;
  std::atomic<bool> cancelled_{false};
  grpc::StatusCode code_ = grpc::StatusCode::OK;
  uint64_t reserved_ = 0;  // admitted response bytes (ReserveBytes)
};

class SampleReactor final : public grpc::ServerUnaryReactor {
 public:
  SampleReactor(BrownianServiceImpl& service, grpc::CallbackServerContext* context,
                const grpc::ByteBuffer* request, grpc::ByteBuffer* response)
      : call_(service, context, Method::kSample, "Sample"), response_(response) {
    absl::StatusOr<brownian::BatchRequest> batch = call_.Admit(*request);
    if (!batch.ok()) {
      FinishWith(batch.status());
      return;
    }
    service.evaluator().Run(*std::move(batch), call_.cancelled(),
                            [this](absl::Status status, brownian::BatchResult& result) {
                              if (status.ok()) *response_ = EncodeSampleResponse(result);
                              FinishWith(status);  // `this` may be gone after this call
                            });
  }

  void OnCancel() override { call_.Cancel(); }

  void OnDone() override {
    call_.Done();
    delete this;
  }

 private:
  void FinishWith(const absl::Status& status) { Finish(call_.Conclude(status)); }

  CallRecord call_;
  grpc::ByteBuffer* response_;
};

class SampleStreamReactor final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  SampleStreamReactor(BrownianServiceImpl& service, grpc::CallbackServerContext* context)
      : service_(service), call_(service, context, Method::kSampleStream, "SampleStream") {
    if (call_.draining()) {
      FinishWith(DrainingError());
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
    absl::StatusOr<brownian::BatchRequest> batch = call_.Admit(request_);
    if (!batch.ok()) {
      FinishWith(batch.status());
      return;
    }
    service_.evaluator().Run(*std::move(batch), call_.cancelled(),
                             [this](absl::Status status, brownian::BatchResult& result) {
                               if (!status.ok()) {
                                 FinishWith(status);
                                 return;
                               }
                               response_ = EncodeSampleResponse(result);
                               StartWrite(&response_);
                             });
  }

  void OnWriteDone(bool ok) override {
    call_.Release();
    if (!ok) {
      FinishWith(absl::CancelledError("the stream broke while writing a response"));
      return;
    }
    service_.metrics().StreamMessage();
    request_.Clear();
    response_.Clear();
    StartRead(&request_);
  }

  void OnCancel() override { call_.Cancel(); }

  void OnDone() override {
    call_.Done();
    delete this;
  }

 private:
  void FinishWith(const absl::Status& status) { Finish(call_.Conclude(status)); }

  BrownianServiceImpl& service_;
  CallRecord call_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

}  // namespace

absl::Status BrownianServiceImpl::ReserveBytes(uint64_t bytes) {
  uint64_t current = inflight_bytes_.load();
  do {
    if (bytes > limits_.max_inflight_bytes - std::min(current, limits_.max_inflight_bytes)) {
      return absl::ResourceExhaustedError(
          absl::StrCat("server busy: ", current, " response bytes in flight + ", bytes,
                       " would exceed the limit max_inflight_bytes = ", limits_.max_inflight_bytes,
                       "; retry later"));
    }
  } while (!inflight_bytes_.compare_exchange_weak(current, current + bytes));
  metrics_.AddInflightBytes(static_cast<double>(bytes));
  return absl::OkStatus();
}

void BrownianServiceImpl::ReleaseBytes(uint64_t bytes) {
  if (bytes == 0) return;
  inflight_bytes_.fetch_sub(bytes);
  metrics_.AddInflightBytes(-static_cast<double>(bytes));
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
