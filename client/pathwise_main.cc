// pathwise: command-line client of pathwised.
//
//   pathwise sample --server 127.0.0.1:50051 --seed 42 --dim 2 --levy space-time
//       --t0 0 --t1 1 --times 0.5,0.25 --intervals 0.1:0.2,0.3:0.9 --paths 4 --format table
//   pathwise health [--service pathwise.v1.BrownianService]
//
// Exit codes: 0 success; 1 the server answered with an error (or NOT_SERVING);
// 2 bad command line; 3 the server could not be reached in time.
#include <grpcpp/grpcpp.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pathwise/v1/brownian.grpc.pb.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitServerError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUnreachable = 3;

constexpr char kMainHelp[] =
    R"(pathwise: command-line client of the pathwise gRPC server (pathwised).

Usage: pathwise <command> [options]

Commands:
  sample   Brownian increments (and Lévy areas) of reproducible paths
  health   the server's health (grpc.health.v1)
  help     this text; `pathwise <command> --help` explains a command

Exit codes: 0 success; 1 the server answered with an error or is not serving;
2 bad command line; 3 the server could not be reached before --timeout.
)";

constexpr char kSampleHelp[] = R"(Usage: pathwise sample [options]

Asks BrownianService.Sample for increments of one or more Brownian paths. The
same options give the same numbers, on any replica, every time.

Options (--name value or --name=value):
  --server HOST:PORT   server address (default 127.0.0.1:50051)
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
  --timeout SECONDS    give up after this long (default 10)

Output: one row per path, query and component (table, csv), times first and
then intervals in the order given; json holds arrays shaped [path][query][dim].
Values are printed in the shortest form that reads back as the same double.
)";

constexpr char kHealthHelp[] = R"(Usage: pathwise health [options]

Asks grpc.health.v1.Health/Check and prints SERVING, NOT_SERVING or UNKNOWN.
Exits 0 only when SERVING.

Options (--name value or --name=value):
  --server HOST:PORT   server address (default 127.0.0.1:50051)
  --service NAME       a service, e.g. pathwise.v1.BrownianService (default "":
                       the server as a whole)
  --timeout SECONDS    give up after this long (default 10)
)";

struct UsageError {
  std::string message;
};

// "--name value" / "--name=value" options of one command; every name must be known.
class Options {
 public:
  Options(int argc, char** argv, int first, const std::vector<std::string>& known) {
    for (int i = first; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "--help" || arg == "-h") {
        help_ = true;
        continue;
      }
      if (arg.rfind("--", 0) != 0) throw UsageError{"unexpected argument '" + arg + "'"};
      std::string name = arg.substr(2);
      std::optional<std::string> value;
      if (const size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      bool ok = false;
      for (const std::string& k : known) ok = ok || k == name;
      if (!ok) throw UsageError{"unknown option --" + name};
      if (!value) {
        if (i + 1 >= argc) throw UsageError{"--" + name + " needs a value"};
        value = argv[++i];
      }
      values_[name] = *value;
    }
  }
  bool help() const { return help_; }
  std::string String(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  uint64_t Unsigned(const std::string& name, uint64_t fallback, uint64_t max = UINT64_MAX) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    uint64_t v = 0;
    if (!absl::SimpleAtoi(it->second, &v) || v > max) {
      throw UsageError{"--" + name + ": '" + it->second + "' is not an integer in [0, " +
                       std::to_string(max) + "]"};
    }
    return v;
  }
  double Double(const std::string& name, double fallback) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    return ParseDouble(name, it->second);
  }
  static double ParseDouble(const std::string& name, absl::string_view text) {
    double v = 0;
    if (!absl::SimpleAtod(text, &v)) {
      throw UsageError{"--" + name + ": '" + std::string(text) + "' is not a number"};
    }
    return v;
  }

 private:
  bool help_ = false;
  std::map<std::string, std::string> values_;
};

std::shared_ptr<grpc::Channel> Connect(const std::string& server) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);  // the server bounds responses (--max_response_bytes)
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), args);
}

std::string CodeName(grpc::StatusCode code) {
  // gRPC and Abseil share the canonical code numbers and names.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// Prints a failed call; returns the exit code for it.
int ReportRpcError(const grpc::Status& status, const std::string& server) {
  std::fprintf(stderr, "pathwise: error: %s: %s\n", CodeName(status.error_code()).c_str(),
               status.error_message().c_str());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad;
      if (!any.UnpackTo(&bad)) continue;
      for (const auto& v : bad.field_violations()) {
        std::fprintf(stderr, "  field %s: %s\n", v.field().c_str(), v.description().c_str());
      }
    }
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::fprintf(stderr, "pathwise: is pathwised running at %s? (see --server, --timeout)\n",
                 server.c_str());
    return kExitUnreachable;
  }
  return kExitServerError;
}

pathwise::v1::LevyArea ParseLevy(const std::string& text) {
  if (text == "none") return pathwise::v1::LEVY_AREA_NONE;
  if (text == "space-time") return pathwise::v1::LEVY_AREA_SPACE_TIME;
  if (text == "space-time-time") return pathwise::v1::LEVY_AREA_SPACE_TIME_TIME;
  throw UsageError{"--levy: '" + text + "' is not one of none, space-time, space-time-time"};
}

std::chrono::system_clock::time_point Deadline(const Options& options) {
  const double seconds = options.Double("timeout", 10.0);
  if (!(seconds > 0) || !std::isfinite(seconds)) throw UsageError{"--timeout: must be > 0"};
  return std::chrono::system_clock::now() +
         std::chrono::microseconds(static_cast<int64_t>(std::min(seconds, 1e9) * 1e6));
}

// The shortest text that reads back as exactly v.
std::string Num(double v) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), v);
  return ec == std::errc() ? std::string(buffer, end) : std::string("nan");
}

int Sample(const Options& options) {
  pathwise::v1::SampleRequest request;
  pathwise::v1::PathSpec* path = request.mutable_path();
  path->set_seed(options.Unsigned("seed", 0));
  path->set_path_index(options.Unsigned("path-index", 0));
  path->set_dim(static_cast<uint32_t>(options.Unsigned("dim", 1, UINT32_MAX)));
  path->set_t0(options.Double("t0", 0.0));
  path->set_t1(options.Double("t1", 1.0));
  path->set_tol(options.Double("tol", 0.0));
  path->set_levy_area(ParseLevy(options.String("levy", "none")));
  request.set_path_count(static_cast<uint32_t>(options.Unsigned("paths", 1, UINT32_MAX)));
  const std::string format = options.String("format", "table");
  if (format != "table" && format != "csv" && format != "json") {
    throw UsageError{"--format: '" + format + "' is not one of table, csv, json"};
  }
  std::vector<std::pair<double, double>> queries;  // [s, t] in response order
  for (absl::string_view item :
       absl::StrSplit(options.String("times", ""), ',', absl::SkipWhitespace())) {
    const double t = Options::ParseDouble("times", absl::StripAsciiWhitespace(item));
    request.add_times(t);
    queries.emplace_back(path->t0(), t);
  }
  for (absl::string_view item :
       absl::StrSplit(options.String("intervals", ""), ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> ends = absl::StrSplit(item, ':');
    if (ends.size() != 2) {
      throw UsageError{"--intervals: '" + std::string(item) + "' is not S:T"};
    }
    pathwise::v1::Interval* q = request.add_intervals();
    q->set_s(Options::ParseDouble("intervals", absl::StripAsciiWhitespace(ends[0])));
    q->set_t(Options::ParseDouble("intervals", absl::StripAsciiWhitespace(ends[1])));
    queries.emplace_back(q->s(), q->t());
  }
  if (queries.empty()) throw UsageError{"give --times and/or --intervals"};

  const std::string server = options.String("server", "127.0.0.1:50051");
  auto stub = pathwise::v1::BrownianService::NewStub(Connect(server));
  grpc::ClientContext context;
  context.set_deadline(Deadline(options));
  pathwise::v1::SampleResponse response;
  const grpc::Status status = stub->Sample(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, server);

  const uint32_t dim = response.dim();
  const uint32_t paths = response.path_count();
  const uint32_t count = response.query_count();
  const bool has_h = response.h_size() > 0;
  const bool has_k = response.k_size() > 0;
  auto at = [&](uint32_t p, uint32_t q, uint32_t j) {
    return static_cast<int>((size_t{p} * count + q) * dim + j);
  };
  if (format == "json") {
    auto array = [&](const google::protobuf::RepeatedField<double>& values) {
      std::string out = "[";
      for (uint32_t p = 0; p < paths; ++p) {
        out += p ? ", [" : "[";
        for (uint32_t q = 0; q < count; ++q) {
          out += q ? ", [" : "[";
          for (uint32_t j = 0; j < dim; ++j) out += (j ? ", " : "") + Num(values.Get(at(p, q, j)));
          out += "]";
        }
        out += "]";
      }
      return out + "]";
    };
    std::string out = "{\"algorithm\": \"" + response.algorithm() +
                      "\", \"seed\": " + std::to_string(path->seed()) +
                      ", \"path_index\": " + std::to_string(path->path_index()) +
                      ", \"dim\": " + std::to_string(dim) +
                      ", \"path_count\": " + std::to_string(paths) +
                      ", \"query_count\": " + std::to_string(count) + ", \"queries\": [";
    for (size_t q = 0; q < queries.size(); ++q) {
      out += (q ? ", [" : "[") + Num(queries[q].first) + ", " + Num(queries[q].second) + "]";
    }
    out += "], \"w\": " + array(response.w());
    if (has_h) out += ", \"h\": " + array(response.h());
    if (has_k) out += ", \"k\": " + array(response.k());
    std::printf("%s}\n", out.c_str());
    return kExitOk;
  }
  const bool csv = format == "csv";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"path", "query", "s", "t", "component", "w"};
  if (has_h) header.push_back("h");
  if (has_k) header.push_back("k");
  rows.push_back(header);
  for (uint32_t p = 0; p < paths; ++p) {
    for (uint32_t q = 0; q < count; ++q) {
      for (uint32_t j = 0; j < dim; ++j) {
        std::vector<std::string> row = {std::to_string(path->path_index() + p),
                                        std::to_string(q),
                                        Num(queries[q].first),
                                        Num(queries[q].second),
                                        std::to_string(j),
                                        Num(response.w(at(p, q, j)))};
        if (has_h) row.push_back(Num(response.h(at(p, q, j))));
        if (has_k) row.push_back(Num(response.k(at(p, q, j))));
        rows.push_back(std::move(row));
      }
    }
  }
  std::vector<size_t> width(header.size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  if (!csv) std::printf("# algorithm %s\n", response.algorithm().c_str());
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (csv) {
        line += (c ? "," : "") + row[c];
      } else {
        line += (c ? "  " : "") + row[c] + std::string(width[c] - row[c].size(), ' ');
      }
    }
    while (!csv && !line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s\n", line.c_str());
  }
  return kExitOk;
}

int Health(const Options& options) {
  const std::string server = options.String("server", "127.0.0.1:50051");
  auto stub = grpc::health::v1::Health::NewStub(Connect(server));
  grpc::ClientContext context;
  context.set_deadline(Deadline(options));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(options.String("service", ""));
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, server);
  std::printf("%s\n",
              grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk
                                                                             : kExitServerError;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kMainHelp, stderr);
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kMainHelp, stdout);
    return kExitOk;
  }
  try {
    if (command == "sample") {
      Options options(argc, argv, 2,
                      {"server", "seed", "path-index", "paths", "dim", "levy", "t0", "t1", "tol",
                       "times", "intervals", "format", "timeout"});
      if (options.help()) {
        std::fputs(kSampleHelp, stdout);
        return kExitOk;
      }
      return Sample(options);
    }
    if (command == "health") {
      Options options(argc, argv, 2, {"server", "service", "timeout"});
      if (options.help()) {
        std::fputs(kHealthHelp, stdout);
        return kExitOk;
      }
      return Health(options);
    }
    throw UsageError{"unknown command '" + command + "' (try pathwise help)"};
  } catch (const UsageError& e) {
    std::fprintf(stderr, "pathwise %s: %s\n", command.c_str(), e.message.c_str());
    return kExitUsage;
  }
}
