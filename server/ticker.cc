#include "server/ticker.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace pathwise::server {

std::chrono::milliseconds TickPeriodFor(std::chrono::milliseconds progress_interval) {
  return std::clamp(progress_interval / 4, std::chrono::milliseconds(1),
                    std::chrono::milliseconds(250));
}

Ticker::Ticker(std::chrono::milliseconds period) : period_(period), thread_([this] { Loop(); }) {}

Ticker::~Ticker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Ticker::Add(std::shared_ptr<Tickable> target) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Tickable* key = target.get();
  targets_.emplace(key, std::move(target));
}

void Ticker::Remove(const Tickable* target) {
  std::shared_ptr<Tickable> released;  // destroyed outside the lock
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = targets_.find(target);
  if (it == targets_.end()) return;
  released = std::move(it->second);
  targets_.erase(it);
}

void Ticker::Loop() {
  std::vector<std::shared_ptr<Tickable>> batch;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, period_, [this] { return stopping_; });
    if (stopping_) break;
    for (const auto& [key, target] : targets_) batch.push_back(target);
    // Tick outside the lock: a target may Remove itself from Tick().
    lock.unlock();
    for (const auto& target : batch) target->Tick();
    batch.clear();  // may destroy targets removed meanwhile
    lock.lock();
  }
}

}  // namespace pathwise::server
