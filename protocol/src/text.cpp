#include "protocol/text.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

namespace protocol {
namespace {

using Json = nlohmann::json;

// A SAX handler that accepts every value and keeps the parser's message for a syntax error
// ("parse error at line 1, column 9: ..."). It runs only after the fast parse has failed, to say
// where: nlohmann's parse(text, nullptr, false) returns a discarded value without a reason.
class SyntaxErrorCatcher {
 public:
  bool null() { return true; }
  bool boolean(bool /*value*/) { return true; }
  bool number_integer(Json::number_integer_t /*value*/) { return true; }
  bool number_unsigned(Json::number_unsigned_t /*value*/) { return true; }
  bool number_float(Json::number_float_t /*value*/, const Json::string_t& /*text*/) { return true; }
  bool string(Json::string_t& /*value*/) { return true; }
  bool binary(Json::binary_t& /*value*/) { return true; }
  bool start_object(std::size_t /*elements*/) { return true; }
  bool key(Json::string_t& /*name*/) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t /*elements*/) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const Json::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 5: ...".
    std::string_view what = e.what();
    if (const std::size_t end = what.find("] "); end != std::string_view::npos) {
      what.remove_prefix(end + 2);
    }
    // The message quotes the token being read, which may be a long string.
    constexpr std::size_t kMax = 200;
    std::string message(what.substr(0, kMax));
    if (what.size() > kMax) message += "...";
    message_ = std::move(message);
    return false;
  }

  [[nodiscard]] const std::optional<std::string>& message() const { return message_; }

 private:
  std::optional<std::string> message_;
};

}  // namespace

world::Result<nlohmann::json> parse_json(std::string_view text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) return doc;
  SyntaxErrorCatcher catcher;
  static_cast<void>(Json::sax_parse(text.begin(), text.end(), &catcher));
  return world::Error{"malformed JSON: " + catcher.message().value_or("parse error")};
}

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace protocol
