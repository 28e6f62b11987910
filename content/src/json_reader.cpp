#include "json_reader.hpp"

#include <cmath>
#include <limits>
#include <set>
#include <vector>

namespace content::detail {
namespace {

// A SAX pass that builds nothing: it remembers where it is (for the path of a duplicate member)
// and keeps the parser's own message (line and column) of a syntax error. nlohmann::json keeps
// the last of two equal members silently, so a typo like a second "attack" would go unnoticed.
class DocumentChecker {
 public:
  bool null() { return value_done(); }
  bool boolean(bool /*value*/) { return value_done(); }
  bool number_integer(Json::number_integer_t /*value*/) { return value_done(); }
  bool number_unsigned(Json::number_unsigned_t /*value*/) { return value_done(); }
  bool number_float(Json::number_float_t /*value*/, const Json::string_t& /*text*/) {
    return value_done();
  }
  bool string(Json::string_t& /*value*/) { return value_done(); }
  bool binary(Json::binary_t& /*value*/) { return value_done(); }
  bool start_object(std::size_t /*elements*/) {
    frames_.push_back(Frame{false, 0, {}, {}});
    return true;
  }
  bool key(Json::string_t& name) {
    Frame& f = frames_.back();
    if (!f.keys.insert(name).second) {
      duplicate_ = "duplicate member " + quote(name);
      path_ = path();
      return false;
    }
    f.key = name;
    return true;
  }
  bool end_object() {
    frames_.pop_back();
    return value_done();
  }
  bool start_array(std::size_t /*elements*/) {
    frames_.push_back(Frame{true, 0, {}, {}});
    return true;
  }
  bool end_array() {
    frames_.pop_back();
    return value_done();
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const Json::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 5: ...".
    std::string_view what = e.what();
    if (const std::size_t end = what.find("] "); end != std::string_view::npos) {
      what.remove_prefix(end + 2);
    }
    syntax_error_ = std::string(what);
    return false;
  }

  [[nodiscard]] const std::optional<std::string>& syntax_error() const { return syntax_error_; }
  [[nodiscard]] const std::optional<std::string>& duplicate() const { return duplicate_; }
  [[nodiscard]] const std::string& duplicate_path() const { return path_; }

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;       // arrays: index of the element being read
    std::string key;             // objects: member being read
    std::set<std::string> keys;  // objects: members seen so far
  };

  bool value_done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }

  // Path of the innermost object (the one holding the duplicate).
  [[nodiscard]] std::string path() const {
    std::vector<Path> chain;  // each frame points at the one before: no reallocation
    chain.reserve(frames_.size());
    chain.emplace_back();
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      if (f.array) {
        chain.emplace_back(chain.back(), f.index);
      } else {
        chain.emplace_back(chain.back(), f.key);
      }
    }
    return chain.back().str();
  }

  std::vector<Frame> frames_;
  std::optional<std::string> syntax_error_;
  std::optional<std::string> duplicate_;
  std::string path_;
};

}  // namespace

world::Result<Json> parse_document(std::string_view text, std::string_view file_name) {
  DocumentChecker checker;
  Diagnostics diag{std::string(file_name)};
  if (!Json::sax_parse(text.begin(), text.end(), &checker)) {
    if (checker.duplicate()) {
      diag.fail(Path(checker.duplicate_path()), *checker.duplicate());
    } else {
      diag.fail("malformed JSON: " + checker.syntax_error().value_or("parse error"));
    }
    return diag.error();
  }
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) {  // the checker accepted it, so this should not happen
    diag.fail("malformed JSON");
    return diag.error();
  }
  return doc;
}

std::optional<std::int64_t> checked_integer(const Json& value, std::int64_t min, std::int64_t max,
                                            std::string& why) {
  const std::string range = "must be in " + std::to_string(min) + ".." + std::to_string(max);
  if (!value.is_number_integer()) {
    why = "expected an integer, got " + describe(value);
    return std::nullopt;
  }
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    why = range + ", got " + describe(value);
    return std::nullopt;
  }
  const auto v = value.get<std::int64_t>();
  if (v < min || v > max) {
    why = range + ", got " + std::to_string(v);
    return std::nullopt;
  }
  return v;
}

const Json* ObjectReader::find(std::string_view member) const {
  const auto it = object_.find(member);
  return it == object_.end() ? nullptr : &*it;
}

void ObjectReader::fail(std::string_view member, std::string_view what) const {
  diag_.fail(Path(path_, member), what);
}

const Json* ObjectReader::present(std::string_view member, bool required) {
  if (diag_.failed()) return nullptr;
  const Json* v = find(member);
  if (v == nullptr && required) fail(member, "missing");
  return v;
}

std::optional<std::string> ObjectReader::string(std::string_view member, bool required) {
  const Json* v = present(member, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(member, "expected a string, got " + describe(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::string ObjectReader::nonempty_string(std::string_view member) {
  std::optional<std::string> s = string(member, true);
  if (s && s->empty()) fail(member, "must not be empty");
  return s.value_or(std::string{});
}

std::string ObjectReader::key(std::string_view member) {
  std::optional<std::string> s = string(member, true);
  if (!s) return {};
  constexpr std::size_t kMaxKey = 64;
  bool ok = !s->empty() && s->size() <= kMaxKey;
  for (const char c : *s) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!ok) {
    fail(member, "expected 1 to 64 lower-case letters, digits or underscores, got " + quote(*s));
    return {};
  }
  return *s;
}

bool ObjectReader::boolean(std::string_view member, bool fallback) {
  const Json* v = present(member, false);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) {
    fail(member, "expected true or false, got " + describe(*v));
    return fallback;
  }
  return v->get<bool>();
}

std::int64_t ObjectReader::integer(std::string_view member, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) {
  if (find(member) == nullptr) return fallback;
  return required_integer(member, min, max).value_or(fallback);
}

std::optional<std::int64_t> ObjectReader::required_integer(std::string_view member,
                                                           std::int64_t min, std::int64_t max) {
  const Json* v = present(member, true);
  if (v == nullptr) return std::nullopt;
  std::string why;
  const std::optional<std::int64_t> out = checked_integer(*v, min, max, why);
  if (!out) fail(member, why);
  return out;
}

double ObjectReader::number(std::string_view member, double fallback) {
  const Json* v = present(member, false);
  if (v == nullptr) return fallback;
  if (!v->is_number() || !std::isfinite(v->get<double>())) {
    fail(member, "expected a number, got " + describe(*v));
    return fallback;
  }
  return v->get<double>();
}

std::optional<double> ObjectReader::required_number(std::string_view member) {
  if (present(member, true) == nullptr) return std::nullopt;
  const double v = number(member, 0.0);
  if (diag_.failed()) return std::nullopt;
  return v;
}

const Json* ObjectReader::array(std::string_view member, bool required) {
  const Json* v = present(member, required);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    fail(member, "expected an array, got " + describe(*v));
    return nullptr;
  }
  return v;
}

const Json* ObjectReader::object(std::string_view member, bool required) {
  const Json* v = present(member, required);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    fail(member, "expected an object, got " + describe(*v));
    return nullptr;
  }
  return v;
}

}  // namespace content::detail
