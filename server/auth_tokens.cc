#include "server/auth_tokens.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace pathwise::server {
namespace {

constexpr absl::string_view kDigestPrefix = "sha256:";

bool IsHex(absl::string_view text) {
  for (const char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

TokenDigest Sha256(absl::string_view data) {
  TokenDigest digest;
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return digest;
}

absl::StatusOr<std::vector<TokenCaller>> ParseTokenFile(absl::string_view text,
                                                        absl::string_view source) {
  std::vector<TokenCaller> callers;
  std::set<std::string> names;
  std::set<TokenDigest> digests;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    const auto error = [&](absl::string_view message) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", line_number, ": ", message));
    };
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 2) return error("expected `NAME TOKEN` or `NAME sha256:HEX`");
    TokenCaller caller;
    caller.name = std::string(fields[0]);
    const absl::string_view secret = fields[1];
    if (absl::StartsWith(secret, kDigestPrefix)) {
      const absl::string_view hex = secret.substr(kDigestPrefix.size());
      if (hex.size() != 2 * caller.digest.size() || !IsHex(hex)) {
        return error("sha256: must be followed by 64 hex digits");
      }
      const std::string bytes = absl::HexStringToBytes(hex);
      std::copy(bytes.begin(), bytes.end(), caller.digest.begin());
    } else {
      caller.digest = Sha256(secret);
    }
    if (!names.insert(caller.name).second) {
      return error(absl::StrCat("caller ", caller.name, " appears twice"));
    }
    if (!digests.insert(caller.digest).second) {
      return error(absl::StrCat("the token of ", caller.name, " is another caller's too"));
    }
    callers.push_back(std::move(caller));
  }
  return callers;
}

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::Load(const std::string& path) {
  std::unique_ptr<TokenStore> store(new TokenStore(path));
  absl::Status status = store->Reload();
  if (!status.ok()) return status;
  return store;
}

absl::Status TokenStore::Reload() {
  std::ifstream file(path_, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat(path_, ": cannot be read"));
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return absl::NotFoundError(absl::StrCat(path_, ": cannot be read"));
  absl::StatusOr<std::vector<TokenCaller>> callers = ParseTokenFile(text.str(), path_);
  if (!callers.ok()) return callers.status();
  auto fresh = std::make_shared<const std::vector<TokenCaller>>(*std::move(callers));
  absl::MutexLock lock(&mutex_);
  callers_ = std::move(fresh);
  return absl::OkStatus();
}

std::optional<std::string> TokenStore::CallerOf(absl::string_view token) const {
  std::shared_ptr<const std::vector<TokenCaller>> callers;
  {
    absl::MutexLock lock(&mutex_);
    callers = callers_;
  }
  const TokenDigest digest = Sha256(token);
  const TokenCaller* found = nullptr;
  // Every digest is compared, whether or not an earlier one matched.
  for (const TokenCaller& caller : *callers) {
    const bool match = CRYPTO_memcmp(caller.digest.data(), digest.data(), digest.size()) == 0;
    if (match) found = &caller;
  }
  if (found == nullptr) return std::nullopt;
  return found->name;
}

size_t TokenStore::size() const {
  absl::MutexLock lock(&mutex_);
  return callers_->size();
}

}  // namespace pathwise::server
