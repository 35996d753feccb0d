// The one command-line parser of pathwise's tools (the `pathwise` CLI and
// pathwise-lab; pathwised uses Abseil flags): the options of one command,
// "--name value" or "--name=value", switches ("--adaptive"), and repeatable
// options ("--param a=1 --param b=2"). Every name must be declared; mistakes
// throw UsageError with a message that names the option. No core, protobuf
// or gRPC dependency.
#ifndef PATHWISE_CMDLINE_ARGS_H_
#define PATHWISE_CMDLINE_ARGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pathwise::cmdline {

// A bad command line; each main prints "<tool> <command>: <message>" and exits 2.
struct UsageError {
  std::string message;
};

enum class FlagKind {
  kValue,     // takes a value; a later occurrence replaces an earlier one
  kRepeated,  // takes a value; every occurrence is kept, in order
  kSwitch,    // no value ("--adaptive"); "--adaptive=false" is accepted too
};

struct FlagSpec {
  std::string name;  // without the leading "--"
  FlagKind kind = FlagKind::kValue;
};

class Args {
 public:
  // Parses `args` (the words after the command name) against `flags`.
  // "--help" and "-h" set help(). Throws UsageError.
  Args(const std::vector<std::string>& args, const std::vector<FlagSpec>& flags);

  bool help() const { return help_; }
  // Whether the option was given at all.
  bool Has(const std::string& name) const;
  std::optional<std::string> Get(const std::string& name) const;
  std::string String(const std::string& name, const std::string& fallback) const;
  // Every value of a repeatable option, in command-line order.
  std::vector<std::string> All(const std::string& name) const;
  bool Switch(const std::string& name) const;
  uint64_t Unsigned(const std::string& name, uint64_t fallback, uint64_t max = UINT64_MAX) const;
  // An integer in [lo, hi].
  int64_t Int(const std::string& name, int64_t fallback, int64_t lo, int64_t hi) const;
  double Double(const std::string& name, double fallback) const;
  // A value that must be one of `choices`.
  std::string Choice(const std::string& name, const std::string& fallback,
                     const std::vector<std::string>& choices) const;

 private:
  bool help_ = false;
  std::map<std::string, std::vector<std::string>> values_;
};

// Parsers of option values; `name` is the option (for the message).
double ParseDouble(const std::string& name, const std::string& text);
uint64_t ParseUnsigned(const std::string& name, const std::string& text, uint64_t max);
int64_t ParseInt(const std::string& name, const std::string& text, int64_t lo, int64_t hi);
// "a,b,c" -> numbers; empty items are skipped.
std::vector<double> ParseDoubleList(const std::string& name, const std::string& text);
// "key=value" with a numeric value.
std::pair<std::string, double> ParseKeyValue(const std::string& name, const std::string& text);
// "a,b,c" -> trimmed, non-empty words.
std::vector<std::string> ParseWordList(const std::string& name, const std::string& text);

}  // namespace pathwise::cmdline

#endif  // PATHWISE_CMDLINE_ARGS_H_
