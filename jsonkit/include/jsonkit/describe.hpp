#pragma once
/// \file JSON values and names as messages show them.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace jsonkit {

/// A value for messages: scalars as JSON text (strings quoted and escaped, cut to 40 characters
/// and "..."), containers as "an array" or "an object".
[[nodiscard]] std::string describe(const nlohmann::json& value);

/// `"text"`, quoted as it is (no escapes), for names in messages.
[[nodiscard]] std::string quote(std::string_view text);

}  // namespace jsonkit
