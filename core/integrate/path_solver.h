// The solve loop for one path: composes a Brownian path, a model, a method and
// a controller. Rejected steps re-query the same path over the shorter
// interval, so a rejection leaves no trace on the solution.
//
// Error estimates come from the method when it has one, else from step
// doubling: one step over [t, t + h] against two over [t, t + h/2] and
// [t + h/2, t + h] on the same path; the two half steps are the solution.
// Saving steps saves every step taken, midpoints included, so a step-to
// re-run at the saved times reproduces the saved states bit for bit.
#ifndef PATHWISE_CORE_INTEGRATE_PATH_SOLVER_H_
#define PATHWISE_CORE_INTEGRATE_PATH_SOLVER_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "core/brownian/brownian_path.h"
#include "core/brownian/cursor.h"
#include "core/control/controller.h"
#include "core/integrate/options.h"
#include "core/integrate/plan.h"
#include "core/integrate/solution.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::integrate {

class LaneSolver;

class PathSolver {
 public:
  // All references must outlive the solver. `opts` and `plan` validated (MakePlan).
  PathSolver(const model::Sde& sde, const solver::Method& method, const SolveOptions& opts,
             const SolvePlan& plan);
  ~PathSolver();

  // This worker's lanes (lane_solver.h), made on first use: an ensemble whose
  // paths all take the same steps (LaneSolver::Serves) solves them 8 at a time.
  LaneSolver& lanes();

  // Solves the path `path` (whose spec is plan.spec up to path_index). Writes
  // the trajectory to `out` (ts and ys only when keep_trajectory) and, when
  // `fixed` is not null, the state at each fixed save time to
  // fixed[i * state_dim + j] (NaN where the path did not get there).
  // Returns false if cancelled.
  bool Solve(const brownian::BrownianPath& path, bool keep_trajectory, PathSolution* out,
             double* fixed);

  // The same solve in slices, so that a caller can give its thread to other
  // work between them (the server's time-sliced blocks): Start, then Continue
  // until it returns other than kPaused. Pausing changes no bit of the
  // solution: the loop stops between two steps and resumes with the same
  // state. `path` is copied; `out` and `fixed` must stay valid until the
  // path ends, and the solver may not start another path meanwhile.
  enum class Outcome { kFinished, kPaused, kCancelled };
  using Clock = std::chrono::steady_clock;
  void Start(const brownian::BrownianPath& path, bool keep_trajectory, PathSolution* out,
             double* fixed);
  // Steps until the path ends, the cancel flag is set, or `until` has passed
  // (read every kStepsPerClockRead steps, so a slice overruns by at most
  // that many steps).
  Outcome Continue(Clock::time_point until);
  bool path_open() const { return out_ != nullptr; }

  static constexpr int kStepsPerClockRead = 64;

 private:
  // Attempts [t, t_next] from y_: writes y1_ and, if needed, err_. With step
  // doubling, sets has_mid_ when the solution went through (mid_, ymid_).
  void Attempt(double t, double t_next, bool need_error);
  void Query(double s, double t);  // increments over [s, t] into w_, h_, k_
  void StepOnce(double t, double t_next, const double* y0, double* y1, double* err);
  void Record(double t, const std::vector<double>& y, bool keep_trajectory, PathSolution* out,
              double* fixed);

  const model::Sde& sde_;
  const solver::Method& method_;
  const SolveOptions& opts_;
  const SolvePlan& plan_;
  int n_;
  std::unique_ptr<control::Controller> controller_;
  std::unique_ptr<brownian::BrownianCursor> cursor_;
  std::unique_ptr<LaneSolver> lanes_;
  solver::StepWork work_;
  std::vector<double> y_, y1_, err_, yfull_, ymid_;
  double mid_ = 0.0;      // the last attempt's midpoint (step doubling)
  bool has_mid_ = false;  // the last attempt's solution is two half steps through mid_
  std::vector<double> w_, h_, k_;
  size_t next_fixed_ = 0;
  size_t last_points_ = 0;  // saved points of the previous trajectory (capacity hint)

  // The path being solved (between Start and the end of the path).
  std::optional<brownian::BrownianPath> path_;  // the cursor points into it
  bool keep_trajectory_ = false;
  PathSolution* out_ = nullptr;  // null when no path is open
  double* fixed_ = nullptr;
  solver::EvalCounts counts_before_;
  double t_ = 0.0;
  size_t hit_ = 0;  // index of the next must-hit time
  bool dtmin_flag_ = false;
};

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_PATH_SOLVER_H_
