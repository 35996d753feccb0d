#include "client/cli/names.h"

#include <utility>

#include "client/cli/args.h"

namespace pathwise::cli {
namespace {

constexpr std::pair<const char*, v1::Method> kMethods[] = {
    {"euler", v1::EULER},
    {"euler_heun", v1::EULER_HEUN},
    {"heun", v1::HEUN},
    {"milstein", v1::MILSTEIN},
    {"sra1", v1::SRA1},
    {"shark", v1::SHARK},
    {"sea", v1::SEA},
    {"spark", v1::SPARK},
    {"align", v1::ALIGN},
    {"should", v1::SHOULD},
    {"quicsort", v1::QUICSORT},
    {"cir_splitting", v1::CIR_SPLITTING},
    {"cir_implicit_euler", v1::CIR_IMPLICIT_EULER},
};

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
  for (const auto& [name, method] : kMethods) {
    if (text == name) return method;
  }
  throw UsageError{"--method: '" + text + "' is not one of " + MethodNames()};
}

std::string MethodName(v1::Method method) {
  for (const auto& [name, m] : kMethods) {
    if (m == method) return name;
  }
  return "";
}

std::string MethodNames() {
  std::string out;
  for (const auto& [name, method] : kMethods) out += (out.empty() ? "" : ", ") + std::string(name);
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
