#pragma once
/// \file Password hashing with Argon2id (libsodium), stored as PHC strings.
///
/// Hashing and verifying are slow on purpose (tens of milliseconds and ~19 MiB of memory per
/// call with the default parameters): the server runs them on a worker pool, never on the
/// simulation thread or an I/O thread. A PasswordHasher holds only its parameters, so one
/// instance may be shared by every worker thread.

#include <cstddef>
#include <string>
#include <string_view>

#include "world/result.hpp"

namespace netserver {

/// Argon2id cost parameters. libsodium always uses one lane (p = 1).
struct PasswordParams {
  /// Passes over memory (Argon2's t). Default: OWASP's minimum, t = 2.
  unsigned long long opslimit = 2;
  /// Memory in bytes (Argon2's m is this / 1024 KiB). Default: OWASP's minimum, 19 MiB.
  std::size_t memlimit = 19u * 1024u * 1024u;
  friend bool operator==(const PasswordParams&, const PasswordParams&) = default;
};

/// Longest password accepted, in bytes.
inline constexpr std::size_t kMaxPasswordBytes = 256;

/// Hashes and verifies passwords with Argon2id (v=19).
class PasswordHasher {
 public:
  /// A hasher with OWASP's minimum parameters (m = 19456 KiB, t = 2, p = 1).
  /// Throws std::runtime_error if libsodium cannot be initialised (start-up only).
  PasswordHasher();
  /// A hasher with the given parameters. Throws std::invalid_argument when they are outside
  /// libsodium's Argon2id limits, std::runtime_error if libsodium cannot be initialised.
  explicit PasswordHasher(PasswordParams params);

  /// The parameters new hashes are made with.
  [[nodiscard]] const PasswordParams& params() const { return params_; }

  /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) with a fresh random salt.
  /// An empty password or one longer than kMaxPasswordBytes is refused; so is a failure of
  /// libsodium (out of memory).
  [[nodiscard]] world::Result<std::string> hash(std::string_view password) const;

  /// True when `password` matches the Argon2id PHC string `phc` (constant-time comparison).
  /// False for a malformed or non-Argon2id string and for a password hash() would refuse.
  [[nodiscard]] bool verify(std::string_view password, std::string_view phc) const;

  /// True when `phc` should be replaced by a fresh hash() after a successful login: its
  /// parameters differ from this hasher's (weaker ones after the server raised its costs, or
  /// any change the operator made), or it is not an Argon2id PHC string at all.
  [[nodiscard]] bool needs_rehash(std::string_view phc) const;

 private:
  PasswordParams params_;
};

}  // namespace netserver
