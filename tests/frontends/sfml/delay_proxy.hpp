#pragma once
// A TCP proxy on 127.0.0.1 that delays every chunk of bytes by a fixed time in each direction
// (order kept): a link with that much latency, for the prediction tests. Its own thread and
// io_context; stops and joins in its destructor.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

namespace uitest {

class DelayProxy {
 public:
  DelayProxy(std::uint16_t upstream_port, std::chrono::milliseconds delay)
      : upstream_(boost::asio::ip::make_address("127.0.0.1"), upstream_port),
        delay_(delay),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~DelayProxy() {
    io_.stop();
    thread_.join();
  }
  DelayProxy(const DelayProxy&) = delete;
  DelayProxy& operator=(const DelayProxy&) = delete;

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  using tcp = boost::asio::ip::tcp;

  // One direction of one connection: read, hold each chunk `delay`, write in order.
  struct Pipe : std::enable_shared_from_this<Pipe> {
    tcp::socket& from;
    tcp::socket& to;
    std::chrono::milliseconds delay;
    std::shared_ptr<void> keep;  // the connection's sockets
    std::vector<char> buffer = std::vector<char>(16 * 1024);
    struct Chunk {
      std::chrono::steady_clock::time_point due;
      std::vector<char> bytes;
    };
    std::deque<Chunk> queue;
    boost::asio::steady_timer timer;
    bool writing = false;
    Pipe(tcp::socket& f, tcp::socket& t, std::chrono::milliseconds d, std::shared_ptr<void> k)
        : from(f), to(t), delay(d), keep(std::move(k)), timer(f.get_executor()) {}

    void read() {
      from.async_read_some(
          boost::asio::buffer(buffer),
          [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
            if (ec) {
              boost::system::error_code ignored;
              self->to.shutdown(tcp::socket::shutdown_send, ignored);
              return;
            }
            self->queue.push_back({std::chrono::steady_clock::now() + self->delay,
                                   std::vector<char>(self->buffer.begin(),
                                                     self->buffer.begin() + static_cast<long>(n))});
            self->pump();
            self->read();
          });
    }
    void pump() {
      if (writing || queue.empty()) return;
      writing = true;
      timer.expires_at(queue.front().due);
      timer.async_wait([self = shared_from_this()](boost::system::error_code) {
        boost::asio::async_write(self->to, boost::asio::buffer(self->queue.front().bytes),
                                 [self](boost::system::error_code ec, std::size_t) {
                                   self->queue.pop_front();
                                   self->writing = false;
                                   if (!ec) self->pump();
                                 });
      });
    }
  };

  struct Sockets {
    tcp::socket client;
    tcp::socket server;
    explicit Sockets(boost::asio::io_context& io) : client(io), server(io) {}
  };

  void accept() {
    auto s = std::make_shared<Sockets>(io_);
    acceptor_.async_accept(s->client, [this, s](boost::system::error_code ec) {
      if (ec) return;
      s->server.async_connect(upstream_, [this, s](boost::system::error_code ec2) {
        if (ec2) return;
        s->client.set_option(tcp::no_delay(true));
        s->server.set_option(tcp::no_delay(true));
        std::make_shared<Pipe>(s->client, s->server, delay_, s)->read();
        std::make_shared<Pipe>(s->server, s->client, delay_, s)->read();
      });
      accept();
    });
  }

  boost::asio::io_context io_;
  tcp::endpoint upstream_;
  std::chrono::milliseconds delay_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace uitest
