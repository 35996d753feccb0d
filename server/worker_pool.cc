#include "server/worker_pool.h"

#include <utility>

namespace pathwise::server {

WorkerPool::WorkerPool(int threads) {
  if (threads < 1) threads = 1;
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::Submit(const std::string& lane, std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      std::deque<std::function<void()>>& tasks = lanes_[lane];
      if (tasks.empty()) turns_.push_back(lane);
      tasks.push_back(std::move(task));
      ++queued_;
      ready_.notify_one();
      return;
    }
  }
  task();
}

size_t WorkerPool::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_;
}

void WorkerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || queued_ > 0; });
      if (queued_ == 0) return;  // stopping and drained
      // The lane whose turn it is gives one task, then goes to the back of
      // the turns if it has more.
      const std::string lane = std::move(turns_.front());
      turns_.pop_front();
      auto it = lanes_.find(lane);
      task = std::move(it->second.front());
      it->second.pop_front();
      --queued_;
      if (it->second.empty()) {
        lanes_.erase(it);
      } else {
        turns_.push_back(lane);
      }
    }
    task();
  }
}

}  // namespace pathwise::server
