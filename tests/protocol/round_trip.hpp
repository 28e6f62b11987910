#pragma once
// Helpers shared by the protocol tests: a value through JSON *text* and back (to_json, dump,
// parse_json, *_from_json), and the error message of a document that must be refused.

#include <string>
#include <string_view>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "protocol/protocol.hpp"

namespace protocol_test {

/// `value` encoded, written as text, parsed and decoded with `decode`; fails the test when any
/// step fails. The caller compares the result with `value`.
template <typename T, typename Decode>
T through_text(const T& value, Decode decode) {
  const std::string text = protocol::dump(protocol::to_json(value));
  const auto parsed = protocol::parse_json(text);
  REQUIRE_MESSAGE(parsed.ok(), text << ": " << (parsed.ok() ? "" : parsed.error().message));
  auto decoded = decode(parsed.value());
  REQUIRE_MESSAGE(decoded.ok(), text << ": " << (decoded.ok() ? "" : decoded.error().message));
  return std::move(decoded).value();
}

/// Checks that `value` comes back equal from JSON text.
template <typename T, typename Decode>
void check_round_trip(const T& value, Decode decode) {
  const T back = through_text(value, decode);
  CHECK_MESSAGE(back == value, "changed in transit: " << protocol::dump(protocol::to_json(value))
                                                      << " came back as "
                                                      << protocol::dump(protocol::to_json(back)));
}

/// The error message `decode` gives for the JSON `text` (which must parse); fails the test when
/// the document is accepted.
template <typename Decode>
std::string error_of(std::string_view text, Decode decode) {
  const auto parsed = protocol::parse_json(text);
  REQUIRE_MESSAGE(parsed.ok(), text << ": " << (parsed.ok() ? "" : parsed.error().message));
  const auto decoded = decode(parsed.value());
  REQUIRE_MESSAGE(!decoded.ok(), "accepted: " << text);
  return decoded.error().message;
}

}  // namespace protocol_test
