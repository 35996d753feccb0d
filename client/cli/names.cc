#include "client/cli/names.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "client/cli/args.h"

namespace pathwise::cli {
namespace {

// Every wire method but METHOD_UNSPECIFIED, in enum order, with its
// lower-cased enum name ("SHARK" -> "shark"): the proto is the one table.
const std::vector<std::pair<std::string, v1::Method>>& Methods() {
  static const auto* methods = [] {
    auto* out = new std::vector<std::pair<std::string, v1::Method>>;
    const google::protobuf::EnumDescriptor* wire = v1::Method_descriptor();
    for (int i = 0; i < wire->value_count(); ++i) {
      const auto method = static_cast<v1::Method>(wire->value(i)->number());
      if (method == v1::METHOD_UNSPECIFIED) continue;
      out->emplace_back(absl::AsciiStrToLower(wire->value(i)->name()), method);
    }
    return out;
  }();
  return *methods;
}

}  // namespace

v1::LevyArea ParseLevy(const std::string& text) {
  if (text == "none") return v1::LEVY_AREA_NONE;
  if (text == "space-time") return v1::LEVY_AREA_SPACE_TIME;
  if (text == "space-time-time") return v1::LEVY_AREA_SPACE_TIME_TIME;
  throw UsageError{"--levy: '" + text + "' is not one of none, space-time, space-time-time"};
}

std::string LevyName(v1::LevyArea levy) {
  switch (levy) {
    case v1::LEVY_AREA_SPACE_TIME:
      return "space-time";
    case v1::LEVY_AREA_SPACE_TIME_TIME:
      return "space-time-time";
    default:
      return "none";
  }
}

v1::Method ParseMethod(const std::string& text) {
  for (const auto& [name, method] : Methods()) {
    if (text == name) return method;
  }
  throw UsageError{"--method: '" + text + "' is not one of " + MethodNames()};
}

std::string MethodName(v1::Method method) {
  for (const auto& [name, m] : Methods()) {
    if (m == method) return name;
  }
  return "";
}

std::string MethodNames() {
  std::string out;
  for (const auto& [name, method] : Methods()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

v1::Output ParseOutput(const std::string& text) {
  if (text == "paths") return v1::OUTPUT_PATHS;
  if (text == "stats") return v1::OUTPUT_STATISTICS;
  if (text == "both") return v1::OUTPUT_PATHS_AND_STATISTICS;
  throw UsageError{"--output: '" + text + "' is not one of paths, stats, both"};
}

v1::NoiseShape ParseNoise(const std::string& text) {
  if (text == "diagonal") return v1::NOISE_DIAGONAL;
  if (text == "general") return v1::NOISE_GENERAL;
  throw UsageError{"--noise: '" + text + "' is not one of diagonal, general"};
}

v1::Calculus ParseCalculus(const std::string& text) {
  if (text == "ito") return v1::ITO;
  if (text == "stratonovich") return v1::STRATONOVICH;
  throw UsageError{"--calculus: '" + text + "' is not one of ito, stratonovich"};
}

std::string CalculusName(v1::Calculus calculus) {
  return calculus == v1::STRATONOVICH ? "stratonovich" : "ito";
}

}  // namespace pathwise::cli
