#pragma once
// Private: base64 decoding for Tiled's "encoding": "base64" tile layers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace content::detail {

/// Decodes standard base64 (RFC 4648 alphabet; '=' padding optional; ASCII whitespace skipped).
/// On a character outside the alphabet, misplaced padding or a truncated final group, returns
/// nullopt and says why (with the offset) in `why`.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text,
                                                                     std::string& why);

}  // namespace content::detail
