// The solve loop for a lane of paths: random::kLanes consecutive members of an
// ensemble whose paths all take the same steps (constant-step and step-to
// control: every step accepted, no error estimate), advanced together.
//
// Each step's Brownian increments come for every lane from one walk of the
// tree (brownian::LaneCursor). The method then steps the lanes:
//   - a model with a lane form (Sde::ForLanes: the componentwise built-ins,
//     heston, expression models through the lane interpreter, Stratonovich
//     forms of these) runs the lane as one model of kLanes independent copies,
//     component c of lane i at c * kLanes + i (the layout of the lane cursor's
//     increments; model::SdeTraits::lanes): one method call and one model call
//     per step for the whole lane, whose loops vectorise across the lanes;
//   - any other model (Langevin), and Milstein on a general-shape diffusion
//     (it walks g's columns in one path's layout), runs the method's own step
//     per lane, on the lane's increments.
// Either way every lane computes exactly what PathSolver computes for its path
// (tests/core/integrate/lane_solver_test.cc compares them bit for bit): the
// same times, the same increments, the same arithmetic per component.
// Statuses, counts, trajectories and fixed save values are kept per path.
#ifndef PATHWISE_CORE_INTEGRATE_LANE_SOLVER_H_
#define PATHWISE_CORE_INTEGRATE_LANE_SOLVER_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/brownian/brownian_path.h"
#include "core/brownian/lane_cursor.h"
#include "core/control/controller.h"
#include "core/integrate/options.h"
#include "core/integrate/plan.h"
#include "core/integrate/solution.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::integrate {

class LaneSolver {
 public:
  static constexpr size_t kLanes = brownian::LaneCursor::kLanes;
  using Clock = std::chrono::steady_clock;
  enum class Outcome { kFinished, kPaused, kCancelled };

  // Whether an ensemble with these options takes lanes: every path takes the
  // same steps, the Brownian dimension is small enough for lanes to pay, and
  // opts.lanes is on.
  static bool Serves(const SolveOptions& opts, const SolvePlan& plan);

  // All references must outlive the solver; Serves(opts, plan).
  LaneSolver(const model::Sde& sde, const solver::Method& method, const SolveOptions& opts,
             const SolvePlan& plan);

  // Starts paths first_path_index + i for i < count (1 <= count <= kLanes),
  // writing path i's solution to out[i] and its fixed save values to fixed[i]
  // (as PathSolver::Start; fixed[i] may be null).
  void Start(uint64_t first_path_index, size_t count, bool keep_trajectory,
             const std::array<PathSolution*, kLanes>& out,
             const std::array<double*, kLanes>& fixed);
  // As PathSolver::Continue, for the whole lane.
  Outcome Continue(Clock::time_point until);
  bool open() const { return open_; }
  // The steps the lane's paths have taken so far, together (a path still
  // active took every step of the lane; one that stopped, the steps up to
  // its stop): what a progress report counts while the lane is open.
  uint64_t StepsSoFar() const;
  // True when one method call steps the whole lane (a model with a lane form,
  // Sde::ForLanes); false when the method steps each lane on its own.
  bool steps_lanes_together() const { return wide_sde_ != nullptr; }

  static constexpr int kStepsPerClockRead = 64;

 private:
  void Step(double t, double t_next);
  bool AllFinite() const;  // every lane's y1, inactive lanes included
  bool LaneFinite(size_t i) const;
  // Lane i has finished (or stopped): writes its step and evaluation counts.
  void Stop(size_t i);
  void Record(double t);
  const double* LaneState(size_t i);

  const model::Sde& sde_;
  const solver::Method& method_;
  const SolveOptions& opts_;
  const SolvePlan& plan_;
  const int n_;
  const size_t m_;
  std::unique_ptr<model::Sde> wide_sde_;  // null: the method steps each lane on its own
  std::unique_ptr<control::Controller> controller_;
  brownian::BrownianPath base_;
  brownian::LaneCursor cursor_;
  // Increments of the lane: component j of lane i at j * kLanes + i.
  std::vector<double> w_, h_, k_;
  // States: wide (component c of lane i at c * kLanes + i) with wide_sde_,
  // else lane after lane (n_ each).
  std::vector<double> y_, y1_;
  std::vector<double> lane_y_;                    // one lane's state, for Record in the wide layout
  std::vector<double> lane_w_, lane_h_, lane_k_;  // one lane's increments (per-lane steps)
  solver::StepWork wide_work_;
  std::array<solver::StepWork, kLanes> works_;  // per-lane steps
  solver::EvalCounts lane_evals_;               // with wide_sde_: each lane's evaluations so far

  // The lane being solved.
  bool open_ = false;
  size_t count_ = 0;
  bool keep_trajectory_ = false;
  std::array<PathSolution*, kLanes> out_{};
  std::array<double*, kLanes> fixed_{};
  std::array<bool, kLanes> active_{};
  size_t active_count_ = 0;
  double t_ = 0.0;
  size_t hit_ = 0;
  size_t next_fixed_ = 0;
  uint64_t steps_ = 0;
  size_t last_points_ = 0;
};

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_LANE_SOLVER_H_
