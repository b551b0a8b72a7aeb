// The threads that decode and re-encode uploaded images. Decoding a large
// photo takes a core for a second or more; on the request threads a few
// parallel uploads would leave none to answer anyone else (issue 13: four
// 7700×7700 PNGs stalled /healthz for 3.7 s). Jobs run here instead, on a
// few workers with a bounded queue; a request that finds the queue full is
// refused at once with kRateLimited (429 + Retry-After) instead of waiting.
//
// The default pool has half the cores as workers and as many queue places,
// so at most about a core's worth of request threads (the server runs two per
// core) ever waits on images.
//
// Thread-safety: Run may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.hpp"

namespace nongsan::images {

// What a refused client is told to wait: about one photo's decoding time.
inline constexpr int kDecodeRetryAfterSeconds = 2;

int DefaultDecodeWorkers();             // max(1, cores / 2)
std::size_t DefaultDecodeQueueLimit();  // = DefaultDecodeWorkers()

class DecodePool {
 public:
  // `queue_limit` jobs may wait beyond the `workers` running ones.
  DecodePool(int workers, std::size_t queue_limit);
  ~DecodePool();  // finishes the queued jobs, then joins
  DecodePool(const DecodePool&) = delete;
  DecodePool& operator=(const DecodePool&) = delete;

  // Runs `job` on a worker and waits for it. kRateLimited when every worker
  // is busy and the queue is full; the job then does not run.
  Status Run(const std::function<void()>& job);

  // The process-wide pool every image upload goes through.
  static DecodePool& Default();

 private:
  struct Job;
  void Work();

  std::size_t queue_limit_;
  std::size_t idle_workers_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace nongsan::images
