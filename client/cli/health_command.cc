// pathwise health: grpc.health.v1.Health/Check.
#include <cstdio>

#include "client/cli/args.h"
#include "client/cli/channel.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace pathwise::cli {
namespace {

constexpr char kHealthHelp[] = R"(Usage: pathwise health [options]

Asks grpc.health.v1.Health/Check and prints SERVING, NOT_SERVING or UNKNOWN.
Exits 0 only when SERVING.

Options (--name value or --name=value):
  --server HOST:PORT   server address (default 127.0.0.1:50051); with several
                       addresses A:P,B:Q the check goes to one of them
  --service NAME       a service, e.g. pathwise.v1.BrownianService (default "":
                       the server as a whole)
  --timeout SECONDS    give up after this long (default 10)

)";

}  // namespace

int HealthCommand(const std::vector<std::string>& words) {
  const Args args(words, WithSecurityFlags({{"server"}, {"service"}, {"timeout"}}));
  if (args.help()) {
    std::fputs(kHealthHelp, stdout);
    std::fputs(kSecurityFlagsHelp, stdout);
    std::fputs(kExitCodesHelp, stdout);
    return kExitOk;
  }
  const ServerTarget server = ParseServerArgs(args);
  const double timeout = ParseTimeout(args.String("timeout", "10"));
  auto stub = grpc::health::v1::Health::NewStub(Connect(server));
  grpc::ClientContext context;
  context.set_deadline(DeadlineAfter(timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(args.String("service", ""));
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, server.text);
  std::printf("%s\n",
              grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk
                                                                             : kExitServerError;
}

}  // namespace pathwise::cli
