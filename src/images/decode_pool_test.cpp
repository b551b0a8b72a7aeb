// The decode pool: jobs run off the caller's thread, at most `workers` at a
// time, `queue_limit` more wait, and the next is refused at once with 429.
#include "images/decode_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>

namespace nongsan::images {
namespace {

using namespace std::chrono_literals;

TEST(DecodePoolTest, RunsJobsOnItsOwnThreads) {
  DecodePool pool(2, 2);
  std::thread::id ran_on;
  ASSERT_TRUE(pool.Run([&] { ran_on = std::this_thread::get_id(); }).ok());
  EXPECT_NE(ran_on, std::this_thread::get_id());
  EXPECT_THROW((void)pool.Run([] { throw std::runtime_error("boom"); }), std::runtime_error);
  EXPECT_TRUE(pool.Run([] {}).ok()) << "a failed job does not take a worker with it";
}

TEST(DecodePoolTest, AFullQueueIsRefusedAtOnceWithRetryAfter) {
  DecodePool pool(1, 1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::latch running(1);
  auto first = std::async(std::launch::async, [&] {
    return pool.Run([&] {
      running.count_down();
      released.wait();
    });
  });
  running.wait();  // the only worker is busy
  std::atomic<bool> second_ran{false};
  auto second = std::async(std::launch::async, [&] { return pool.Run([&] { second_ran = true; }); });
  std::this_thread::sleep_for(100ms);  // the second job is queued

  const auto start = std::chrono::steady_clock::now();
  Status third = pool.Run([] { ADD_FAILURE() << "a refused job must not run"; });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms) << "refused without waiting";
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(third.error().retry_after_seconds, kDecodeRetryAfterSeconds);
  EXPECT_FALSE(second_ran);

  release.set_value();
  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(second.get().ok());
  EXPECT_TRUE(second_ran);
  EXPECT_TRUE(pool.Run([] {}).ok()) << "room again once the queue drains";
}

TEST(DecodePoolTest, DefaultPoolLeavesRequestThreadsFree) {
  // The server runs 2 request threads per core; at most workers + queue of
  // them ever wait on images, which is one per core.
  EXPECT_GE(DefaultDecodeWorkers(), 1);
  EXPECT_LE(static_cast<unsigned>(DefaultDecodeWorkers()) + DefaultDecodeQueueLimit(),
            std::max(2U, std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace nongsan::images
