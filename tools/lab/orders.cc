#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/integrate/convergence.h"
#include "core/integrate/model_for_method.h"
#include "core/solver/registry.h"
#include "core/util/status_macros.h"
#include "tools/lab/commands.h"
#include "tools/lab/lab_models.h"

namespace pathwise::lab {

std::vector<cmdline::FlagSpec> OrdersFlags() {
  return {{"model"}, {"method"},   {"params"}, {"y0"},        {"dim"},  {"calculus"}, {"t1"},
          {"paths"}, {"coarsest"}, {"finest"}, {"reference"}, {"seed"}, {"threads"},  {"format"}};
}

absl::StatusOr<Report> RunOrders(const cmdline::Args& args) {
  const std::string model_name = args.String("model", "ou");
  ASSIGN_OR_RETURN(const solver::Method* method,
                   solver::FindMethod(args.String("method", "euler")));
  // --params k=v,k=v
  std::map<std::string, double, std::less<>> params;
  if (const std::optional<std::string> text = args.Get("params"); text && !text->empty()) {
    for (const std::string& pair : cmdline::ParseWordList("params", *text)) {
      params.insert(cmdline::ParseKeyValue("params", pair));
    }
  }
  const int dim = static_cast<int>(args.Int("dim", 2, 1, 4096));
  const std::string calculus = args.Choice("calculus", "ito", {"ito", "stratonovich"});
  integrate::UserModel user;
  // The Itô reading is the built-ins' as written: a Stratonovich method
  // solves it through its Stratonovich form, as the server's Solve does.
  user.ito_as_written = calculus == "ito";
  if (args.Has("y0")) {
    user.y0 = cmdline::ParseDoubleList("y0", args.String("y0", ""));
  } else if (model_name.rfind("langevin", 0) == 0) {
    // Positions and velocities 0.1.
    user.x0.assign(static_cast<size_t>(dim), 0.1);
    user.v0.assign(static_cast<size_t>(dim), 0.1);
  } else {
    user.y0 = {1.0};
  }
  ASSIGN_OR_RETURN(user.sde, MakeLabModel(model_name, params, static_cast<int>(user.y0.size()), dim,
                                          calculus == "ito" ? model::Calculus::kIto
                                                            : model::Calculus::kStratonovich));
  ASSIGN_OR_RETURN(const integrate::PreparedModel prepared,
                   integrate::ModelForMethod(std::move(user), *method));
  const model::Sde& sde = *prepared.sde;
  integrate::ConvergenceOptions o;
  o.y0 = prepared.y0;
  o.t1 = args.Double("t1", 1.0);
  o.num_paths = static_cast<uint32_t>(args.Int("paths", 200, 1, UINT32_MAX));
  o.coarsest_level = static_cast<int>(args.Int("coarsest", 3, 0, 40));
  o.finest_level = static_cast<int>(args.Int("finest", 7, 0, 40));
  o.reference_level = static_cast<int>(args.Int("reference", o.finest_level + 4, 0, 44));
  o.seed = args.Unsigned("seed", 2024);
  o.threads = static_cast<int>(args.Int("threads", 1, 1, 1024));
  ASSIGN_OR_RETURN(const integrate::ConvergenceResult r,
                   integrate::MeasureStrongOrder(sde, *method, o));
  Report rep;
  rep.title = "strong convergence of " + std::string(method->info().name) + " on " +
              model::DescribeSde(sde);
  rep.scalars = {{"model", model_name},
                 {"method", std::string(method->info().name)},
                 {"paths", static_cast<double>(o.num_paths)},
                 {"reference_dt", r.reference_dt},
                 {"theory_order", solver::StrongOrder(method->info(), sde.traits())},
                 {"fitted_order", r.order}};
  Table t{"errors", {"dt", "strong_error"}, {}};
  for (size_t i = 0; i < r.dts.size(); ++i) t.rows.push_back({r.dts[i], r.errors[i]});
  rep.tables.push_back(std::move(t));
  return rep;
}

}  // namespace pathwise::lab
