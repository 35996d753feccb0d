#include "server/protobuf_log.h"

#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"

namespace pathwise::server {
namespace {

void LogThroughSpdlog(google::protobuf::LogLevel level, const char* filename, int line,
                      const std::string& message) {
  // logfmt: the message quoted, its quotes and backslashes escaped.
  const std::string quoted =
      absl::StrReplaceAll(message, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", " "}});
  spdlog::log(ProtobufLogLevel(level, message), "event=protobuf_log source={}:{} msg=\"{}\"",
              filename == nullptr ? "?" : filename, line, quoted);
}

}  // namespace

spdlog::level::level_enum ProtobufLogLevel(google::protobuf::LogLevel level,
                                           const std::string& message) {
  // WireFormatLite::VerifyUtf8String: "String field 'x' contains invalid
  // UTF-8 data when parsing a protocol buffer. ..." (when serializing: ours).
  if (absl::StrContains(message, "invalid UTF-8 data when parsing")) return spdlog::level::debug;
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      return spdlog::level::info;
    case google::protobuf::LOGLEVEL_WARNING:
      return spdlog::level::warn;
    case google::protobuf::LOGLEVEL_ERROR:
      return spdlog::level::err;
    case google::protobuf::LOGLEVEL_FATAL:
      return spdlog::level::critical;
  }
  return spdlog::level::err;
}

void RouteProtobufLogsToSpdlog() { google::protobuf::SetLogHandler(&LogThroughSpdlog); }

}  // namespace pathwise::server
