// Security of the gRPC port: the token file, bearer tokens for every service
// but Health (reflection included), the caller in error logs, TLS and mutual
// TLS with throwaway certificates made by tests/tls/make_test_certs.sh.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pathwise/v1/solver.grpc.pb.h"
#include "server/auth_tokens.h"
#include "server/server_security.h"
#include "src/proto/grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/server/running_server.h"

namespace pathwise::server {
namespace {

namespace fs = std::filesystem;

constexpr char kAliceToken[] = "alice-s3cret-token";
constexpr char kBobToken[] = "bob-token";  // given in the file by its SHA-256 only

std::string Hex(const TokenDigest& digest) {
  std::ostringstream out;
  for (const uint8_t byte : digest) out << std::hex << (byte >> 4) << (byte & 15);
  return out.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// A fresh directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pathwise-auth-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(TokenFile, ParsesNamesTokensDigestsCommentsAndBlankLines) {
  const std::string text = absl::StrCat("# callers\n\nalice ", kAliceToken,
                                        "\n  bob\tsha256:", Hex(Sha256(kBobToken)), "  \n");
  auto callers = ParseTokenFile(text, "tokens");
  ASSERT_TRUE(callers.ok()) << callers.status();
  ASSERT_EQ(callers->size(), 2u);
  EXPECT_EQ((*callers)[0].name, "alice");
  EXPECT_EQ((*callers)[0].digest, Sha256(kAliceToken));
  EXPECT_EQ((*callers)[1].name, "bob");
  EXPECT_EQ((*callers)[1].digest, Sha256(kBobToken));
}

TEST(TokenFile, ErrorsNameTheFileAndLine) {
  const struct {
    std::string text;
    std::string error;
  } cases[] = {
      {"alice a\nbob\n", "tokens:2: expected `NAME TOKEN`"},
      {"\n# x\nalice a b\n", "tokens:3: expected"},
      {"alice sha256:abc\n", "tokens:1: sha256: must be followed by 64 hex digits"},
      {"alice sha256:" + std::string(64, 'g') + "\n", "tokens:1: sha256:"},
      {"alice a\nalice b\n", "tokens:2: caller alice appears twice"},
      {"alice a\nbob a\n", "tokens:2: the token of bob is another caller's too"},
  };
  for (const auto& c : cases) {
    auto callers = ParseTokenFile(c.text, "tokens");
    ASSERT_FALSE(callers.ok()) << c.text;
    EXPECT_EQ(callers.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(callers.status().message(), c.error))
        << callers.status() << " wanted " << c.error;
  }
}

TEST(TokenStore, ReloadSwapsCallersAndABadFileKeepsTheOldOnes) {
  TempDir dir;
  const fs::path path = dir.path() / "tokens";
  WriteFile(path, absl::StrCat("alice ", kAliceToken, "\n"));
  auto store = TokenStore::Load(path.string());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->CallerOf(kAliceToken), "alice");
  EXPECT_EQ((*store)->CallerOf(kBobToken), std::nullopt);

  WriteFile(path, absl::StrCat("bob sha256:", Hex(Sha256(kBobToken)), "\n"));
  ASSERT_TRUE((*store)->Reload().ok());
  EXPECT_EQ((*store)->CallerOf(kAliceToken), std::nullopt);
  EXPECT_EQ((*store)->CallerOf(kBobToken), "bob");

  WriteFile(path, "bob\n");
  const absl::Status bad = (*store)->Reload();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(bad.message(), path.string() + ":1:")) << bad;
  EXPECT_EQ((*store)->CallerOf(kBobToken), "bob");

  fs::remove(path);
  EXPECT_EQ((*store)->Reload().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->CallerOf(kBobToken), "bob");
  EXPECT_EQ(TokenStore::Load(path.string()).status().code(), absl::StatusCode::kNotFound);
}

grpc::Status ListCapabilities(const std::shared_ptr<grpc::Channel>& channel, const char* token) {
  auto stub = v1::SolverService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (token != nullptr) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  v1::ListCapabilitiesRequest request;
  v1::Capabilities response;
  return stub->ListCapabilities(&context, request, &response);
}

grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel) {
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  return health->Check(&context, request, &response);
}

// The status of a reflection list_services exchange.
grpc::Status ListServices(const std::shared_ptr<grpc::Channel>& channel, const char* token) {
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (token != nullptr) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  auto stream = reflection->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  if (stream->Write(request) && stream->Read(&response)) {
    stream->WritesDone();
    while (stream->Read(&response)) {
    }
  }
  return stream->Finish();
}

class TokenAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tokens_path_ = dir_.path() / "tokens";
    WriteFile(tokens_path_, absl::StrCat("# test callers\nalice ", kAliceToken,
                                         "\nbob sha256:", Hex(Sha256(kBobToken)), "\n"));
    auto store = TokenStore::Load(tokens_path_.string());
    ASSERT_TRUE(store.ok()) << store.status();
    tokens_ = *std::move(store);
    ServerOptions options = TestOptions();
    options.security.tokens = tokens_;
    running_ = StartServer(options);
    ASSERT_NE(running_, nullptr);
  }

  const std::shared_ptr<grpc::Channel>& channel() { return running_->channel; }

  TempDir dir_;
  fs::path tokens_path_;
  std::shared_ptr<TokenStore> tokens_;
  std::unique_ptr<Running> running_;
};

TEST_F(TokenAuthTest, MissingAndUnknownTokensAreUnauthenticatedAlikeKnownOnesPass) {
  const grpc::Status missing = ListCapabilities(channel(), nullptr);
  const grpc::Status unknown = ListCapabilities(channel(), "not-a-token");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(missing.error_message(), unknown.error_message());  // no hint which
  EXPECT_TRUE(ListCapabilities(channel(), kAliceToken).ok());
  EXPECT_TRUE(ListCapabilities(channel(), kBobToken).ok());  // the sha256: form
  // A digest is not a token.
  EXPECT_EQ(ListCapabilities(channel(), Hex(Sha256(kBobToken)).c_str()).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TokenAuthTest, HealthNeedsNoTokenReflectionDoes) {
  EXPECT_TRUE(HealthCheck(channel()).ok());
  EXPECT_EQ(ListServices(channel(), nullptr).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListServices(channel(), "not-a-token").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(ListServices(channel(), kAliceToken).ok());
}

TEST_F(TokenAuthTest, AReloadedFileAppliesToTheNextCall) {
  WriteFile(tokens_path_, "carol carol-token\n");
  ASSERT_TRUE(tokens_->Reload().ok());
  EXPECT_EQ(ListCapabilities(channel(), kAliceToken).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(ListCapabilities(channel(), "carol-token").ok());
}

// Runs `calls` with the default logger at debug level writing into the
// returned text.
std::string LogOf(const std::function<void()>& calls) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "auth_test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  logger->set_level(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  calls();
  spdlog::set_default_logger(previous);
  return log.str();
}

// A Sample with no spec (INVALID_ARGUMENT, logged with its caller).
grpc::StatusCode BadSample(Running& running, const char* token) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  v1::SampleRequest request;
  v1::SampleResponse response;
  return running.stub->Sample(&context, request, &response).error_code();
}

TEST_F(TokenAuthTest, TheLogOfAFailedCallNamesTheCallerNeverTheToken) {
  const std::string text = LogOf(
      [&] { EXPECT_EQ(BadSample(*running_, kAliceToken), grpc::StatusCode::INVALID_ARGUMENT); });
  EXPECT_TRUE(absl::StrContains(text, "event=rpc_rejected method=Sample caller=alice")) << text;
  EXPECT_FALSE(absl::StrContains(text, kAliceToken)) << text;
}

// gRPC hands the token processor the connection's auth context, shared by
// every call on it. The caller must be each call's own: when it was kept in
// that context, bob's call after alice's on one connection was logged (and
// charged) as alice's, and concurrent calls raced on the shared property list
// (gRPC's assertion "prop->name != nullptr" aborted the server in the soak).
TEST_F(TokenAuthTest, EachCallOnASharedConnectionIsItsOwnCallers) {
  ASSERT_TRUE(ListCapabilities(channel(), kAliceToken).ok());
  const std::string text = LogOf(
      [&] { EXPECT_EQ(BadSample(*running_, kBobToken), grpc::StatusCode::INVALID_ARGUMENT); });
  EXPECT_TRUE(absl::StrContains(text, "method=Sample caller=bob")) << text;
  EXPECT_FALSE(absl::StrContains(text, "caller=alice")) << text;

  // Many concurrent calls of two callers on the one connection: all pass.
  constexpr int kThreads = 8, kCallsPerThread = 200;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        if (!ListCapabilities(channel(), (t + i) % 2 == 0 ? kAliceToken : kBobToken).ok()) {
          failed.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_TRUE(HealthCheck(channel()).ok());
}

// A throwaway CA, server and client certificates (openssl, at test time).
class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string command = absl::StrCat(PATHWISE_MAKE_TEST_CERTS, " ", dir_.path().string());
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  std::string File(const char* name) const { return (dir_.path() / name).string(); }

  std::unique_ptr<PathwiseServer> Start(bool mutual,
                                        std::shared_ptr<const TokenStore> tokens = nullptr) {
    ServerOptions options = TestOptions();
    options.security.tls_cert_file = File("server.pem");
    options.security.tls_key_file = File("server.key");
    if (mutual) options.security.tls_client_ca_file = File("ca.pem");
    options.security.tokens = std::move(tokens);
    auto server = PathwiseServer::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  // A channel to 127.0.0.1 that trusts `ca`, with the test client
  // certificate when `client_cert`.
  std::shared_ptr<grpc::Channel> Channel(int port, const char* ca, bool client_cert) const {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFile(File(ca));
    if (client_cert) {
      ssl.pem_cert_chain = ReadFile(File("client.pem"));
      ssl.pem_private_key = ReadFile(File("client.key"));
    }
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::SslCredentials(ssl));
  }

  std::shared_ptr<grpc::Channel> Plaintext(int port) const {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                               grpc::InsecureChannelCredentials());
  }

  TempDir dir_;
};

TEST_F(TlsTest, TlsServesClientsThatTrustTheCaOnly) {
  auto server = Start(/*mutual=*/false);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(ListCapabilities(Channel(server->port(), "ca.pem", false), nullptr).ok());
  EXPECT_EQ(ListCapabilities(Channel(server->port(), "other_ca.pem", false), nullptr).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ListCapabilities(Plaintext(server->port()), nullptr).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsRejectsAClientWithoutACertificate) {
  auto server = Start(/*mutual=*/true);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(ListCapabilities(Channel(server->port(), "ca.pem", true), nullptr).ok());
  EXPECT_EQ(ListCapabilities(Channel(server->port(), "ca.pem", false), nullptr).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, TokensWorkOverTlsToo) {
  WriteFile(dir_.path() / "tokens", absl::StrCat("alice ", kAliceToken, "\n"));
  auto tokens = TokenStore::Load(File("tokens"));
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  auto server = Start(/*mutual=*/false, *std::move(tokens));
  ASSERT_NE(server, nullptr);
  auto channel = Channel(server->port(), "ca.pem", false);
  EXPECT_EQ(ListCapabilities(channel, nullptr).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(ListCapabilities(channel, kAliceToken).ok());
  EXPECT_TRUE(HealthCheck(channel).ok());
  EXPECT_EQ(ListServices(channel, nullptr).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, BadOptionsFailAtStart) {
  ServerOptions options = TestOptions();
  options.security.tls_cert_file = File("server.pem");
  EXPECT_EQ(PathwiseServer::Start(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.security.tls_key_file = File("missing.key");
  EXPECT_EQ(PathwiseServer::Start(options).status().code(), absl::StatusCode::kNotFound);
  options = TestOptions();
  options.security.tls_client_ca_file = File("ca.pem");
  EXPECT_EQ(PathwiseServer::Start(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SecurityMode, SaysPlaintextTlsOrMtlsAndTokens) {
  SecurityOptions options;
  EXPECT_EQ(SecurityMode(options), "plaintext");
  options.tls_cert_file = "c";
  EXPECT_EQ(SecurityMode(options), "tls");
  options.tls_client_ca_file = "ca";
  EXPECT_EQ(SecurityMode(options), "mtls");
}

}  // namespace
}  // namespace pathwise::server
