// parse_server_address and normalize_fingerprint: what a user types to name a server and pin
// its certificate, accepted in each form and refused with a message saying what is wrong.
#include "client/address.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

TEST_CASE("parse_server_address and normalize_fingerprint") {
  auto a = client::parse_server_address("example.org:7272");
  REQUIRE(a.ok());
  CHECK(a.value() == client::ServerAddress{"example.org", 7272});
  CHECK(client::parse_server_address("localhost").value() ==
        client::ServerAddress{"localhost", 7171});
  CHECK(client::parse_server_address("[::1]:80").value() == client::ServerAddress{"::1", 80});
  CHECK(client::parse_server_address("::1").value() == client::ServerAddress{"::1", 7171});
  CHECK_FALSE(client::parse_server_address("host:").ok());
  CHECK_FALSE(client::parse_server_address(":7171").ok());
  CHECK_FALSE(client::parse_server_address("host:0").ok());
  const auto big = client::parse_server_address("host:70000");
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message.find("70000") != std::string::npos);

  const std::string hex(64, 'a');
  const auto f = client::normalize_fingerprint(hex);
  REQUIRE(f.has_value());
  CHECK(f->size() == 95);
  CHECK(f->substr(0, 6) == "AA:AA:");
  CHECK(client::normalize_fingerprint(*f) == f);
  CHECK_FALSE(client::normalize_fingerprint("AA:BB").has_value());
  CHECK_FALSE(client::normalize_fingerprint(std::string(64, 'g')).has_value());
}

TEST_CASE("parse_server_address: brackets, default port and what each error says") {
  using client::parse_server_address;
  using client::ServerAddress;
  CHECK(parse_server_address("[::1]").value() == ServerAddress{"::1", 7171});
  CHECK(parse_server_address("1.2.3.4:5").value() == ServerAddress{"1.2.3.4", 5});
  CHECK(parse_server_address("host", 80).value() == ServerAddress{"host", 80});
  CHECK(parse_server_address("host:65535").value() == ServerAddress{"host", 65535});
  CHECK(parse_server_address("fe80::1:2").value() == ServerAddress{"fe80::1:2", 7171});

  const auto error_of = [](std::string_view text) {
    const auto r = parse_server_address(text);
    REQUIRE_FALSE(r.ok());
    return r.error().message;
  };
  CHECK(error_of("[::1").find("missing ']'") != std::string::npos);
  CHECK(error_of("[::1]x").find("expected ':' and a port after ']'") != std::string::npos);
  CHECK(error_of("[::1]:").find("missing port") != std::string::npos);
  CHECK(error_of("[]:80").find("missing host") != std::string::npos);
  CHECK(error_of("").find("missing host") != std::string::npos);
  CHECK(error_of("host:12a").find("port \"12a\" is not a number") != std::string::npos);
  CHECK(error_of("host:99999999").find("is not a number in 1..65535") != std::string::npos);
  CHECK(error_of("host:65536").find("port 65536 is out of range") != std::string::npos);
}

TEST_CASE("normalize_fingerprint: any case, colons anywhere, exactly 32 bytes") {
  std::string lower_with_colons;
  for (int i = 0; i < 32; ++i) {
    if (i != 0) lower_with_colons += ':';
    lower_with_colons += "a0";
  }
  const auto f = client::normalize_fingerprint(lower_with_colons);
  REQUIRE(f.has_value());
  CHECK(f->substr(0, 9) == "A0:A0:A0:");
  CHECK(client::normalize_fingerprint("aB" + std::string(62, '0')) ==
        client::normalize_fingerprint("Ab" + std::string(62, '0')));
  CHECK(client::normalize_fingerprint(":" + std::string(64, 'f') + ":") ==
        client::normalize_fingerprint(std::string(64, 'F')));
  CHECK_FALSE(client::normalize_fingerprint(std::string(63, 'a')).has_value());
  CHECK_FALSE(client::normalize_fingerprint(std::string(66, 'a')).has_value());
  CHECK_FALSE(client::normalize_fingerprint("").has_value());
  CHECK_FALSE(client::normalize_fingerprint(std::string(62, 'a') + " a").has_value());
}
