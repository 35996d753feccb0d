#include "cmdline/args.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace pathwise::cmdline {
namespace {

const FlagSpec* Find(const std::vector<FlagSpec>& flags, const std::string& name) {
  for (const FlagSpec& f : flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool ParseSwitchValue(const std::string& name, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  throw UsageError{"--" + name + ": '" + text + "' is not true or false"};
}

}  // namespace

Args::Args(const std::vector<std::string>& args, const std::vector<FlagSpec>& flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) throw UsageError{"unexpected argument '" + arg + "'"};
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = Find(flags, name);
    if (spec == nullptr) throw UsageError{"unknown option --" + name};
    if (spec->kind == FlagKind::kSwitch) {
      values_[name] = {ParseSwitchValue(name, value.value_or("true")) ? "true" : "false"};
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) throw UsageError{"--" + name + " needs a value"};
      value = args[++i];
    }
    if (spec->kind == FlagKind::kRepeated) {
      values_[name].push_back(*value);
    } else {
      values_[name] = {*value};
    }
  }
}

bool Args::Has(const std::string& name) const { return values_.count(name) > 0; }

std::optional<std::string> Args::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::string Args::String(const std::string& name, const std::string& fallback) const {
  return Get(name).value_or(fallback);
}

std::vector<std::string> Args::All(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

bool Args::Switch(const std::string& name) const { return String(name, "false") == "true"; }

uint64_t Args::Unsigned(const std::string& name, uint64_t fallback, uint64_t max) const {
  const std::optional<std::string> text = Get(name);
  return text ? ParseUnsigned(name, *text, max) : fallback;
}

int64_t Args::Int(const std::string& name, int64_t fallback, int64_t lo, int64_t hi) const {
  const std::optional<std::string> text = Get(name);
  return text ? ParseInt(name, *text, lo, hi) : fallback;
}

double Args::Double(const std::string& name, double fallback) const {
  const std::optional<std::string> text = Get(name);
  return text ? ParseDouble(name, *text) : fallback;
}

std::string Args::Choice(const std::string& name, const std::string& fallback,
                         const std::vector<std::string>& choices) const {
  const std::string value = String(name, fallback);
  for (const std::string& c : choices) {
    if (c == value) return value;
  }
  throw UsageError{"--" + name + ": '" + value + "' is not one of " + absl::StrJoin(choices, ", ")};
}

double ParseDouble(const std::string& name, const std::string& text) {
  double v = 0;
  if (!absl::SimpleAtod(text, &v)) {
    throw UsageError{"--" + name + ": '" + text + "' is not a number"};
  }
  return v;
}

uint64_t ParseUnsigned(const std::string& name, const std::string& text, uint64_t max) {
  uint64_t v = 0;
  if (!absl::SimpleAtoi(text, &v) || v > max) {
    throw UsageError{"--" + name + ": '" + text + "' is not an integer in [0, " +
                     std::to_string(max) + "]"};
  }
  return v;
}

int64_t ParseInt(const std::string& name, const std::string& text, int64_t lo, int64_t hi) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(text, &v) || v < lo || v > hi) {
    throw UsageError{"--" + name + ": '" + text + "' is not an integer in [" + std::to_string(lo) +
                     ", " + std::to_string(hi) + "]"};
  }
  return v;
}

std::vector<double> ParseDoubleList(const std::string& name, const std::string& text) {
  std::vector<double> values;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    values.push_back(ParseDouble(name, std::string(absl::StripAsciiWhitespace(item))));
  }
  return values;
}

std::pair<std::string, double> ParseKeyValue(const std::string& name, const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos) throw UsageError{"--" + name + ": '" + text + "' is not KEY=VALUE"};
  const std::string key(absl::StripAsciiWhitespace(text.substr(0, eq)));
  if (key.empty()) throw UsageError{"--" + name + ": '" + text + "' has an empty KEY"};
  return {key, ParseDouble(name, std::string(absl::StripAsciiWhitespace(text.substr(eq + 1))))};
}

std::vector<std::string> ParseWordList(const std::string& name, const std::string& text) {
  std::vector<std::string> words;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    const absl::string_view word = absl::StripAsciiWhitespace(item);
    if (word.empty()) throw UsageError{"--" + name + ": '" + text + "' has an empty item"};
    words.emplace_back(word);
  }
  return words;
}

}  // namespace pathwise::cmdline
