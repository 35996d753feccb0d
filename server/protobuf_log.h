// libprotobuf's own log lines through spdlog. By default libprotobuf prints
// "[libprotobuf ERROR ...]" on stderr whatever --log_level says, e.g. for
// every request whose string field is not valid UTF-8 (a client's mistake,
// answered INVALID_ARGUMENT). Routed here, they become logfmt lines
// (event=protobuf_log) at a level that says whose problem they are.
#ifndef PATHWISE_SERVER_PROTOBUF_LOG_H_
#define PATHWISE_SERVER_PROTOBUF_LOG_H_

#include <google/protobuf/stubs/logging.h>
#include <spdlog/common.h>

#include <string>

namespace pathwise::server {

// The spdlog level of one libprotobuf message: debug for a request that does
// not parse (invalid UTF-8 while parsing: the call is rejected and logged
// like every rejected call), else warn / error / critical by protobuf's level.
spdlog::level::level_enum ProtobufLogLevel(google::protobuf::LogLevel level,
                                           const std::string& message);

// Installs the handler (google::protobuf::SetLogHandler, process-wide). Not
// thread-safe: call at start-up, before any thread uses protobuf.
void RouteProtobufLogsToSpdlog();

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_PROTOBUF_LOG_H_
