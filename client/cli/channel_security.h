// How the CLI authenticates to pathwised, for every command that connects:
//   --tls-ca FILE                  TLS, trusting the CA bundle in FILE (PEM)
//   --tls-cert FILE --tls-key FILE  mutual TLS: the client's certificate and key
//   --token-file FILE              a bearer token (the file's text, trimmed);
//                                  else the environment variable PATHWISE_TOKEN
// The token travels as `authorization: Bearer <token>` metadata on every
// call, over TLS or plaintext alike (the server decides whether plaintext is
// acceptable; over plaintext the token can be read on the wire).
#ifndef PATHWISE_CLIENT_CLI_CHANNEL_SECURITY_H_
#define PATHWISE_CLIENT_CLI_CHANNEL_SECURITY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "client/cli/args.h"

namespace pathwise::cli {

inline constexpr char kTokenEnvironmentVariable[] = "PATHWISE_TOKEN";

// The options above, for the --help of every command that connects.
inline constexpr char kSecurityFlagsHelp[] =
    R"(
Security (docs/server.md, "Security"):
  --tls-ca FILE          TLS, trusting the CA bundle in FILE (PEM)
  --tls-cert FILE        with --tls-key FILE: the client certificate (mutual TLS)
  --token-file FILE      a bearer token (else the environment variable PATHWISE_TOKEN)
)";

struct ChannelSecurity {
  bool tls = false;
  std::string ca_pem;    // empty: the system's roots
  std::string cert_pem;  // with key_pem: mutual TLS
  std::string key_pem;
  std::string token;  // empty: none
};

// `flags` and the four options above.
std::vector<FlagSpec> WithSecurityFlags(std::vector<FlagSpec> flags);

// Reads the files the options name; --token-file wins over PATHWISE_TOKEN.
// Throws UsageError naming the option (unreadable file, --tls-cert without
// --tls-key, an empty token).
ChannelSecurity ParseChannelSecurity(const Args& args);

// A channel to `target` with `args`, secured as `security` says.
std::shared_ptr<grpc::Channel> CreateSecuredChannel(const std::string& target,
                                                    const ChannelSecurity& security,
                                                    const grpc::ChannelArguments& args);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_CHANNEL_SECURITY_H_
