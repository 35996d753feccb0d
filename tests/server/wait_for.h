// A bounded wait for the server's side of a call to settle (admission given
// back, bytes released): server tests poll a condition by the clock, never by
// a count of sleeps, so that a slow (sanitizer, loaded) machine only waits
// longer.
#ifndef PATHWISE_TESTS_SERVER_WAIT_FOR_H_
#define PATHWISE_TESTS_SERVER_WAIT_FOR_H_

#include <chrono>
#include <thread>

namespace pathwise::server {

// Waits until `done` holds or `limit` passes; returns whether it held.
template <typename F>
bool WaitFor(F done, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace pathwise::server

#endif  // PATHWISE_TESTS_SERVER_WAIT_FOR_H_
