#include "netserver/tls.hpp"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace netserver {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla "intermediate" (v5.7): the TLS 1.2 AEAD suites with forward secrecy.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, ExtFree>;

// The oldest OpenSSL error in the queue as text (and clears the queue).
std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  std::array<char, 256> buf{};
  ERR_error_string_n(code, buf.data(), buf.size());
  return buf.data();
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& file) {
  throw std::runtime_error(what + " '" + file.string() + "': " + openssl_error());
}

std::string fingerprint_of(X509* cert) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha256(), md.data(), &n) != 1) {
    throw std::runtime_error("cannot fingerprint certificate: " + openssl_error());
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(n * 3);
  for (unsigned int i = 0; i < n; ++i) {
    if (i != 0) out.push_back(':');
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0x0f]);
  }
  return out;
}

X509Ptr read_certificate(const std::filesystem::path& path) {
  FilePtr f{std::fopen(path.c_str(), "rb")};
  if (!f) {
    throw std::runtime_error("cannot open certificate '" + path.string() +
                             "': " + std::generic_category().message(errno));
  }
  X509Ptr cert{PEM_read_X509(f.get(), nullptr, nullptr, nullptr)};
  if (!cert) fail("cannot read PEM certificate", path);
  return cert;
}

// Opens `path` for writing, created with `mode` (fails if it exists: never overwrite a key).
FilePtr create_file(const std::filesystem::path& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    throw std::runtime_error("cannot create '" + path.string() +
                             "': " + std::generic_category().message(errno));
  }
  ::fchmod(fd, mode);  // whatever the umask
  FilePtr f{::fdopen(fd, "wb")};
  if (!f) {
    ::close(fd);
    throw std::runtime_error("cannot open '" + path.string() + "' for writing");
  }
  return f;
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext{X509V3_EXT_conf_nid(nullptr, &ctx, nid, value)};
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    throw std::runtime_error(std::string{"cannot add certificate extension "} + value + ": " +
                             openssl_error());
  }
}

X509Ptr make_self_signed(EVP_PKEY* key) {
  X509Ptr cert{X509_new()};
  if (!cert) throw std::runtime_error("X509_new: " + openssl_error());
  X509* x = cert.get();
  X509_set_version(x, 2);  // v3
  // A random positive 159-bit serial number (RFC 5280 allows up to 20 octets).
  BIGNUM* serial = BN_new();
  if (serial == nullptr || BN_rand(serial, 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) == nullptr) {
    BN_free(serial);
    throw std::runtime_error("cannot make a certificate serial number: " + openssl_error());
  }
  BN_free(serial);
  constexpr long kOneYear = 365L * 24 * 60 * 60;
  if (X509_gmtime_adj(X509_getm_notBefore(x), 0) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(x), kOneYear) == nullptr || X509_set_pubkey(x, key) != 1) {
    throw std::runtime_error("cannot fill in the certificate: " + openssl_error());
  }
  X509_NAME* name = X509_get_subject_name(x);
  const auto* cn = reinterpret_cast<const unsigned char*>("localhost");
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) != 1 ||
      X509_set_issuer_name(x, name) != 1) {
    throw std::runtime_error("cannot name the certificate: " + openssl_error());
  }
  add_extension(x, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(x, NID_key_usage, "critical,digitalSignature");
  add_extension(x, NID_ext_key_usage, "serverAuth");
  add_extension(x, NID_subject_key_identifier, "hash");
  add_extension(x, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  if (X509_sign(x, key, EVP_sha256()) == 0) {
    throw std::runtime_error("cannot sign the certificate: " + openssl_error());
  }
  return cert;
}

}  // namespace

ssl::context make_server_context(const std::filesystem::path& cert_pem_path,
                                 const std::filesystem::path& key_pem_path) {
  ssl::context ctx{ssl::context::tls_server};
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                  ssl::context::single_dh_use);
  SSL_CTX* native = ctx.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(native, kTls13Suites) != 1) {
    throw std::runtime_error("cannot configure TLS: " + openssl_error());
  }
  // Said explicitly, whatever OpenSSL's defaults: no TLS compression (CRIME), no renegotiation.
  SSL_CTX_set_options(
      native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(cert_pem_path.string(), ec);
  if (ec) {
    throw std::runtime_error("cannot load certificate '" + cert_pem_path.string() +
                             "': " + ec.message());
  }
  ctx.use_private_key_file(key_pem_path.string(), ssl::context::pem, ec);
  if (ec) {
    throw std::runtime_error("cannot load private key '" + key_pem_path.string() +
                             "': " + ec.message());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    throw std::runtime_error("private key '" + key_pem_path.string() +
                             "' does not match certificate '" + cert_pem_path.string() + "'");
  }
  return ctx;
}

std::string certificate_fingerprint(const std::filesystem::path& cert_pem_path) {
  return fingerprint_of(read_certificate(cert_pem_path).get());
}

CertificateFiles ensure_self_signed(const std::filesystem::path& data_dir) {
  CertificateFiles files{data_dir / "cert.pem", data_dir / "key.pem", {}};
  std::error_code ec;
  const bool have_cert = std::filesystem::exists(files.cert_path, ec);
  const bool have_key = std::filesystem::exists(files.key_path, ec);
  if (have_cert && have_key) {
    files.sha256_fingerprint_hex = certificate_fingerprint(files.cert_path);
    return files;
  }
  if (have_cert != have_key) {
    const auto& missing = have_cert ? files.key_path : files.cert_path;
    throw std::runtime_error("'" + missing.string() + "' is missing (its pair exists); " +
                             "remove both to make a new self-signed certificate");
  }
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    throw std::runtime_error("cannot create data directory '" + data_dir.string() +
                             "': " + ec.message());
  }
  PkeyPtr key{EVP_EC_gen("P-256")};
  if (!key) throw std::runtime_error("cannot generate an ECDSA P-256 key: " + openssl_error());
  X509Ptr cert = make_self_signed(key.get());

  // The key first: a certificate without its key is useless, and both are checked above.
  {
    FilePtr f = create_file(files.key_path, 0600);
    if (PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        std::fflush(f.get()) != 0) {
      fail("cannot write private key", files.key_path);
    }
  }
  {
    FilePtr f = create_file(files.cert_path, 0644);
    if (PEM_write_X509(f.get(), cert.get()) != 1 || std::fflush(f.get()) != 0) {
      fail("cannot write certificate", files.cert_path);
    }
  }
  files.sha256_fingerprint_hex = fingerprint_of(cert.get());
  return files;
}

}  // namespace netserver
