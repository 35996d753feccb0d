#include "core/model/stratonovich_form.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace pathwise::model {
namespace {

SdeTraits StratonovichTraits(const SdeTraits& ito) {
  SdeTraits traits = ito;
  traits.calculus = Calculus::kStratonovich;
  return traits;
}

class StratonovichFormSde final : public Sde {
 public:
  explicit StratonovichFormSde(std::shared_ptr<const Sde> ito)
      : Sde(StratonovichTraits(ito->traits())), ito_(std::move(ito)) {}

  absl::string_view name() const override { return ito_->name(); }

  void Drift(double t, const double* y, double* f) const override {
    const int n = state_dim();
    // Models are shared between threads: scratch per thread, grown once
    // instead of allocated on every step.
    thread_local std::vector<double> g, dg;
    g.resize(n);
    dg.resize(n);
    ito_->Drift(t, y, f);
    ito_->Diffusion(t, y, g.data());
    ito_->DiffusionJvp(t, y, g.data(), dg.data());  // dg_i = g_i ∂g_i/∂y_i
    for (int i = 0; i < n; ++i) f[i] -= 0.5 * dg[i];
  }

  void Diffusion(double t, const double* y, double* g) const override { ito_->Diffusion(t, y, g); }

  void DiffusionJvp(double t, const double* y, const double* v, double* out) const override {
    ito_->DiffusionJvp(t, y, v, out);
  }

  // The Itô model's lanes, converted: the correction is elementwise in the
  // diagonal layout, so each lane gets exactly its own correction.
  std::unique_ptr<Sde> ForLanes(int lanes) const override {
    std::unique_ptr<Sde> wide = ito_->ForLanes(lanes);
    if (wide == nullptr) return nullptr;
    return std::make_unique<StratonovichFormSde>(std::shared_ptr<const Sde>(std::move(wide)));
  }

 private:
  std::shared_ptr<const Sde> ito_;
};

}  // namespace

bool HasStratonovichForm(const Sde& sde) {
  const SdeTraits& t = sde.traits();
  return t.calculus == Calculus::kIto && t.shape == NoiseShape::kDiagonal &&
         (t.noise == NoiseClass::kScalar || t.noise == NoiseClass::kDiagonal) &&
         t.has_diffusion_jvp;
}

absl::StatusOr<std::shared_ptr<const Sde>> StratonovichForm(std::shared_ptr<const Sde> ito) {
  if (!HasStratonovichForm(*ito)) {
    return absl::InvalidArgumentError(
        absl::StrCat("calculus: no Stratonovich form of ", DescribeSde(*ito),
                     " (needs Itô, diagonal noise and a diffusion derivative)"));
  }
  return std::shared_ptr<const Sde>(std::make_shared<StratonovichFormSde>(std::move(ito)));
}

}  // namespace pathwise::model
