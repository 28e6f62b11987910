// encode_delta_fragment: the server's hot path, written straight into a string. It produces
// exactly the text dump(to_json(delta)) gives (members sorted by name, compact, integers in
// decimal, strings as nlohmann writes them), without building a JSON document: one allocation
// per delta instead of a std::map node per member. Both walk the same member lists
// (delta_fields.hpp); this one in name order, unrolled at compile time.
// tests/protocol/fragment_test.cpp checks the two agree on every kind of delta and on awkward
// strings.

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "delta_fields.hpp"
#include "jsonkit/colour.hpp"
#include "protocol/session.hpp"
#include "protocol/text.hpp"

namespace protocol {
namespace detail {
namespace {

class Out {
 public:
  Out() { s_.reserve(160); }
  std::string take() && { return std::move(s_); }

  Out& raw(std::string_view v) {
    s_.append(v);
    return *this;
  }
  template <class I>
  requires std::is_integral_v<I> Out& num(I v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s_.append(buf, r.ptr);
    return *this;
  }
  // A string as nlohmann's dump writes it: plain ASCII is copied between quotes; anything
  // needing escapes or UTF-8 handling goes through nlohmann itself, so the text is identical.
  Out& str(std::string_view v) {
    for (const char c : v) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {
        s_.append(dump(nlohmann::json(v)));
        return *this;
      }
    }
    s_.push_back('"');
    s_.append(v);
    s_.push_back('"');
    return *this;
  }
  template <class E>
  requires std::is_enum_v<E> Out& name(E v) { return str(world::to_string(v)); }
  Out& id(std::uint32_t index, std::uint32_t generation, bool unset) {
    if (unset) return raw("null");
    s_.push_back('[');
    num(index);
    s_.push_back(',');
    num(generation);
    s_.push_back(']');
    return *this;
  }
  Out& id(world::EntityId v) { return id(v.index, v.generation, v == world::EntityId{}); }
  Out& id(world::ItemId v) { return id(v.index, v.generation, v == world::ItemId{}); }
  Out& pos(world::Position p) {
    s_.push_back('[');
    num(p.x);
    s_.push_back(',');
    num(p.y);
    s_.push_back(']');
    return *this;
  }
  Out& open() {
    s_.push_back('{');
    return *this;
  }
  Out& close() {
    s_.push_back('}');
    return *this;
  }

 private:
  std::string s_;
};

// What comes before a member's value, as one piece of text made at compile time: the comma
// unless the member is its object's first, `"name":`, and `{` when the value is an object (or,
// for a delta's "type", the quoted value itself).
struct MemberText {
  std::array<char, 48> chars{};
  std::size_t size = 0;

  constexpr void put(std::string_view text) {
    for (const char c : text)
      chars.at(size++) = c;
  }
  [[nodiscard]] constexpr std::string_view view() const { return {chars.data(), size}; }
};

constexpr MemberText member_text(std::string_view name, bool first, std::string_view after) {
  MemberText t;
  if (!first) t.put(",");
  t.put("\"");
  t.put(name);
  t.put("\":");
  t.put(after);
  return t;
}

template <Described T>
void members(Out& o, const T& v);

// One member's value, as nlohmann's dump writes it (an object's `{` is in its MemberText).
template <typename V>
void value(Out& o, const V& v) {
  if constexpr (std::is_same_v<V, world::CharacterId>) {
    o.num(static_cast<std::uint64_t>(v));
  } else if constexpr (std::is_enum_v<V>) {
    o.name(v);
  } else if constexpr (std::is_integral_v<V>) {
    o.num(v);
  } else if constexpr (std::is_same_v<V, std::string>) {
    o.str(v);
  } else if constexpr (std::is_same_v<V, world::EntityId> || std::is_same_v<V, world::ItemId>) {
    o.id(v);
  } else if constexpr (std::is_same_v<V, world::Position>) {
    o.pos(v);
  } else {
    members(o, v);
    o.close();
  }
}

// Member K of member_names<T>() (the last of a delta's is "type").
template <std::size_t K, bool kFirst, typename T>
void member_at(Out& o, const T& v) {
  if constexpr (K == std::tuple_size_v<decltype(Wire<T>::members)>) {
    static constexpr MemberText kType = [] {
      MemberText t = member_text("type", kFirst, "\"");
      t.put(Wire<T>::type);
      t.put("\"");
      return t;
    }();
    o.raw(kType.view());
  } else {
    constexpr auto m = std::get<K>(Wire<T>::members);
    using Value = std::remove_cvref_t<decltype(v.*m.field)>;
    static constexpr MemberText kText = member_text(m.name, kFirst, Described<Value> ? "{" : "");
    o.raw(kText.view());
    if constexpr (std::is_same_v<decltype(m), const ColourMember<T>>) {
      o.str(jsonkit::colour_text(v.*m.field));
    } else {
      value(o, v.*m.field);
    }
  }
}

// The members of an object in name order, as in a document (delta_fields.hpp lists them); the
// caller writes the braces.
template <Described T>
void members(Out& o, const T& v) {
  static_assert(names_unique<T>());
  static constexpr auto kOrder = name_order<T>();
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (member_at<kOrder[I], I == 0>(o, v), ...);
  }
  (std::make_index_sequence<kOrder.size()>{});
}

}  // namespace
}  // namespace detail

std::string encode_delta_fragment(const world::Delta& d) {
  detail::Out o;
  o.open();
  std::visit([&](const auto& alternative) { detail::members(o, alternative); }, d);
  o.close();
  return std::move(o).take();
}

}  // namespace protocol
