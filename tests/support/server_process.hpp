// The real `nongsan serve` binary as a child process, for tests that need a
// process boundary: signals, crashes, restarts. The binary is
// $NONGSAN_BINARY (ctest sets it), else `nongsan` beside the test binary.
//
// Thread-safety: one ServerProcess per thread; Signal() may be called while
// other threads talk HTTP to the server.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace nongsan::testing {

inline constexpr std::chrono::seconds kServerStartTimeout{60};

std::string ServerBinary();
// A loopback port that was free a moment ago.
unsigned short FreePort();

class ServerProcess {
 public:
  // Runs `nongsan serve --port P --data-dir D --database URL [extra…]` with
  // stdout and stderr appended to D/server-P.log and the access log off.
  ServerProcess(const std::string& database_url, const std::string& data_dir, unsigned short port,
                const std::vector<std::string>& extra_args = {});
  ~ServerProcess();  // SIGKILL if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool started() const { return pid_ > 0; }
  // Waits until /healthz answers 200; false if the process died or timed out.
  bool WaitReady(std::chrono::seconds timeout = kServerStartTimeout);
  // Sends a signal without waiting.
  void Signal(int signal);
  // Waits for the process to end: its exit code, -signal if a signal killed
  // it, nullopt if it is still running after `timeout` (it is left running).
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // Sends the signal and reaps the process.
  void Kill(int signal);

  unsigned short port() const { return port_; }
  const std::string& log_path() const { return log_; }

 private:
  pid_t pid_ = -1;
  unsigned short port_;
  std::string log_;
};

}  // namespace nongsan::testing
