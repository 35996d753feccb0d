#include "core/expr/symbols.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/expr/functions.h"
#include "core/expr/lexer.h"
#include "core/expr/printer.h"

namespace pathwise::expr {
namespace {

absl::Status CheckName(absl::string_view what, absl::string_view name) {
  if (!IsIdentifier(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " name '", Abbreviate(name),
                     "' is not an identifier; expected letters, digits and '_', not starting "
                     "with a digit"));
  }
  if (IsReservedName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " name '", name, "' is reserved (t, pi and the function names); choose another"));
  }
  return absl::OkStatus();
}

// "a, b, c" with at most 8 names, then ", ...".
std::string ShortList(const std::vector<std::string>& names) {
  constexpr size_t kMaxListed = 8;
  std::vector<std::string> shown(names.begin(), names.begin() + std::min(names.size(), kMaxListed));
  if (names.size() > kMaxListed) shown.push_back("...");
  return absl::StrJoin(shown, ", ");
}

}  // namespace

bool IsIdentifier(absl::string_view name) {
  if (name.empty() || !(absl::ascii_isalpha(name[0]) || name[0] == '_')) return false;
  for (char c : name) {
    if (!(absl::ascii_isalnum(c) || c == '_')) return false;
  }
  return true;
}

absl::StatusOr<Symbols> Symbols::Create(const std::vector<std::string>& state_names,
                                        const std::vector<Parameter>& parameters) {
  Symbols symbols;
  auto add = [&symbols](absl::string_view what, const std::string& name,
                        Binding binding) -> absl::Status {
    if (absl::Status s = CheckName(what, name); !s.ok()) return s;
    if (!symbols.bindings_.emplace(name, binding).second) {
      return absl::InvalidArgumentError(absl::StrCat(what, " name '", Abbreviate(name),
                                                     "' is declared twice; names must be unique"));
    }
    symbols.names_.push_back(name);
    return absl::OkStatus();
  };
  for (size_t j = 0; j < state_names.size(); ++j) {
    Binding b{Binding::Kind::kInput, static_cast<uint32_t>(1 + j), 0.0};
    if (absl::Status s = add("state variable", state_names[j], b); !s.ok()) return s;
    symbols.state_names_.push_back(state_names[j]);
  }
  for (const Parameter& p : parameters) {
    if (p.value && !std::isfinite(*p.value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter '", Abbreviate(p.name), "' has the non-finite value ",
                       FormatNumber(*p.value), "; expected a finite number"));
    }
    Binding b{p.value ? Binding::Kind::kValue : Binding::Kind::kMissingValue, 0,
              p.value.value_or(0.0)};
    if (absl::Status s = add("parameter", p.name, b); !s.ok()) return s;
    symbols.parameter_names_.push_back(p.name);
  }
  symbols.bindings_.emplace("t", Binding{Binding::Kind::kInput, 0, 0.0});
  symbols.bindings_.emplace("pi", Binding{Binding::Kind::kValue, 0, std::numbers::pi});
  symbols.names_.push_back("t");
  symbols.names_.push_back("pi");
  return symbols;
}

std::optional<Binding> Symbols::Find(absl::string_view name) const {
  const auto it = bindings_.find(std::string(name));
  if (it == bindings_.end()) return std::nullopt;
  return it->second;
}

std::string Symbols::DescribeKnownNames() const {
  std::string text = "expected ";
  if (!state_names_.empty())
    absl::StrAppend(&text, "a state variable (", ShortList(state_names_), "), ");
  if (!parameter_names_.empty()) {
    absl::StrAppend(&text, "a parameter (", ShortList(parameter_names_), "), ");
  }
  absl::StrAppend(&text, "'t', 'pi' or a number");
  return text;
}

}  // namespace pathwise::expr
