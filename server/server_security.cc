#include "server/server_security.h"

#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpcpp/security/auth_metadata_processor.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace pathwise::server {
namespace {

constexpr absl::string_view kHealthPrefix = "/grpc.health.v1.Health/";
constexpr absl::string_view kBearerPrefix = "Bearer ";
constexpr char kPathKey[] = ":path";

// A readable file that holds at least one PEM block: a typo in a path fails
// at start-up rather than in every TLS handshake.
absl::Status CheckPemFile(absl::string_view flag, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::ostringstream text;
  text << file.rdbuf();
  if (!absl::StrContains(text.str(), "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": ", path, " holds no PEM block"));
  }
  return absl::OkStatus();
}

absl::string_view SliceView(const grpc_slice& slice) {
  return absl::string_view(reinterpret_cast<const char*>(GRPC_SLICE_START_PTR(slice)),
                           GRPC_SLICE_LENGTH(slice));
}

// For TLS credentials, which take a C++ processor.
class TokenProcessor final : public grpc::AuthMetadataProcessor {
 public:
  explicit TokenProcessor(std::shared_ptr<const TokenStore> tokens) : tokens_(std::move(tokens)) {}

  bool IsBlocking() const override { return false; }  // a hash and a few compares

  grpc::Status Process(const InputMetadata& metadata, grpc::AuthContext* /*context*/,
                       OutputMetadata* /*consumed*/, OutputMetadata* /*response*/) override {
    absl::string_view path;
    std::optional<absl::string_view> authorization;
    for (const auto& [key, value] : metadata) {
      const absl::string_view k(key.data(), key.size());
      if (k == kPathKey) path = absl::string_view(value.data(), value.size());
      if (k == kAuthorizationMetadataKey)
        authorization = absl::string_view(value.data(), value.size());
    }
    absl::StatusOr<std::string> caller = AuthenticateCall(*tokens_, path, authorization);
    if (!caller.ok()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          std::string(caller.status().message()));
    }
    // Nothing is added to `context`: it is the connection's, shared by all of
    // its calls (rpc_call.cc reads the caller from each call's metadata).
    return grpc::Status::OK;
  }

 private:
  const std::shared_ptr<const TokenStore> tokens_;
};

// The C core's processor for PlaintextCredentialsWithTokens; `state` is a
// heap-held shared_ptr<const TokenStore> that the core frees via Destroy.
void ProcessPlaintext(void* state, grpc_auth_context* /*context*/, const grpc_metadata* metadata,
                      size_t count, grpc_process_auth_metadata_done_cb done, void* user_data) {
  const auto& tokens = *static_cast<std::shared_ptr<const TokenStore>*>(state);
  absl::string_view path;
  const grpc_metadata* authorization = nullptr;
  for (size_t i = 0; i < count; ++i) {
    const absl::string_view key = SliceView(metadata[i].key);
    if (key == kPathKey) path = SliceView(metadata[i].value);
    if (key == kAuthorizationMetadataKey) authorization = &metadata[i];
  }
  absl::StatusOr<std::string> caller = AuthenticateCall(
      *tokens, path,
      authorization == nullptr ? std::nullopt
                               : std::optional<absl::string_view>(SliceView(authorization->value)));
  if (!caller.ok()) {
    const std::string message(caller.status().message());
    done(user_data, nullptr, 0, nullptr, 0, GRPC_STATUS_UNAUTHENTICATED, message.c_str());
    return;
  }
  // `context` is the connection's: nothing is added to it (see TokenProcessor).
  done(user_data, nullptr, 0, nullptr, 0, GRPC_STATUS_OK, nullptr);
}

void DestroyPlaintextState(void* state) {
  delete static_cast<std::shared_ptr<const TokenStore>*>(state);
}

// Plaintext with a token processor. grpc::InsecureServerCredentials() does
// not take a processor in gRPC 1.51, the core's insecure credentials do;
// ServerCredentials lets a subclass add the port with its own core
// credentials.
class PlaintextCredentialsWithTokens final : public grpc::ServerCredentials {
 public:
  explicit PlaintextCredentialsWithTokens(std::shared_ptr<const TokenStore> tokens)
      : credentials_(grpc_insecure_server_credentials_create()) {
    grpc_server_credentials_set_auth_metadata_processor(
        credentials_,
        grpc_auth_metadata_processor{&ProcessPlaintext, &DestroyPlaintextState,
                                     new std::shared_ptr<const TokenStore>(std::move(tokens))});
  }
  ~PlaintextCredentialsWithTokens() override { grpc_server_credentials_release(credentials_); }

  void SetAuthMetadataProcessor(
      const std::shared_ptr<grpc::AuthMetadataProcessor>& /*processor*/) override {
    // Never called: the token processor is fixed at construction.
  }

 private:
  int AddPortToServer(const std::string& address, grpc_server* server) override {
    return grpc_server_add_http2_port(server, address.c_str(), credentials_);
  }

  grpc_server_credentials* credentials_;
};

}  // namespace

absl::StatusOr<std::string> AuthenticateCall(const TokenStore& tokens,
                                             absl::string_view method_path,
                                             std::optional<absl::string_view> authorization) {
  if (absl::StartsWith(method_path, kHealthPrefix)) return std::string();
  if (authorization) {
    std::string caller = AuthenticatedCaller(tokens, *authorization);
    if (!caller.empty()) return caller;
  }
  // Logged without the token, and without saying whether one was sent.
  spdlog::debug("event=rpc_unauthenticated path={}", std::string(method_path));
  return absl::UnauthenticatedError(
      "this server needs metadata `authorization: Bearer <token>` with a known token");
}

std::string AuthenticatedCaller(const TokenStore& tokens, absl::string_view authorization) {
  if (!absl::StartsWith(authorization, kBearerPrefix)) return "";
  return tokens.CallerOf(authorization.substr(kBearerPrefix.size())).value_or("");
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const SecurityOptions& options) {
  const bool tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (tls && (options.tls_cert_file.empty() || options.tls_key_file.empty())) {
    return absl::InvalidArgumentError("tls_cert_file and tls_key_file: give both or neither");
  }
  if (!tls && !options.tls_client_ca_file.empty()) {
    return absl::InvalidArgumentError("tls_client_ca_file: needs tls_cert_file and tls_key_file");
  }
  if (!tls) {
    if (options.tokens == nullptr) return grpc::InsecureServerCredentials();
    return std::make_shared<PlaintextCredentialsWithTokens>(options.tokens);
  }
  if (absl::Status s = CheckPemFile("tls_cert_file", options.tls_cert_file); !s.ok()) return s;
  if (absl::Status s = CheckPemFile("tls_key_file", options.tls_key_file); !s.ok()) return s;
  const bool mutual = !options.tls_client_ca_file.empty();
  if (mutual) {
    if (absl::Status s = CheckPemFile("tls_client_ca_file", options.tls_client_ca_file); !s.ok()) {
      return s;
    }
  }
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      options.tls_key_file, options.tls_cert_file, options.tls_client_ca_file,
      options.tls_refresh_seconds);
  grpc::experimental::TlsServerCredentialsOptions tls_options(provider);
  tls_options.watch_identity_key_cert_pairs();
  if (mutual) {
    tls_options.watch_root_certs();
    tls_options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  } else {
    tls_options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  }
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::experimental::TlsServerCredentials(tls_options);
  if (options.tokens != nullptr) {
    credentials->SetAuthMetadataProcessor(std::make_shared<TokenProcessor>(options.tokens));
  }
  return credentials;
}

std::string SecurityMode(const SecurityOptions& options) {
  std::string mode = options.tls_cert_file.empty()        ? "plaintext"
                     : options.tls_client_ca_file.empty() ? "tls"
                                                          : "mtls";
  if (options.tokens != nullptr) absl::StrAppend(&mode, "+tokens");
  return mode;
}

}  // namespace pathwise::server
