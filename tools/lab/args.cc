#include "tools/lab/args.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace pathwise::lab {

absl::StatusOr<Args> Args::Parse(int argc, char** argv, int first) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0)
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", a, "'"));
    a = a.substr(2);
    const size_t eq = a.find('=');
    if (eq != std::string::npos) {
      args.values_[a.substr(0, eq)] = a.substr(eq + 1);
    } else if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
      args.values_[a] = argv[++i];
    } else {
      args.values_[a] = "true";
    }
  }
  return args;
}

std::string Args::Str(const std::string& key, const std::string& fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

absl::StatusOr<double> Args::Double(const std::string& key, double fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  double v;
  if (!absl::SimpleAtod(it->second, &v))
    return absl::InvalidArgumentError(absl::StrCat("--", key, ": not a number"));
  return v;
}

absl::StatusOr<int> Args::Int(const std::string& key, int fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  int v;
  if (!absl::SimpleAtoi(it->second, &v))
    return absl::InvalidArgumentError(absl::StrCat("--", key, ": not an integer"));
  return v;
}

absl::StatusOr<std::vector<double>> Args::Doubles(const std::string& key,
                                                  std::vector<double> fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  std::vector<double> out;
  for (absl::string_view part : absl::StrSplit(it->second, ',')) {
    double v;
    if (!absl::SimpleAtod(part, &v))
      return absl::InvalidArgumentError(absl::StrCat("--", key, ": not a number list"));
    out.push_back(v);
  }
  return out;
}

absl::StatusOr<std::map<std::string, double, std::less<>>> Args::Params(
    const std::string& key) const {
  std::map<std::string, double, std::less<>> out;
  auto it = values_.find(key);
  if (it == values_.end() || it->second.empty()) return out;
  for (absl::string_view part : absl::StrSplit(it->second, ',')) {
    std::pair<std::string, std::string> kv = absl::StrSplit(part, absl::MaxSplits('=', 1));
    double v;
    if (!absl::SimpleAtod(kv.second, &v)) {
      return absl::InvalidArgumentError(absl::StrCat("--", key, ": expected name=value pairs"));
    }
    out[kv.first] = v;
  }
  return out;
}

absl::Status Args::CheckKnown(const std::set<std::string>& known) const {
  for (const auto& [k, v] : values_) {
    if (known.count(k) == 0)
      return absl::InvalidArgumentError(absl::StrCat("unknown option --", k));
  }
  return absl::OkStatus();
}

}  // namespace pathwise::lab
