// A fixed set of threads running submitted tasks in FIFO order.
#ifndef PATHWISE_SERVER_WORKER_POOL_H_
#define PATHWISE_SERVER_WORKER_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pathwise::server {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);  // threads >= 1
  ~WorkerPool();                     // runs every queued task, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task. Tasks must not throw. After Stop() tasks run inline.
  void Submit(std::function<void()> task);
  // Runs every queued task and joins the threads. Idempotent.
  void Stop();

  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_WORKER_POOL_H_
