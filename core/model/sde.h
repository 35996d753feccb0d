// The model interface: an SDE dy = f(t, y) dt + g(t, y) dW (Itô) or ∘dW (Stratonovich).
//
// A model is immutable after construction and shared by all worker threads;
// every evaluation writes into caller-owned buffers (no allocation, one virtual
// call per evaluation). Methods read only the traits and these evaluations, so
// any model — hand-written, compiled from an expression, or a Langevin
// potential — plugs into every method whose requirements its traits meet.
#ifndef PATHWISE_CORE_MODEL_SDE_H_
#define PATHWISE_CORE_MODEL_SDE_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace pathwise::model {

class LangevinModel;

// How the diffusion g(t, y) is laid out in the buffer Diffusion() writes.
enum class NoiseShape {
  kDiagonal,  // m == n; g is diagonal, stored as its n diagonal entries
  kGeneral,   // g is n × m, stored row-major (g[i * m + j] = g_ij)
};

enum class Calculus { kIto, kStratonovich };

// Noise structure, from most to least special. A model reports the most special
// class it belongs to; methods accept a class and everything more special.
enum class NoiseClass {
  kAdditive,     // g does not depend on y (it may depend on t)
  kScalar,       // m == 1, multiplicative
  kDiagonal,     // diagonal g with g_ii depending on y_i only
  kCommutative,  // the commutativity condition L^j g^k = L^k g^j holds
  kGeneral,      // none of the above
};

struct SdeTraits {
  int state_dim = 1;  // n
  int noise_dim = 1;  // m
  NoiseShape shape = NoiseShape::kDiagonal;
  NoiseClass noise = NoiseClass::kAdditive;
  Calculus calculus = Calculus::kIto;
  // True when g depends on t (only matters for additive noise: methods then
  // evaluate g at both ends of a step).
  bool diffusion_depends_on_t = false;
  // True when DiffusionJvp is implemented (Milstein needs it).
  bool has_diffusion_jvp = false;
  // The number of independent copies of one model the state holds (1 for an
  // ordinary model; Sde::ForLanes). With lanes L, state_dim and noise_dim are
  // L times the copy's n0 and m0, and every buffer is component major, lane
  // minor: component c of copy l at c * L + l (state, drift, increments, and
  // a diagonal g), entry (i, j) of a general g at (i * m0 + j) * L + l.
  int lanes = 1;
};

// The traits of a model whose component i is driven by W_i alone (n = m,
// diagonal g with DiffusionJvp implemented, g independent of t), as the
// built-in ou, double_well, gbm and cir are. `additive`: g does not depend on y
// either; otherwise the noise is scalar for n = 1 and diagonal above.
inline SdeTraits ComponentwiseTraits(int n, bool additive, Calculus calculus) {
  const NoiseClass multiplicative = n == 1 ? NoiseClass::kScalar : NoiseClass::kDiagonal;
  return SdeTraits{.state_dim = n,
                   .noise_dim = n,
                   .shape = NoiseShape::kDiagonal,
                   .noise = additive ? NoiseClass::kAdditive : multiplicative,
                   .calculus = calculus,
                   .diffusion_depends_on_t = false,
                   .has_diffusion_jvp = true};
}

// Number of doubles Diffusion() writes: n (diagonal) or n * m (general), for
// each lane.
inline int DiffusionSize(const SdeTraits& traits) {
  return traits.shape == NoiseShape::kDiagonal
             ? traits.state_dim
             : traits.state_dim * (traits.noise_dim / traits.lanes);
}

// The traits of `lanes` independent copies of a model with traits `one`
// (one.lanes == 1): dimensions times lanes, everything else the same.
inline SdeTraits LaneTraits(const SdeTraits& one, int lanes) {
  SdeTraits wide = one;
  wide.state_dim = one.state_dim * lanes;
  wide.noise_dim = one.noise_dim * lanes;
  wide.lanes = lanes;
  return wide;
}

// True when the noise is additive, hence Itô and Stratonovich coincide.
inline bool IsAdditive(const SdeTraits& traits) { return traits.noise == NoiseClass::kAdditive; }

// True when the noise satisfies the commutativity condition (every class but general).
inline bool IsCommutative(const SdeTraits& traits) { return traits.noise != NoiseClass::kGeneral; }

absl::string_view NoiseClassName(NoiseClass noise);  // "additive", "scalar", ...
absl::string_view CalculusName(Calculus calculus);   // "ito", "stratonovich"
absl::string_view NoiseShapeName(NoiseShape shape);  // "diagonal", "general"

class Sde {
 public:
  virtual ~Sde() = default;

  const SdeTraits& traits() const { return traits_; }
  int state_dim() const { return traits_.state_dim; }
  int noise_dim() const { return traits_.noise_dim; }

  // A short name for messages, e.g. "ou" or "expression".
  virtual absl::string_view name() const = 0;

  // f(t, y): writes n values to `f`. `y` and `f` do not alias.
  virtual void Drift(double t, const double* y, double* f) const = 0;

  // g(t, y): writes DiffusionSize(traits()) values to `g` in the layout of
  // traits().shape. `y` and `g` do not alias.
  virtual void Diffusion(double t, const double* y, double* g) const = 0;

  // The derivative of g along v: out = Σ_i v_i ∂g/∂y_i (t, y), in g's layout.
  // Only called when traits().has_diffusion_jvp; the default writes zeros.
  virtual void DiffusionJvp(double t, const double* y, const double* v, double* out) const;

  // The underdamped Langevin form of this model, or null (see langevin.h).
  virtual const LangevinModel* AsLangevin() const { return nullptr; }

  // `lanes` independent copies of this model as one model with traits
  // LaneTraits(traits(), lanes): the copies share t and the parameters, each
  // has its own state and noise in the layout of SdeTraits::lanes, and every
  // evaluation computes each copy's values with exactly the arithmetic this
  // model uses for one state (same operations, same order), so that a method
  // stepping the wide model steps each copy as it would step it alone. Null
  // when the model has no such form (then the lane solver,
  // core/integrate/lane_solver.h, steps its paths one at a time). Only for
  // models with traits().lanes == 1.
  virtual std::unique_ptr<Sde> ForLanes(int /*lanes*/) const { return nullptr; }

 protected:
  explicit Sde(const SdeTraits& traits) : traits_(traits) {}

 private:
  SdeTraits traits_;
};

// out (+)= scale * (g · v) for a general g of several lanes (ApplyDiffusion
// and AddDiffusion below): each lane's sum in the order of one lane's, from
// 0.0, j ascending; the lanes side by side, so the loops vectorise.
inline void ApplyLaneDiffusion(const SdeTraits& traits, const double* g, const double* v,
                               double scale, bool add, double* out) {
  constexpr int kChunk = 8;
  const int lanes = traits.lanes;
  const int n = traits.state_dim / lanes;
  const int m = traits.noise_dim / lanes;
  for (int i = 0; i < n; ++i) {
    for (int l0 = 0; l0 < lanes; l0 += kChunk) {
      const int c = lanes - l0 < kChunk ? lanes - l0 : kChunk;
      double acc[kChunk] = {};
      for (int j = 0; j < m; ++j) {
        const double* gij = g + (i * m + j) * lanes + l0;
        const double* vj = v + j * lanes + l0;
        for (int l = 0; l < c; ++l) acc[l] += gij[l] * vj[l];
      }
      double* o = out + i * lanes + l0;
      for (int l = 0; l < c; ++l) o[l] = add ? o[l] + scale * acc[l] : acc[l];
    }
  }
}

// out = g · v for a diffusion buffer `g` in the layout of `traits` and v of length m.
// Inline: methods call it every step.
inline void ApplyDiffusion(const SdeTraits& traits, const double* g, const double* v, double* out) {
  const int n = traits.state_dim;
  if (traits.shape == NoiseShape::kDiagonal) {
    for (int i = 0; i < n; ++i) out[i] = g[i] * v[i];
    return;
  }
  if (traits.lanes != 1) return ApplyLaneDiffusion(traits, g, v, 1.0, false, out);
  const int m = traits.noise_dim;
  for (int i = 0; i < n; ++i) {
    double acc = 0.0;
    for (int j = 0; j < m; ++j) acc += g[i * m + j] * v[j];
    out[i] = acc;
  }
}

// out += scale * (g · v).
inline void AddDiffusion(const SdeTraits& traits, const double* g, const double* v, double scale,
                         double* out) {
  const int n = traits.state_dim;
  if (traits.shape == NoiseShape::kDiagonal) {
    for (int i = 0; i < n; ++i) out[i] += scale * (g[i] * v[i]);
    return;
  }
  if (traits.lanes != 1) return ApplyLaneDiffusion(traits, g, v, scale, true, out);
  const int m = traits.noise_dim;
  for (int i = 0; i < n; ++i) {
    double acc = 0.0;
    for (int j = 0; j < m; ++j) acc += g[i * m + j] * v[j];
    out[i] += scale * acc;
  }
}

// A one-line description of the model's structure for error messages, e.g.
// "ou (n=1, m=1, additive noise, ito)".
std::string DescribeSde(const Sde& sde);

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_SDE_H_
