#include "netserver/password.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using netserver::PasswordHasher;
using netserver::PasswordParams;

namespace {

// Each default-strength hash or verify costs tens of milliseconds: the tests make few of them
// and use this cheap hasher wherever the parameters do not matter.
PasswordHasher weak_hasher() {
  return PasswordHasher(PasswordParams{1, 8u * 1024u * 1024u});
}

}  // namespace

TEST_CASE("password: the default hash is an Argon2id PHC string with OWASP's minimum costs") {
  const PasswordHasher hasher;
  CHECK(hasher.params() == PasswordParams{2, 19'922'944});

  const auto phc = hasher.hash("correct horse battery staple");
  REQUIRE(phc.ok());
  CHECK(phc.value().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  CHECK(hasher.verify("correct horse battery staple", phc.value()));
  CHECK_FALSE(hasher.verify("correct horse battery stapler", phc.value()));
  CHECK_FALSE(hasher.needs_rehash(phc.value()));
  // The weak hasher sees different parameters too: an operator may move costs either way.
  CHECK(weak_hasher().needs_rehash(phc.value()));
}

TEST_CASE("password: a hash made with weaker parameters needs a rehash") {
  const PasswordHasher strong;
  const PasswordHasher weak = weak_hasher();
  const auto phc = weak.hash("hunter2");
  REQUIRE(phc.ok());
  CHECK(phc.value().starts_with("$argon2id$v=19$m=8192,t=1,p=1$"));
  CHECK(strong.needs_rehash(phc.value()));
  CHECK_FALSE(weak.needs_rehash(phc.value()));
  // Verification reads the costs from the PHC string, so any hasher verifies it.
  CHECK(strong.verify("hunter2", phc.value()));
  CHECK_FALSE(strong.verify("hunter3", phc.value()));
}

TEST_CASE("password: every hash has its own salt") {
  const PasswordHasher weak = weak_hasher();
  const auto a = weak.hash("same password");
  const auto b = weak.hash("same password");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.value() != b.value());
  CHECK(weak.verify("same password", a.value()));
  CHECK(weak.verify("same password", b.value()));
}

TEST_CASE("password: empty and over-long passwords are refused") {
  const PasswordHasher weak = weak_hasher();
  const auto empty = weak.hash("");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message.find("1..256 bytes") != std::string::npos);

  const std::string too_long(257, 'x');
  const auto long_result = weak.hash(too_long);
  REQUIRE_FALSE(long_result.ok());
  CHECK(long_result.error().message.find("got 257") != std::string::npos);

  const std::string longest(256, 'x');
  const auto ok = weak.hash(longest);
  REQUIRE(ok.ok());
  CHECK(weak.verify(longest, ok.value()));
  CHECK_FALSE(weak.verify(too_long, ok.value()));
  CHECK_FALSE(weak.verify("", ok.value()));
}

TEST_CASE("password: malformed PHC strings never verify and always need a rehash") {
  const PasswordHasher weak = weak_hasher();
  for (const std::string& phc :
       {std::string{}, std::string("not a hash"), std::string("$argon2id$v=19$m=8192,t=1,p=1$"),
        std::string(200, '$')}) {
    CAPTURE(phc);
    CHECK_FALSE(weak.verify("password", phc));
    CHECK(weak.needs_rehash(phc));
  }
}

TEST_CASE("password: parameters outside libsodium's range are refused at construction") {
  CHECK_THROWS_AS(PasswordHasher(PasswordParams{0, 8u * 1024u * 1024u}), std::invalid_argument);
  CHECK_THROWS_AS(PasswordHasher(PasswordParams{2, 1024}), std::invalid_argument);
}
