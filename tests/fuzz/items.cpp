// Fuzz target: content::parse_item_types (items.json). Any text gives item types or an error
// naming the file.
#include <cstddef>
#include <cstdint>

#include "content/items.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto items = content::parse_item_types(fuzz::text_of(data, size), "items.json");
  if (!items.ok()) {
    fuzz::require(items.error().message.starts_with("items.json"), "an error names the file");
  }
  return 0;
}
