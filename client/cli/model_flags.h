// The model of `pathwise solve` from its command-line options: a builtin model
// (--model), an expression model (--state, --drift, --diffusion, ...), an
// underdamped Langevin model (--langevin-potential or --langevin-builtin), or
// --model-file (model_file.h).
#ifndef PATHWISE_CLIENT_CLI_MODEL_FLAGS_H_
#define PATHWISE_CLIENT_CLI_MODEL_FLAGS_H_

#include <optional>
#include <vector>

#include "client/cli/args.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// The options read here (for Args).
std::vector<FlagSpec> ModelFlagSpecs();

// The model the options describe, or nullopt when they describe none (no
// model option given). Options of two kinds of model, or an option that does
// not apply to the kind chosen, throw UsageError. --model-file is not read here.
std::optional<v1::Model> ModelFromFlags(const Args& args);

// Whether any option of ModelFlagSpecs() was given.
bool AnyModelFlag(const Args& args);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_MODEL_FLAGS_H_
