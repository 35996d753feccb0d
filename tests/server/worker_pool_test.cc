// WorkerPool: lanes take turns, so a caller with many queued tasks does not
// delay another caller's single task behind all of them.
#include "server/worker_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace pathwise::server {
namespace {

TEST(WorkerPool, LanesTakeTurnsAndEachLaneIsFifo) {
  WorkerPool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> blocking;
  pool.Submit([&] {
    blocking.set_value();
    released.wait();
  });
  blocking.get_future().wait();  // the only worker is busy: the rest queue
  std::mutex mutex;
  std::vector<std::string> order;
  auto task = [&](std::string name) {
    return [&, name] {
      std::lock_guard<std::mutex> lock(mutex);
      order.push_back(name);
    };
  };
  for (const char* name : {"a1", "a2", "a3"}) pool.Submit("alice", task(name));
  pool.Submit("bob", task("b1"));
  pool.Submit("", task("n1"));
  EXPECT_EQ(pool.queued(), 5u);
  release.set_value();
  pool.Stop();
  EXPECT_EQ(order, (std::vector<std::string>{"a1", "b1", "n1", "a2", "a3"}));
  EXPECT_EQ(pool.queued(), 0u);
}

}  // namespace
}  // namespace pathwise::server
