// What the names in an expression mean: state variables, time, parameters.
#ifndef PATHWISE_CORE_EXPR_SYMBOLS_H_
#define PATHWISE_CORE_EXPR_SYMBOLS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pathwise::expr {

// A named parameter. Its value is bound at compile time (it becomes a
// constant, so it folds); a parameter without a value may be declared but an
// expression that uses it is an error.
struct Parameter {
  std::string name;
  std::optional<double> value;
};

struct Binding {
  enum class Kind : uint8_t { kInput, kValue, kMissingValue };
  Kind kind = Kind::kValue;
  uint32_t input = 0;  // kInput: 0 = t, 1 + j = state j
  double value = 0.0;  // kValue
};

class Symbols {
 public:
  // Checks the names (identifiers, unique, not reserved) and the values
  // (finite). Errors name the offending variable or parameter.
  static absl::StatusOr<Symbols> Create(const std::vector<std::string>& state_names,
                                        const std::vector<Parameter>& parameters);

  // The binding of `name`: a state variable, "t", "pi" or a parameter.
  std::optional<Binding> Find(absl::string_view name) const;

  // Every bound name (for suggestions), and a short list for messages such as
  // "a state variable (x, v), a parameter (kappa), 't' or 'pi'".
  const std::vector<std::string>& names() const { return names_; }
  std::string DescribeKnownNames() const;

 private:
  std::unordered_map<std::string, Binding> bindings_;
  std::vector<std::string> names_;
  std::vector<std::string> state_names_;
  std::vector<std::string> parameter_names_;
};

// True when `name` is a valid identifier: [A-Za-z_][A-Za-z0-9_]*.
bool IsIdentifier(absl::string_view name);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_SYMBOLS_H_
