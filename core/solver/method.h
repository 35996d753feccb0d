// The method interface: one step of a stochastic integrator.
//
// A method maps (t, y0, Brownian increment over [t, t + dt]) to y1 and,
// optionally, an error estimate. It never knows where its increments come
// from, and it keeps no state of its own: per-path state (buffers, a value
// carried between accepted steps) lives in the caller's StepWork. One method
// object therefore serves every thread.
#ifndef PATHWISE_CORE_SOLVER_METHOD_H_
#define PATHWISE_CORE_SOLVER_METHOD_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/brownian/levy_area.h"
#include "core/model/sde.h"

namespace pathwise::solver {

// Numbering follows the wire enum Method (docs/design/wire_contract.md), the CIR
// methods included.
enum class MethodId {
  kEuler = 1,
  kEulerHeun = 2,
  kHeun = 3,
  kMilstein = 4,
  kSra1 = 5,
  kShark = 6,
  kSea = 7,
  kSpark = 8,
  kAlign = 9,
  kShould = 10,
  kQuicsort = 11,
  kCirSplitting = 101,      // Foster, dos Reis & Strange splitting for CIR (cir_splitting.h)
  kCirImplicitEuler = 102,  // drift-implicit square-root Euler for CIR (Alfonsi 2005)
};

// The Brownian increment over one step [t, t + dt], per noise component:
// W_{t,t+dt}, and H, K normalised as in docs/design/brownian_tree.md §1 (null when the
// path does not carry them).
struct BrownianIncrement {
  double dt = 0.0;
  const double* w = nullptr;
  const double* h = nullptr;
  const double* k = nullptr;
};

struct EvalCounts {
  uint64_t drift = 0;      // evaluations of f (or ∇U for Langevin methods)
  uint64_t diffusion = 0;  // evaluations of g (or its derivative)
};

// Mutable per-path state of a method, owned by the caller (one per worker).
struct StepWork {
  std::vector<double> scratch;  // sized by Method::Prepare
  // First-same-as-last: a value of the accepted state (e.g. ∇U(x_n)) that the
  // next step reuses. The method reads `fsal` when fsal_valid, and writes the
  // value at its candidate y1 to `fsal_next`; the solve loop swaps them when
  // it accepts a step and clears fsal_valid when a path starts.
  std::vector<double> fsal, fsal_next;
  bool fsal_valid = false;
  EvalCounts counts;
};

// Which models a method accepts.
enum class ModelForm {
  kAny,       // any Sde meeting the noise and calculus requirements
  kLangevin,  // underdamped Langevin (Sde::AsLangevin() non-null)
  kCir,       // the built-in cir model
};

// What a method is and what it needs, declared as data and checked before a
// solve (registry.h CheckCompatibility). Each method's info() is a literal
// naming only the fields that differ from these defaults, which describe the
// least demanding method: Itô, any noise, no Lévy area, strong order ½.
struct MethodInfo {
  MethodId id;                    // required
  absl::string_view name;         // required; lower case, e.g. "shark"
  absl::string_view description;  // required; one line, with the paper
  // The least Lévy area the method reads from its increments.
  brownian::LevyArea levy_area = brownian::LevyArea::kNone;
  ModelForm form = ModelForm::kAny;  // which models it accepts
  // The most general noise class accepted (NoiseClass order: additive < scalar <
  // diagonal < commutative < general).
  model::NoiseClass max_noise = model::NoiseClass::kGeneral;
  // The calculus a model with non-additive noise must be written in.
  model::Calculus calculus = model::Calculus::kIto;
  bool needs_diffusion_jvp = false;  // reads the derivative of g along g (Milstein)
  // Strong orders on additive, commutative (incl. scalar, diagonal) and general
  // noise, > 0; reported on the wire in Capabilities.MethodInfo (solver.proto).
  double order_additive = 0.5;
  double order_commutative = 0.5;
  double order_general = 0.5;
  bool embedded_error = false;  // Step() can write an error estimate
  // The local order q of the embedded estimate (it is O(dt^q), the exponent the
  // PID controller divides by); 0: strong order + ½, the local order of the
  // method itself. A companion of lower order than the method (ShOULD's and
  // QUICSORT's, docs/solver.md §3) names its own, lower, order here.
  double embedded_error_order = 0.0;
};

// The strong order the method has on a model with these traits.
double StrongOrder(const MethodInfo& info, const model::SdeTraits& traits);

class Method {
 public:
  virtual ~Method() = default;

  virtual const MethodInfo& info() const = 0;

  // Sizes `work` for `sde` (allocates; call once per worker and model).
  virtual void Prepare(const model::Sde& sde, StepWork& work) const = 0;

  // One step from (t, y0) over [t, t + dw.dt]. Writes n values to y1 and, when
  // `err` is not null and info().embedded_error, n values of the embedded error
  // estimate to err. y0, y1 and err do not alias. Counts evaluations in work.
  virtual void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
                    double* y1, double* err, StepWork& work) const = 0;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_METHOD_H_
