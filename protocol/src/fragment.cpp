// encode_delta_fragment: the server's hot path, written straight into a string. It produces
// exactly the text dump(to_json(delta)) gives (members sorted by name, compact, integers in
// decimal, strings as nlohmann writes them), without building a JSON document: one allocation
// per delta instead of a std::map node per member. tests/protocol/fragment_test.cpp checks the
// two agree on every kind of delta and on awkward strings.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "protocol/session.hpp"
#include "protocol/text.hpp"
#include "writer.hpp"

namespace protocol {
namespace {

class Out {
 public:
  Out() { s_.reserve(160); }
  std::string take() && { return std::move(s_); }

  Out& raw(std::string_view v) {
    s_.append(v);
    return *this;
  }
  // `"name":` preceded by the comma a member after the first needs.
  Out& key(std::string_view name) {
    if (s_.back() != '{') s_.push_back(',');
    s_.push_back('"');
    s_.append(name);
    s_.append("\":");
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

void look(Out& o, const world::Look& l) {
  o.open();
  o.key("armor").num(l.armor);
  o.key("body").num(l.body);
  o.key("hair_colour").str(detail::colour_text(l.hair_colour));
  o.key("hair_style").num(l.hair_style);
  o.key("helmet").num(l.helmet);
  o.key("weapon").num(l.weapon);
  o.close();
}

void vitals(Out& o, const world::Vitals& v) {
  o.open();
  o.key("hp").num(v.hp);
  o.key("level").num(v.level);
  o.key("max_hp").num(v.max_hp);
  o.key("max_mp").num(v.max_mp);
  o.key("mp").num(v.mp);
  o.close();
}

void entity(Out& o, const world::EntityState& e) {
  o.open();
  o.key("character").num(static_cast<std::uint64_t>(e.character));
  o.key("facing").name(e.facing);
  o.key("id").id(e.id);
  o.key("kind").name(e.kind);
  o.key("look");
  look(o, e.look);
  o.key("name").str(e.name);
  o.key("npc_template").num(e.npc_template);
  o.key("position").pos(e.position);
  o.key("speed").num(e.speed);
  o.key("target").id(e.target);
  o.key("vitals");
  vitals(o, e.vitals);
  o.close();
}

void item(Out& o, const world::ItemState& i) {
  o.open();
  o.key("count").num(i.count);
  o.key("id").id(i.id);
  o.key("index").num(i.index);
  o.key("place").name(i.place);
  o.key("position").pos(i.position);
  o.key("type").num(i.type);
  o.close();
}

// Each delta's members in name order; "type" takes its place among them.
void fields(Out& o, const world::Appeared& d) {
  o.key("entity");
  entity(o, d.entity);
  o.key("type").raw("\"appeared\"");
}
void fields(Out& o, const world::Moved& d) {
  o.key("facing").name(d.facing);
  o.key("from").pos(d.from);
  o.key("id").id(d.id);
  o.key("to").pos(d.to);
  o.key("type").raw("\"moved\"");
}
void fields(Out& o, const world::Teleported& d) {
  o.key("from").pos(d.from);
  o.key("id").id(d.id);
  o.key("to").pos(d.to);
  o.key("type").raw("\"teleported\"");
}
void fields(Out& o, const world::Faced& d) {
  o.key("facing").name(d.facing);
  o.key("id").id(d.id);
  o.key("position").pos(d.position);
  o.key("type").raw("\"faced\"");
}
void fields(Out& o, const world::Removed& d) {
  o.key("id").id(d.id);
  o.key("position").pos(d.position);
  o.key("reason").name(d.reason);
  o.key("type").raw("\"removed\"");
}
void fields(Out& o, const world::Targeted& d) {
  o.key("id").id(d.id);
  o.key("position").pos(d.position);
  o.key("target").id(d.target);
  o.key("type").raw("\"targeted\"");
}
void fields(Out& o, const world::Hit& d) {
  o.key("attacker").id(d.attacker);
  o.key("damage").num(d.damage);
  o.key("position").pos(d.position);
  o.key("target").id(d.target);
  o.key("target_hp").num(d.target_hp);
  o.key("type").raw("\"hit\"");
}
void fields(Out& o, const world::Missed& d) {
  o.key("attacker").id(d.attacker);
  o.key("position").pos(d.position);
  o.key("target").id(d.target);
  o.key("type").raw("\"missed\"");
}
void fields(Out& o, const world::Died& d) {
  o.key("id").id(d.id);
  o.key("killer").id(d.killer);
  o.key("position").pos(d.position);
  o.key("type").raw("\"died\"");
}
void fields(Out& o, const world::VitalsChanged& d) {
  o.key("id").id(d.id);
  o.key("position").pos(d.position);
  o.key("type").raw("\"vitals_changed\"");
  o.key("vitals");
  vitals(o, d.vitals);
}
void fields(Out& o, const world::ExperienceChanged& d) {
  o.key("experience").num(d.experience);
  o.key("id").id(d.id);
  o.key("type").raw("\"experience_changed\"");
}
void fields(Out& o, const world::LookChanged& d) {
  o.key("id").id(d.id);
  o.key("look");
  look(o, d.look);
  o.key("position").pos(d.position);
  o.key("type").raw("\"look_changed\"");
}
void fields(Out& o, const world::ItemDropped& d) {
  o.key("item");
  item(o, d.item);
  o.key("type").raw("\"item_dropped\"");
}
void fields(Out& o, const world::ItemTaken& d) {
  o.key("id").id(d.id);
  o.key("position").pos(d.position);
  o.key("type").raw("\"item_taken\"");
}
void fields(Out& o, const world::InventoryChanged& d) {
  o.key("item");
  item(o, d.item);
  o.key("owner").id(d.owner);
  o.key("type").raw("\"inventory_changed\"");
}
void fields(Out& o, const world::InventoryRemoved& d) {
  o.key("item").id(d.item);
  o.key("owner").id(d.owner);
  o.key("type").raw("\"inventory_removed\"");
}
void fields(Out& o, const world::Said& d) {
  o.key("id").id(d.id);
  o.key("name").str(d.name);
  o.key("position").pos(d.position);
  o.key("text").str(d.text);
  o.key("type").raw("\"said\"");
}
void fields(Out& o, const world::SystemMessage& d) {
  o.key("text").str(d.text);
  o.key("to").id(d.to);
  o.key("type").raw("\"system_message\"");
}
void fields(Out& o, const world::TriggerFired& d) {
  o.key("id").id(d.id);
  o.key("kind").name(d.kind);
  o.key("message").str(d.message);
  o.key("position").pos(d.position);
  o.key("type").raw("\"trigger_fired\"");
}

}  // namespace

std::string encode_delta_fragment(const world::Delta& d) {
  Out o;
  o.open();
  std::visit([&](const auto& alternative) { fields(o, alternative); }, d);
  o.close();
  return std::move(o).take();
}

}  // namespace protocol
