#include "client/cli/channel_security.h"

#include <grpcpp/support/client_interceptor.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"

namespace pathwise::cli {
namespace {

std::string ReadOptionFile(const std::string& option, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) throw UsageError{"--" + option + ": cannot read " + path};
  return text.str();
}

// Adds the bearer token to every call's initial metadata. An interceptor
// rather than call credentials: gRPC sends call credentials over TLS only,
// and the token is needed over plaintext too.
class BearerTokenInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerTokenInterceptor(const std::string& value) : value_(value) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", value_);
    }
    methods->Proceed();
  }

 private:
  const std::string& value_;  // owned by the factory, which outlives the channel's calls
};

class BearerTokenInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerTokenInterceptorFactory(const std::string& token) : value_("Bearer " + token) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new BearerTokenInterceptor(value_);
  }

 private:
  const std::string value_;
};

}  // namespace

std::vector<FlagSpec> WithSecurityFlags(std::vector<FlagSpec> flags) {
  for (const char* name : {"tls-ca", "tls-cert", "tls-key", "token-file"}) {
    flags.push_back({name});
  }
  return flags;
}

ChannelSecurity ParseChannelSecurity(const Args& args) {
  ChannelSecurity security;
  if (args.Has("tls-cert") != args.Has("tls-key")) {
    throw UsageError{"--tls-cert and --tls-key: give both or neither"};
  }
  if (const auto ca = args.Get("tls-ca")) {
    security.tls = true;
    security.ca_pem = ReadOptionFile("tls-ca", *ca);
  }
  if (const auto cert = args.Get("tls-cert")) {
    security.tls = true;
    security.cert_pem = ReadOptionFile("tls-cert", *cert);
    security.key_pem = ReadOptionFile("tls-key", *args.Get("tls-key"));
  }
  if (const auto path = args.Get("token-file")) {
    security.token = std::string(absl::StripAsciiWhitespace(ReadOptionFile("token-file", *path)));
    if (security.token.empty()) throw UsageError{"--token-file: " + *path + " is empty"};
  } else if (const char* env = std::getenv(kTokenEnvironmentVariable); env != nullptr) {
    security.token = std::string(absl::StripAsciiWhitespace(env));
    if (security.token.empty()) {
      throw UsageError{std::string(kTokenEnvironmentVariable) + ": set but empty"};
    }
  }
  if (security.token.find_first_of(" \t\r\n") != std::string::npos) {
    throw UsageError{"the token must be one word (no spaces or line breaks)"};
  }
  return security;
}

std::shared_ptr<grpc::Channel> CreateSecuredChannel(const std::string& target,
                                                    const ChannelSecurity& security,
                                                    const grpc::ChannelArguments& args) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (security.tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = security.ca_pem;
    ssl.pem_cert_chain = security.cert_pem;
    ssl.pem_private_key = security.key_pem;
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  if (security.token.empty()) return grpc::CreateCustomChannel(target, credentials, args);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<BearerTokenInterceptorFactory>(security.token));
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, credentials, args,
                                                                 std::move(interceptors));
}

}  // namespace pathwise::cli
