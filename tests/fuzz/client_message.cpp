// Fuzz target: protocol::decode_client_message, the first thing the server does with every
// frame a client sends. Whatever the text, decoding returns a message or an error value; a
// message it accepts encodes and decodes back to itself.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "protocol/session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto decoded = protocol::decode_client_message(fuzz::text_of(data, size));
  if (!decoded.ok()) {
    fuzz::require(!decoded.error().message.empty(), "a refused message says why");
    return 0;
  }
  const std::string text = protocol::encode(decoded.value());
  const auto again = protocol::decode_client_message(text, text.size());
  fuzz::require(again.ok(), "an accepted message encodes to a message that decodes");
  fuzz::require(again.value() == decoded.value(), "an accepted message survives encode+decode");
  return 0;
}
