// A fixed set of threads running submitted tasks, fairly across lanes: each
// caller's tasks go to the caller's own lane (FIFO within it), and the
// workers take lanes in turn (round robin), so a caller with many queued
// tasks gets no more turns than one with a single task. With tasks of
// bounded length (solves yield after a time slice, Sample chunks are small),
// a new caller's task waits for at most about one task per busy lane.
#ifndef PATHWISE_SERVER_WORKER_POOL_H_
#define PATHWISE_SERVER_WORKER_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace pathwise::server {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);  // threads >= 1
  ~WorkerPool();                     // runs every queued task, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task in `lane` (a caller; "" for work of no caller). Tasks
  // must not throw. After Stop() tasks run inline.
  void Submit(std::function<void()> task) { Submit("", std::move(task)); }
  void Submit(const std::string& lane, std::function<void()> task);
  // Runs every queued task and joins the threads. Idempotent.
  void Stop();

  int size() const { return static_cast<int>(threads_.size()); }
  size_t queued() const;  // tasks waiting for a worker

 private:
  void Loop();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::unordered_map<std::string, std::deque<std::function<void()>>> lanes_;  // non-empty only
  std::deque<std::string> turns_;  // lanes with queued tasks, in the order they are served
  size_t queued_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_WORKER_POOL_H_
