#pragma once
// A fixed set of threads that run the jobs of one call to run() and then wait for the next.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace alphammo_py {

/// Runs fn(0..jobs-1) on `threads` threads (the calling thread is one of them).
class WorkerPool {
 public:
  /// Starts threads - 1 workers (threads >= 1).
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Calls fn(j) for every j in [0, jobs), spread over the threads, and returns when all are
  /// done. The first exception a job throws is rethrown here (the other jobs still run).
  void run(std::size_t jobs, const std::function<void(std::size_t)>& fn);
  /// Threads, the caller included.
  [[nodiscard]] std::size_t threads() const { return workers_.size() + 1; }

 private:
  void work();
  void drain();

  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  const std::function<void(std::size_t)>* fn_ = nullptr;
  std::size_t jobs_ = 0;
  std::size_t next_ = 0;
  std::size_t busy_ = 0;
  std::uint64_t round_ = 0;
  std::exception_ptr error_;
  bool stop_ = false;
};

}  // namespace alphammo_py
