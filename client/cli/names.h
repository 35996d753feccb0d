// Command-line names of wire enums: Lévy areas, methods, outputs, noise
// shapes, calculi. Method names are the wire enum's names lower-cased (e.g.
// "shark", "cir_splitting"), as in Capabilities.methods.
#ifndef PATHWISE_CLIENT_CLI_NAMES_H_
#define PATHWISE_CLIENT_CLI_NAMES_H_

#include <string>

#include "pathwise/v1/common.pb.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// Parsers throw UsageError naming the option and listing the valid names.
v1::LevyArea ParseLevy(const std::string& text);
std::string LevyName(v1::LevyArea levy);  // "none", "space-time", "space-time-time"

v1::Method ParseMethod(const std::string& text);
std::string MethodName(v1::Method method);  // "shark"; "" for METHOD_UNSPECIFIED
std::string MethodNames();                  // "euler, euler_heun, ..."

v1::Output ParseOutput(const std::string& text);      // paths | stats | both
v1::NoiseShape ParseNoise(const std::string& text);   // diagonal | general
v1::Calculus ParseCalculus(const std::string& text);  // ito | stratonovich
std::string CalculusName(v1::Calculus calculus);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_NAMES_H_
