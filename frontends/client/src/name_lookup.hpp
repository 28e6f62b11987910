#pragma once
// Private to client_net: a host name looked up with getaddrinfo on a thread of its own. Asio's
// resolver cannot be abandoned (its thread is joined when the io_context goes), and a name
// server that does not answer must not hold anything up: an abandoned lookup's thread finishes
// on its own and its answer is dropped.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace client::detail {

/// One lookup of a host name, for as long as this object lives.
class NameLookup {
 public:
  /// The addresses found (IPv4 and IPv6 only), or why there are none (`problem` not empty).
  using Done = std::function<void(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
                                  const std::string& problem)>;

  /// Starts looking up `host` (for TCP to `port`). `done` is posted to `executor` with the
  /// answer unless this object is destroyed first; until then the executor counts outstanding
  /// work (its io_context's run() does not return).
  NameLookup(boost::asio::any_io_executor executor, const std::string& host, std::uint16_t port,
             Done done);
  /// Abandons the lookup: `done` is not called any more.
  ~NameLookup();
  NameLookup(const NameLookup&) = delete;
  NameLookup& operator=(const NameLookup&) = delete;

 private:
  struct Job;
  std::shared_ptr<Job> job_;
  boost::asio::any_io_executor work_;  // keeps run() going while the thread works
};

}  // namespace client::detail
