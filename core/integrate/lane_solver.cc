#include "core/integrate/lane_solver.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/control/step_control.h"

namespace pathwise::integrate {
namespace {

// Lanes pay where one path's draws are too few to fill the vector registers
// (as for multi-path Sample, core/brownian/batch.cc).
constexpr uint32_t kLaneMaxNoiseDim = 16;

// The model that steps a whole lane in one call (Sde::ForLanes), or null
// where the method steps each lane: a model without a lane form, and a
// method that reads the columns of a general g itself (Milstein's
// Σ_j L^j g^j walks g in one path's layout) rather than through
// model::ApplyDiffusion / AddDiffusion, which know the lanes' layout.
std::unique_ptr<model::Sde> LaneModel(const model::Sde& sde, const solver::Method& method,
                                      int lanes) {
  if (sde.traits().shape == model::NoiseShape::kGeneral && method.info().needs_diffusion_jvp) {
    return nullptr;
  }
  return sde.ForLanes(lanes);
}

void AddEvals(solver::EvalCounts& to, const solver::EvalCounts& after,
              const solver::EvalCounts& before) {
  to.drift += after.drift - before.drift;
  to.diffusion += after.diffusion - before.diffusion;
}

}  // namespace

bool LaneSolver::Serves(const SolveOptions& opts, const SolvePlan& plan) {
  if (!opts.lanes || plan.step_doubling || plan.spec.dim > kLaneMaxNoiseDim) return false;
  const std::unique_ptr<control::Controller> controller =
      control::MakeController(opts.step, opts.t0, opts.t1, plan.error_order);
  return controller->AlwaysAccepts() && !controller->NeedsErrorEstimate();
}

LaneSolver::LaneSolver(const model::Sde& sde, const solver::Method& method,
                       const SolveOptions& opts, const SolvePlan& plan)
    : sde_(sde),
      method_(method),
      opts_(opts),
      plan_(plan),
      n_(sde.state_dim()),
      m_(static_cast<size_t>(sde.noise_dim())),
      wide_sde_(LaneModel(sde, method, static_cast<int>(kLanes))),
      controller_(control::MakeController(opts.step, opts.t0, opts.t1, plan.error_order)),
      base_(*brownian::BrownianPath::Create(plan.spec)),  // validated by MakePlan
      cursor_(base_),
      w_(m_ * kLanes),
      h_(m_ * kLanes),
      k_(m_ * kLanes),
      y_(size_t(n_) * kLanes),
      y1_(size_t(n_) * kLanes),
      lane_y_(size_t(n_)),
      lane_w_(m_),
      lane_h_(m_),
      lane_k_(m_) {
  if (wide_sde_ != nullptr) {
    method_.Prepare(*wide_sde_, wide_work_);
  } else {
    for (solver::StepWork& work : works_) method_.Prepare(sde_, work);
  }
}

const double* LaneSolver::LaneState(size_t i) {
  if (wide_sde_ == nullptr) return y_.data() + i * size_t(n_);
  for (int c = 0; c < n_; ++c) lane_y_[size_t(c)] = y_[size_t(c) * kLanes + i];
  return lane_y_.data();
}

bool LaneSolver::AllFinite() const {
  // x - x is 0 exactly when x is finite; one pass that vectorises.
  bool finite = true;
  for (double x : y1_) finite &= (x - x) == 0.0;
  return finite;
}

uint64_t LaneSolver::StepsSoFar() const {
  uint64_t steps = 0;
  for (size_t i = 0; i < count_; ++i) steps += active_[i] ? steps_ : out_[i]->steps_accepted;
  return steps;
}

void LaneSolver::Stop(size_t i) {
  // Every step the lane took was accepted; a wide model's evaluations were
  // each lane's too (per-lane steps count their own, in Step).
  out_[i]->steps_accepted = steps_;
  if (wide_sde_ != nullptr) out_[i]->evals = lane_evals_;
  active_[i] = false;
  --active_count_;
}

bool LaneSolver::LaneFinite(size_t i) const {
  for (int c = 0; c < n_; ++c) {
    const double v = wide_sde_ != nullptr ? y1_[size_t(c) * kLanes + i] : y1_[i * size_t(n_) + c];
    if (!std::isfinite(v)) return false;
  }
  return true;
}

void LaneSolver::Record(double t) {
  // PathSolver::Record for every running lane; they share the save times.
  const bool is_fixed = next_fixed_ < plan_.fixed_save.size() && plan_.fixed_save[next_fixed_] == t;
  for (size_t i = 0; i < count_; ++i) {
    if (!active_[i]) continue;
    const double* y = LaneState(i);
    if (is_fixed && fixed_[i] != nullptr) std::copy(y, y + n_, fixed_[i] + next_fixed_ * n_);
    if (keep_trajectory_ && (is_fixed || plan_.save_steps)) {
      out_[i]->ts.push_back(t);
      out_[i]->ys.insert(out_[i]->ys.end(), y, y + n_);
    }
  }
  if (is_fixed) ++next_fixed_;
}

void LaneSolver::Start(uint64_t first_path_index, size_t count, bool keep_trajectory,
                       const std::array<PathSolution*, kLanes>& out,
                       const std::array<double*, kLanes>& fixed) {
  cursor_.Reset(first_path_index, count);
  count_ = count;
  keep_trajectory_ = keep_trajectory;
  out_ = out;
  fixed_ = fixed;
  active_count_ = count;
  for (size_t i = 0; i < kLanes; ++i) active_[i] = i < count;
  for (size_t i = 0; i < count; ++i) {
    *out_[i] = PathSolution{};
    out_[i]->path_index = first_path_index + i;
    if (keep_trajectory) {
      out_[i]->ts.reserve(last_points_);
      out_[i]->ys.reserve(last_points_ * n_);
    }
    if (fixed_[i] != nullptr) {
      std::fill(fixed_[i], fixed_[i] + plan_.fixed_save.size() * n_,
                std::numeric_limits<double>::quiet_NaN());
    }
  }
  t_ = opts_.t0;
  for (int c = 0; c < n_; ++c) {
    for (size_t i = 0; i < kLanes; ++i) {
      const size_t at = wide_sde_ != nullptr ? size_t(c) * kLanes + i : i * size_t(n_) + c;
      y_[at] = opts_.y0[size_t(c)];
    }
  }
  controller_->Reset(t_, opts_.y0.data(), n_);
  wide_work_.fsal_valid = false;
  for (solver::StepWork& work : works_) work.fsal_valid = false;
  next_fixed_ = 0;
  hit_ = 0;
  steps_ = 0;
  lane_evals_ = {};
  open_ = true;
  if (!plan_.fixed_save.empty() && plan_.fixed_save.front() == t_) Record(t_);
}

void LaneSolver::Step(double t, double t_next) {
  cursor_.Increment(t, t_next, w_.data(), h_.data(), k_.data());
  const double dt = t_next - t;
  if (wide_sde_ != nullptr) {
    const solver::EvalCounts before = wide_work_.counts;
    const solver::BrownianIncrement dw{dt, w_.data(), h_.data(), k_.data()};
    method_.Step(*wide_sde_, t, dw, y_.data(), y1_.data(), nullptr, wide_work_);
    if (!wide_work_.fsal.empty()) wide_work_.fsal_valid = true;
    // Each evaluation of the wide model is one evaluation for every lane.
    AddEvals(lane_evals_, wide_work_.counts, before);
    return;
  }
  for (size_t i = 0; i < count_; ++i) {
    if (!active_[i]) continue;
    for (size_t j = 0; j < m_; ++j) {
      lane_w_[j] = w_[j * kLanes + i];
      lane_h_[j] = h_[j * kLanes + i];
      lane_k_[j] = k_[j * kLanes + i];
    }
    solver::StepWork& work = works_[i];
    const solver::EvalCounts before = work.counts;
    const solver::BrownianIncrement dw{dt, lane_w_.data(), lane_h_.data(), lane_k_.data()};
    const size_t at = i * size_t(n_);
    method_.Step(sde_, t, dw, y_.data() + at, y1_.data() + at, nullptr, work);
    if (!work.fsal.empty()) work.fsal_valid = true;
    AddEvals(out_[i]->evals, work.counts, before);
  }
}

LaneSolver::Outcome LaneSolver::Continue(Clock::time_point until) {
  // PathSolver::Continue with a controller that accepts every step and needs
  // no error estimate: the lanes share the times, each keeps its own status.
  const bool timed = until != Clock::time_point::max();
  int until_clock_read = kStepsPerClockRead;
  const uint64_t max_steps =
      opts_.max_steps > 0 ? std::min(plan_.max_steps, opts_.max_steps) : plan_.max_steps;
  double t = t_;
  while (t < opts_.t1) {
    if (steps_ >= max_steps) {
      for (size_t i = 0; i < count_; ++i) {
        if (active_[i]) out_[i]->status = SolveStatus::kMaxStepsReached;
      }
      break;
    }
    if (opts_.cancel != nullptr && opts_.cancel->load(std::memory_order_relaxed)) {
      open_ = false;
      return Outcome::kCancelled;
    }
    if (timed && --until_clock_read == 0) {
      until_clock_read = kStepsPerClockRead;
      if (Clock::now() >= until) {
        t_ = t;
        return Outcome::kPaused;
      }
    }
    while (plan_.must_hit[hit_] <= t) ++hit_;
    double proposed = controller_->Propose(t);
    if (!(proposed > t)) proposed = std::nextafter(t, INFINITY);
    const double t_next = std::min(proposed, plan_.must_hit[hit_]);
    Step(t, t_next);
    if (!AllFinite()) {
      for (size_t i = 0; i < count_; ++i) {
        if (active_[i] && !LaneFinite(i)) {
          out_[i]->status = SolveStatus::kNonfinite;
          Stop(i);
        }
      }
      if (active_count_ == 0) break;
    }
    ++steps_;
    t = t_next;
    std::swap(y_, y1_);
    if (!wide_work_.fsal.empty()) std::swap(wide_work_.fsal, wide_work_.fsal_next);
    for (solver::StepWork& work : works_) {
      if (!work.fsal.empty()) std::swap(work.fsal, work.fsal_next);
    }
    if (plan_.save_steps ||
        (next_fixed_ < plan_.fixed_save.size() && plan_.fixed_save[next_fixed_] == t)) {
      Record(t);
    }
  }
  t_ = t;
  for (size_t i = 0; i < count_; ++i) {
    if (active_[i]) Stop(i);
  }
  if (keep_trajectory_) last_points_ = out_[0]->ts.size();
  open_ = false;
  return Outcome::kFinished;
}

}  // namespace pathwise::integrate
