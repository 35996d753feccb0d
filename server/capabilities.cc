#include "server/capabilities.h"

#include <iterator>
#include <string>

#include "core/brownian/path_spec.h"
#include "core/integrate/ensemble_job.h"
#include "core/integrate/options.h"
#include "core/model/catalog.h"
#include "core/model/params.h"
#include "core/solver/registry.h"

namespace pathwise::server {
namespace {

void FillParameter(const model::ParamSpec& spec, v1::Capabilities::Parameter* out) {
  out->set_name(spec.name);
  out->set_description(spec.description);
  out->set_default_value(spec.default_value);
  out->set_min(spec.min);
  out->set_max(spec.max);
  out->set_min_open(spec.min_open);
  out->set_max_open(spec.max_open);
  out->set_range(model::RangeString(spec));
  out->set_units(spec.units);
}

const char* ModelFormName(solver::ModelForm form) {
  switch (form) {
    case solver::ModelForm::kLangevin:
      return "langevin";
    case solver::ModelForm::kCir:
      return "cir";
    case solver::ModelForm::kAny:
    default:
      return "any";
  }
}

}  // namespace

v1::Capabilities BuildCapabilities(const SolveLimits& limits, const EstimateLimits& estimate,
                                   const McmcLimits& mcmc) {
  v1::Capabilities caps;
  for (const solver::Method* method : solver::AllMethods()) {
    const solver::MethodInfo& info = method->info();
    v1::Capabilities::MethodInfo* m = caps.add_methods();
    m->set_method(static_cast<v1::Method>(info.id));
    m->set_name(std::string(info.name));
    m->set_description(std::string(info.description));
    m->set_levy_area(static_cast<v1::LevyArea>(static_cast<int>(info.levy_area)));
    m->set_model_form(ModelFormName(info.form));
    m->set_max_noise(std::string(model::NoiseClassName(info.max_noise)));
    m->set_calculus(info.calculus == model::Calculus::kStratonovich ? v1::STRATONOVICH : v1::ITO);
    m->set_needs_diffusion_jvp(info.needs_diffusion_jvp);
    m->set_order_additive(info.order_additive);
    m->set_order_commutative(info.order_commutative);
    m->set_order_general(info.order_general);
    m->set_embedded_error(info.embedded_error);
  }
  for (const model::ModelInfo& info : model::BuiltinModels()) {
    v1::Capabilities::ModelInfo* m = caps.add_models();
    m->set_name(info.name);
    m->set_description(info.description);
    for (const model::ParamSpec& p : info.params) FillParameter(p, m->add_params());
    m->set_state_dim(static_cast<uint32_t>(info.state_dim));
    m->set_noise(std::string(model::NoiseClassName(info.noise)));
    for (const std::string& s : info.state_names) m->add_state_names(s);
  }
  for (const model::PotentialInfo& info : model::BuiltinPotentials()) {
    v1::Capabilities::PotentialInfo* p = caps.add_potentials();
    p->set_name(info.name);
    p->set_description(info.description);
    for (const model::ParamSpec& spec : info.params) FillParameter(spec, p->add_params());
    for (const std::string& s : info.state_names) p->add_state_names(s);
  }
  v1::Capabilities::Limits* l = caps.mutable_limits();
  l->set_max_paths(limits.max_paths);
  l->set_max_state_dim(limits.max_state_dim);
  l->set_max_steps(limits.max_steps);
  l->set_default_max_steps(integrate::kDefaultMaxSteps);
  l->set_max_times(limits.max_times);
  l->set_max_points(limits.max_points);
  l->set_max_estimate_path_steps(estimate.max_path_steps);
  l->set_max_mcmc_dim(mcmc.max_dim);
  l->set_max_mcmc_chains(mcmc.max_chains);
  l->set_max_mcmc_draw_values(mcmc.max_draw_values);
  l->set_max_mcmc_steps_per_chain(mcmc.max_steps_per_chain);
  l->set_max_mcmc_data_values(mcmc.max_data_values);
  caps.set_algorithm(std::string(brownian::kAlgorithmVersion));
  v1::Capabilities::StatisticsInfo* st = caps.mutable_statistics();
  st->set_block_paths(integrate::kBlockPaths);
  st->mutable_quantile_levels()->Add(std::begin(kQuantileLevels), std::end(kQuantileLevels));
  return caps;
}

}  // namespace pathwise::server
