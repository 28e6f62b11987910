#include "content/vocations.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "json_reader.hpp"

namespace content {
namespace {

using detail::Json;
using detail::Path;
using detail::quote;

constexpr std::int64_t kMaxStat = 1000000;  // hit points, mana, attack, defense (and per level)

// Content keys to ids.
using KeyIndex = std::map<std::string, std::uint32_t, std::less<>>;

template <typename T>
KeyIndex index_by_key(const std::vector<T>& list) {
  KeyIndex index;
  for (std::size_t i = 0; i < list.size(); ++i)
    index.emplace(list[i].key, static_cast<std::uint32_t>(i));
  return index;
}

struct Lookups {
  const std::vector<world::ItemType>& items;
  KeyIndex items_by_key;
  KeyIndex spells_by_key;
};

// Reads the array `member` of strings, each a key found in `index` ("unknown <what>" if not) and
// named once; `accept(id, at)` may refuse an id (returning false after reporting). Returns the
// ids in file order.
template <typename Accept>
std::vector<std::uint32_t> read_keys(detail::ObjectReader& r, std::string_view member,
                                     const KeyIndex& index, std::string_view what, Accept accept) {
  std::vector<std::uint32_t> ids;
  const Json* list = r.array(member, false);
  if (list == nullptr) return ids;
  detail::Diagnostics& diag = r.diagnostics();
  const Path list_at(r.path(), member);
  std::map<std::uint32_t, std::size_t> seen;  // id -> first index
  for (std::size_t i = 0; i < list->size() && !diag.failed(); ++i) {
    const Path at(list_at, i);
    const Json& entry = (*list)[i];
    if (!entry.is_string()) {
      diag.fail(
          at, "expected a string (" + std::string(what) + " key), got " + detail::describe(entry));
      break;
    }
    const std::string key = entry.get<std::string>();
    const auto found = index.find(key);
    if (found == index.end()) {
      diag.fail(at, "unknown " + std::string(what) + " " + quote(key));
      break;
    }
    if (const auto [it, fresh] = seen.emplace(found->second, i); !fresh) {
      diag.fail(at,
                quote(key) + " is listed twice (first at " + Path(list_at, it->second).str() + ")");
      break;
    }
    if (!accept(found->second, at)) break;
    ids.push_back(found->second);
  }
  return ids;
}

void read_start_items(detail::ObjectReader& voc, const Lookups& look, world::Vocation& v) {
  const Json* list = voc.array("start_items", false);
  if (list == nullptr) return;
  detail::Diagnostics& diag = voc.diagnostics();
  const Path list_at(voc.path(), "start_items");
  std::map<std::uint32_t, std::size_t> seen;  // item type -> first index
  detail::for_each_object(
      diag, *list, list_at, [&](const Json& entry, const Path& at, std::size_t i) {
        detail::ObjectReader r{diag, entry, at};
        const std::optional<std::string> key = r.string("item", true);
        if (!key) return;
        const auto found = look.items_by_key.find(*key);
        if (found == look.items_by_key.end()) {
          r.fail("item", "unknown item " + quote(*key));
          return;
        }
        const world::ItemType& item = look.items[found->second];
        if (const auto [it, fresh] = seen.emplace(found->second, i); !fresh) {
          r.fail("item", "item " + quote(*key) + " is listed twice (first at " +
                             Path(list_at, it->second).str() + "); give one count");
          return;
        }
        const std::int64_t count = r.integer("count", 1, 1, kMaxStat);
        if (diag.failed()) return;
        if (count > item.max_stack) {
          r.fail("count", item.stackable
                              ? std::to_string(count) + " exceeds the max_stack of item " +
                                    quote(item.key) + " (" + std::to_string(item.max_stack) + ")"
                              : "item " + quote(item.key) +
                                    " is not stackable, so the count must be 1, got " +
                                    std::to_string(count));
          return;
        }
        if (item.kind == world::ItemKind::Weapon && !v.weapons.empty() &&
            std::find(v.weapons.begin(), v.weapons.end(), found->second) == v.weapons.end()) {
          r.fail("item", "weapon " + quote(item.key) + " is not among the vocation's weapons");
          return;
        }
        v.start_items.push_back(world::ItemStack{found->second, static_cast<std::uint16_t>(count)});
      });
}

void read_vocation(detail::ObjectReader& r, const Lookups& look, world::Vocation& v) {
  v.name = r.nonempty_string("name");
  const auto stat = [&r](std::string_view member, std::int32_t fallback, std::int64_t min) {
    return static_cast<std::int32_t>(r.integer(member, fallback, min, kMaxStat));
  };
  v.max_hp = stat("max_hp", v.max_hp, 1);
  v.max_mp = stat("max_mp", v.max_mp, 0);
  v.attack = stat("attack", v.attack, 0);
  v.defense = stat("defense", v.defense, 0);
  v.hp_per_level = stat("hp_per_level", v.hp_per_level, 0);
  v.mp_per_level = stat("mp_per_level", v.mp_per_level, 0);
  v.attack_per_level = stat("attack_per_level", v.attack_per_level, 0);
  v.defense_per_level = stat("defense_per_level", v.defense_per_level, 0);
  if (r.diagnostics().failed()) return;

  detail::Diagnostics& diag = r.diagnostics();
  v.weapons =
      read_keys(r, "weapons", look.items_by_key, "item", [&](std::uint32_t id, const Path& at) {
        const world::ItemType& item = look.items[id];
        if (item.kind == world::ItemKind::Weapon) return true;
        diag.fail(at, "item " + quote(item.key) + " is not a weapon (kind " +
                          quote(std::string(world::to_string(item.kind))) + ")");
        return false;
      });
  if (diag.failed()) return;
  v.spells = read_keys(r, "spells", look.spells_by_key, "spell",
                       [](std::uint32_t, const Path&) { return true; });
  std::sort(v.spells.begin(), v.spells.end());
  if (diag.failed()) return;
  read_start_items(r, look, v);
}

}  // namespace

world::Result<std::vector<world::Vocation>> parse_vocations(
    std::string_view json, std::string_view file_name, const std::vector<world::ItemType>& items,
    const std::vector<world::SpellType>& spells) {
  const Lookups look{items, index_by_key(items), index_by_key(spells)};
  world::Result<std::vector<world::Vocation>> out = detail::parse_keyed_list<world::Vocation>(
      json, file_name, "vocations",
      [&look](detail::ObjectReader& r, world::Vocation& v) { read_vocation(r, look, v); });
  if (out.ok() && out.value().empty()) {
    detail::Diagnostics diag{std::string(file_name)};
    diag.fail(Path("vocations"),
              "must list at least one vocation (the first is what characters made before "
              "vocations existed get)");
    return diag.error();
  }
  return out;
}

}  // namespace content
