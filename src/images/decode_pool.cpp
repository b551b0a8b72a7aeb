#include "images/decode_pool.hpp"

#include <algorithm>

namespace nongsan::images {

// A job lives on the waiting caller's stack until a worker marks it done.
struct DecodePool::Job {
  const std::function<void()>* work = nullptr;
  std::exception_ptr failure;
  bool done = false;
  std::condition_variable finished;
};

int DefaultDecodeWorkers() { return static_cast<int>(std::max(1U, std::thread::hardware_concurrency() / 2)); }

std::size_t DefaultDecodeQueueLimit() { return static_cast<std::size_t>(DefaultDecodeWorkers()); }

DecodePool::DecodePool(int workers, std::size_t queue_limit) : queue_limit_(queue_limit) {
  const int count = std::max(1, workers);
  workers_.reserve(count);
  for (int i = 0; i < count; ++i) workers_.emplace_back([this] { Work(); });
}

DecodePool::~DecodePool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

DecodePool& DecodePool::Default() {
  static DecodePool pool(DefaultDecodeWorkers(), DefaultDecodeQueueLimit());
  return pool;
}

Status DecodePool::Run(const std::function<void()>& work) {
  Job job;
  job.work = &work;
  std::unique_lock lock(mutex_);
  // Jobs beyond the idle workers wait in the queue; a full queue refuses.
  const std::size_t waiting = queue_.size() >= idle_workers_ ? queue_.size() - idle_workers_ : 0;
  if (stopping_ || waiting >= queue_limit_) {
    Error error = Error::RateLimited(kDecodeRetryAfterSeconds);
    error.detail = "Too many images are being processed right now; try again in a moment.";
    return error;
  }
  queue_.push_back(&job);
  wake_.notify_one();
  job.finished.wait(lock, [&] { return job.done; });
  if (job.failure) std::rethrow_exception(job.failure);
  return Ok{};
}

void DecodePool::Work() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++idle_workers_;
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    --idle_workers_;
    if (queue_.empty()) return;  // stopping, nothing left
    Job* job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    try {
      (*job->work)();
    } catch (...) {
      job->failure = std::current_exception();
    }
    lock.lock();
    job->done = true;
    job->finished.notify_one();
  }
}

}  // namespace nongsan::images
