#pragma once
// Private to netserver: names the server's threads (top -H, ps -L, perf and gdb show them) and
// gives the simulation thread its precedence (Linux).

#include <pthread.h>
#include <sched.h>

#include <cerrno>
#include <string>

namespace netserver::detail {

/// Names the calling thread; Linux keeps the first 15 characters.
inline void name_this_thread(const std::string& name) {
  ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
}

/// Puts the calling thread under SCHED_FIFO at `priority` (1: the lowest real-time priority,
/// still above every normal thread), not inherited by a child process; returns 0 or the errno
/// (EPERM without CAP_SYS_NICE or an RLIMIT_RTPRIO of at least `priority`).
inline int make_this_thread_realtime(int priority) {
  sched_param param{};
  param.sched_priority = priority;
  return ::sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &param) == 0 ? 0 : errno;
}

}  // namespace netserver::detail
