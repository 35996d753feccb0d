// pathwised as a child process of the soak: started on a free loopback port
// (--listen=127.0.0.1:0, the port read back from its `event=start` log line),
// its resident memory read from /proc, signalled and waited for by its pid.
#ifndef PATHWISE_TESTS_SOAK_SERVER_PROCESS_H_
#define PATHWISE_TESTS_SOAK_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace pathwise::soak {

class ServerProcess {
 public:
  ServerProcess() = default;
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();  // SIGKILL and reap, if still running

  // Starts `binary` with `args` (plus --listen=127.0.0.1:0), its stderr into
  // `log_path`, and waits at most `timeout` for the start line.
  absl::Status Start(const std::string& binary, const std::vector<std::string>& args,
                     const std::string& log_path, std::chrono::seconds timeout);

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // VmRSS from /proc/<pid>/status, in bytes; 0 when it cannot be read.
  uint64_t ResidentBytes() const;
  void Signal(int signal) const;
  // The exit status (WEXITSTATUS) once the process has exited, -signal when
  // a signal ended it; nullopt when it still runs after `timeout`.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  std::string Log() const;  // what it wrote to stderr so far

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

}  // namespace pathwise::soak

#endif  // PATHWISE_TESTS_SOAK_SERVER_PROCESS_H_
