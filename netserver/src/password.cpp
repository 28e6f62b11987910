#include "netserver/password.hpp"

#include <sodium.h>

#include <array>
#include <optional>
#include <stdexcept>

namespace netserver {
namespace {

using PhcBuffer = std::array<char, crypto_pwhash_argon2id_STRBYTES>;

// libsodium reads a PHC string as a NUL-terminated array of crypto_pwhash_argon2id_STRBYTES;
// copy the view into such an array (nullopt if it cannot fit).
std::optional<PhcBuffer> to_phc_buffer(std::string_view phc) {
  PhcBuffer buffer{};
  if (phc.empty() || phc.size() >= buffer.size()) return std::nullopt;
  phc.copy(buffer.data(), phc.size());
  return buffer;
}

bool acceptable_password(std::string_view password) {
  return !password.empty() && password.size() <= kMaxPasswordBytes;
}

}  // namespace

PasswordHasher::PasswordHasher() : PasswordHasher(PasswordParams{}) {}

PasswordHasher::PasswordHasher(PasswordParams params) : params_(params) {
  // Idempotent and thread-safe; returns 1 when libsodium was already initialised.
  if (sodium_init() < 0) throw std::runtime_error("libsodium: sodium_init failed");
  if (params_.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params_.opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX) {
    throw std::invalid_argument("password hasher: opslimit " + std::to_string(params_.opslimit) +
                                " is outside libsodium's Argon2id range");
  }
  if (params_.memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params_.memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    throw std::invalid_argument("password hasher: memlimit " + std::to_string(params_.memlimit) +
                                " bytes is outside libsodium's Argon2id range");
  }
}

world::Result<std::string> PasswordHasher::hash(std::string_view password) const {
  if (!acceptable_password(password)) {
    return world::Error{"hash password: a password must be 1.." +
                        std::to_string(kMaxPasswordBytes) + " bytes, got " +
                        std::to_string(password.size())};
  }
  PhcBuffer out{};
  if (crypto_pwhash_argon2id_str(out.data(), password.data(), password.size(), params_.opslimit,
                                 params_.memlimit) != 0) {
    return world::Error{"hash password: Argon2id failed (out of memory?)"};
  }
  return std::string(out.data());
}

bool PasswordHasher::verify(std::string_view password, std::string_view phc) const {
  if (!acceptable_password(password)) return false;
  const auto buffer = to_phc_buffer(phc);
  if (!buffer) return false;
  return crypto_pwhash_argon2id_str_verify(buffer->data(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view phc) const {
  const auto buffer = to_phc_buffer(phc);
  if (!buffer) return true;
  // 0: same parameters; 1: different parameters; -1: not an Argon2id string.
  return crypto_pwhash_argon2id_str_needs_rehash(buffer->data(), params_.opslimit,
                                                 params_.memlimit) != 0;
}

}  // namespace netserver
