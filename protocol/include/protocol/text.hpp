#pragma once
/// \file JSON text in and out: parsing a message that arrived, writing one to send.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "world/result.hpp"

namespace protocol {

/// Parses one JSON document (strict: no comments, no trailing commas, valid UTF-8 only).
/// Malformed text is an error value saying where, e.g. "malformed JSON: parse error at line 1,
/// column 9: syntax error while parsing object - unexpected end of input; expected '}'".
/// A member named twice keeps its last value. Never throws (except std::bad_alloc).
[[nodiscard]] world::Result<nlohmann::json> parse_json(std::string_view text);

/// Compact JSON text of `j`. Never throws (except std::bad_alloc): unlike nlohmann's dump(),
/// invalid UTF-8 in a string (a name nobody validated) is written as U+FFFD.
[[nodiscard]] std::string dump(const nlohmann::json& j);

}  // namespace protocol
