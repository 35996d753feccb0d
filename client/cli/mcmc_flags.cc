#include "client/cli/mcmc_flags.h"

#include "absl/strings/str_cat.h"
#include "client/cli/csv_table.h"
#include "client/cli/names.h"

namespace pathwise::cli {
namespace {

v1::Preconditioner ParsePreconditioner(const std::string& text) {
  if (text == "adapted") return v1::PRECONDITIONER_DIAGONAL_ADAPTED;
  if (text == "none") return v1::PRECONDITIONER_NONE;
  if (text == "given") return v1::PRECONDITIONER_DIAGONAL_GIVEN;
  throw UsageError{"--preconditioner: '" + text + "' is not one of adapted, none, given"};
}

void SetTarget(const Args& args, McmcInput& input) {
  v1::LangevinModel* target = input.request.mutable_target();
  const bool expression = args.Has("potential"), builtin = args.Has("builtin");
  if (expression == builtin) {
    throw UsageError{"give the target as --potential EXPR or --builtin NAME (one of them)"};
  }
  if (expression) {
    if (args.Has("data") || args.Has("data-file") || args.Has("data-cols")) {
      throw UsageError{"--data, --data-file and --data-cols go with --builtin"};
    }
    target->set_expression(args.String("potential", ""));
    for (const std::string& kv : args.All("param")) {
      const auto [key, value] = ParseKeyValue("param", kv);
      (*target->mutable_params())[key] = value;
    }
  } else {
    v1::BuiltinPotential* b = target->mutable_builtin();
    b->set_name(args.String("builtin", ""));
    for (const std::string& kv : args.All("param")) {
      const auto [key, value] = ParseKeyValue("param", kv);
      (*b->mutable_params())[key] = value;
    }
    if (args.Has("data") && args.Has("data-file")) {
      throw UsageError{"give --data or --data-file, not both"};
    }
    if (args.Has("data-file")) {
      CsvTable table = ReadCsvTable(args.String("data-file", ""));
      b->mutable_data()->Assign(table.values.begin(), table.values.end());
      b->set_data_cols(table.cols);
      if (table.header.size() > 1) {
        input.parameter_names.assign(table.header.begin(), table.header.end() - 1);
      }
    } else if (args.Has("data")) {
      const std::vector<double> data = ParseDoubleList("data", args.String("data", ""));
      b->mutable_data()->Assign(data.begin(), data.end());
    }
    if (args.Has("data-cols")) {
      b->set_data_cols(static_cast<uint32_t>(args.Unsigned("data-cols", 0, UINT32_MAX)));
    }
  }
  target->set_dim(static_cast<uint32_t>(args.Unsigned("dim", 0, UINT32_MAX)));
  target->set_gamma(args.Double("gamma", 0.0));
  target->set_u(args.Double("u", 0.0));
  if (args.Has("x0")) {
    const std::vector<double> x0 = ParseDoubleList("x0", args.String("x0", ""));
    target->mutable_x0()->Assign(x0.begin(), x0.end());
  }
}

void SetStep(const Args& args, v1::McmcRequest& request) {
  const bool adaptive = args.Switch("adaptive");
  if (args.Has("dt") && adaptive) throw UsageError{"give --dt or --adaptive, not both"};
  if (!adaptive && (args.Has("rtol") || args.Has("atol"))) {
    throw UsageError{"--rtol and --atol go with --adaptive"};
  }
  if (args.Has("dt")) {
    request.mutable_step()->mutable_constant()->set_dt(args.Double("dt", 0.0));
  } else if (adaptive) {
    v1::AdaptiveStep* step = request.mutable_step()->mutable_adaptive();
    step->set_rtol(args.Double("rtol", 0.0));
    step->set_atol(args.Double("atol", 0.0));
  }
}

}  // namespace

std::vector<FlagSpec> McmcRequestFlagSpecs() {
  return {{"potential"},
          {"builtin"},
          {"param", FlagKind::kRepeated},
          {"data"},
          {"data-file"},
          {"data-cols"},
          {"dim"},
          {"gamma"},
          {"u"},
          {"x0"},
          {"method"},
          {"seed"},
          {"chains"},
          {"initial-positions"},
          {"warmup"},
          {"draws"},
          {"thin"},
          {"dt"},
          {"adaptive", FlagKind::kSwitch},
          {"rtol"},
          {"atol"},
          {"preconditioner"},
          {"inverse-mass"}};
}

McmcInput BuildMcmcRequest(const Args& args) {
  McmcInput input;
  SetTarget(args, input);
  v1::McmcRequest& r = input.request;
  if (args.Has("method")) r.set_method(ParseMethod(args.String("method", "")));
  r.set_seed(args.Unsigned("seed", 0));
  r.set_num_chains(static_cast<uint32_t>(args.Unsigned("chains", 4, UINT32_MAX)));
  if (args.Has("initial-positions")) {
    const std::vector<double> x =
        ParseDoubleList("initial-positions", args.String("initial-positions", ""));
    r.mutable_initial_positions()->Assign(x.begin(), x.end());
  }
  r.set_warmup_time(args.Double("warmup", 100.0));
  if (!args.Has("draws")) throw UsageError{"--draws N is required (kept draws per chain)"};
  r.set_num_draws(static_cast<uint32_t>(args.Unsigned("draws", 0, UINT32_MAX)));
  r.set_thin_time(args.Double("thin", 0.0));
  SetStep(args, r);
  r.set_preconditioner(ParsePreconditioner(args.String("preconditioner", "adapted")));
  if (args.Has("inverse-mass")) {
    const std::vector<double> m = ParseDoubleList("inverse-mass", args.String("inverse-mass", ""));
    r.mutable_inverse_mass()->Assign(m.begin(), m.end());
  }
  return input;
}

std::vector<std::string> ParameterNames(const std::vector<std::string>& names, uint32_t dim) {
  if (names.size() == dim) return names;
  std::vector<std::string> out;
  for (uint32_t j = 0; j < dim; ++j) out.push_back(absl::StrCat("x", j));
  return out;
}

}  // namespace pathwise::cli
