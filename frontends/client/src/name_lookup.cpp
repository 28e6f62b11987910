// A getaddrinfo on its own thread, whose answer is posted to the connection's executor unless
// the connection gave up on it first.

#include "name_lookup.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

namespace client::detail {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// What the owner and the lookup's thread share.
struct NameLookup::Job {
  std::mutex mutex;
  bool abandoned = false;
};

NameLookup::NameLookup(net::any_io_executor executor, const std::string& host, std::uint16_t port,
                       Done done)
    : job_(std::make_shared<Job>()),
      work_(net::prefer(executor, net::execution::outstanding_work.tracked)) {
  std::thread([job = job_, ex = std::move(executor), host, port = std::to_string(port),
               done = std::move(done)]() mutable {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* found = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
    std::vector<tcp::endpoint> endpoints;
    std::string problem;
    if (rc == 0) {
      for (const addrinfo* p = found; p != nullptr; p = p->ai_next) {
        if (p->ai_family != AF_INET && p->ai_family != AF_INET6) continue;
        tcp::endpoint endpoint;
        std::memcpy(endpoint.data(), p->ai_addr, p->ai_addrlen);
        endpoint.resize(p->ai_addrlen);
        endpoints.push_back(endpoint);
      }
      ::freeaddrinfo(found);
      if (endpoints.empty()) problem = "no IPv4 or IPv6 address";
    } else {
      problem = rc == EAI_SYSTEM ? std::string{std::strerror(errno)} : ::gai_strerror(rc);
    }
    const std::lock_guard lock{job->mutex};
    if (job->abandoned) return;
    net::post(ex, [done = std::move(done), endpoints = std::move(endpoints),
                   problem = std::move(problem)] { done(endpoints, problem); });
  }).detach();
}

NameLookup::~NameLookup() {
  const std::lock_guard lock{job_->mutex};
  job_->abandoned = true;
}

}  // namespace client::detail
