// The built-in bots. Every decision comes from the mirror, the tick and the bot's own
// world::Rng, so a seed reproduces a bot's choices.

#include "client/behaviours.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <utility>

#include "world/rng.hpp"

namespace client {
namespace {

using world::Direction;
using world::Position;
using world::Tick;

constexpr std::array kDirections{Direction::North, Direction::East, Direction::South,
                                 Direction::West};

const std::vector<std::string>& default_phrases() {
  static const std::vector<std::string> phrases{"Hello there!",
                                                "Nice weather for a walk.",
                                                "Anyone seen the rats?",
                                                "Selling wool, cheap!",
                                                "Where is the dungeon?",
                                                "I could use a potion.",
                                                "What a fine town.",
                                                "Time for an adventure!",
                                                "Watch out for the wolves.",
                                                "Has anyone found a sword?"};
  return phrases;
}

// Movement, wandering and healing shared by the behaviours.
class BasicBot : public Bot {
 public:
  explicit BasicBot(BehaviourOptions options) : opt_(std::move(options)), rng_(opt_.seed) {}

  void on_entered(const WorldMirror& m, const protocol::Welcome& welcome) override {
    tick_rate_ = welcome.tick_rate == 0 ? 20 : welcome.tick_rate;
    last_move_seq_ = 0;
    move_resolved_ = true;
    next_move_tick_ = m.tick();
    steps_left_ = 0;
    pause_until_ = 0;
    blocked_ = 0;
    if (m.content()) {
      const world::WorldConfig& c = m.content()->config;
      if (opt_.item_types.empty()) opt_.item_types = c.item_types;
      if (opt_.spells.empty()) opt_.spells = c.spells;
      if (opt_.vocations.empty()) opt_.vocations = c.vocations;
    }
    entered(m);
  }

  void on_tick(const WorldMirror& m, CommandSink& sink) final {
    resolve_move(m);
    for (const world::Rejection& r : m.rejections())
      rejected(m, r);
    think(m, sink, m.tick());
  }

  void on_idle(const WorldMirror& m, CommandSink& sink, Tick now) final { think(m, sink, now); }

 protected:
  virtual void entered(const WorldMirror& m) { (void)m; }
  virtual void think(const WorldMirror& m, CommandSink& sink, Tick now) = 0;
  virtual void rejected(const WorldMirror& m, const world::Rejection& r) {
    (void)m;
    (void)r;
  }

  // Ticks between two steps at the own speed (as libworld's move cooldown counts them).
  [[nodiscard]] Tick cooldown(const world::EntityState& self) const {
    const std::uint32_t tenths = tick_rate_ * 10u;
    return std::max<Tick>(1, (tenths + self.speed - 1) / self.speed);
  }

  [[nodiscard]] bool may_move(const WorldMirror& m, Tick now) const {
    const world::EntityState* self = m.self();
    if (self == nullptr || self->speed == 0 || now < next_move_tick_) return false;
    return last_move_seq_ == 0 || m.ack_seq() >= last_move_seq_;
  }

  bool step(const WorldMirror& m, CommandSink& sink, Tick now, Direction d) {
    if (!may_move(m, now)) return false;
    const std::uint32_t seq = sink.move(d);
    if (seq == 0) return false;
    last_move_seq_ = seq;
    move_resolved_ = false;
    move_cooldown_ = cooldown(*m.self());
    next_move_tick_ = now + move_cooldown_;
    return true;
  }

  // A few steps one way, a pause now and then.
  void wander(const WorldMirror& m, CommandSink& sink, Tick now) {
    if (now < pause_until_) return;
    if (steps_left_ == 0) {
      if (!paused_ && rng_.percent(25)) {
        paused_ = true;
        pause_until_ = now + static_cast<Tick>(rng_.range(5, 40));
        return;
      }
      paused_ = false;
      direction_ = kDirections[rng_.below(4)];
      steps_left_ = static_cast<std::uint32_t>(rng_.range(2, 8));
    }
    if (step(m, sink, now, direction_)) --steps_left_;
  }

  // One step towards `target`, along the longer axis first; around an obstacle after a
  // refused step.
  void approach(const WorldMirror& m, CommandSink& sink, Tick now, Position target) {
    if (!may_move(m, now)) return;
    const Position me = m.self()->position;
    const std::int32_t dx = target.x - me.x;
    const std::int32_t dy = target.y - me.y;
    if (dx == 0 && dy == 0) return;
    const Direction horizontal = dx > 0 ? Direction::East : Direction::West;
    const Direction vertical = dy > 0 ? Direction::South : Direction::North;
    Direction first = std::abs(dx) >= std::abs(dy) ? horizontal : vertical;
    Direction second = first == horizontal ? vertical : horizontal;
    if (dx == 0) first = second = vertical;
    if (dy == 0) first = second = horizontal;
    Direction d = first;
    if (blocked_ == 1) d = second;
    if (blocked_ > 1) d = kDirections[rng_.below(4)];
    step(m, sink, now, d);
  }

  // Drinks a healing potion when hit points are below `percent` of the maximum.
  void maybe_heal(const WorldMirror& m, CommandSink& sink, Tick now, std::int32_t percent) {
    const world::EntityState* self = m.self();
    if (self == nullptr || opt_.item_types.empty() || now < next_use_tick_) return;
    if (self->vitals.hp * 100 >= self->vitals.max_hp * percent) return;
    for (const world::ItemState& item : m.inventory()) {
      if (item.place != world::ItemPlace::Backpack || item.type >= opt_.item_types.size()) continue;
      const world::ItemType& type = opt_.item_types[item.type];
      if (type.kind == world::ItemKind::Potion && type.heal_hp > 0) {
        if (sink.use(item.id) != 0) next_use_tick_ = now + 20;
        return;
      }
    }
  }

  BehaviourOptions opt_;
  world::Rng rng_;
  std::uint32_t tick_rate_ = 20;

 private:
  // When the last step was processed: a refused step means an obstacle.
  void resolve_move(const WorldMirror& m) {
    if (move_resolved_ || last_move_seq_ == 0 || m.ack_seq() < last_move_seq_) return;
    move_resolved_ = true;
    for (const world::Rejection& r : m.rejections()) {
      if (r.seq != last_move_seq_) continue;
      if (r.reason == world::RejectReason::Cooldown) {
        next_move_tick_ = m.tick() + 1;
      } else {
        ++blocked_;
        steps_left_ = 0;
      }
      return;
    }
    // The step happened in this message's tick: the next one may be processed a cooldown
    // later, so it goes out one tick before that.
    blocked_ = 0;
    next_move_tick_ = std::max(next_move_tick_, m.tick() + move_cooldown_ - 1);
  }

  std::uint32_t last_move_seq_ = 0;
  Tick move_cooldown_ = 1;
  bool move_resolved_ = true;
  Tick next_move_tick_ = 0;
  Tick next_use_tick_ = 0;
  Direction direction_ = Direction::North;
  std::uint32_t steps_left_ = 0;
  Tick pause_until_ = 0;
  bool paused_ = false;
  std::uint32_t blocked_ = 0;
};

class WanderBot final : public BasicBot {
 public:
  using BasicBot::BasicBot;

 protected:
  void think(const WorldMirror& m, CommandSink& sink, Tick now) override { wander(m, sink, now); }
};

class HunterBot final : public BasicBot {
 public:
  using BasicBot::BasicBot;

 protected:
  void think(const WorldMirror& m, CommandSink& sink, Tick now) override {
    const world::EntityState* self = m.self();
    if (self == nullptr) return;
    maybe_heal(m, sink, now, 30);
    const world::EntityState* prey = nullptr;
    std::int32_t best = 0;
    for (const world::EntityState& e : m.entities()) {
      if (e.kind != world::EntityKind::Npc || e.vitals.hp <= 0) continue;
      const std::int32_t d = world::chebyshev(self->position, e.position);
      if (prey == nullptr || d < best) {  // entities come sorted by id: ties keep the lowest
        prey = &e;
        best = d;
      }
    }
    if (prey == nullptr) return wander(m, sink, now);
    if (self->target != prey->id && now >= next_attack_tick_) {
      const std::uint32_t seq = sink.attack(prey->id);
      if (seq != 0) {
        attack_seq_ = seq;
        next_attack_tick_ = now + 10;
      }
    }
    if (maybe_cast(m, sink, now, *prey, best)) return;
    if (best > reach(m)) approach(m, sink, now, prey->position);
  }

  // How far its wielded weapon reaches (1 without one, or without the item types).
  std::int32_t reach(const WorldMirror& m) const {
    for (const world::CarriedItem& it : m.character().items) {
      if (it.place == world::ItemPlace::Equipment && it.type < opt_.item_types.size() &&
          opt_.item_types[it.type].slot == world::EquipSlot::Weapon) {
        return std::max(opt_.item_types[it.type].range, 1);
      }
    }
    return 1;
  }

  // A self heal below half its HP, else the first damage spell its vocation knows that reaches
  // the prey; one cast per spell cooldown. True when it cast.
  bool maybe_cast(const WorldMirror& m, CommandSink& sink, Tick now, const world::EntityState& prey,
                  std::int32_t distance) {
    const world::Character& me = m.character();
    if (now < next_cast_tick_ || me.vocation >= opt_.vocations.size()) return false;
    const bool hurt = me.hp * 2 < me.max_hp;
    for (const std::uint32_t id : opt_.vocations[me.vocation].spells) {
      if (id >= opt_.spells.size()) continue;
      const world::SpellType& s = opt_.spells[id];
      if (s.mana > me.mp) continue;
      std::uint32_t seq = 0;
      if (s.effect == world::SpellEffect::Heal) {
        if (hurt && s.target == world::SpellTarget::Self) seq = sink.cast(id);
      } else if (s.target == world::SpellTarget::Creature && distance <= s.range) {
        seq = sink.cast(id, prey.id);
      } else if (s.target == world::SpellTarget::Tile && distance <= s.range) {
        seq = sink.cast(id, {}, prey.position);
      } else if (s.target == world::SpellTarget::Area && distance <= s.radius) {
        seq = sink.cast(id);
      }
      if (seq != 0) {
        next_cast_tick_ = now + std::max<std::uint32_t>(s.cooldown, 1);
        return true;
      }
    }
    return false;
  }

  void rejected(const WorldMirror& m, const world::Rejection& r) override {
    // In a protection zone, or a target that may not be attacked: walk on, ask again later.
    if (r.seq == attack_seq_) next_attack_tick_ = m.tick() + 40;
  }

 private:
  std::uint32_t attack_seq_ = 0;
  Tick next_attack_tick_ = 0;
  Tick next_cast_tick_ = 0;
};

class LooterBot final : public BasicBot {
 public:
  using BasicBot::BasicBot;

 protected:
  void think(const WorldMirror& m, CommandSink& sink, Tick now) override {
    const world::EntityState* self = m.self();
    if (self == nullptr) return;
    maybe_heal(m, sink, now, 50);
    if (maybe_equip(m, sink, now)) return;
    const world::ItemState* loot = nullptr;
    std::int32_t best = 0;
    if (now >= full_until_) {
      for (const world::ItemState& item : m.ground_items()) {
        if (ignored_.count(item.id) != 0) continue;
        const std::int32_t d = world::chebyshev(self->position, item.position);
        if (loot == nullptr || d < best) {
          loot = &item;
          best = d;
        }
      }
    }
    if (loot == nullptr) return wander(m, sink, now);
    if (best <= 1) {
      if (pick_item_ != loot->id || now >= next_pick_tick_) {
        const std::uint32_t seq = sink.pick_up(loot->id);
        if (seq != 0) {
          pick_seq_ = seq;
          pick_item_ = loot->id;
          next_pick_tick_ = now + 10;
        }
      }
      return;
    }
    approach(m, sink, now, loot->position);
  }

  void rejected(const WorldMirror& m, const world::Rejection& r) override {
    if (r.seq == pick_seq_) {
      if (r.reason == world::RejectReason::BackpackFull) {
        full_until_ = m.tick() + 600;
      } else if (r.reason != world::RejectReason::NotAdjacent) {
        ignored_.insert(pick_item_);
      }
    }
    if (r.seq == equip_seq_) next_equip_tick_ = m.tick() + 100;
  }

 private:
  [[nodiscard]] std::int32_t score(std::uint32_t type) const {
    if (type >= opt_.item_types.size()) return 0;
    return opt_.item_types[type].attack + opt_.item_types[type].defense;
  }

  // Wears a backpack item that beats what is worn in its slot (one per call).
  bool maybe_equip(const WorldMirror& m, CommandSink& sink, Tick now) {
    if (opt_.item_types.empty() || now < next_equip_tick_) return false;
    for (const world::ItemState& item : m.inventory()) {
      if (item.place != world::ItemPlace::Backpack || item.type >= opt_.item_types.size()) continue;
      const world::EquipSlot slot = opt_.item_types[item.type].slot;
      if (slot == world::EquipSlot::None) continue;
      const auto worn_index = static_cast<std::uint8_t>(static_cast<std::uint8_t>(slot) - 1);
      const world::ItemState* worn = nullptr;
      for (const world::ItemState& w : m.inventory()) {
        if (w.place == world::ItemPlace::Equipment && w.index == worn_index) worn = &w;
      }
      if (worn != nullptr && score(worn->type) >= score(item.type)) continue;
      const std::uint32_t seq = sink.equip(item.id);
      if (seq == 0) return false;
      equip_seq_ = seq;
      next_equip_tick_ = now + 10;
      return true;
    }
    return false;
  }

  std::set<world::ItemId> ignored_;
  world::ItemId pick_item_;
  std::uint32_t pick_seq_ = 0;
  std::uint32_t equip_seq_ = 0;
  Tick next_pick_tick_ = 0;
  Tick next_equip_tick_ = 0;
  Tick full_until_ = 0;
};

class ChatterBot final : public BasicBot {
 public:
  using BasicBot::BasicBot;

 protected:
  void entered(const WorldMirror& m) override {
    const std::uint32_t every = std::max<std::uint32_t>(opt_.chat_every_ticks, 2);
    next_say_tick_ = m.tick() + 1 + rng_.below(every);
  }

  void think(const WorldMirror& m, CommandSink& sink, Tick now) override {
    wander(m, sink, now);
    if (now < next_say_tick_) return;
    const std::uint32_t every = std::max<std::uint32_t>(opt_.chat_every_ticks, 2);
    next_say_tick_ = now + every / 2 + rng_.below(every);
    const world::EntityState* other = nullptr;
    for (const world::EntityState& e : m.entities()) {
      if (e.kind == world::EntityKind::Player && e.id != m.you()) {
        other = &e;
        break;
      }
    }
    if (other != nullptr && rng_.percent(30)) {
      sink.say("Hello, " + other->name + "!");
      return;
    }
    const auto& phrases = opt_.phrases.empty() ? default_phrases() : opt_.phrases;
    sink.say(phrases[rng_.below(static_cast<std::uint32_t>(phrases.size()))]);
  }

 private:
  Tick next_say_tick_ = 0;
};

// A step in a random direction every quarter of a second (5 ticks at 20 Hz), blocked or not:
// the load test's spread scenario.
class WalkerBot final : public BasicBot {
 public:
  using BasicBot::BasicBot;

 protected:
  void think(const WorldMirror& m, CommandSink& sink, Tick now) override {
    if (now < next_) return;
    const std::uint32_t seq = sink.move(kDirections[rng_.below(4)]);
    if (seq != 0) next_ = now + std::max<Tick>(1, tick_rate_ / 4);
    (void)m;
  }

 private:
  Tick next_ = 0;
};

// Sends nothing: what a player standing still costs.
class IdleBot final : public BasicBot {
 public:
  using BasicBot::BasicBot;

 protected:
  void think(const WorldMirror& m, CommandSink& sink, Tick now) override {
    (void)m;
    (void)sink;
    (void)now;
  }
};

}  // namespace

std::string_view to_string(Behaviour b) {
  switch (b) {
    case Behaviour::Wander:
      return "wander";
    case Behaviour::Hunter:
      return "hunter";
    case Behaviour::Looter:
      return "looter";
    case Behaviour::Chatter:
      return "chatter";
    case Behaviour::Walker:
      return "walker";
    case Behaviour::Idle:
      return "idle";
  }
  return "invalid";
}

std::optional<Behaviour> behaviour_from_string(std::string_view name) {
  for (const Behaviour b : kBehaviours) {
    if (to_string(b) == name) return b;
  }
  return std::nullopt;
}

std::unique_ptr<Bot> make_bot(Behaviour behaviour, BehaviourOptions options) {
  switch (behaviour) {
    case Behaviour::Wander:
      return std::make_unique<WanderBot>(std::move(options));
    case Behaviour::Hunter:
      return std::make_unique<HunterBot>(std::move(options));
    case Behaviour::Looter:
      return std::make_unique<LooterBot>(std::move(options));
    case Behaviour::Chatter:
      return std::make_unique<ChatterBot>(std::move(options));
    case Behaviour::Walker:
      return std::make_unique<WalkerBot>(std::move(options));
    case Behaviour::Idle:
      return std::make_unique<IdleBot>(std::move(options));
  }
  return std::make_unique<WanderBot>(std::move(options));
}

}  // namespace client
