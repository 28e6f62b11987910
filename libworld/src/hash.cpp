#include "world/hash.hpp"

namespace world {

Hasher& Hasher::add_bytes(std::span<const std::byte> bytes) {
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t w = 0;
    for (int b = 0; b < 8; ++b)
      w |= static_cast<std::uint64_t>(bytes[i + b]) << (8 * b);
    add(w);
  }
  std::uint64_t tail = 0;
  for (int b = 0; i < bytes.size(); ++i, ++b)
    tail |= static_cast<std::uint64_t>(bytes[i]) << (8 * b);
  add(tail);
  return add(bytes.size());
}

Hasher& Hasher::add_string(std::string_view s) {
  return add_bytes(std::as_bytes(std::span<const char>(s.data(), s.size())));
}

}  // namespace world
