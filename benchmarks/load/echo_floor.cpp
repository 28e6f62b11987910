// alphammo-echo-floor: the transport's floor for the load test (benchmarks/load/run.py). A plain
// Boost.Beast TLS WebSocket echo server, with the server's own TLS context and the same
// permessage-deflate offer, and a driver that keeps N connections sending messages of a given
// size at a given rate and times each echo. The CPU the echo server spends per message is what
// Beast, OpenSSL and zlib cost on this machine with no game behind them; run.py divides the game
// server's cost per message by it.
//
//   alphammo-echo-floor serve --data-dir DIR [--port P] [--threads N] [--no-deflate]
//       prints "listening PORT" once the port is open, then echoes every message until SIGINT
//   alphammo-echo-floor drive --port P --cert PEM --connections N --size BYTES --rate HZ
//       [--warmup S] [--seconds S] [--no-deflate]
//       prints "measuring" when the window opens and one JSON object when it closes
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "netserver/tls.hpp"

namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using WebSocket = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

int fail(const std::string& message) {
  std::fprintf(stderr, "alphammo-echo-floor: %s\n", message.c_str());
  return 1;
}

// ---- serve ------------------------------------------------------------------------------------

/// One connection: TLS handshake, WebSocket accept, then read a message, write it back, repeat.
class Echo : public std::enable_shared_from_this<Echo> {
 public:
  Echo(tcp::socket socket, ssl::context& ctx, int deflate)
      : ws_(std::move(socket), ctx), deflate_(deflate) {}

  void run() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    ws_.next_layer().async_handshake(ssl::stream_base::server,
                                     [self = shared_from_this()](beast::error_code ec) {
                                       if (!ec) self->accept();
                                     });
  }

 private:
  void accept() {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    if (deflate_ > 0) {
      websocket::permessage_deflate pmd;
      pmd.server_enable = true;
      pmd.compLevel = deflate_;
      ws_.set_option(pmd);
    }
    ws_.async_accept([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read();
    });
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->write();
    });
  }

  void write() {
    ws_.text(ws_.got_text());
    ws_.async_write(buffer_.data(),
                    [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                      if (ec) return;
                      self->buffer_.consume(n);
                      self->read();
                    });
  }

  WebSocket ws_;
  beast::flat_buffer buffer_;
  int deflate_;  // zlib's level, 0: no permessage-deflate
};

void accept_loop(tcp::acceptor& acceptor, ssl::context& ctx, int deflate) {
  acceptor.async_accept([&acceptor, &ctx, deflate](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Echo>(std::move(socket), ctx, deflate)->run();
    }
    if (acceptor.is_open()) accept_loop(acceptor, ctx, deflate);
  });
}

int serve(const std::string& data_dir, std::uint16_t port, int threads, int deflate) {
  const netserver::CertificateFiles cert = netserver::ensure_self_signed(data_dir);
  ssl::context ctx = netserver::make_server_context(cert.cert_path, cert.key_path);
  net::io_context ioc{threads};
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), port}};
  std::printf("listening %u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
  std::fflush(stdout);
  accept_loop(acceptor, ctx, deflate);
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i)
    pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool)
    t.join();
  return 0;
}

// ---- drive ------------------------------------------------------------------------------------

struct DriveOptions {
  std::uint16_t port = 0;
  std::string cert;
  int connections = 100;
  std::size_t size = 200;
  double rate = 5;
  double warmup = 5;
  double seconds = 20;
  bool deflate = true;
};

/// What every connection adds to, on the driver's one thread.
struct Tally {
  bool measuring = false;
  std::uint64_t sent = 0;
  std::uint64_t echoed = 0;
  std::uint64_t skipped = 0;  // the timer fired while the previous message was still being sent
  std::uint64_t failed = 0;
  int open = 0;
  std::vector<std::uint32_t> rtt_us;
};

/// A message of `size` bytes shaped like a tick (JSON, small integers), beginning with the
/// send time; `seed` varies the integers from message to message as moves do.
std::string message(std::size_t size, std::int64_t sent_ns, std::uint64_t seed) {
  std::string m = "{\"t\":" + std::to_string(sent_ns) + ",\"type\":\"tick\",\"moved\":[";
  std::uint64_t x = seed;
  while (m.size() + 12 < size) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    m += "[" + std::to_string((x >> 33) % 300) + "," + std::to_string((x >> 60) % 4) + "],";
  }
  m += "[0,0]]";
  if (m.size() + 1 < size) m.insert(m.size() - 2, size - 1 - m.size(), ' ');
  return m + "}";
}

class Sender : public std::enable_shared_from_this<Sender> {
 public:
  Sender(net::io_context& ioc, ssl::context& ctx, const DriveOptions& o, Tally& tally, int index)
      : ws_(ioc, ctx),
        timer_(ioc),
        o_(o),
        tally_(tally),
        seed_(static_cast<std::uint64_t>(index)) {}

  void run(Clock::time_point first_send) {
    first_send_ = first_send;
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(60));
    beast::get_lowest_layer(ws_).async_connect(
        tcp::endpoint{net::ip::make_address("127.0.0.1"), o_.port},
        [self = shared_from_this()](beast::error_code ec) {
          if (ec) return self->failed();
          beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
          self->ws_.next_layer().async_handshake(ssl::stream_base::client,
                                                 [self](beast::error_code ec2) {
                                                   if (ec2) return self->failed();
                                                   self->upgrade();
                                                 });
        });
  }

 private:
  void upgrade() {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    if (o_.deflate) {
      websocket::permessage_deflate pmd;
      pmd.client_enable = true;
      pmd.compLevel = 1;  // as the client library (frontends/client) sends
      ws_.set_option(pmd);
    }
    ws_.text(true);
    ws_.async_handshake("127.0.0.1", "/", [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->failed();
      ++self->tally_.open;
      self->read();
      self->timer_.expires_at(self->first_send_);
      self->tick();
    });
  }

  void tick() {
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->send();
      self->timer_.expires_at(
          self->timer_.expiry() +
          std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / self->o_.rate)));
      self->tick();
    });
  }

  void send() {
    if (writing_) {
      if (tally_.measuring) ++tally_.skipped;
      return;
    }
    writing_ = true;
    const auto now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch());
    out_ = message(o_.size, now.count(), ++seed_ * 7919);
    if (tally_.measuring) ++tally_.sent;
    ws_.async_write(net::buffer(out_),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->writing_ = false;
                      if (ec) self->failed();
                    });
  }

  void read() {
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->failed();
      // {"t":NANOSECONDS,...
      const auto data = self->in_.cdata();
      const char* text = static_cast<const char*>(data.data());
      std::int64_t sent = 0;
      if (data.size() > 5) std::from_chars(text + 5, text + data.size(), sent);
      self->in_.clear();
      const auto now =
          std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
              .count();
      if (self->tally_.measuring) {
        ++self->tally_.echoed;
        self->tally_.rtt_us.push_back(static_cast<std::uint32_t>(
            std::clamp<std::int64_t>((now - sent) / 1000, 0, UINT32_MAX)));
      }
      self->read();
    });
  }

  void failed() {
    if (dead_) return;
    dead_ = true;
    ++tally_.failed;
    timer_.cancel();
  }

  WebSocket ws_;
  net::steady_timer timer_;
  const DriveOptions& o_;
  Tally& tally_;
  std::uint64_t seed_;
  Clock::time_point first_send_;
  beast::flat_buffer in_;
  std::string out_;
  bool writing_ = false;
  bool dead_ = false;
};

double quantile(std::vector<std::uint32_t> v, double q) {
  if (v.empty()) return -1;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;
}

int drive(const DriveOptions& o) {
  ssl::context ctx{ssl::context::tls_client};
  ctx.set_verify_mode(ssl::verify_peer);
  try {
    ctx.load_verify_file(o.cert);
  } catch (const std::exception& e) {
    return fail("--cert " + o.cert + ": " + e.what());
  }
  net::io_context ioc{1};
  Tally tally;
  std::vector<std::shared_ptr<Sender>> senders;
  // Every connection's first message within one period of the first, spread evenly.
  const auto start = Clock::now() + std::chrono::milliseconds(200);
  const auto period = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / o.rate));
  for (int i = 0; i < o.connections; ++i) {
    senders.push_back(std::make_shared<Sender>(ioc, ctx, o, tally, i));
    senders.back()->run(start + period * i / o.connections);
  }
  // Until every connection is open (bounded), then the warm-up, then the window.
  const auto open_deadline = Clock::now() + std::chrono::seconds(120);
  while (tally.open + static_cast<int>(tally.failed) < o.connections &&
         Clock::now() < open_deadline)
    ioc.run_for(std::chrono::milliseconds(50));
  if (tally.open < o.connections)
    return fail(std::to_string(tally.open) + " of " + std::to_string(o.connections) +
                " connections opened (" + std::to_string(tally.failed) + " failed)");
  ioc.run_for(std::chrono::milliseconds(static_cast<std::int64_t>(o.warmup * 1000)));
  std::printf("measuring\n");
  std::fflush(stdout);
  tally.measuring = true;
  tally.rtt_us.reserve(static_cast<std::size_t>(o.connections * o.rate * o.seconds * 1.1));
  const auto began = Clock::now();
  ioc.run_for(std::chrono::milliseconds(static_cast<std::int64_t>(o.seconds * 1000)));
  const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
  tally.measuring = false;
  std::printf(
      "{\"connections\": %d, \"size\": %zu, \"rate\": %.3f, \"seconds\": %.3f, \"sent\": %" PRIu64
      ", \"echoed\": %" PRIu64 ", \"skipped\": %" PRIu64 ", \"failed\": %" PRIu64
      ", \"rtt_p50_ms\": %.3f, \"rtt_p99_ms\": %.3f, \"rtt_max_ms\": %.3f}\n",
      o.connections, o.size, o.rate, elapsed, tally.sent, tally.echoed, tally.skipped, tally.failed,
      quantile(tally.rtt_us, 0.5), quantile(tally.rtt_us, 0.99), quantile(tally.rtt_us, 1.0));
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "alphammo-echo-floor: a plain Beast TLS WebSocket echo server and its driver, the load "
      "test's transport floor"};
  app.require_subcommand(1);

  std::string data_dir = "var/echo-floor";
  std::uint16_t serve_port = 0;
  int threads = 1;
  bool no_deflate = false;
  auto* s = app.add_subcommand("serve", "Echo every message (prints \"listening PORT\")");
  s->add_option("--data-dir", data_dir, "Where the self-signed certificate is made or found")
      ->capture_default_str();
  s->add_option("--port", serve_port, "Port on 127.0.0.1 (0: any free one)")->capture_default_str();
  s->add_option("--threads", threads, "I/O threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  int level = 5;
  s->add_option("--deflate-level", level,
                "zlib level of the echoes (the game server's --deflate-level)")
      ->check(CLI::Range(1, 9))
      ->capture_default_str();
  s->add_flag("--no-deflate", no_deflate, "Do not offer permessage-deflate");

  DriveOptions o;
  bool drive_no_deflate = false;
  auto* d = app.add_subcommand("drive", "Send messages to an echo server and time the echoes");
  d->add_option("--port", o.port, "The echo server's port on 127.0.0.1")->required();
  d->add_option("--cert", o.cert, "The echo server's certificate (PEM), trusted as is")
      ->required()
      ->check(CLI::ExistingFile);
  d->add_option("--connections", o.connections, "Connections")
      ->check(CLI::Range(1, 20000))
      ->capture_default_str();
  d->add_option("--size", o.size, "Bytes per message")
      ->check(CLI::Range(std::size_t{48}, std::size_t{65536}))
      ->capture_default_str();
  d->add_option("--rate", o.rate, "Messages per connection per second")
      ->check(CLI::Range(0.1, 1000.0))
      ->capture_default_str();
  d->add_option("--warmup", o.warmup, "Seconds before the window")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  d->add_option("--seconds", o.seconds, "Seconds measured")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  d->add_flag("--no-deflate", drive_no_deflate, "Do not ask for permessage-deflate");
  CLI11_PARSE(app, argc, argv);

  try {
    if (s->parsed()) return serve(data_dir, serve_port, threads, no_deflate ? 0 : level);
    o.deflate = !drive_no_deflate;
    return drive(o);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}
