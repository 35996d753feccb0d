#include "client/cli/model_flags.h"

#include <string>

#include "client/cli/names.h"

namespace pathwise::cli {
namespace {

const std::vector<std::string> kBuiltinFlags = {"model"};
const std::vector<std::string> kExpressionFlags = {"state", "drift",     "diffusion",
                                                   "noise", "noise-dim", "calculus"};
const std::vector<std::string> kLangevinFlags = {
    "langevin-potential", "langevin-builtin", "gamma", "u", "x0", "v0", "dim", "data", "data-cols"};

// The first of `names` that was given, or "".
std::string FirstGiven(const Args& args, const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    if (args.Has(n)) return n;
  }
  return "";
}

// --param KEY=VALUE, each key once.
google::protobuf::Map<std::string, double> Params(const Args& args) {
  google::protobuf::Map<std::string, double> params;
  for (const std::string& text : args.All("param")) {
    const auto [key, value] = ParseKeyValue("param", text);
    if (!params.insert({key, value}).second) {
      throw UsageError{"--param: '" + key + "' given twice"};
    }
  }
  return params;
}

// Throws when an option of another kind of model was given with `kind_flag`.
void RejectOthers(const Args& args, const std::string& kind_flag,
                  const std::vector<std::vector<std::string>>& others) {
  for (const auto& group : others) {
    const std::string other = FirstGiven(args, group);
    if (!other.empty()) {
      throw UsageError{"--" + other + " does not apply to a model given by --" + kind_flag};
    }
  }
}

v1::Model BuiltinModel(const Args& args) {
  RejectOthers(args, "model", {kExpressionFlags, kLangevinFlags});
  v1::Model model;
  v1::BuiltinModel* b = model.mutable_builtin();
  b->set_name(args.String("model", ""));
  *b->mutable_params() = Params(args);
  return model;
}

v1::Model ExpressionModel(const Args& args) {
  RejectOthers(args, "state", {kLangevinFlags});
  if (!args.Has("state")) {
    throw UsageError{"--" + FirstGiven(args, kExpressionFlags) +
                     " needs --state NAME,... (the state variables)"};
  }
  v1::Model model;
  v1::ExpressionModel* e = model.mutable_expression();
  for (const std::string& name : ParseWordList("state", args.String("state", ""))) {
    e->add_state(name);
  }
  for (const std::string& d : args.All("drift")) e->add_drift(d);
  for (const std::string& d : args.All("diffusion")) e->add_diffusion(d);
  e->set_noise(ParseNoise(args.String("noise", "diagonal")));
  e->set_noise_dim(static_cast<uint32_t>(args.Unsigned("noise-dim", 0, UINT32_MAX)));
  e->set_calculus(ParseCalculus(args.String("calculus", "ito")));
  *e->mutable_params() = Params(args);
  return model;
}

v1::Model LangevinModel(const Args& args) {
  const bool expression = args.Has("langevin-potential");
  const bool builtin = args.Has("langevin-builtin");
  if (expression == builtin) {
    throw UsageError{"--" + FirstGiven(args, kLangevinFlags) +
                     ": give exactly one of --langevin-potential EXPR and --langevin-builtin NAME"};
  }
  if (expression && (args.Has("data") || args.Has("data-cols"))) {
    throw UsageError{"--data and --data-cols apply to --langevin-builtin potentials"};
  }
  v1::Model model;
  v1::LangevinModel* l = model.mutable_langevin();
  if (expression) {
    l->set_expression(args.String("langevin-potential", ""));
    *l->mutable_params() = Params(args);
  } else {
    v1::BuiltinPotential* p = l->mutable_builtin();
    p->set_name(args.String("langevin-builtin", ""));
    *p->mutable_params() = Params(args);
    for (const double v : ParseDoubleList("data", args.String("data", ""))) p->add_data(v);
    p->set_data_cols(static_cast<uint32_t>(args.Unsigned("data-cols", 0, UINT32_MAX)));
  }
  l->set_dim(static_cast<uint32_t>(args.Unsigned("dim", 0, UINT32_MAX)));
  l->set_gamma(args.Double("gamma", 0.0));
  l->set_u(args.Double("u", 0.0));
  for (const double v : ParseDoubleList("x0", args.String("x0", ""))) l->add_x0(v);
  for (const double v : ParseDoubleList("v0", args.String("v0", ""))) l->add_v0(v);
  return model;
}

}  // namespace

std::vector<FlagSpec> ModelFlagSpecs() {
  std::vector<FlagSpec> specs = {{"model"},
                                 {"param", FlagKind::kRepeated},
                                 {"state"},
                                 {"drift", FlagKind::kRepeated},
                                 {"diffusion", FlagKind::kRepeated},
                                 {"noise"},
                                 {"noise-dim"},
                                 {"calculus"}};
  for (const std::string& name : kLangevinFlags) specs.push_back({name});
  return specs;
}

bool AnyModelFlag(const Args& args) {
  for (const FlagSpec& spec : ModelFlagSpecs()) {
    if (args.Has(spec.name)) return true;
  }
  return false;
}

std::optional<v1::Model> ModelFromFlags(const Args& args) {
  if (args.Has("model")) return BuiltinModel(args);
  if (!FirstGiven(args, kExpressionFlags).empty()) return ExpressionModel(args);
  if (!FirstGiven(args, kLangevinFlags).empty()) return LangevinModel(args);
  if (args.Has("param")) {
    throw UsageError{
        "--param needs a model: --model, --state, --langevin-potential or "
        "--langevin-builtin"};
  }
  return std::nullopt;
}

}  // namespace pathwise::cli
