#pragma once
/// \file TLS for the server: the server's SSL context (TLS 1.2 and 1.3 only) and the
/// self-signed certificate it makes in its data directory when none is configured.

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <string>

namespace netserver {

/// A certificate and key on disk, with the certificate's SHA-256 fingerprint.
struct CertificateFiles {
  std::filesystem::path cert_path;  ///< PEM certificate.
  std::filesystem::path key_path;   ///< PEM private key (mode 0600 when the server made it).
  /// SHA-256 of the DER certificate as `openssl x509 -fingerprint -sha256` prints it:
  /// upper-case hex pairs separated by colons.
  std::string sha256_fingerprint_hex;
};

/// A server SSL context for TLS 1.2 and 1.3 only, with Mozilla's "intermediate" AEAD suites
/// (all with forward secrecy), no compression and no renegotiation,
/// using the PEM certificate (chain) and private key at these paths. Throws std::runtime_error
/// naming the file that cannot be read.
[[nodiscard]] boost::asio::ssl::context make_server_context(
    const std::filesystem::path& cert_pem_path, const std::filesystem::path& key_pem_path);

/// `data_dir/cert.pem` and `data_dir/key.pem`: made when neither exists (an ECDSA P-256 key and
/// a self-signed certificate for CN=localhost, DNS:localhost, IP:127.0.0.1, valid one year),
/// loaded when both do. Creates data_dir if needed. Throws std::runtime_error naming the file
/// on failure (including when only one of the two files exists).
[[nodiscard]] CertificateFiles ensure_self_signed(const std::filesystem::path& data_dir);

/// The SHA-256 fingerprint of the first PEM certificate in this file (as in CertificateFiles).
/// Throws std::runtime_error naming the file when it cannot be read.
[[nodiscard]] std::string certificate_fingerprint(const std::filesystem::path& cert_pem_path);

}  // namespace netserver
