// pathwise sample: BrownianService.Sample, split over replicas with --split.
#include <algorithm>
#include <cstdio>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/args.h"
#include "client/cli/channel.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "client/cli/names.h"
#include "client/cli/retry.h"
#include "client/cli/sample_output.h"
#include "client/cli/split.h"
#include "pathwise/v1/brownian.grpc.pb.h"

namespace pathwise::cli {
namespace {

constexpr char kSampleHelp[] = R"(Usage: pathwise sample [options]

Asks BrownianService.Sample for increments of one or more Brownian paths. The
same options give the same numbers, on any replica, every time.

Options (--name value or --name=value):
  --server HOST:PORT   server address (default 127.0.0.1:50051); several
                       addresses A:P,B:Q,... (or dns:///NAME:PORT with many
                       addresses) are spread over with round_robin
  --split N            split the paths into N contiguous ranges, asked for
                       concurrently and merged in path order (default: the
                       number of addresses in --server, else 1); the output
                       is the same, bit for bit, for every N
  --retries N          a range's call that fails with UNAVAILABLE or CANCELLED
                       (or DEADLINE_EXCEEDED, with several addresses) is sent
                       again up to N times, on the round_robin channel and
                       waiting for a healthy replica (default 3); not when no
                       replica can be reached at all
  --seed N             path family seed, an unsigned 64-bit integer (default 0)
  --path-index N       first ensemble member (default 0)
  --paths N            number of paths: path-index .. path-index + N - 1 (default 1)
  --dim N              Brownian components, >= 1 (default 1)
  --levy KIND          none | space-time | space-time-time (default none): which
                       Lévy areas (H, K) come with the increments W
  --t0 T --t1 T        the path's time interval, t0 < t1 (default 0 and 1)
  --tol T              tree resolution in time units; 0 = (t1 - t0) * 2^-20 (default 0)
  --times A,B,...      point queries: the increment over [t0, time]
  --intervals S:T,...  interval queries: the increment over [s, t]
  --format F           table | csv | json (default table)
  --timeout SECONDS    give up on a call (each attempt) after this long
                       (default 10)

Output: one row per path, query and component (table, csv), times first and
then intervals in the order given; json holds arrays shaped [path][query][dim].
Values are printed in the shortest form that reads back as the same double.

)";

// Adds the queries of --times and --intervals; returns [s, t] of each in order.
std::vector<std::pair<double, double>> AddQueries(const Args& args, v1::SampleRequest* request) {
  std::vector<std::pair<double, double>> queries;
  for (const double t : ParseDoubleList("times", args.String("times", ""))) {
    request->add_times(t);
    queries.emplace_back(request->path().t0(), t);
  }
  for (absl::string_view item :
       absl::StrSplit(args.String("intervals", ""), ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> ends = absl::StrSplit(item, ':');
    if (ends.size() != 2) {
      throw UsageError{"--intervals: '" + std::string(item) + "' is not S:T"};
    }
    v1::Interval* q = request->add_intervals();
    q->set_s(ParseDouble("intervals", std::string(absl::StripAsciiWhitespace(ends[0]))));
    q->set_t(ParseDouble("intervals", std::string(absl::StripAsciiWhitespace(ends[1]))));
    queries.emplace_back(q->s(), q->t());
  }
  if (queries.empty()) throw UsageError{"give --times and/or --intervals"};
  return queries;
}

v1::SampleRequest BuildRequest(const Args& args) {
  v1::SampleRequest request;
  v1::PathSpec* path = request.mutable_path();
  path->set_seed(args.Unsigned("seed", 0));
  path->set_path_index(args.Unsigned("path-index", 0));
  path->set_dim(static_cast<uint32_t>(args.Unsigned("dim", 1, UINT32_MAX)));
  path->set_t0(args.Double("t0", 0.0));
  path->set_t1(args.Double("t1", 1.0));
  path->set_tol(args.Double("tol", 0.0));
  path->set_levy_area(ParseLevy(args.String("levy", "none")));
  const uint64_t paths = args.Unsigned("paths", 1, UINT32_MAX);
  if (paths == 0) throw UsageError{"--paths: must be at least 1"};
  request.set_path_count(static_cast<uint32_t>(paths));
  return request;
}

// Appends a later range's response (the arrays are laid out path-major).
void AppendResponse(const v1::SampleResponse& part, v1::SampleResponse* merged) {
  if (merged->path_count() == 0) {
    *merged = part;
    return;
  }
  merged->set_path_count(merged->path_count() + part.path_count());
  merged->mutable_w()->Add(part.w().begin(), part.w().end());
  merged->mutable_h()->Add(part.h().begin(), part.h().end());
  merged->mutable_k()->Add(part.k().begin(), part.k().end());
}

struct RangeCall {
  v1::SampleRequest request;
  v1::SampleResponse response;
  grpc::Status status;
};

// Sends one call per range concurrently; the first failure (in path order) wins.
grpc::Status SampleRanges(const Channels& channels, const RetryPolicy& policy,
                          std::vector<RangeCall>& calls) {
  RunConcurrently(calls.size(), [&](size_t i) {
    RangeCall& call = calls[i];
    const uint64_t first = call.request.path().path_index();
    const uint64_t count = std::max<uint32_t>(call.request.path_count(), 1);  // 0 reads as 1
    const std::string what =
        "paths " + std::to_string(first) + ".." + std::to_string(first + count - 1);
    call.status = CallWithRetries(
        channels, i, policy, what,
        [&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* context) {
          call.response.Clear();
          return v1::BrownianService::NewStub(channel)->Sample(context, call.request,
                                                               &call.response);
        });
  });
  for (const RangeCall& call : calls) {
    if (!call.status.ok()) return call.status;
  }
  return grpc::Status::OK;
}

}  // namespace

int SampleCommand(const std::vector<std::string>& words) {
  const Args args(words, WithSecurityFlags({{"server"},
                                            {"split"},
                                            {"retries"},
                                            {"seed"},
                                            {"path-index"},
                                            {"paths"},
                                            {"dim"},
                                            {"levy"},
                                            {"t0"},
                                            {"t1"},
                                            {"tol"},
                                            {"times"},
                                            {"intervals"},
                                            {"format"},
                                            {"timeout"}}));
  if (args.help()) {
    std::fputs(kSampleHelp, stdout);
    std::fputs(kSecurityFlagsHelp, stdout);
    std::fputs(kExitCodesHelp, stdout);
    return kExitOk;
  }
  v1::SampleRequest request = BuildRequest(args);
  const std::string format = args.Choice("format", "table", {"table", "csv", "json"});
  const std::vector<std::pair<double, double>> queries = AddQueries(args, &request);
  const ServerTarget server = ParseServerArgs(args);
  const RetryPolicy policy{static_cast<int>(args.Unsigned("retries", 3, 100)),
                           ParseTimeout(args.String("timeout", "10"))};
  const uint64_t parts = ParseSplit(args.Get("split"), server.addresses);

  std::vector<RangeCall> calls;
  for (const PathRange& range : SplitRanges(request.path_count(), parts, 1)) {
    RangeCall& call = calls.emplace_back();
    call.request = request;
    call.request.mutable_path()->set_path_index(request.path().path_index() + range.offset);
    call.request.set_path_count(static_cast<uint32_t>(range.count));
  }
  const grpc::Status status = SampleRanges(ConnectAll(server), policy, calls);
  if (!status.ok()) return ReportRpcError(status, server.text);
  v1::SampleResponse merged;
  for (const RangeCall& call : calls) AppendResponse(call.response, &merged);
  std::fputs(FormatSample(request, queries, merged, format).c_str(), stdout);
  return kExitOk;
}

}  // namespace pathwise::cli
