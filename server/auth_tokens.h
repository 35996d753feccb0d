// Bearer-token callers: the --auth_tokens_file of pathwised. One caller a
// line, `NAME TOKEN` or `NAME sha256:HEX` (the SHA-256 digest of the token,
// 64 hex digits), blank lines and `#` comments ignored. Only digests are
// kept in memory; a presented token is hashed and compared with every digest
// in constant time (CRYPTO_memcmp, no early exit), so neither timing nor the
// error tells which part was wrong.
#ifndef PATHWISE_SERVER_AUTH_TOKENS_H_
#define PATHWISE_SERVER_AUTH_TOKENS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace pathwise::server {

using TokenDigest = std::array<uint8_t, 32>;  // SHA-256

TokenDigest Sha256(absl::string_view data);

struct TokenCaller {
  std::string name;
  TokenDigest digest;
};

// Parses the text of a token file; errors name `source`:line
// (INVALID_ARGUMENT). Names and tokens are unique.
absl::StatusOr<std::vector<TokenCaller>> ParseTokenFile(absl::string_view text,
                                                        absl::string_view source);

// The callers of one token file, re-readable while calls are being checked.
class TokenStore {
 public:
  // Reads `path`; NOT_FOUND when it cannot be read, INVALID_ARGUMENT
  // (file:line) when it is malformed.
  static absl::StatusOr<std::unique_ptr<TokenStore>> Load(const std::string& path);

  // Re-reads the file and swaps the callers atomically; on error the old
  // callers stay and the error is returned.
  absl::Status Reload();

  // The caller whose token this is, or nullopt. Time independent of where
  // (or whether) the token matches.
  std::optional<std::string> CallerOf(absl::string_view token) const;

  size_t size() const;
  const std::string& path() const { return path_; }

 private:
  explicit TokenStore(std::string path) : path_(std::move(path)) {}

  const std::string path_;
  mutable absl::Mutex mutex_;
  std::shared_ptr<const std::vector<TokenCaller>> callers_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_AUTH_TOKENS_H_
