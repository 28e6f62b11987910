// The first steps of every connection to a server: Beast's async-ssl client example
// (example/websocket/client/async-ssl) up to the TLS handshake, with a bounded timeout on every
// step and certificate pinning.

#include "tls_connect.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <utility>

namespace client::detail {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  (void)net::ip::make_address(host, ec);
  return !ec;
}

std::string hex_fingerprint(const unsigned char* md, unsigned int len) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    if (i != 0) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

std::string peer_certificate_fingerprint(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const bool ok = X509_digest(cert, EVP_sha256(), md, &len) == 1;
  X509_free(cert);
  return ok ? hex_fingerprint(md, len) : std::string{};
}

// True when OpenSSL gave up on the server's first bytes because they are no TLS record at all
// (an HTTP server's "HTTP/1.1 400", an SSH banner, ...): what OpenSSL calls "wrong version
// number" or "packet length too long".
bool not_tls_answer(const beast::error_code& ec) {
  if (ec.category() != net::error::get_ssl_category()) return false;
  const auto reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
  return reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
         reason == SSL_R_UNKNOWN_PROTOCOL || reason == SSL_R_RECORD_LENGTH_MISMATCH;
}

}  // namespace

std::string ms_text(std::chrono::milliseconds ms) {
  return std::to_string(ms.count()) + " ms";
}

std::string host_port(const ConnectOptions& o) {
  if (o.host.find(':') != std::string::npos) return "[" + o.host + "]:" + std::to_string(o.port);
  return o.host + ":" + std::to_string(o.port);
}

ClientError make_error(ErrorKind kind, std::string message) {
  ClientError e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

TlsConnector::TlsConnector(net::any_io_executor executor, ConnectOptions options)
    : ex_(std::move(executor)), opt_(std::move(options)), resolve_timer_(ex_) {}

void TlsConnector::start(Done done) {
  if (phase_ != Phase::Idle) return;  // once only (Connection and fetch_content call it once)
  done_ = std::move(done);
  phase_ = Phase::Resolving;
  if (auto problem = setup_tls()) {
    net::post(ex_, [self = shared_from_this(), problem = std::move(*problem)]() mutable {
      self->finish(std::move(problem));
    });
    return;
  }
  boost::system::error_code ec;
  const auto address = net::ip::make_address(opt_.host, ec);
  if (!ec) {
    std::vector<tcp::endpoint> endpoints{tcp::endpoint{address, opt_.port}};
    net::post(ex_, [self = shared_from_this(), endpoints = std::move(endpoints)] {
      if (self->phase_ == Phase::Resolving) self->do_connect(endpoints);
    });
    return;
  }
  start_resolve();
}

std::optional<ClientError> TlsConnector::setup_tls() {
  if (opt_.host.empty()) return make_error(ErrorKind::Options, "no server host given");
  ctx_.emplace(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx_->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  switch (opt_.verify) {
    case TlsVerify::System:
      ctx_->set_default_verify_paths(ec);
      if (ec) {
        return make_error(ErrorKind::Options,
                          "cannot load the system's certificate authorities: " + ec.message());
      }
      ctx_->set_verify_mode(ssl::verify_peer);
      break;
    case TlsVerify::CaFile:
      if (opt_.ca_file.empty()) return make_error(ErrorKind::Options, "no CA file given");
      ctx_->load_verify_file(opt_.ca_file.string(), ec);
      if (ec) {
        return make_error(ErrorKind::Options, "cannot use the CA file \"" + opt_.ca_file.string() +
                                                  "\": " + ec.message());
      }
      ctx_->set_verify_mode(ssl::verify_peer);
      break;
    case TlsVerify::Pin: {
      auto normalized = normalize_fingerprint(opt_.pin);
      if (!normalized) {
        return make_error(ErrorKind::Options,
                          "the pinned fingerprint \"" + opt_.pin +
                              "\" is not a SHA-256 fingerprint (64 hex digits, colons optional)");
      }
      pin_ = std::move(*normalized);
      ctx_->set_verify_mode(ssl::verify_none);  // checked against the pin after the handshake
      break;
    }
    case TlsVerify::Insecure:
      ctx_->set_verify_mode(ssl::verify_none);
      break;
  }
  return std::nullopt;
}

void TlsConnector::start_resolve() {
  resolve_timer_.expires_after(opt_.resolve_timeout);
  resolve_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->phase_ != Phase::Resolving) return;
    self->finish(make_error(ErrorKind::Resolve, "cannot resolve host \"" + self->opt_.host +
                                                    "\": no answer within " +
                                                    ms_text(self->opt_.resolve_timeout)));
  });
  lookup_.emplace(ex_, opt_.host, opt_.port,
                  [weak = weak_from_this()](const std::vector<tcp::endpoint>& endpoints,
                                            const std::string& problem) {
                    if (auto self = weak.lock()) self->on_resolved(endpoints, problem);
                  });
}

void TlsConnector::on_resolved(const std::vector<tcp::endpoint>& endpoints,
                               const std::string& problem) {
  if (phase_ != Phase::Resolving) return;
  lookup_.reset();
  resolve_timer_.cancel();
  if (!problem.empty()) {
    return finish(
        make_error(ErrorKind::Resolve, "cannot resolve host \"" + opt_.host + "\": " + problem));
  }
  do_connect(endpoints);
}

void TlsConnector::do_connect(const std::vector<tcp::endpoint>& endpoints) {
  phase_ = Phase::Connecting;
  stream_.emplace(ex_, *ctx_);
  beast::get_lowest_layer(*stream_).expires_after(opt_.connect_timeout);
  beast::get_lowest_layer(*stream_).async_connect(
      endpoints, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
        self->on_connected(ec);
      });
}

void TlsConnector::on_connected(beast::error_code ec) {
  if (phase_ != Phase::Connecting) return;
  if (ec == beast::error::timeout) {
    return finish(make_error(
        ErrorKind::Timeout,
        "connecting to " + host_port(opt_) + " took longer than " + ms_text(opt_.connect_timeout)));
  }
  if (ec == net::error::connection_refused) {
    return finish(make_error(ErrorKind::Refused, "connection to " + host_port(opt_) +
                                                     " refused (is the server running "
                                                     "and listening on that port?)"));
  }
  if (ec) {
    return finish(make_error(ErrorKind::Network,
                             "cannot connect to " + host_port(opt_) + ": " + ec.message()));
  }
  phase_ = Phase::Tls;
  // Commands are small and written whole: Nagle's algorithm would hold a move back while the
  // previous message is unacknowledged (up to the server's delayed ACK, 40 ms on Linux).
  beast::error_code ignored;
  beast::get_lowest_layer(*stream_).socket().set_option(tcp::no_delay(true), ignored);
  SSL* native = stream_->native_handle();
  const bool ip = is_ip_literal(opt_.host);
  if (!ip) SSL_set_tlsext_host_name(native, opt_.host.c_str());
  if (opt_.verify == TlsVerify::System || opt_.verify == TlsVerify::CaFile) {
    if (ip) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(native), opt_.host.c_str());
    } else {
      SSL_set1_host(native, opt_.host.c_str());
    }
    // Remember the server's own certificate as it is checked, so that a refusal can name its
    // fingerprint (the one to pin, if the user trusts it).
    stream_->set_verify_callback([this](bool preverified, ssl::verify_context& v) {
      X509_STORE_CTX* store = v.native_handle();
      if (X509_STORE_CTX_get_error_depth(store) == 0) {
        if (X509* cert = X509_STORE_CTX_get_current_cert(store)) {
          unsigned char md[EVP_MAX_MD_SIZE];
          unsigned int len = 0;
          if (X509_digest(cert, EVP_sha256(), md, &len) == 1) {
            fingerprint_ = hex_fingerprint(md, len);
          }
        }
      }
      return preverified;
    });
  }
  beast::get_lowest_layer(*stream_).expires_after(opt_.tls_timeout);
  stream_->async_handshake(ssl::stream_base::client,
                           [self = shared_from_this()](beast::error_code e) { self->on_tls(e); });
}

void TlsConnector::on_tls(beast::error_code ec) {
  if (phase_ != Phase::Tls) return;
  SSL* native = stream_->native_handle();
  if (ec == beast::error::timeout) {
    return finish(make_error(ErrorKind::Timeout,
                             "TLS handshake with " + host_port(opt_) + " took longer than " +
                                 ms_text(opt_.tls_timeout) +
                                 " (the server is overloaded, or what listens on that port does "
                                 "not speak TLS)"));
  }
  if (ec) {
    const long verify = SSL_get_verify_result(native);
    if (verify == X509_V_OK && fingerprint_.empty() &&
        (ec == ssl::error::stream_truncated || ec == net::error::eof ||
         ec == net::error::connection_reset)) {
      // Closed before any certificate came: a server at its connection limit does this.
      return finish(make_error(ErrorKind::Closed,
                               host_port(opt_) +
                                   " closed the connection before the TLS handshake (the server "
                                   "may be full: too many connections)"));
    }
    if (verify == X509_V_OK && fingerprint_.empty() && not_tls_answer(ec)) {
      return finish(make_error(ErrorKind::Tls,
                               "the server at " + host_port(opt_) +
                                   " does not speak TLS: it answered in plain text or another "
                                   "protocol (a plain http:// or ws:// server, or another program, "
                                   "listens on that port); check the address and the port"));
    }
    std::string message = "TLS handshake with " + host_port(opt_) + " failed: ";
    if (verify != X509_V_OK) {
      message += "the server's certificate is not trusted (";
      message += X509_verify_cert_error_string(verify);
      message += ")";
      if (opt_.verify == TlsVerify::CaFile) {
        message += "; it does not match the CA file \"" + opt_.ca_file.string() + "\"";
      } else {
        message +=
            "; a self-signed server's certificate can be pinned by the SHA-256 "
            "fingerprint in its log";
      }
      if (!fingerprint_.empty())
        message += "; the certificate's SHA-256 fingerprint is " + fingerprint_;
    } else {
      message += ec.message();
    }
    return finish(make_error(ErrorKind::Tls, std::move(message)));
  }
  fingerprint_ = peer_certificate_fingerprint(native);
  if (opt_.verify == TlsVerify::Pin && fingerprint_ != pin_) {
    return finish(make_error(
        ErrorKind::Fingerprint,
        "the certificate of " + host_port(opt_) + " has the SHA-256 fingerprint " +
            (fingerprint_.empty() ? "(none)" : fingerprint_) + ", not the pinned " + pin_));
  }
  if (opt_.verify == TlsVerify::Insecure && opt_.warn_insecure) {
    spdlog::warn(
        "INSECURE: the certificate of {} is NOT verified; anyone on the way can read and change "
        "this connection. Pin it instead: --pin {}",
        host_port(opt_), fingerprint_);
  }
  beast::get_lowest_layer(*stream_).expires_never();  // the protocol on top sets its own
  finish(std::nullopt);
}

void TlsConnector::finish(std::optional<ClientError> error) {
  if (phase_ == Phase::Done) return;
  Done done = std::exchange(done_, nullptr);
  if (error) abort();
  phase_ = Phase::Done;
  if (done) done(std::move(error));
}

void TlsConnector::cancel() {
  if (phase_ == Phase::Done) return;  // finished: a connected stream is its owner's now
  done_ = nullptr;
  abort();
}

void TlsConnector::abort() {
  phase_ = Phase::Done;
  lookup_.reset();
  resolve_timer_.cancel();
  if (!stream_) return;
  beast::error_code ignored;
  auto& socket = beast::get_lowest_layer(*stream_).socket();
  if (socket.is_open()) {
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }
}

}  // namespace client::detail
