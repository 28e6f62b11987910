// alphammo-server: the TLS WebSocket server (for now: HTTPS /healthz and /metrics, and
// WebSocket sessions up to hello/welcome). Stops on SIGINT or SIGTERM.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <exception>
#include <string>

#include "netserver/server.hpp"
#include "netserver/tls.hpp"

int main(int argc, char** argv) {
  CLI::App app{"alphammo-server: the AlphaMMO TLS WebSocket server"};
  netserver::ServerOptions options;
  std::string data_dir = "data/server";
  std::string cert;
  std::string key;
  app.add_option("--bind", options.bind_address, "Address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "Port to listen on (0: any free port)")
      ->capture_default_str();
  app.add_option("--data-dir", data_dir,
                 "Directory for the self-signed certificate (cert.pem, key.pem)")
      ->capture_default_str();
  auto* cert_opt = app.add_option("--cert", cert, "PEM certificate (instead of a self-signed one)");
  auto* key_opt = app.add_option("--key", key, "PEM private key of --cert");
  cert_opt->needs(key_opt);
  key_opt->needs(cert_opt);
  app.add_option("--threads", options.io_threads, "I/O threads")->capture_default_str();
  app.add_option("--max-connections", options.max_connections, "Open connections at most")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    if (cert.empty()) {
      const auto files = netserver::ensure_self_signed(data_dir);
      options.cert_path = files.cert_path;
      options.key_path = files.key_path;
      spdlog::info("certificate {} (self-signed) SHA-256 fingerprint {}", files.cert_path.string(),
                   files.sha256_fingerprint_hex);
    } else {
      options.cert_path = cert;
      options.key_path = key;
      spdlog::info("certificate {} SHA-256 fingerprint {}", cert,
                   netserver::certificate_fingerprint(cert));
    }
    const std::string bind = options.bind_address;
    netserver::Server server{options};
    server.start();
    spdlog::info("listening on wss://{}:{}/ (also https GET /healthz, /metrics)", bind,
                 server.port());

    boost::asio::io_context signals_ioc;
    boost::asio::signal_set signals{signals_ioc, SIGINT, SIGTERM};
    signals.async_wait([](const boost::system::error_code& ec, int signal) {
      if (!ec) spdlog::info("signal {}: stopping", signal);
    });
    signals_ioc.run();
    server.stop();
    spdlog::info("stopped");
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
