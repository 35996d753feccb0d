#include "tests/soak/soak_calls.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <thread>

namespace pathwise::soak {
namespace {

using grpc::StatusCode;
using std::chrono::milliseconds;

// ---------------------------------------------------------------- requests --

v1::SampleRequest SampleOf(uint64_t seed, uint32_t dim, int intervals, uint32_t paths,
                           v1::LevyArea kind, std::mt19937_64& rng) {
  v1::SampleRequest request;
  v1::PathSpec* path = request.mutable_path();
  path->set_seed(seed);
  path->set_path_index(rng() % 1000000);  // a fresh path each call: no cached answer
  path->set_dim(dim);
  path->set_t0(0.0);
  path->set_t1(1.0);
  path->set_levy_area(kind);
  request.set_path_count(paths);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int i = 0; i < intervals; ++i) {
    const double s = u(rng), t = u(rng);
    v1::Interval* q = request.add_intervals();
    q->set_s(std::min(s, t));
    q->set_t(std::max(s, t));
  }
  return request;
}

// The small call of docs/benchmarks.md §3: d = 1, 16 intervals (answered on
// gRPC's thread, not the worker pool).
v1::SampleRequest SmallSample(std::mt19937_64& rng) {
  return SampleOf(1, 1, 16, 1, v1::LEVY_AREA_SPACE_TIME, rng);
}
// 64 x 256 x 16 values with H (4 MiB): split over the worker pool.
v1::SampleRequest LargeSample(std::mt19937_64& rng) {
  return SampleOf(2, 64, 256, 16, v1::LEVY_AREA_SPACE_TIME, rng);
}
// 1024 x 256 x 16 values (32 MiB) from a request of 4 KiB: long enough to be
// cancelled or time out, and small enough that a stream holds several
// unanswered ones within HTTP/2's initial window.
v1::SampleRequest HeavySample(std::mt19937_64& rng) {
  return SampleOf(3, 1024, 256, 16, v1::LEVY_AREA_NONE, rng);
}

// OU, dy = 1.5 (0.5 - y) dt + 0.8 dW on [0, 2], Euler with constant steps.
v1::SolveRequest OuSolve(uint32_t paths, double dt, v1::Output output, uint64_t seed) {
  v1::SolveRequest request;
  v1::BuiltinModel* model = request.mutable_model()->mutable_builtin();
  model->set_name("ou");
  (*model->mutable_params())["theta"] = 1.5;
  (*model->mutable_params())["mu"] = 0.5;
  (*model->mutable_params())["sigma"] = 0.8;
  request.set_method(v1::EULER);
  request.set_t1(2.0);
  request.add_y0(2.0);
  request.mutable_step()->mutable_constant()->set_dt(dt);
  for (double t : {0.25, 0.5, 1.0, 2.0}) request.mutable_saveat()->add_ts(t);
  request.set_seed(seed);
  request.set_num_paths(paths);
  request.set_output(output);
  return request;
}
// E[y(1)] of the OU model above to RMSE 0.02 by multilevel Monte Carlo:
// tens of thousands of path-steps, on the worker pool.
v1::EstimateRequest SmallEstimate(std::mt19937_64& rng) {
  const v1::SolveRequest solve = OuSolve(1, 0.25, v1::OUTPUT_STATISTICS, rng());
  v1::EstimateRequest request;
  *request.mutable_model() = solve.model();
  request.set_method(v1::EULER);
  request.set_t1(1.0);
  request.add_y0(2.0);
  request.set_seed(solve.seed());
  request.set_functional("y");
  request.set_target_rmse(0.02);
  request.set_coarsest_dt(0.25);
  request.set_max_level(4);
  return request;
}
// 2 chains of 100 draws from a 2-d Gaussian, step and mass adapted.
v1::McmcRequest SmallMcmc(std::mt19937_64& rng) {
  v1::McmcRequest request;
  request.mutable_target()->set_expression("x0^2 / 2 + x1^2 / 8");
  request.mutable_target()->set_dim(2);
  request.set_seed(rng());
  request.set_num_chains(2);
  request.set_warmup_time(10.0);
  request.set_num_draws(100);
  request.set_return_draws(true);
  return request;
}
v1::SolveRequest SmallSolve(std::mt19937_64& rng) {
  return OuSolve(128, 1e-2, v1::OUTPUT_STATISTICS, rng());
}
// 2 M steps: about a second of work on two cores (each step descends the
// Brownian tree), long enough to be cancelled or time out.
v1::SolveRequest LongSolve(std::mt19937_64& rng) {
  return OuSolve(1024, 1e-3, v1::OUTPUT_STATISTICS, rng());
}

// ------------------------------------------------------------------ calling --

void Prepare(grpc::ClientContext& context, const Connection& connection, milliseconds deadline) {
  if (!connection.token.empty()) context.AddMetadata("authorization", "Bearer " + connection.token);
  const auto scaled =
      deadline >= std::chrono::seconds(1)
          ? std::chrono::duration_cast<milliseconds>(deadline * connection.deadline_scale)
          : deadline;
  context.set_deadline(std::chrono::system_clock::now() + scaled);
}

Outcome Ended(Outcome outcome, const grpc::Status& status) {
  outcome.end = Clock::now();
  outcome.code = status.error_code();
  outcome.message = status.error_message();
  return outcome;
}

Outcome Started() {
  Outcome outcome;
  outcome.start = Clock::now();
  return outcome;
}

milliseconds UniformMs(std::mt19937_64& rng, int lo, int hi) {
  return milliseconds(std::uniform_int_distribution<int>(lo, hi)(rng));
}

// Cancels `context` after `delay` (a client giving up at a random moment).
class CancelAfter {
 public:
  CancelAfter(grpc::ClientContext& context, milliseconds delay)
      : thread_([&context, delay] {
          std::this_thread::sleep_for(delay);
          context.TryCancel();
        }) {}
  ~CancelAfter() { thread_.join(); }

 private:
  std::thread thread_;
};

Outcome CallSample(const Connection& connection, const v1::SampleRequest& request,
                   milliseconds deadline) {
  grpc::ClientContext context;
  Prepare(context, connection, deadline);
  v1::SampleResponse response;
  Outcome outcome = Started();
  return Ended(outcome, connection.brownian->Sample(&context, request, &response));
}

// Reads the whole stream; `cancel_after` (when set) cancels it meanwhile.
// Reads a server stream to its end; `is_last(event)` tells the event the RPC
// promises last (Summary, EstimateResult, McmcSummary).
template <class Response, class IsLast>
Outcome ReadStream(grpc::ClientReader<Response>& reader, Outcome outcome, IsLast is_last,
                   const std::function<void()>& on_first_event = nullptr) {
  Response event;
  while (reader.Read(&event)) {
    if (!outcome.first_event) {
      outcome.first_event = Clock::now();
      if (on_first_event) on_first_event();
    }
    if (is_last(event)) outcome.summary = true;
  }
  return Ended(outcome, reader.Finish());
}

Outcome CallSolve(const Connection& connection, const v1::SolveRequest& request,
                  milliseconds deadline, std::optional<milliseconds> cancel_after = {},
                  const std::function<void()>& on_first_event = nullptr) {
  grpc::ClientContext context;
  Prepare(context, connection, deadline);
  Outcome outcome = Started();
  std::optional<CancelAfter> canceller;
  if (cancel_after) canceller.emplace(context, *cancel_after);
  auto reader = connection.solver->Solve(&context, request);
  return ReadStream(
      *reader, outcome, [](const v1::SolveResponse& e) { return e.has_summary(); }, on_first_event);
}

// ---------------------------------------------------------- the table rows --

Outcome SampleSmallCall(CallContext& c) {
  return CallSample(c.connection, SmallSample(c.rng), milliseconds(30000));
}

Outcome ListCapabilitiesCall(CallContext& c) {
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(30000));
  v1::Capabilities response;
  Outcome outcome = Started();
  return Ended(outcome, c.connection.solver->ListCapabilities(
                            &context, v1::ListCapabilitiesRequest(), &response));
}

// Health needs no token (load balancers and probes have none).
Outcome HealthCheckCall(CallContext& c) {
  grpc::ClientContext context;
  Prepare(context, c.no_token, milliseconds(30000));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(c.rng() % 2 ? "" : "pathwise.v1.SolverService");
  grpc::health::v1::HealthCheckResponse response;
  Outcome outcome = Started();
  return Ended(outcome, c.no_token.health->Check(&context, request, &response));
}

Outcome SampleLargeCall(CallContext& c) {
  return CallSample(c.connection, LargeSample(c.rng), milliseconds(60000));
}

// A few requests on one stream, each answer read before the next request.
Outcome SampleStreamCall(CallContext& c) {
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(60000));
  Outcome outcome = Started();
  auto stream = c.connection.brownian->SampleStream(&context);
  const int requests = 1 + static_cast<int>(c.rng() % 4);
  v1::SampleResponse response;
  for (int i = 0; i < requests; ++i) {
    const v1::SampleRequest request = c.rng() % 2 ? SmallSample(c.rng) : LargeSample(c.rng);
    if (!stream->Write(request) || !stream->Read(&response)) break;
  }
  stream->WritesDone();
  while (stream->Read(&response)) {
  }
  return Ended(outcome, stream->Finish());
}

// A stream of `requests` heavy requests whose answers are never read, given
// up after a random time in [lo_ms, hi_ms] (a Write may block on flow
// control meanwhile: the cancellation ends it).
Outcome UnreadStream(CallContext& c, int requests, int lo_ms, int hi_ms) {
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(60000));
  Outcome outcome = Started();
  std::optional<CancelAfter> canceller;
  canceller.emplace(context, UniformMs(c.rng, lo_ms, hi_ms));
  auto stream = c.connection.brownian->SampleStream(&context);
  for (int i = 0; i < requests; ++i) stream->Write(HeavySample(c.rng));
  canceller.reset();
  return Ended(outcome, stream->Finish());
}

// A client that sends a heavy request, stops reading, and gives up soon.
Outcome SampleStreamAbandonedCall(CallContext& c) { return UnreadStream(c, 1, 0, 300); }

Outcome SolveSmallCall(CallContext& c) {
  return CallSolve(c.connection, SmallSolve(c.rng), milliseconds(60000));
}

Outcome EstimateCall(CallContext& c) {
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(60000));
  auto reader = c.connection.solver->Estimate(&context, SmallEstimate(c.rng));
  return ReadStream(*reader, Started(),
                    [](const v1::EstimateResponse& e) { return e.has_result(); });
}

Outcome McmcCall(CallContext& c) {
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(60000));
  auto reader = c.connection.mcmc->Sample(&context, SmallMcmc(c.rng));
  return ReadStream(*reader, Started(), [](const v1::McmcResponse& e) { return e.has_summary(); });
}

// A Sample or a Solve cancelled by its client at a random moment.
Outcome CancelledCall(CallContext& c) {
  const milliseconds delay = UniformMs(c.rng, 0, 500);
  if (c.rng() % 2) return CallSolve(c.connection, LongSolve(c.rng), milliseconds(60000), delay);
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(60000));
  const v1::SampleRequest request = HeavySample(c.rng);
  v1::SampleResponse response;
  Outcome outcome = Started();
  std::optional<CancelAfter> canceller;
  canceller.emplace(context, delay);
  const grpc::Status status = c.connection.brownian->Sample(&context, request, &response);
  canceller.reset();
  return Ended(outcome, status);
}

// A deadline of a few milliseconds on work that needs much more.
Outcome ShortDeadlineCall(CallContext& c) {
  const milliseconds deadline = UniformMs(c.rng, 1, 50);
  if (c.rng() % 2) return CallSolve(c.connection, LongSolve(c.rng), deadline);
  return CallSample(c.connection, HeavySample(c.rng), deadline);
}

// Bytes that are no request: an over-long varint tag (11 bytes of 0xff),
// which no protobuf parser accepts, then random bytes. Sent raw with the
// generic stub to Sample or Solve (server-streaming; it refuses before any
// event).
Outcome MalformedBytesCall(CallContext& c) {
  std::string bytes(11, '\xff');
  const int tail = static_cast<int>(c.rng() % 64);
  for (int i = 0; i < tail; ++i) bytes.push_back(static_cast<char>(c.rng() & 0xff));
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  const char* method =
      c.rng() % 2 ? "/pathwise.v1.BrownianService/Sample" : "/pathwise.v1.SolverService/Solve";
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(30000));
  grpc::CompletionQueue queue;
  Outcome outcome = Started();
  auto call = c.connection.generic->PrepareUnaryCall(&context, method, request, &queue);
  call->StartCall();
  grpc::Status status;
  call->Finish(&response, &status, &outcome);
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return Ended(outcome, status);
}

// Lists the services; a list without ours is reported as DATA_LOSS (a code
// no row allows).
Outcome ReflectionCall(CallContext& c) {
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(30000));
  Outcome outcome = Started();
  auto stream = c.connection.reflection->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  bool listed = false;
  if (stream->Write(request) && stream->Read(&response)) {
    for (const auto& service : response.list_services_response().service()) {
      listed = listed || service.name() == "pathwise.v1.SolverService";
    }
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (status.ok() && !listed) {
    status = grpc::Status(StatusCode::DATA_LOSS, "reflection does not list SolverService");
  }
  return Ended(outcome, status);
}

// No token or an unknown one, on any service but health.
Outcome UnauthenticatedCall(CallContext& c) {
  CallContext anonymous{c.rng() % 2 ? c.no_token : c.wrong_token, c.wrong_token, c.no_token, c.rng};
  switch (c.rng() % 4) {
    case 0:
      return SampleSmallCall(anonymous);
    case 1:
      return SolveSmallCall(anonymous);
    case 2:
      return ListCapabilitiesCall(anonymous);
    default:
      return ReflectionCall(anonymous);
  }
}

// The hog's long solves, read to the end.
Outcome HogSolveCall(CallContext& c) {
  return CallSolve(c.connection, OuSolve(512, 1e-3, v1::OUTPUT_STATISTICS, c.rng()),
                   milliseconds(120000));
}

// A solve streaming paths that its client stops reading after the first
// event, holds for seconds, then cancels.
Outcome HogSolveUnreadCall(CallContext& c) {
  grpc::ClientContext context;
  Prepare(context, c.connection, milliseconds(60000));
  v1::SolveRequest request = OuSolve(4096, 1e-3, v1::OUTPUT_PATHS, c.rng());
  request.mutable_saveat()->set_steps(true);  // every step: 2000 values a path
  Outcome outcome = Started();
  auto reader = c.connection.solver->Solve(&context, request);
  v1::SolveResponse event;
  if (reader->Read(&event)) {
    outcome.first_event = Clock::now();
    std::this_thread::sleep_for(UniformMs(c.rng, 1000, 4000));
    context.TryCancel();
    while (reader->Read(&event)) {
    }
  }
  return Ended(outcome, reader->Finish());
}

// The hog's streams: four heavy requests, never read, held for seconds.
Outcome HogStreamUnreadCall(CallContext& c) { return UnreadStream(c, 4, 1000, 4000); }

}  // namespace

const char* CallerName(Caller caller) {
  switch (caller) {
    case Caller::kSmall:
      return "small";
    case Caller::kMixed:
      return "mixed";
    case Caller::kHog:
      return "hog";
  }
  return "?";
}

std::unique_ptr<Connection> Connect(const std::string& target, const std::string& token,
                                    int distinct) {
  auto connection = std::make_unique<Connection>();
  connection->token = token;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetInt("pathwise.soak.connection", distinct);  // distinct args: a connection each
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);  // one attempt: the status is the server's answer
  connection->channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  connection->brownian = v1::BrownianService::NewStub(connection->channel);
  connection->solver = v1::SolverService::NewStub(connection->channel);
  connection->mcmc = v1::McmcService::NewStub(connection->channel);
  connection->health = grpc::health::v1::Health::NewStub(connection->channel);
  connection->reflection =
      grpc::reflection::v1alpha::ServerReflection::NewStub(connection->channel);
  connection->generic = std::make_unique<grpc::GenericStub>(connection->channel);
  return connection;
}

const std::vector<CallKind>& Calls() {
  using C = StatusCode;
  // RESOURCE_EXHAUSTED: the server's admission (max_concurrent_solves,
  // max_queued_paths, max_inflight_bytes) refusing work it has no room for.
  static const std::vector<CallKind> calls = {
      {"Sample small", Caller::kSmall, 6, {C::OK}, true, SampleSmallCall},
      {"ListCapabilities", Caller::kSmall, 2, {C::OK}, true, ListCapabilitiesCall},
      {"Health.Check", Caller::kSmall, 1, {C::OK}, true, HealthCheckCall},
      {"Sample large", Caller::kMixed, 3, {C::OK, C::RESOURCE_EXHAUSTED}, true, SampleLargeCall},
      {"SampleStream", Caller::kMixed, 3, {C::OK, C::RESOURCE_EXHAUSTED}, true, SampleStreamCall},
      {"SampleStream abandoned",
       Caller::kMixed,
       1,
       {C::CANCELLED, C::RESOURCE_EXHAUSTED},
       false,
       SampleStreamAbandonedCall},
      {"Solve small", Caller::kMixed, 3, {C::OK, C::RESOURCE_EXHAUSTED}, true, SolveSmallCall},
      {"Estimate", Caller::kMixed, 1, {C::OK, C::RESOURCE_EXHAUSTED}, true, EstimateCall},
      {"McmcService.Sample", Caller::kMixed, 1, {C::OK, C::RESOURCE_EXHAUSTED}, true, McmcCall},
      {"cancelled Sample/Solve",
       Caller::kMixed,
       2,
       {C::CANCELLED, C::OK, C::RESOURCE_EXHAUSTED},
       false,
       CancelledCall},
      {"short deadline Sample/Solve",
       Caller::kMixed,
       2,
       {C::DEADLINE_EXCEEDED, C::OK, C::RESOURCE_EXHAUSTED},
       false,
       ShortDeadlineCall},
      {"malformed bytes", Caller::kMixed, 2, {C::INVALID_ARGUMENT}, true, MalformedBytesCall},
      {"reflection", Caller::kMixed, 1, {C::OK}, true, ReflectionCall},
      {"unauthenticated", Caller::kMixed, 2, {C::UNAUTHENTICATED}, true, UnauthenticatedCall},
      {"hog Solve", Caller::kHog, 3, {C::OK, C::RESOURCE_EXHAUSTED}, true, HogSolveCall},
      {"hog Solve unread",
       Caller::kHog,
       1,
       {C::CANCELLED, C::OK, C::RESOURCE_EXHAUSTED},
       false,
       HogSolveUnreadCall},
      {"hog SampleStream unread",
       Caller::kHog,
       1,
       {C::CANCELLED, C::RESOURCE_EXHAUSTED},
       false,
       HogStreamUnreadCall},
  };
  return calls;
}

std::string KnownAnswer(const Connection& connection, std::string* error) {
  std::mt19937_64 rng(20261206);
  const v1::SampleRequest sample = SampleOf(7, 3, 16, 4, v1::LEVY_AREA_SPACE_TIME_TIME, rng);
  grpc::ClientContext context;
  Prepare(context, connection, milliseconds(30000));
  v1::SampleResponse response;
  const grpc::Status status = connection.brownian->Sample(&context, sample, &response);
  if (!status.ok()) {
    *error = "known-answer Sample: " + status.error_message();
    return "";
  }
  std::string answer = response.SerializeAsString();
  // The statistics of a solve; progress and the summary carry wall times.
  grpc::ClientContext solve_context;
  Prepare(solve_context, connection, milliseconds(30000));
  auto reader =
      connection.solver->Solve(&solve_context, OuSolve(256, 1e-2, v1::OUTPUT_STATISTICS, 99));
  v1::SolveResponse event;
  while (reader->Read(&event)) {
    if (event.has_statistics()) answer += event.statistics().SerializeAsString();
  }
  const grpc::Status solve_status = reader->Finish();
  if (!solve_status.ok()) {
    *error = "known-answer Solve: " + solve_status.error_message();
    return "";
  }
  return answer;
}

v1::SolveRequest DrainSolveRequest(uint32_t paths) {
  return OuSolve(paths, 1e-3, v1::OUTPUT_STATISTICS, 5);
}

Outcome RunSolve(const Connection& connection, const v1::SolveRequest& request,
                 milliseconds deadline, const std::function<void()>& on_first_event) {
  return CallSolve(connection, request, deadline, {}, on_first_event);
}

}  // namespace pathwise::soak
