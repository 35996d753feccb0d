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

// The --help paragraph of these options (--model-file is each command's own).
inline constexpr char kModelFlagsHelp[] =
    R"(Model (exactly one kind; `pathwise models` lists the builtin ones):
  --model NAME           a builtin model (ou, gbm, cir, heston, double_well)
  --param KEY=VALUE      a parameter (repeat for each); for builtin models and
                         potentials missing ones take their defaults; for
                         expression models and potentials, named constants
  --state X,V,...        an expression model's state variables (their count is
                         the state dimension)
  --drift EXPR           its drift, one per state variable, in order (repeat the
                         option; expressions may hold commas, as in max(x, 0))
  --diffusion EXPR       its diffusion (repeat): one per state variable for
                         diagonal noise; state_dim * noise-dim, row-major, for
                         general noise
  --noise SHAPE          diagonal | general (default diagonal)
  --noise-dim N          Brownian components of general noise (>= 1)
  --calculus C           ito | stratonovich: how the expressions read
                         (default ito)
  --langevin-potential EXPR   underdamped Langevin dynamics with potential U in
                         x0 .. x{dim-1} (and --param constants)
  --langevin-builtin NAME     ... or with a builtin potential (gaussian,
                         logistic_regression; `pathwise models` lists them)
  --data A,B,...         a builtin potential's data, row-major
  --data-cols N          columns of --data
  --dim N                Langevin position dimension d (state is x then v: 2d)
  --gamma G              Langevin friction (1/time), > 0
  --u U                  Langevin inverse mass, > 0
  --x0 A,B,... --v0 A,B,...   Langevin initial position / velocity (used when
                         --y0 is not given; v0 defaults to zeros)
)";

// Whether any option of ModelFlagSpecs() was given.
bool AnyModelFlag(const Args& args);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_MODEL_FLAGS_H_
