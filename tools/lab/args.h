// Command-line arguments of pathwise-lab: `--key value` or `--key=value`.
#ifndef PATHWISE_TOOLS_LAB_ARGS_H_
#define PATHWISE_TOOLS_LAB_ARGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pathwise::lab {

class Args {
 public:
  // Parses argv[first..argc); errors on a stray positional argument.
  static absl::StatusOr<Args> Parse(int argc, char** argv, int first);

  std::string Str(const std::string& key, const std::string& fallback) const;
  absl::StatusOr<double> Double(const std::string& key, double fallback) const;
  absl::StatusOr<int> Int(const std::string& key, int fallback) const;
  // Comma-separated numbers, e.g. "1,0.5".
  absl::StatusOr<std::vector<double>> Doubles(const std::string& key,
                                              std::vector<double> fallback) const;
  // Comma-separated k=v pairs, e.g. "theta=2,sigma=0.5".
  absl::StatusOr<std::map<std::string, double, std::less<>>> Params(const std::string& key) const;

  // Fails naming the first given key not in `known`.
  absl::Status CheckKnown(const std::set<std::string>& known) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace pathwise::lab

#endif  // PATHWISE_TOOLS_LAB_ARGS_H_
