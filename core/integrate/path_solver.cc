#include "core/integrate/path_solver.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/control/step_control.h"
#include "core/integrate/lane_solver.h"

namespace pathwise::integrate {
namespace {

bool AllFinite(const std::vector<double>& v) {
  for (double x : v) {
    if (!std::isfinite(x)) return false;
  }
  return true;
}

}  // namespace

PathSolver::PathSolver(const model::Sde& sde, const solver::Method& method,
                       const SolveOptions& opts, const SolvePlan& plan)
    : sde_(sde),
      method_(method),
      opts_(opts),
      plan_(plan),
      n_(sde.state_dim()),
      controller_(control::MakeController(opts.step, opts.t0, opts.t1, plan.error_order)) {
  method_.Prepare(sde_, work_);
  y_.resize(n_);
  y1_.resize(n_);
  err_.resize(n_);
  yfull_.resize(n_);
  ymid_.resize(n_);
  const size_t m = sde.noise_dim();
  w_.resize(m);
  h_.resize(m);
  k_.resize(m);
}

PathSolver::~PathSolver() = default;

LaneSolver& PathSolver::lanes() {
  if (lanes_ == nullptr) lanes_ = std::make_unique<LaneSolver>(sde_, method_, opts_, plan_);
  return *lanes_;
}

void PathSolver::Query(double s, double t) {
  cursor_->Increment(s, t, w_.data(), h_.data(), k_.data());
}

void PathSolver::StepOnce(double t, double t_next, const double* y0, double* y1, double* err) {
  Query(t, t_next);
  const solver::BrownianIncrement dw{t_next - t, w_.data(), h_.data(), k_.data()};
  method_.Step(sde_, t, dw, y0, y1, err, work_);
  // A method with a first-same-as-last slot has now filled it at y0.
  if (!work_.fsal.empty()) work_.fsal_valid = true;
}

void PathSolver::Attempt(double t, double t_next, bool need_error) {
  has_mid_ = false;
  if (!need_error || !plan_.step_doubling) {
    StepOnce(t, t_next, y_.data(), y1_.data(), need_error ? err_.data() : nullptr);
    return;
  }
  // Step doubling on the same path: the full step, then two half steps, which
  // are the solution. Each half step is exactly the step a step-to re-run takes
  // between the saved times t, mid and t_next: the same dt (mid − t, t_next −
  // mid, from the stored mid) and the same Brownian queries.
  mid_ = t + 0.5 * (t_next - t);
  StepOnce(t, t_next, y_.data(), yfull_.data(), nullptr);
  if (!(t < mid_ && mid_ < t_next)) {
    // No double lies strictly inside [t, t_next]: the step cannot be halved,
    // so the full step is the solution, with no error left to estimate.
    std::swap(y1_, yfull_);
    std::fill(err_.begin(), err_.end(), 0.0);
    has_mid_ = false;
    return;
  }
  StepOnce(t, mid_, y_.data(), ymid_.data(), nullptr);
  if (!work_.fsal.empty()) std::swap(work_.fsal, work_.fsal_next);  // now at ymid
  StepOnce(mid_, t_next, ymid_.data(), y1_.data(), nullptr);
  for (int i = 0; i < n_; ++i) err_[i] = y1_[i] - yfull_[i];
  has_mid_ = true;
}

void PathSolver::Record(double t, const std::vector<double>& y, bool keep_trajectory,
                        PathSolution* out, double* fixed) {
  const bool is_fixed = next_fixed_ < plan_.fixed_save.size() && plan_.fixed_save[next_fixed_] == t;
  if (is_fixed && fixed != nullptr) std::copy(y.begin(), y.end(), fixed + next_fixed_ * n_);
  if (keep_trajectory && (is_fixed || plan_.save_steps)) {
    out->ts.push_back(t);
    out->ys.insert(out->ys.end(), y.begin(), y.end());
  }
  if (is_fixed) ++next_fixed_;
}

bool PathSolver::Solve(const brownian::BrownianPath& path, bool keep_trajectory, PathSolution* out,
                       double* fixed) {
  Start(path, keep_trajectory, out, fixed);
  return Continue(Clock::time_point::max()) == Outcome::kFinished;
}

void PathSolver::Start(const brownian::BrownianPath& path, bool keep_trajectory, PathSolution* out,
                       double* fixed) {
  path_.emplace(path);
  if (cursor_ == nullptr) {
    cursor_ = std::make_unique<brownian::BrownianCursor>(*path_);
  } else {
    cursor_->Reset(*path_);
  }
  keep_trajectory_ = keep_trajectory;
  out_ = out;
  fixed_ = fixed;
  *out = PathSolution{};
  out->path_index = path.spec().path_index;
  if (keep_trajectory) {
    // Paths of one ensemble save about as many points as the previous one:
    // reserve that much instead of growing the arrays step by step.
    out->ts.reserve(last_points_);
    out->ys.reserve(last_points_ * n_);
  }
  if (fixed != nullptr) {
    std::fill(fixed, fixed + plan_.fixed_save.size() * n_,
              std::numeric_limits<double>::quiet_NaN());
  }
  counts_before_ = work_.counts;
  t_ = opts_.t0;
  std::copy(opts_.y0.begin(), opts_.y0.end(), y_.begin());
  controller_->Reset(t_, y_.data(), n_);
  work_.fsal_valid = false;
  next_fixed_ = 0;
  hit_ = 0;
  dtmin_flag_ = false;
  if (!plan_.fixed_save.empty() && plan_.fixed_save.front() == t_) {
    Record(t_, y_, keep_trajectory, out, fixed);
  }
}

PathSolver::Outcome PathSolver::Continue(Clock::time_point until) {
  PathSolution* const out = out_;
  const bool keep_trajectory = keep_trajectory_;
  double* const fixed = fixed_;
  const bool need_error = controller_->NeedsErrorEstimate();
  const bool always_accepts = controller_->AlwaysAccepts();
  const bool timed = until != Clock::time_point::max();
  double t = t_;
  size_t hit = hit_;
  bool dtmin_flag = dtmin_flag_;
  int until_clock_read = kStepsPerClockRead;
  // The plan's bound, or this path's own when its options set a smaller one
  // (the MCMC sampler shares one plan across rounds of a chain's steps).
  const uint64_t max_steps =
      opts_.max_steps > 0 ? std::min(plan_.max_steps, opts_.max_steps) : plan_.max_steps;
  while (t < opts_.t1) {
    if (out->steps_accepted + out->steps_rejected >= max_steps) {
      out->status = SolveStatus::kMaxStepsReached;
      break;
    }
    if (opts_.cancel != nullptr && opts_.cancel->load(std::memory_order_relaxed)) {
      out_ = nullptr;  // a cancelled path is abandoned
      return Outcome::kCancelled;
    }
    if (timed && --until_clock_read == 0) {
      until_clock_read = kStepsPerClockRead;
      if (Clock::now() >= until) {
        t_ = t;
        hit_ = hit;
        dtmin_flag_ = dtmin_flag;
        return Outcome::kPaused;
      }
    }
    while (plan_.must_hit[hit] <= t) ++hit;  // must_hit ends with t1 > t
    double proposed = controller_->Propose(t);
    if (!(proposed > t)) proposed = std::nextafter(t, INFINITY);  // never a zero-length step
    const double t_next = std::min(proposed, plan_.must_hit[hit]);
    Attempt(t, t_next, need_error);
    const bool finite = AllFinite(y1_);
    control::Decision d;
    if (!always_accepts) {
      const control::StepAttempt attempt{
          t,     t_next, proposed, n_, y_.data(), y1_.data(), need_error ? err_.data() : nullptr,
          finite};
      d = controller_->Decide(attempt);
    }
    if (!d.accept) {
      ++out->steps_rejected;
      if (d.give_up) {
        out->status = SolveStatus::kNonfinite;
        break;
      }
      // Step doubling left the slot at the midpoint: recompute it at y0.
      if (plan_.step_doubling) work_.fsal_valid = false;
      continue;
    }
    if (!finite) {
      out->status = SolveStatus::kNonfinite;
      break;
    }
    ++out->steps_accepted;
    dtmin_flag = dtmin_flag || d.forced_at_dtmin;
    // Saving steps saves every step taken, so a step-to re-run at the saved
    // times replays the solve: for step doubling, the midpoint too (it lies
    // strictly between two must-hit times, so it is never a fixed save time).
    if (plan_.save_steps && has_mid_) Record(mid_, ymid_, keep_trajectory, out, fixed);
    t = t_next;
    std::swap(y_, y1_);
    if (!work_.fsal.empty()) std::swap(work_.fsal, work_.fsal_next);
    if (plan_.save_steps ||
        (next_fixed_ < plan_.fixed_save.size() && plan_.fixed_save[next_fixed_] == t)) {
      Record(t, y_, keep_trajectory, out, fixed);
    }
  }
  if (out->status == SolveStatus::kSuccess && dtmin_flag) out->status = SolveStatus::kDtminReached;
  out->evals.drift = work_.counts.drift - counts_before_.drift;
  out->evals.diffusion = work_.counts.diffusion - counts_before_.diffusion;
  if (keep_trajectory) last_points_ = out->ts.size();
  out_ = nullptr;
  return Outcome::kFinished;
}

}  // namespace pathwise::integrate
