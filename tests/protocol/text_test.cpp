// JSON text: parse_json's errors say where; 64-bit integers survive; dump never throws.
#include "protocol/text.hpp"

#include <cstdint>
#include <string>

#include <doctest/doctest.h>

#include "protocol/delta_json.hpp"

using nlohmann::json;

namespace {

std::string parse_error(std::string_view text) {
  const auto r = protocol::parse_json(text);
  REQUIRE_MESSAGE(!r.ok(), "accepted: " << text);
  return r.error().message;
}

}  // namespace

TEST_CASE("text: well-formed text parses") {
  const auto r = protocol::parse_json(R"({"type": "moved", "to": [1, -2]})");
  REQUIRE(r.ok());
  CHECK(r.value().at("to") == json::array({1, -2}));
}

TEST_CASE("text: malformed text is an error that says where") {
  CHECK(parse_error("").starts_with("malformed JSON: parse error at line 1, column 1: "));
  CHECK(parse_error(R"({"type": "moved",)") ==
        "malformed JSON: parse error at line 1, column 18: syntax error while parsing object key "
        "- unexpected end of input; expected string literal");
  // nlohmann counts the newline that ended the bad literal: "line 4, column 0".
  const std::string multi_line = parse_error("{\n  \"a\": 1,\n  \"b\": tru\n}");
  CHECK(multi_line.starts_with("malformed JSON: parse error at line 4"));
  CHECK(multi_line.find("invalid literal; last read: '\"b\": tru") != std::string::npos);
  CHECK(
      parse_error(R"({"a": 1} x)").starts_with("malformed JSON: parse error at line 1, column 10"));
  CHECK(parse_error(R"({"a": 1,})").starts_with("malformed JSON: parse error at line 1, column 9"));
  CHECK(parse_error("// comment\n{}").starts_with("malformed JSON: parse error at line 1"));
  CHECK(parse_error("{'a': 1}").starts_with("malformed JSON: parse error at line 1, column 2"));
  CHECK(parse_error("[1, 2").starts_with("malformed JSON: parse error at line 1, column 6"));
}

TEST_CASE("text: invalid UTF-8 and control characters in strings are refused") {
  CHECK(parse_error("\"bad \xff byte\"").find("ill-formed UTF-8") != std::string::npos);
  CHECK(parse_error("\"tab\there\"").find("control character") != std::string::npos);
}

TEST_CASE("text: the error for a huge bad token stays short") {
  const std::string text = "\"" + std::string(100000, 'a') + "\x01\"";
  const std::string error = parse_error(text);
  CHECK(error.size() < 300);
  CHECK(error.ends_with("..."));
}

TEST_CASE("text: unsigned 64-bit integers keep every bit") {
  const auto r = protocol::parse_json(
      R"({"a": 9007199254740993, "b": 18446744073709551615, "c": -9223372036854775808})");
  REQUIRE(r.ok());
  CHECK(r.value().at("a").is_number_unsigned());
  CHECK(r.value().at("a").get<std::uint64_t>() == (std::uint64_t{1} << 53) + 1);
  CHECK(r.value().at("b").get<std::uint64_t>() == UINT64_MAX);
  CHECK(r.value().at("c").get<std::int64_t>() == INT64_MIN);
  CHECK(protocol::dump(r.value()) ==
        R"({"a":9007199254740993,"b":18446744073709551615,"c":-9223372036854775808})");
}

TEST_CASE("text: a member named twice keeps the last value") {
  const auto r = protocol::parse_json(R"({"a": 1, "a": 2})");
  REQUIRE(r.ok());
  CHECK(r.value().at("a") == 2);
}

TEST_CASE("text: deep nesting neither crashes the parser nor the decoder") {
  const std::size_t depth = 100000;
  const std::string text = std::string(depth, '[') + std::string(depth, ']');
  const auto r = protocol::parse_json(text);
  REQUIRE(r.ok());
  const auto d = protocol::delta_from_json(r.value());
  REQUIRE(!d.ok());
  CHECK(d.error().message == "delta: expected an object, got an array");
}

TEST_CASE("text: dump is compact and writes invalid UTF-8 as U+FFFD instead of throwing") {
  CHECK(protocol::dump(json::parse(R"({ "b" : [1, 2], "a" : "x" })")) == R"({"a":"x","b":[1,2]})");
  const json bad = {{"name", "bad\xff"}};
  CHECK_THROWS(static_cast<void>(bad.dump()));  // what nlohmann does by default
  std::string text;
  CHECK_NOTHROW(text = protocol::dump(bad));
  CHECK(text == "{\"name\":\"bad\xef\xbf\xbd\"}");
  CHECK(protocol::parse_json(text).ok());
}
