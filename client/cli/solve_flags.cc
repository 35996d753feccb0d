#include "client/cli/solve_flags.h"

#include <string>

#include "client/cli/model_file.h"
#include "client/cli/model_flags.h"
#include "client/cli/names.h"
#include "client/cli/save_grid.h"

namespace pathwise::cli {
namespace {

const std::vector<std::string> kAdaptiveFlags = {"rtol",   "atol",      "dt0",       "dtmin",
                                                 "dtmax",  "pcoeff",    "icoeff",    "dcoeff",
                                                 "safety", "factormin", "factormax", "step-ts"};

// The file's request and/or model, and the model from the options (one of
// them). *from_file tells whether the file held a whole request.
v1::SolveRequest BaseRequest(const Args& args, bool* from_file) {
  v1::SolveRequest request;
  *from_file = false;
  std::optional<v1::Model> model = ModelFromFlags(args);
  if (args.Has("model-file")) {
    if (model) {
      throw UsageError{"--model-file gives the model; drop the other model options"};
    }
    ModelFile file = LoadModelFile(args.String("model-file", ""));
    if (file.request) request = *file.request;
    *from_file = file.request.has_value();
    if (file.model) *request.mutable_model() = *file.model;
  } else if (model) {
    *request.mutable_model() = *model;
  }
  if (!request.has_model()) {
    throw UsageError{
        "give a model: --model NAME, --state with --drift and --diffusion, "
        "--langevin-potential EXPR, --langevin-builtin NAME or --model-file FILE"};
  }
  return request;
}

void SetMethod(const Args& args, v1::SolveRequest* request) {
  if (args.Has("method")) request->set_method(ParseMethod(args.String("method", "")));
  if (request->method() == v1::METHOD_UNSPECIFIED) {
    throw UsageError{"--method is required (one of " + MethodNames() + ")"};
  }
}

v1::AdaptiveStep Adaptive(const Args& args) {
  if (!args.Has("rtol") && !args.Has("atol")) {
    throw UsageError{"--adaptive needs --rtol and/or --atol (no tolerance is implied)"};
  }
  v1::AdaptiveStep a;
  a.set_rtol(args.Double("rtol", 0.0));
  a.set_atol(args.Double("atol", 0.0));
  a.set_dt0(args.Double("dt0", 0.0));
  a.set_dtmin(args.Double("dtmin", 0.0));
  a.set_dtmax(args.Double("dtmax", 0.0));
  a.set_pcoeff(args.Double("pcoeff", 0.0));
  if (args.Has("icoeff")) a.set_icoeff(args.Double("icoeff", 1.0));  // unset means 1
  a.set_dcoeff(args.Double("dcoeff", 0.0));
  a.set_safety(args.Double("safety", 0.0));
  a.set_factormin(args.Double("factormin", 0.0));
  a.set_factormax(args.Double("factormax", 0.0));
  for (const double t : ParseDoubleList("step-ts", args.String("step-ts", ""))) a.add_step_ts(t);
  return a;
}

void SetStep(const Args& args, v1::SolveRequest* request) {
  const int kinds = args.Has("dt") + args.Switch("adaptive") + args.Has("step-to");
  if (kinds > 1) throw UsageError{"give one step control: --dt, --adaptive or --step-to"};
  if (!args.Switch("adaptive")) {
    for (const std::string& name : kAdaptiveFlags) {
      if (args.Has(name)) throw UsageError{"--" + name + " needs --adaptive"};
    }
  }
  if (args.Has("dt")) {
    request->mutable_step()->mutable_constant()->set_dt(args.Double("dt", 0.0));
  } else if (args.Switch("adaptive")) {
    *request->mutable_step()->mutable_adaptive() = Adaptive(args);
  } else if (args.Has("step-to")) {
    v1::StepTo* to = request->mutable_step()->mutable_step_to();
    for (const double t : ParseDoubleList("step-to", args.String("step-to", ""))) to->add_ts(t);
  }
  if (request->step().kind_case() == v1::StepControl::KIND_NOT_SET) {
    throw UsageError{
        "give a step control: --dt DT, --adaptive (with --rtol/--atol) or "
        "--step-to T,T,..."};
  }
}

void SetSaveAt(const Args& args, v1::SolveRequest* request) {
  if (!args.Has("save") && !args.Has("save-t0") && !args.Has("save-t1") &&
      !args.Has("save-steps")) {
    return;  // the file's, or the default (t1 only)
  }
  v1::SaveAt* saveat = request->mutable_saveat();
  saveat->Clear();
  if (args.Has("save")) {
    for (const double t : ParseSaveTimes(args.String("save", ""))) saveat->add_ts(t);
  }
  saveat->set_t0(args.Switch("save-t0"));
  saveat->set_t1(args.Switch("save-t1"));
  saveat->set_steps(args.Switch("save-steps"));
}

void SetTimesAndPaths(const Args& args, bool from_file, v1::SolveRequest* request) {
  if (args.Has("t0")) request->set_t0(args.Double("t0", 0.0));
  if (args.Has("t1")) {
    request->set_t1(args.Double("t1", 1.0));
  } else if (!from_file) {
    request->set_t1(1.0);  // the documented default (a file's request keeps its own)
  }
  if (args.Has("y0")) {
    request->clear_y0();
    for (const double v : ParseDoubleList("y0", args.String("y0", ""))) request->add_y0(v);
  }
  if (args.Has("seed")) request->set_seed(args.Unsigned("seed", 0));
  if (args.Has("first-path")) request->set_first_path(args.Unsigned("first-path", 0));
  if (args.Has("paths")) {
    const uint64_t paths = args.Unsigned("paths", 1, UINT32_MAX);
    if (paths == 0) throw UsageError{"--paths: must be at least 1"};
    request->set_num_paths(static_cast<uint32_t>(paths));
  }
  if (args.Has("max-steps")) request->set_max_steps(args.Unsigned("max-steps", 0));
}

void SetBrownianAndOutput(const Args& args, v1::SolveRequest* request) {
  if (args.Has("tol")) request->mutable_brownian()->set_tol(args.Double("tol", 0.0));
  if (args.Has("levy")) {
    request->mutable_brownian()->set_levy_area(ParseLevy(args.String("levy", "none")));
  }
  if (args.Has("output")) request->set_output(ParseOutput(args.String("output", "paths")));
}

}  // namespace

std::vector<FlagSpec> SolveRequestFlagSpecs() {
  std::vector<FlagSpec> specs = ModelFlagSpecs();
  const std::vector<FlagSpec> more = {{"model-file"},
                                      {"method"},
                                      {"t0"},
                                      {"t1"},
                                      {"y0"},
                                      {"dt"},
                                      {"adaptive", FlagKind::kSwitch},
                                      {"step-to"},
                                      {"save"},
                                      {"save-t0", FlagKind::kSwitch},
                                      {"save-t1", FlagKind::kSwitch},
                                      {"save-steps", FlagKind::kSwitch},
                                      {"seed"},
                                      {"first-path"},
                                      {"paths"},
                                      {"tol"},
                                      {"levy"},
                                      {"output"},
                                      {"max-steps"}};
  specs.insert(specs.end(), more.begin(), more.end());
  for (const std::string& name : kAdaptiveFlags) specs.push_back({name});
  return specs;
}

v1::SolveRequest BuildSolveRequest(const Args& args) {
  bool from_file = false;
  v1::SolveRequest request = BaseRequest(args, &from_file);
  SetMethod(args, &request);
  SetStep(args, &request);
  SetSaveAt(args, &request);
  SetTimesAndPaths(args, from_file, &request);
  SetBrownianAndOutput(args, &request);
  return request;
}

}  // namespace pathwise::cli
