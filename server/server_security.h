// How pathwised protects its gRPC port: TLS or mutual TLS with gRPC's own
// credentials, and bearer tokens checked for every call except
// grpc.health.v1.Health. Without any of it the port is plaintext and open.
//
// Tokens are checked by an auth metadata processor, gRPC's hook that runs
// before any service sees the call, so reflection and unknown methods are
// covered too. gRPC attaches processors to secure credentials only; for
// plaintext, PlaintextCredentialsWithTokens wraps the C core's insecure
// server credentials, which take a processor as well.
#ifndef PATHWISE_SERVER_SERVER_SECURITY_H_
#define PATHWISE_SERVER_SERVER_SECURITY_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/auth_tokens.h"

namespace pathwise::server {

// The metadata key of bearer tokens.
inline constexpr char kAuthorizationMetadataKey[] = "authorization";

struct SecurityOptions {
  // PEM certificate chain and private key: serve TLS. Both or neither.
  std::string tls_cert_file;
  std::string tls_key_file;
  // PEM CA bundle: also require client certificates signed by it (mTLS).
  // Needs tls_cert_file.
  std::string tls_client_ca_file;
  // gRPC re-reads the three files this often, so renewed certificates apply
  // to new connections without a restart (calls in flight keep theirs).
  unsigned tls_refresh_seconds = 30;
  // Callers and their tokens; null: no token needed.
  std::shared_ptr<const TokenStore> tokens;
};

// The decision for one call to `method_path` ("/package.Service/Method")
// with the given `authorization` metadata (nullopt: none): the caller's name
// ("" for Health, which needs no token), or UNAUTHENTICATED with one message
// whether the token was missing, malformed or unknown.
absl::StatusOr<std::string> AuthenticateCall(const TokenStore& tokens,
                                             absl::string_view method_path,
                                             std::optional<absl::string_view> authorization);

// The caller named by `authorization` ("Bearer <token>"), or "" when it names
// none (e.g. the file was reloaded since the processor let the call in).
std::string AuthenticatedCaller(const TokenStore& tokens, absl::string_view authorization);

// The credentials for the gRPC port; INVALID_ARGUMENT for inconsistent
// options, NOT_FOUND when a file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const SecurityOptions& options);

// "plaintext", "tls" or "mtls", and "+tokens": for the start-up line.
std::string SecurityMode(const SecurityOptions& options);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_SERVER_SECURITY_H_
