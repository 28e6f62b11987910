#include "netserver/views.hpp"

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <utility>
#include <variant>

namespace netserver {
namespace {

using world::EntityId;
using world::ItemId;
using world::Position;

std::uint64_t pack(EntityId id) {
  return (std::uint64_t{id.index} << 32) | id.generation;
}
std::uint64_t pack(ItemId id) {
  return (std::uint64_t{id.index} << 32) | id.generation;
}

// Where a delta goes: up to two entities it is about, an owner who alone sees it, everyone, or a
// place. Derived from the audience each delta type declares (world/delta.hpp) and nothing else.
struct Route {
  enum Kind : std::uint8_t { Entity, Private, Broadcast, Positional } kind = Entity;
  EntityId a;  // the entity (Entity), the owner (Private)
  EntityId b;  // a second entity (hit and missed: the target)
};

template <class>
[[maybe_unused]] inline constexpr bool dependent_false = false;

// The entity an Audience::Entity delta is about (hit, missed, shot and a spell cast at a creature:
// both of theirs).
std::pair<EntityId, EntityId> subjects(const world::Appeared& d) {
  return {d.entity.id, {}};
}
std::pair<EntityId, EntityId> subjects(const world::Hit& d) {
  return {d.attacker, d.target};
}
std::pair<EntityId, EntityId> subjects(const world::Missed& d) {
  return {d.attacker, d.target};
}
std::pair<EntityId, EntityId> subjects(const world::Shot& d) {
  return {d.attacker, d.target};
}
std::pair<EntityId, EntityId> subjects(const world::SpellCast& d) {
  return {d.caster, d.target};
}
template <class T>
requires requires(const T& d) {
  EntityId{d.id};
}
std::pair<EntityId, EntityId> subjects(const T& d) {
  return {d.id, {}};
}

// The player who alone sees an Audience::Owner delta: one overload per type, so a new
// owner-only delta names its owner here or does not compile.
EntityId owner_of(const world::ExperienceChanged& d) {
  return d.id;
}
EntityId owner_of(const world::TriggerFired& d) {
  return d.id;
}
EntityId owner_of(const world::InventoryChanged& d) {
  return d.owner;
}
EntityId owner_of(const world::InventoryRemoved& d) {
  return d.owner;
}
EntityId owner_of(const world::StatsChanged& d) {
  return d.id;
}

Route route_of(const world::Delta& delta) {
  return std::visit(
      [](const auto& d) -> Route {
        using T = std::decay_t<decltype(d)>;
        using world::Audience;
        if constexpr (T::audience == Audience::Entity) {
          const auto [a, b] = subjects(d);
          return {Route::Entity, a, b};
        } else if constexpr (T::audience == Audience::Owner) {
          return {Route::Private, owner_of(d), {}};
        } else if constexpr (T::audience == Audience::Place) {
          return {Route::Positional, {}, {}};
        } else if constexpr (T::audience == Audience::Addressed) {
          if (d.to == EntityId{}) return {Route::Broadcast, {}, {}};
          return {Route::Private, d.to, {}};
        } else {
          static_assert(dependent_false<T>, "route_of: route the new audience");
        }
      },
      delta);
}

// Whether a viewer at `pos` sees an Audience::Place delta (one overload per type). Ground items
// also update the viewer's known items.
struct PlaceFilter {
  Position pos;
  std::int32_t radius;
  std::int32_t chat_radius;
  std::vector<ItemId>& known_items;
  bool operator()(const world::ItemDropped& d) const;
  bool operator()(const world::ItemTaken& d) const;
  bool operator()(const world::Said& d) const {
    return world::chebyshev(d.position, pos) <= chat_radius;
  }
  template <class T>
  requires(T::audience != world::Audience::Place) bool operator()(const T&) const {
    return false;  // not a place delta: never in the positional list
  }
};

// Inserts into / erases from a sorted vector.
template <class T>
void insert_sorted(std::vector<T>& v, T value) {
  const auto it = std::lower_bound(v.begin(), v.end(), value);
  if (it == v.end() || *it != value) v.insert(it, value);
}
template <class T>
bool erase_sorted(std::vector<T>& v, T value) {
  const auto it = std::lower_bound(v.begin(), v.end(), value);
  if (it == v.end() || *it != value) return false;
  v.erase(it);
  return true;
}

bool PlaceFilter::operator()(const world::ItemDropped& d) const {
  if (world::chebyshev(d.item.position, pos) > radius) return false;
  insert_sorted(known_items, d.item.id);
  return true;
}

bool PlaceFilter::operator()(const world::ItemTaken& d) const {
  return erase_sorted(known_items, d.id);
}

}  // namespace

Views::Views(std::int32_t radius, std::int32_t chat_radius)
    : radius_(radius < 0 ? 0 : radius), chat_radius_(chat_radius < 0 ? 0 : chat_radius) {}

Views::Client* Views::find(ClientKey client) {
  const auto it = std::lower_bound(clients_.begin(), clients_.end(), client,
                                   [](const Client& c, ClientKey k) { return c.key < k; });
  return it != clients_.end() && it->key == client ? &*it : nullptr;
}

const Views::Client* Views::find(ClientKey client) const {
  return const_cast<Views*>(this)->find(client);
}

bool Views::contains(ClientKey client) const {
  return find(client) != nullptr;
}

protocol::Entered Views::enter(ClientKey client, const world::World& world, EntityId entity,
                               ViewOptions options) {
  Client* c = find(client);
  if (c == nullptr) {
    const auto it = std::lower_bound(clients_.begin(), clients_.end(), client,
                                     [](const Client& x, ClientKey k) { return x.key < k; });
    c = &*clients_.insert(it, Client{});
    c->key = client;
  }
  protocol::Entered entered;
  entered.you = entity;
  entered.tick = world.tick();
  entered.character = world.export_character(entity).value_or(world::Character{});
  c->entity = entity;
  c->last_position = world.position(entity).value_or(Position{});
  c->ack_seq = 0;
  c->acked = false;
  c->options = options;
  c->options.batch_ticks =
      std::clamp<std::uint32_t>(options.batch_ticks, 1, protocol::kMaxBatchTicks);
  c->pending = false;
  c->pending_deltas.clear();
  c->pending_rejections.clear();
  world.query_radius(c->last_position, radius_, c->known);
  entered.snapshot.entities.reserve(c->known.size());
  for (const EntityId id : c->known) {
    if (auto state = world.entity(id)) entered.snapshot.entities.push_back(std::move(*state));
  }
  entered.snapshot.ground_items = world.ground_items_near(c->last_position, radius_);
  c->known_items.clear();
  for (const auto& item : entered.snapshot.ground_items)
    c->known_items.push_back(item.id);
  entered.snapshot.inventory = world.inventory(entity);
  return entered;
}

void Views::leave(ClientKey client) {
  const auto it = std::lower_bound(clients_.begin(), clients_.end(), client,
                                   [](const Client& c, ClientKey k) { return c.key < k; });
  if (it != clients_.end() && it->key == client) clients_.erase(it);
}

void Views::acknowledge(ClientKey client, std::uint32_t seq) {
  if (Client* c = find(client)) {
    c->ack_seq = seq;
    c->acked = true;
  }
}

protocol::Snapshot Views::view_of(ClientKey client, const world::World& world) const {
  protocol::Snapshot out;
  const Client* c = find(client);
  if (c == nullptr) return out;
  const auto at = world.position(c->entity);
  if (!at) return out;
  std::vector<EntityId> ids;
  world.query_radius(*at, radius_, ids);
  for (const EntityId id : ids) {
    if (auto state = world.entity(id)) out.entities.push_back(std::move(*state));
  }
  out.ground_items = world.ground_items_near(*at, radius_);
  out.inventory = world.inventory(c->entity);
  return out;
}

void Views::index_deltas(const world::StepResult& result) {
  for (const std::uint32_t s : touched_slots_) {
    slot_begin_[s] = 0;
    slot_end_[s] = 0;
  }
  touched_slots_.clear();
  by_entity_.clear();
  private_.clear();
  broadcast_.clear();
  positional_.clear();
  removed_slots_.clear();
  const auto n = static_cast<std::uint32_t>(result.deltas.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    const world::Delta& delta = result.deltas[i];
    const Route r = route_of(delta);
    switch (r.kind) {
      case Route::Entity:
        by_entity_.push_back({r.a.index, r.a.generation, i});
        if (r.b != EntityId{} && r.b != r.a) by_entity_.push_back({r.b.index, r.b.generation, i});
        if (const auto* removed = std::get_if<world::Removed>(&delta)) {
          removed_slots_.push_back(removed->id.index);
        }
        break;
      case Route::Private:
        private_.emplace_back(r.a.index, i);
        break;
      case Route::Broadcast:
        broadcast_.push_back(i);
        break;
      case Route::Positional:
        positional_.push_back(i);
        break;
    }
  }
  std::sort(by_entity_.begin(), by_entity_.end(), [](const Indexed& a, const Indexed& b) {
    return a.slot != b.slot ? a.slot < b.slot : a.delta < b.delta;
  });
  std::sort(private_.begin(), private_.end());
  std::sort(removed_slots_.begin(), removed_slots_.end());
  for (std::uint32_t k = 0; k < by_entity_.size(); ++k) {
    const std::uint32_t s = by_entity_[k].slot;
    if (s >= slot_begin_.size()) {
      slot_begin_.resize(static_cast<std::size_t>(s) + 1, 0);
      slot_end_.resize(static_cast<std::size_t>(s) + 1, 0);
    }
    if (slot_end_[s] == 0) {
      slot_begin_[s] = k;
      touched_slots_.push_back(s);
    }
    slot_end_[s] = k + 1;
  }
  fragments_.resize(n);
  fragment_ready_.assign(n, 0);
  compact_fragments_.resize(n);
  compact_ready_.assign(n, 0);
  synth_appeared_.clear();
  synth_removed_.clear();
  synth_dropped_.clear();
  synth_taken_.clear();
  fragments_encoded_ = 0;
}

const std::string& Views::fragment(const world::StepResult& result, std::uint32_t index) {
  if (fragment_ready_[index] == 0) {
    fragments_[index] = protocol::encode_delta_fragment(result.deltas[index]);
    fragment_ready_[index] = 1;
    ++fragments_encoded_;
  }
  return fragments_[index];
}

const std::string& Views::compact_fragment(const world::StepResult& result, std::uint32_t index) {
  if (compact_ready_[index] == 0) {
    compact_fragments_[index] =
        protocol::encode_compact_move(std::get<world::Moved>(result.deltas[index]));
    compact_ready_[index] = 1;
    ++fragments_encoded_;
  }
  return compact_fragments_[index];
}

const std::string& Views::appeared_fragment(const world::World& world, EntityId id) {
  auto [it, inserted] = synth_appeared_.try_emplace(pack(id));
  if (inserted) {
    it->second = protocol::encode_delta_fragment(world::Appeared{*world.entity(id)});
    ++fragments_encoded_;
  }
  return it->second;
}

const std::string& Views::out_of_view_fragment(const world::World& world, EntityId id) {
  auto [it, inserted] = synth_removed_.try_emplace(pack(id));
  if (inserted) {
    it->second = protocol::encode_delta_fragment(world::Removed{
        id, world.position(id).value_or(Position{}), world::RemoveReason::OutOfView});
    ++fragments_encoded_;
  }
  return it->second;
}

const std::string& Views::dropped_fragment(const world::ItemState& item) {
  auto [it, inserted] = synth_dropped_.try_emplace(pack(item.id));
  if (inserted) {
    it->second = protocol::encode_delta_fragment(world::ItemDropped{item});
    ++fragments_encoded_;
  }
  return it->second;
}

const std::string& Views::taken_fragment(const world::World& world, ItemId id) {
  auto [it, inserted] = synth_taken_.try_emplace(pack(id));
  if (inserted) {
    const auto item = world.item(id);
    it->second =
        protocol::encode_delta_fragment(world::ItemTaken{id, item ? item->position : Position{}});
    ++fragments_encoded_;
  }
  return it->second;
}

void Views::build(const world::World& world, const world::StepResult& result,
                  std::vector<Outgoing>& out) {
  index_deltas(result);
  entities_in_view_ = 0;
  moves_sent_ = 0;
  rejections_.assign(result.rejections.begin(), result.rejections.end());
  std::stable_sort(
      rejections_.begin(), rejections_.end(),
      [](const world::Rejection& a, const world::Rejection& b) { return a.actor < b.actor; });
  for (Client& c : clients_) {
    build_client(c, world, result, out);
    c.acked = false;
  }
}

void Views::build_client(Client& c, const world::World& world, const world::StepResult& result,
                         std::vector<Outgoing>& out) {
  const auto here = world.position(c.entity);
  if (!here) return;
  const Position pos = *here;
  world.query_radius(pos, radius_, visible_);
  entities_in_view_ += visible_.size();
  selected_.clear();
  tail_.clear();
  select_entity_deltas(c, world, result);
  select_own_deltas(c, result);
  select_positional_deltas(c, pos, result);
  if (pos != c.last_position) follow_ground_items(c, world, pos);
  c.known.swap(visible_);
  send(c, result, out);
}

void Views::select_entity_deltas(const Client& c, const world::World& world,
                                 const world::StepResult& result) {
  const auto slot_range = [&](EntityId id) {
    if (id.index >= slot_end_.size() || slot_end_[id.index] == 0) {
      return std::pair<std::uint32_t, std::uint32_t>{0, 0};
    }
    return std::pair<std::uint32_t, std::uint32_t>{slot_begin_[id.index], slot_end_[id.index]};
  };
  const auto left_world = [&](EntityId id) {
    return std::binary_search(removed_slots_.begin(), removed_slots_.end(), id.index) &&
           !world.position(id).has_value();
  };

  // Walk the sorted known and visible lists together.
  auto k = c.known.begin();
  auto v = visible_.begin();
  while (k != c.known.end() || v != visible_.end()) {
    const bool in_known = k != c.known.end() && (v == visible_.end() || *k <= *v);
    const bool in_visible = v != visible_.end() && (k == c.known.end() || *v <= *k);
    const EntityId id = in_known ? *k : *v;
    const auto [begin, end] = slot_range(id);
    if (in_known) {
      // Seen before the tick: everything about it, then out of view if it walked away.
      for (std::uint32_t i = begin; i < end; ++i) {
        if (by_entity_[i].generation == id.generation) selected_.push_back(by_entity_[i].delta);
      }
      if (!in_visible && !left_world(id)) tail_.push_back(&out_of_view_fragment(world, id));
    } else {
      // New in view: from its appearance in the world on, or as a whole at the end.
      bool appeared = false;
      for (std::uint32_t i = begin; i < end; ++i) {
        const Indexed& e = by_entity_[i];
        if (e.generation != id.generation) continue;
        if (!appeared && std::holds_alternative<world::Appeared>(result.deltas[e.delta])) {
          appeared = true;
        }
        if (appeared) selected_.push_back(e.delta);
      }
      if (!appeared) tail_.push_back(&appeared_fragment(world, id));
    }
    if (in_known) ++k;
    if (in_visible) ++v;
  }
}

void Views::select_own_deltas(const Client& c, const world::StepResult& result) {
  // What only this player sees, and what everyone sees.
  const auto own = std::equal_range(private_.begin(), private_.end(),
                                    std::pair<std::uint32_t, std::uint32_t>{c.entity.index, 0},
                                    [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto it = own.first; it != own.second; ++it) {
    const world::Delta& d = result.deltas[it->second];
    const Route r = route_of(d);
    if (r.a == c.entity) selected_.push_back(it->second);
  }
  selected_.insert(selected_.end(), broadcast_.begin(), broadcast_.end());
}

void Views::select_positional_deltas(Client& c, Position pos, const world::StepResult& result) {
  // Ground items and chat by place (in delta order, so a drop then a pick-up both count).
  const PlaceFilter sees_place{pos, radius_, chat_radius_, c.known_items};
  for (const std::uint32_t i : positional_) {
    if (std::visit(sees_place, result.deltas[i])) selected_.push_back(i);
  }
}

void Views::follow_ground_items(Client& c, const world::World& world, Position pos) {
  // Ground items entering and leaving the view of a player who moved.
  const std::vector<world::ItemState> near = world.ground_items_near(pos, radius_);
  std::vector<ItemId> now;
  now.reserve(near.size());
  auto known = c.known_items.begin();
  for (const world::ItemState& item : near) {
    while (known != c.known_items.end() && *known < item.id) {
      tail_.push_back(&taken_fragment(world, *known));
      ++known;
    }
    if (known != c.known_items.end() && *known == item.id) {
      ++known;
    } else {
      tail_.push_back(&dropped_fragment(item));
    }
    now.push_back(item.id);
  }
  for (; known != c.known_items.end(); ++known)
    tail_.push_back(&taken_fragment(world, *known));
  c.known_items = std::move(now);
  c.last_position = pos;
}

void Views::send(Client& c, const world::StepResult& result, std::vector<Outgoing>& out) {
  const auto own_rejections = std::equal_range(
      rejections_.begin(), rejections_.end(), world::Rejection{0, c.entity, 0, {}},
      [](const world::Rejection& a, const world::Rejection& b) { return a.actor < b.actor; });
  const bool rejected = own_rejections.first != own_rejections.second;
  const bool news = !selected_.empty() || !tail_.empty() || c.acked || rejected;
  if (!news && !c.pending) return;

  std::sort(selected_.begin(), selected_.end());
  selected_.erase(std::unique(selected_.begin(), selected_.end()), selected_.end());
  parts_.clear();
  parts_.reserve(selected_.size() + tail_.size());
  for (const std::uint32_t i : selected_) {
    const bool moved = std::holds_alternative<world::Moved>(result.deltas[i]);
    moves_sent_ += moved ? 1 : 0;
    parts_.emplace_back(moved && c.options.compact_moves ? compact_fragment(result, i)
                                                         : fragment(result, i));
  }
  for (const std::string* s : tail_)
    parts_.emplace_back(*s);
  const std::span<const world::Rejection> rejections{own_rejections.first, own_rejections.second};
  if (c.options.batch_ticks <= 1) {
    out.push_back(Outgoing{
        c.key, protocol::encode_tick_from_fragments(result.tick, c.ack_seq, parts_, rejections)});
    return;
  }
  // Gathered: this tick's part joins the pending ones; the message goes out once the oldest
  // has waited batch_ticks - 1 ticks, or the deltas grew past kBatchFlushBytes.
  if (news) {
    if (!c.pending) {
      c.pending = true;
      c.pending_since = result.tick;
    }
    for (const std::string_view part : parts_) {
      if (!c.pending_deltas.empty()) c.pending_deltas += ',';
      c.pending_deltas += part;
    }
    c.pending_rejections.insert(c.pending_rejections.end(), rejections.begin(), rejections.end());
  }
  const bool due = result.tick + 1 >= c.pending_since + c.options.batch_ticks ||
                   c.pending_deltas.size() >= kBatchFlushBytes;
  if (!due) return;
  parts_.clear();
  if (!c.pending_deltas.empty()) parts_.emplace_back(c.pending_deltas);
  out.push_back(Outgoing{c.key, protocol::encode_tick_from_fragments(result.tick, c.ack_seq, parts_,
                                                                     c.pending_rejections)});
  c.pending = false;
  c.pending_deltas.clear();
  c.pending_rejections.clear();
}

}  // namespace netserver
