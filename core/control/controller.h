// The step-size controller interface.
//
// A controller proposes where the next step should end and judges an attempted
// step; it never knows which method produced the step. The solve loop clips a
// proposal to the next time it must hit (save times, step_ts, t1), attempts
// the step, and asks Decide() whether to keep it. A controller holds per-path
// state: use one per worker and Reset() it for each path.
#ifndef PATHWISE_CORE_CONTROL_CONTROLLER_H_
#define PATHWISE_CORE_CONTROL_CONTROLLER_H_

namespace pathwise::control {

// What the controller sees of one attempted step [t0, t1].
struct StepAttempt {
  double t0 = 0.0;
  double t1 = 0.0;
  double proposed_t1 = 0.0;  // the controller's proposal before clipping (>= t1)
  int n = 0;                 // state dimension
  const double* y0 = nullptr;
  const double* y1 = nullptr;
  const double* err = nullptr;  // error estimate, null unless NeedsErrorEstimate()
  bool finite = true;           // every y1 value is finite
};

struct Decision {
  bool accept = true;
  // The step was accepted only because it was at the minimum step size
  // (its error was too large or y1 not finite): the solve flags dtmin_reached.
  bool forced_at_dtmin = false;
  // A rejected step that cannot be retried smaller (y1 not finite at dtmin):
  // the path ends with status nonfinite.
  bool give_up = false;
};

class Controller {
 public:
  virtual ~Controller() = default;

  // True when Decide() needs an error estimate (embedded or step doubling).
  virtual bool NeedsErrorEstimate() const { return false; }

  // True when Decide() accepts every step and keeps no state (constant, step-to):
  // the loop then skips it.
  virtual bool AlwaysAccepts() const { return false; }

  // Starts a path at (t0, y0).
  virtual void Reset(double t0, const double* y0, int n) = 0;

  // Where the step from t should end (> t). The loop may clip it.
  virtual double Propose(double t) = 0;

  // Judges an attempted step and prepares the next proposal.
  virtual Decision Decide(const StepAttempt& attempt) = 0;
};

}  // namespace pathwise::control

#endif  // PATHWISE_CORE_CONTROL_CONTROLLER_H_
