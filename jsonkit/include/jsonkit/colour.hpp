#pragma once
/// \file The one rule for colours in JSON text: `"#rrggbb"`, hex digits in either case.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jsonkit {

/// The largest colour "#rrggbb" holds.
inline constexpr std::uint32_t kMaxRgb = 0xffffffu;

/// Reads "#rrggbb" (hex digits in either case) as 0xrrggbb; nullopt for any other text. A `max`
/// above 0xffffff, for a value that may be wider (libworld's Look::hair_colour is 32 bits), also
/// reads "#aarrggbb", which colour_text() writes for such a value; a value above `max` is refused.
[[nodiscard]] std::optional<std::uint32_t> parse_colour(std::string_view text,
                                                        std::uint32_t max = kMaxRgb);

/// "#rrggbb" in lower case; "#aarrggbb" for a value above 0xffffff.
[[nodiscard]] std::string colour_text(std::uint32_t colour);

/// `expected a colour "#rrggbb", got <got>`: the problem of a bad colour, with what was found as
/// the caller shows it (e.g. jsonkit::describe of the value).
[[nodiscard]] std::string colour_problem(std::string_view got);

}  // namespace jsonkit
