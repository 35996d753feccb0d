#include <string>

#include "core/integrate/convergence.h"
#include "core/integrate/model_for_method.h"
#include "core/solver/registry.h"
#include "core/util/status_macros.h"
#include "tools/lab/commands.h"
#include "tools/lab/lab_models.h"

namespace pathwise::lab {

absl::StatusOr<Report> RunOrders(const Args& args) {
  RETURN_IF_ERROR(
      args.CheckKnown({"model", "method", "params", "y0", "dim", "calculus", "t1", "paths",
                       "coarsest", "finest", "reference", "seed", "threads", "format"}));
  const std::string model_name = args.Str("model", "ou");
  ASSIGN_OR_RETURN(const solver::Method* method, solver::FindMethod(args.Str("method", "euler")));
  ASSIGN_OR_RETURN(auto params, args.Params("params"));
  ASSIGN_OR_RETURN(const int dim, args.Int("dim", 2));
  const std::string calculus = args.Str("calculus", "ito");
  if (calculus != "ito" && calculus != "stratonovich") {
    return absl::InvalidArgumentError("--calculus: must be ito or stratonovich");
  }
  integrate::UserModel user;
  // The Itô reading is the built-ins' as written: a Stratonovich method
  // solves it through its Stratonovich form, as the server's Solve does.
  user.ito_as_written = calculus == "ito";
  if (model_name.rfind("langevin", 0) == 0) {
    // The whole state from --y0, else positions and velocities 0.1.
    ASSIGN_OR_RETURN(user.y0, args.Doubles("y0", {}));
    if (user.y0.empty()) {
      user.x0.assign(static_cast<size_t>(dim), 0.1);
      user.v0.assign(static_cast<size_t>(dim), 0.1);
    }
  } else {
    ASSIGN_OR_RETURN(user.y0, args.Doubles("y0", {1.0}));
  }
  ASSIGN_OR_RETURN(user.sde, MakeLabModel(model_name, params, static_cast<int>(user.y0.size()), dim,
                                          calculus == "ito" ? model::Calculus::kIto
                                                            : model::Calculus::kStratonovich));
  ASSIGN_OR_RETURN(const integrate::PreparedModel prepared,
                   integrate::ModelForMethod(std::move(user), *method));
  const model::Sde& sde = *prepared.sde;
  integrate::ConvergenceOptions o;
  o.y0 = prepared.y0;
  ASSIGN_OR_RETURN(o.t1, args.Double("t1", 1.0));
  ASSIGN_OR_RETURN(const int paths, args.Int("paths", 200));
  o.num_paths = static_cast<uint32_t>(paths);
  ASSIGN_OR_RETURN(o.coarsest_level, args.Int("coarsest", 3));
  ASSIGN_OR_RETURN(o.finest_level, args.Int("finest", 7));
  ASSIGN_OR_RETURN(o.reference_level, args.Int("reference", o.finest_level + 4));
  ASSIGN_OR_RETURN(const int seed, args.Int("seed", 2024));
  o.seed = static_cast<uint64_t>(seed);
  ASSIGN_OR_RETURN(o.threads, args.Int("threads", 1));
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
