#include "worker_pool.hpp"

#include <utility>

namespace alphammo_py {

WorkerPool::WorkerPool(std::size_t threads) {
  for (std::size_t i = 1; i < threads; ++i)
    workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  start_.notify_all();
  for (std::thread& t : workers_)
    t.join();
}

void WorkerPool::drain() {
  // Called with mutex_ held; jobs run unlocked.
  std::unique_lock lock(mutex_, std::adopt_lock);
  while (next_ < jobs_) {
    const std::size_t j = next_++;
    const auto* fn = fn_;
    lock.unlock();
    try {
      (*fn)(j);
    } catch (...) {
      std::lock_guard error_lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    lock.lock();
  }
  lock.release();
}

void WorkerPool::work() {
  std::uint64_t seen = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    start_.wait(lock, [&] { return stop_ || round_ != seen; });
    if (stop_) return;
    seen = round_;
    ++busy_;
    lock.release();
    drain();
    lock = std::unique_lock(mutex_, std::adopt_lock);
    if (--busy_ == 0) done_.notify_all();
  }
}

void WorkerPool::run(std::size_t jobs, const std::function<void(std::size_t)>& fn) {
  std::unique_lock lock(mutex_);
  fn_ = &fn;
  jobs_ = jobs;
  next_ = 0;
  error_ = nullptr;
  ++round_;
  lock.unlock();
  start_.notify_all();
  lock.lock();
  lock.release();
  drain();
  lock = std::unique_lock(mutex_, std::adopt_lock);
  done_.wait(lock, [&] { return busy_ == 0 && next_ >= jobs_; });
  fn_ = nullptr;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

}  // namespace alphammo_py
