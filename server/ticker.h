// One thread that calls Tick() on every registered object at a fixed period:
// the clock behind the Progress events of long solves (a solve whose blocks
// take longer than a second would otherwise have nothing to wake it).
#ifndef PATHWISE_SERVER_TICKER_H_
#define PATHWISE_SERVER_TICKER_H_

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace pathwise::server {

class Tickable {
 public:
  virtual ~Tickable() = default;
  virtual void Tick() = 0;
};

// The period that makes progress events at `progress_interval` never more
// than a quarter of it late (within [1 ms, 250 ms]).
std::chrono::milliseconds TickPeriodFor(std::chrono::milliseconds progress_interval);

class Ticker {
 public:
  explicit Ticker(std::chrono::milliseconds period);
  ~Ticker();  // stops the thread
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  // Ticks `target` until Remove(target.get()); holds a reference meanwhile.
  void Add(std::shared_ptr<Tickable> target);
  void Remove(const Tickable* target);

 private:
  void Loop();

  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<const Tickable*, std::shared_ptr<Tickable>> targets_;
  std::thread thread_;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_TICKER_H_
