// EnsembleJob::SolveBlockUntil: a block solved in time slices, paused
// mid-path and resumed (by another worker's turn in between), gives every
// bit of the result SolveBlock gives.
#include "core/integrate/ensemble_job.h"

#include <atomic>
#include <cstring>
#include <vector>

#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using integrate::EnsembleJob;
using integrate::PathSolution;
using integrate::PathSolver;

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

integrate::SolveOptions AdaptiveOptions() {
  integrate::SolveOptions o;
  o.y0 = {1.0, 0.04};
  control::AdaptiveStep step;
  step.rtol = 1e-3;
  step.atol = 1e-4;
  o.step = step;  // Euler has no embedded error: step doubling, with its midpoints
  o.saveat.ts = {0.25, 0.5};
  o.saveat.t1 = true;
  o.saveat.steps = true;
  o.seed = 5;
  o.num_paths = 150;  // three blocks, the last one short
  o.keep_paths = true;
  o.statistics.enabled = true;
  o.statistics.quantile_levels = {0.05, 0.5, 0.95};
  return o;
}

struct Solved {
  std::vector<PathSolution> paths;
  integrate::EnsembleSolution solution;
  int pauses = 0;
  std::vector<integrate::Progress> progress;  // after each slice (SolveInSlices)
};

// The job of `o`, and room for its paths.
std::unique_ptr<EnsembleJob> NewJob(const model::Sde& sde, const solver::Method& method,
                                    const integrate::SolveOptions& o, Solved& out) {
  auto job = EnsembleJob::Create(sde, method, o);
  EXPECT_TRUE(job.ok()) << job.status();
  out.paths.resize(o.num_paths);
  return job.ok() ? *std::move(job) : nullptr;
}

// Every block at once (SolveBlock).
Solved SolveWhole(const model::Sde& sde, const solver::Method& method,
                  const integrate::SolveOptions& o) {
  Solved out;
  auto job = NewJob(sde, method, o, out);
  auto worker = job->NewWorker();
  for (uint32_t b = 0; b < job->num_blocks(); ++b) {
    EXPECT_TRUE(job->SolveBlock(b, *worker, &out.paths[job->BlockBegin(b)]));
  }
  out.solution = job->Finish();
  return out;
}

// Two blocks at a time, one slice each in turn, every slice already past its
// end (so each pauses at its first clock read: every kStepsPerClockRead steps).
Solved SolveInSlices(const model::Sde& sde, const solver::Method& method,
                     const integrate::SolveOptions& o) {
  Solved out;
  auto job = NewJob(sde, method, o, out);
  std::unique_ptr<PathSolver> workers[2] = {job->NewWorker(), job->NewWorker()};
  const uint32_t blocks = job->num_blocks();
  for (uint32_t first = 0; first < blocks; first += 2) {
    bool done[2] = {first >= blocks, first + 1 >= blocks};
    for (int turns = 0; !(done[0] && done[1]) && turns < 10'000'000; ++turns) {
      const int w = turns % 2;
      if (done[w]) continue;
      const uint32_t b = first + w;
      const EnsembleJob::Slice slice = job->SolveBlockUntil(
          b, *workers[w], &out.paths[job->BlockBegin(b)], PathSolver::Clock::time_point::min());
      EXPECT_NE(slice, EnsembleJob::Slice::kCancelled);
      if (slice == EnsembleJob::Slice::kPaused) ++out.pauses;
      out.progress.push_back(job->Snapshot(0.0));
      done[w] = slice != EnsembleJob::Slice::kPaused;
    }
    EXPECT_TRUE(done[0] && done[1]);
  }
  out.solution = job->Finish();
  return out;
}

void ExpectSameSolves(const Solved& whole, const Solved& sliced) {
  ASSERT_EQ(whole.paths.size(), sliced.paths.size());
  for (size_t p = 0; p < whole.paths.size(); ++p) {
    EXPECT_GT(whole.paths[p].ts.size(), 3u);
    EXPECT_TRUE(SameBits(whole.paths[p].ts, sliced.paths[p].ts)) << p;
    EXPECT_TRUE(SameBits(whole.paths[p].ys, sliced.paths[p].ys)) << p;
    EXPECT_EQ(whole.paths[p].steps_accepted, sliced.paths[p].steps_accepted) << p;
    EXPECT_EQ(whole.paths[p].steps_rejected, sliced.paths[p].steps_rejected) << p;
  }
  const integrate::Statistics& a = whole.solution.statistics;
  const integrate::Statistics& b = sliced.solution.statistics;
  EXPECT_TRUE(SameBits(a.mean, b.mean));
  EXPECT_TRUE(SameBits(a.variance, b.variance));
  EXPECT_TRUE(SameBits(a.quantiles, b.quantiles));
  EXPECT_TRUE(SameBits(a.block_mean, b.block_mean));
  EXPECT_TRUE(SameBits(a.block_m2, b.block_m2));
  EXPECT_EQ(a.block_counts, b.block_counts);
  EXPECT_EQ(whole.solution.summary.steps_accepted, sliced.solution.summary.steps_accepted);
  EXPECT_EQ(whole.solution.summary.drift_evaluations, sliced.solution.summary.drift_evaluations);
}

TEST(EnsembleJobTest, SlicedBlocksAreBitIdenticalToWholeBlocks) {
  auto heston = testing::Builtin("heston", {}, 2);
  ASSERT_NE(heston, nullptr);
  const solver::Method& euler = solver::GetMethod(solver::MethodId::kEuler);
  const integrate::SolveOptions o = AdaptiveOptions();
  const Solved whole = SolveWhole(*heston, euler, o);
  const Solved sliced = SolveInSlices(*heston, euler, o);
  // Paths of hundreds of steps each, paused every 64 steps: many pauses, most mid-path.
  EXPECT_GT(sliced.pauses, static_cast<int>(o.num_paths));
  ExpectSameSolves(whole, sliced);
}

TEST(EnsembleJobTest, SlicedLanesAreBitIdenticalToWholeBlocks) {
  // Constant steps: blocks are solved 8 paths at a time (LaneSolver), paused
  // mid-lane and resumed; for a model stepped as one wide state (ou) and one
  // stepped lane by lane (heston).
  integrate::SolveOptions o = AdaptiveOptions();
  o.step = control::ConstantStep{1.0 / 300.0};
  auto ou = testing::Builtin("ou", {}, 2);
  auto heston = testing::Builtin("heston", {}, 2);
  ASSERT_NE(ou, nullptr);
  ASSERT_NE(heston, nullptr);
  for (const model::Sde* sde : {ou.get(), heston.get()}) {
    const solver::Method& euler = solver::GetMethod(solver::MethodId::kEuler);
    const Solved whole = SolveWhole(*sde, euler, o);
    const Solved sliced = SolveInSlices(*sde, euler, o);
    // 19 lanes of 300 steps, paused every 64 steps: 4 pauses per lane.
    EXPECT_GE(sliced.pauses, 19 * 4);
    ExpectSameSolves(whole, sliced);
  }
}

// Progress counts the steps of paths still being solved: a long path (or a
// lane of 8 paths) shows its steps at its first pause, not only at its end
// (once a report showed 0 steps for seconds while slices of a big solve
// rotated). The counts never go back, and end at the summary's.
TEST(EnsembleJobTest, ProgressCountsTheStepsOfPathsStillBeingSolved) {
  auto heston = testing::Builtin("heston", {}, 2);
  auto ou = testing::Builtin("ou", {}, 2);
  ASSERT_NE(heston, nullptr);
  ASSERT_NE(ou, nullptr);
  const solver::Method& euler = solver::GetMethod(solver::MethodId::kEuler);
  integrate::SolveOptions lanes = AdaptiveOptions();
  lanes.step = control::ConstantStep{1.0 / 300.0};
  const struct {
    const model::Sde* sde;
    integrate::SolveOptions o;
  } cases[] = {{heston.get(), AdaptiveOptions()},  // one path at a time, rejected steps
               {ou.get(), lanes}};                 // lanes of 8 paths
  for (const auto& c : cases) {
    const Solved sliced = SolveInSlices(*c.sde, euler, c.o);
    ASSERT_GE(sliced.progress.size(), 2u);
    // The first slice paused mid-path: no path done, its steps counted.
    EXPECT_EQ(sliced.progress.front().paths_done, 0u);
    EXPECT_GT(sliced.progress.front().steps_accepted, 0u);
    for (size_t i = 1; i < sliced.progress.size(); ++i) {
      const integrate::Progress& a = sliced.progress[i - 1];
      const integrate::Progress& b = sliced.progress[i];
      EXPECT_GE(b.paths_done, a.paths_done);
      EXPECT_GE(b.steps_accepted, a.steps_accepted);
      EXPECT_GE(b.steps_rejected, a.steps_rejected);
    }
    const integrate::Progress& last = sliced.progress.back();
    const integrate::Summary& summary = sliced.solution.summary;
    EXPECT_EQ(last.paths_done, c.o.num_paths);
    EXPECT_EQ(last.steps_accepted, summary.steps_accepted);
    EXPECT_EQ(last.steps_rejected, summary.steps_rejected);
  }
}

TEST(EnsembleJobTest, CancelledWhilePausedReportsCancelled) {
  auto ou = testing::Builtin("ou", {}, 1);
  ASSERT_NE(ou, nullptr);
  std::atomic<bool> cancel{false};
  integrate::SolveOptions o;
  o.y0 = {0.5};
  o.step = control::ConstantStep{1e-4};
  o.num_paths = 4;
  o.keep_paths = false;
  o.cancel = &cancel;
  Solved unused;
  auto job = NewJob(*ou, solver::GetMethod(solver::MethodId::kEuler), o, unused);
  ASSERT_NE(job, nullptr);
  auto worker = job->NewWorker();
  EXPECT_EQ(job->SolveBlockUntil(0, *worker, nullptr, PathSolver::Clock::time_point::min()),
            EnsembleJob::Slice::kPaused);
  cancel.store(true);
  EXPECT_EQ(job->SolveBlockUntil(0, *worker, nullptr, PathSolver::Clock::time_point::max()),
            EnsembleJob::Slice::kCancelled);
}

}  // namespace
}  // namespace pathwise
