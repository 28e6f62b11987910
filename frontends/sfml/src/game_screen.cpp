#include "game_screen.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <variant>

#include "app.hpp"
#include "screens.hpp"
#include "words.hpp"
#include "world/world.hpp"

namespace sfml_client {
namespace {

constexpr double kDoubleClick = 0.35;   // seconds
constexpr std::size_t kCastsKept = 32;  // seqs of recent casts remembered for their refusals

std::optional<world::Direction> direction_of(sf::Keyboard::Key k, const KeyBindings& keys) {
  if (k == sf::Keyboard::Up || k == keys.up) return world::Direction::North;
  if (k == sf::Keyboard::Down || k == keys.down) return world::Direction::South;
  if (k == sf::Keyboard::Left || k == keys.left) return world::Direction::West;
  if (k == sf::Keyboard::Right || k == keys.right) return world::Direction::East;
  return std::nullopt;
}

sf::Vector2f point(int x, int y) {
  return {static_cast<float>(x), static_cast<float>(y)};
}

}  // namespace

GameScreen::GameScreen(App& app)
    : app_(app),
      renderer_(app.theme(), app.font()),
      ui_(app.theme(), app.font(), app.bold()),
      overlay_(app.theme(), app.font(), app.bold()),
      labels_(app.font(), app.theme().small_text_size),
      effects_(app.theme()) {
  if (app_.content() == nullptr) {
    if (auto error = app_.load_content()) {
      popup_ = "Cannot load the world's content: " + *error;
    }
  }
  if (const auto* c = app_.content()) {
    renderer_.set_world(c->tiles.get(), c->bundle->map, &c->bundle->config.item_types);
    icons_.set_texture(&c->tiles->texture());
    predictor_ = client::Predictor{c->bundle->map};
    effects_.set_spells(&c->bundle->config.spells);
    build_minimap();
  }
  popup_ok_.label = "OK";
  use_button_.label = "Use";
  drop_button_.label = "Drop";
  leave_button_.label = "Leave";
}

const client::WorldMirror* GameScreen::mirror() const {
  const client::Session* s = const_cast<App&>(app_).session();
  return s != nullptr ? &s->mirror() : nullptr;
}

double GameScreen::step_time() const {
  const auto* m = mirror();
  const auto* self = m != nullptr ? m->self() : nullptr;
  const auto* s = const_cast<App&>(app_).session();
  if (self == nullptr || s == nullptr) return 0.2;
  return step_seconds(s->welcome().tick_rate, self->speed);
}

std::uint32_t GameScreen::tick_rate() const {
  const client::Session* s = const_cast<App&>(app_).session();
  return s != nullptr && s->welcome().tick_rate > 0 ? s->welcome().tick_rate : 20;
}

std::uint32_t GameScreen::issue(world::CommandPayload command) {
  client::Session* s = app_.session();
  if (s == nullptr) return 0;
  return s->send(std::move(command));
}

std::vector<std::uint32_t> GameScreen::spells() const {
  const auto* m = mirror();
  const auto* c = app_.content();
  if (m == nullptr || c == nullptr) return {};
  return c->vocation_spells(m->character().vocation);
}

bool GameScreen::spell_greyed(std::size_t slot, double now) const {
  const auto* m = mirror();
  const auto* c = app_.content();
  const std::vector<std::uint32_t> ids = spells();
  if (m == nullptr || c == nullptr || slot >= ids.size()) return true;
  const world::SpellType& spell = c->bundle->config.spells[ids[slot]];
  const std::int32_t mp = m->self() != nullptr ? m->self()->vitals.mp : m->character().mp;
  return mp < spell.mana || now < spells_ready_at_;
}

world::EntityId GameScreen::creature_at(sf::Vector2f p) const {
  const auto* m = mirror();
  const auto tile = renderer_.tile_at(p);
  if (m == nullptr || !tile || !layout_.map.contains(p) || spell_bar_.contains(p)) return {};
  for (const auto& c : m->entities()) {
    if (c.id == m->you()) continue;
    const auto drawn = renderer_.drawn_at(c.id);
    if ((drawn && drawn->contains(p)) || (!drawn && c.position == *tile)) return c.id;
  }
  return {};
}

std::uint32_t GameScreen::cast(std::size_t slot) {
  const auto* m = mirror();
  const auto* c = app_.content();
  if (m == nullptr || c == nullptr || m->self() == nullptr) return 0;
  const std::vector<std::uint32_t> ids = spells();
  if (slot >= ids.size()) return 0;
  const world::SpellType& spell = c->bundle->config.spells[ids[slot]];
  world::Cast command;
  command.spell = ids[slot];
  const world::EntityId under = creature_at(mouse_);
  const auto* target = target_.is_set() ? m->entity(target_) : nullptr;
  const auto say = [&](const char* words) {
    effects_.say_above_player(m->you(), words, app_.theme().warning, now_);
    return 0u;
  };
  switch (spell.target) {
    case world::SpellTarget::Self:
    case world::SpellTarget::Area:
      break;
    case world::SpellTarget::Creature:
      if (spell.effect == world::SpellEffect::Heal) {
        // Heals go to friends: the one pointed at, a player being followed, else oneself.
        command.target = under.is_set() ? under
                         : target != nullptr && target->kind == world::EntityKind::Player
                             ? target_
                             : m->you();
      } else {
        command.target = target != nullptr ? target_ : under;
        if (!command.target.is_set()) return say("Choose a target first.");
      }
      break;
    case world::SpellTarget::Tile: {
      std::optional<world::Position> tile;
      if (layout_.map.contains(mouse_) && !spell_bar_.contains(mouse_)) {
        tile = renderer_.tile_at(mouse_);
      }
      if (!tile && target != nullptr) tile = target->position;
      if (!tile) return say("Point at a place first.");
      command.tile = *tile;
      break;
    }
  }
  const std::uint32_t seq = issue(command);
  if (seq != 0) {
    casts_.push_back(seq);
    if (casts_.size() > kCastsKept) casts_.erase(casts_.begin());
  }
  return seq;
}

void GameScreen::on_entered(const client::WorldMirror& m) {
  predictor_.reset(m);
  motion_.clear();
  effects_.clear();
  target_ = {};
  held_.clear();
  casts_.clear();
  spells_ready_at_ = spells_cooldown_ = 0;
  for (const auto& e : m.entities())
    motion_.go(e.id, e.position, now_, 0, true);
  spdlog::info("in the world as {} at ({}, {})", m.character().name, predictor_.position().x,
               predictor_.position().y);
}

void GameScreen::on_tick(const client::WorldMirror& m, const protocol::TickMessage& tick) {
  effects_.on_tick(tick, m, now_, casts_);
  const client::Reconciliation r = predictor_.reconcile(m);
  for (const client::PendingStep& step : r.resend) {
    predictor_.sent(issue(world::Move{step.direction}), step.direction, m, step.resent);
  }
  const std::uint32_t rate = app_.session() != nullptr ? app_.session()->welcome().tick_rate : 20;
  std::vector<world::EntityId> alive;
  alive.reserve(m.entities().size());
  for (const auto& e : m.entities()) {
    alive.push_back(e.id);
    if (e.id == m.you()) {
      motion_.go(e.id, predictor_.position(), now_, step_seconds(rate, e.speed), r.snapped);
    } else {
      motion_.go(e.id, e.position, now_, step_seconds(rate, e.speed));
    }
  }
  motion_.keep_only(alive);
  if (target_.is_set() && m.entity(target_) == nullptr) target_ = {};
  if (const auto* self = m.self();
      self != nullptr && self->target != target_ && !self->target.is_set()) {
    target_ = {};  // the world dropped the fight (the target died or walked off)
  }
  for (const auto& d : tick.deltas) {
    if (const auto* sys = std::get_if<world::SystemMessage>(&d); sys && !sys->to.is_set()) {
      popup_ = sys->text;  // an announcement to everyone
    }
    // An own cast starts the cooldown of every spell (docs/rules.md "Spells"): estimated here
    // from when the tick came, for greying the bar; the world decides.
    if (const auto* cast = std::get_if<world::SpellCast>(&d); cast && cast->caster == m.you()) {
      const auto* c = app_.content();
      if (c != nullptr && cast->spell < c->bundle->config.spells.size()) {
        spells_cooldown_ = static_cast<double>(c->bundle->config.spells[cast->spell].cooldown) /
                           static_cast<double>(tick_rate());
        spells_ready_at_ = now_ + spells_cooldown_;
      }
    }
  }
}

std::optional<sf::FloatRect> GameScreen::find(std::string_view name) const {
  for (const Button* b : {&leave_button_, &use_button_, &drop_button_, &popup_ok_}) {
    if (b->label == name && b->rect.width > 0) return b->rect;
  }
  if (name == "map") return layout_.map;
  if (name == "chat") return layout_.chat;
  if (name == "status") return layout_.status;
  if (name == "minimap" && minimap_open_) return layout_.minimap;
  if (name == "inventory" && inventory_open_) return layout_.inventory;
  if (name == "spell bar" && spell_bar_.width > 0) return spell_bar_;
  if (name.starts_with("spell:")) {
    // "spell:1" is the slot of key 1.
    const std::string_view n = name.substr(6);
    if (n.size() == 1 && n[0] >= '1' && n[0] <= '9') {
      const auto i = static_cast<std::size_t>(n[0] - '1');
      if (i < spell_slots_.size()) return spell_slots_[i];
    }
  }
  return std::nullopt;
}

void GameScreen::on_command_error(const protocol::ProtocolError& error) {
  if (const auto* m = mirror()) {
    effects_.say_above_player(m->you(), error_words(error), app_.theme().warning, now_);
  }
}

void GameScreen::try_step(double now) {
  const auto* m = mirror();
  if (m == nullptr || m->self() == nullptr || held_.empty() || now < next_step_at_) return;
  const world::Direction d = held_.back();
  if (predictor_.check(*m, d)) {
    // Not predicted (a wall, someone there): turn that way, unless already facing it.
    if (predictor_.facing() != d && predictor_.pending().empty()) {
      issue(world::Face{d});
      next_step_at_ = now + 0.15;
    }
    return;
  }
  const std::uint32_t seq = issue(world::Move{d});
  if (seq == 0) return;
  predictor_.sent(seq, d, *m);
  const double t = step_time();
  motion_.go(m->you(), predictor_.position(), now, t);
  // Keep the cadence: the next step is due one step time after this one was due.
  next_step_at_ = std::max(now, next_step_at_) + t;
  if (next_step_at_ < now) next_step_at_ = now + t;
}

void GameScreen::update(double now, double) {
  now_ = now;
  try_step(now);
  effects_.prune(now);
}

// ---------------------------------------------------------------------------------------------
// Input

void GameScreen::handle(const sf::Event& e) {
  if (e.type == sf::Event::MouseMoved) mouse_ = point(e.mouseMove.x, e.mouseMove.y);
  if (popup_) {
    if (popup_ok_.clicked(e) ||
        (e.type == sf::Event::KeyPressed &&
         (e.key.code == sf::Keyboard::Enter || e.key.code == sf::Keyboard::Escape))) {
      popup_.reset();
    }
    return;
  }
  if (chat_open_ && (e.type == sf::Event::KeyPressed || e.type == sf::Event::TextEntered ||
                     e.type == sf::Event::KeyReleased)) {
    // The keyboard belongs to the chat line while it is open; the mouse still plays.
    if (e.type == sf::Event::KeyReleased) {
      if (const auto d = direction_of(e.key.code, app_.theme().keys)) std::erase(held_, *d);
      return;
    }
    if (e.type == sf::Event::KeyPressed && e.key.code == sf::Keyboard::Enter) {
      if (!chat_line_.text().empty()) issue(world::Say{chat_line_.text()});
      chat_line_.set_text({});
      chat_open_ = chat_line_.focused = false;
      return;
    }
    if (e.type == sf::Event::KeyPressed && e.key.code == sf::Keyboard::Escape) {
      chat_line_.set_text({});
      chat_open_ = chat_line_.focused = false;
      return;
    }
    chat_line_.handle(e);
    return;
  }
  switch (e.type) {
    case sf::Event::KeyPressed:
      return on_key(e);
    case sf::Event::KeyReleased:
      if (const auto d = direction_of(e.key.code, app_.theme().keys)) std::erase(held_, *d);
      return;
    case sf::Event::LostFocus:
      held_.clear();
      return;
    case sf::Event::MouseButtonPressed:
      return on_mouse_press(e);
    case sf::Event::MouseButtonReleased:
      return on_mouse_release(e);
    default:
      return;
  }
}

void GameScreen::on_key(const sf::Event& e) {
  const KeyBindings& keys = app_.theme().keys;
  if (const auto d = direction_of(e.key.code, keys)) {
    if (std::find(held_.begin(), held_.end(), *d) == held_.end()) held_.push_back(*d);
    try_step(now_);
    return;
  }
  for (std::size_t i = 0; i < keys.spells.size(); ++i) {
    if (e.key.code == keys.spells[i] ||
        e.key.code == static_cast<sf::Keyboard::Key>(sf::Keyboard::Numpad1 + static_cast<int>(i))) {
      cast(i);
      return;
    }
  }
  if (e.key.code == keys.chat || e.key.code == sf::Keyboard::Enter) {
    chat_open_ = chat_line_.focused = true;
    return;
  }
  if (e.key.code == keys.inventory) {
    inventory_open_ = !inventory_open_;
    return;
  }
  if (e.key.code == keys.minimap) {
    minimap_open_ = !minimap_open_;
    return;
  }
  if (e.key.code == keys.pick_up) {
    // The newest item underfoot, else next to the player.
    const auto* m = mirror();
    if (m == nullptr) return;
    const world::Position here = predictor_.position();
    const world::ItemState* best = nullptr;
    for (const auto& item : m->ground_items()) {
      if (world::chebyshev(item.position, here) > 1) continue;
      const bool under = item.position == here;
      if (best == nullptr || (under && best->position != here) ||
          (under == (best->position == here) && best->id < item.id)) {
        best = &item;
      }
    }
    if (best != nullptr) issue(world::PickUp{best->id});
    return;
  }
  if (e.key.code == keys.stop_attack) {
    if (selected_item_) {
      selected_item_.reset();
    } else if (target_.is_set()) {
      target_ = {};
      issue(world::Attack{world::EntityId{}});
    }
  }
}

const world::ItemState* GameScreen::inventory_at(world::ItemPlace place,
                                                 std::uint32_t index) const {
  const auto* m = mirror();
  if (m == nullptr) return nullptr;
  for (const auto& item : m->inventory())
    if (item.place == place && item.index == index) return &item;
  return nullptr;
}

void GameScreen::item_action(world::ItemId id, bool primary) {
  const auto* m = mirror();
  const auto* c = app_.content();
  if (m == nullptr || c == nullptr) return;
  const world::ItemState* item = m->inventory_item(id);
  if (item == nullptr) return;
  const auto& types = c->bundle->config.item_types;
  if (!primary) {
    issue(world::Drop{id, 0});
    return;
  }
  if (item->place == world::ItemPlace::Equipment) {
    issue(world::Unequip{static_cast<world::EquipSlot>(item->index + 1)});
  } else if (item->type < types.size() && types[item->type].slot != world::EquipSlot::None) {
    issue(world::Equip{id});
  } else {
    issue(world::Use{id});
  }
}

void GameScreen::on_mouse_press(const sf::Event& e) {
  const sf::Vector2f p = point(e.mouseButton.x, e.mouseButton.y);
  if (leave_button_.clicked(e)) {
    if (auto* s = app_.session()) s->leave_world();
    return;
  }
  if (inventory_open_ && layout_.inventory.contains(p)) {
    if (selected_item_ && use_button_.clicked(e)) return item_action(*selected_item_, true);
    if (selected_item_ && drop_button_.clicked(e)) return item_action(*selected_item_, false);
    const world::ItemState* item = nullptr;
    if (const auto slot = layout_.backpack_at(p)) {
      item = inventory_at(world::ItemPlace::Backpack, *slot);
    } else if (const auto eq = layout_.equipment_at(p)) {
      item = inventory_at(world::ItemPlace::Equipment, *eq);
    }
    if (item == nullptr) {
      selected_item_.reset();
      return;
    }
    if (e.mouseButton.button == sf::Mouse::Right) return item_action(item->id, true);
    const bool double_click = last_click_item_ == item->id && now_ - last_click_at_ < kDoubleClick;
    last_click_at_ = now_;
    last_click_item_ = item->id;
    selected_item_ = item->id;
    if (double_click) return item_action(item->id, true);
    dragging_ = item->id;
    drag_from_ = p;
    return;
  }
  if (spell_bar_.contains(p)) {
    for (std::size_t i = 0; i < spell_slots_.size(); ++i)
      if (spell_slots_[i].contains(p) && e.mouseButton.button == sf::Mouse::Left) cast(i);
    return;
  }
  if (!layout_.map.contains(p)) return;
  const auto* m = mirror();
  if (m == nullptr) return;
  const auto tile = renderer_.tile_at(p);
  if (!tile) return;
  if (e.mouseButton.button == sf::Mouse::Left) {
    // A creature there (as drawn) becomes the target.
    if (const world::EntityId id = creature_at(p); id.is_set()) {
      target_ = id;
      issue(world::Attack{id});
    }
  } else if (e.mouseButton.button == sf::Mouse::Right) {
    // The newest ground item on that tile is picked up.
    const world::ItemState* top = nullptr;
    for (const auto& item : m->ground_items())
      if (item.position == *tile && (top == nullptr || top->id < item.id)) top = &item;
    if (top != nullptr) issue(world::PickUp{top->id});
  }
}

void GameScreen::on_mouse_release(const sf::Event& e) {
  if (!dragging_ || e.mouseButton.button != sf::Mouse::Left) return;
  const world::ItemId id = *std::exchange(dragging_, std::nullopt);
  const sf::Vector2f p = point(e.mouseButton.x, e.mouseButton.y);
  if (std::abs(p.x - drag_from_.x) + std::abs(p.y - drag_from_.y) < 6) return;  // a click
  const auto* m = mirror();
  const world::ItemState* item = m != nullptr ? m->inventory_item(id) : nullptr;
  if (item == nullptr) return;
  if (const auto slot = layout_.backpack_at(p); slot && inventory_open_) {
    if (item->place == world::ItemPlace::Backpack) {
      issue(world::MoveItem{id, static_cast<std::uint8_t>(*slot)});
    } else {
      issue(world::Unequip{static_cast<world::EquipSlot>(item->index + 1)});
    }
  } else if (const auto eq = layout_.equipment_at(p); eq && inventory_open_) {
    if (item->place == world::ItemPlace::Backpack) issue(world::Equip{id});
  } else if (layout_.map.contains(p)) {
    issue(world::Drop{id, 0});
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing

void GameScreen::build_minimap() {
  const auto* c = app_.content();
  if (c == nullptr || !c->bundle->map) return;
  const world::TileMap& map = *c->bundle->map;
  sf::Image img;
  img.create(static_cast<unsigned>(std::max(1, map.width())),
             static_cast<unsigned>(std::max(1, map.height())), sf::Color::Black);
  for (std::int32_t y = 0; y < map.height(); ++y)
    for (std::int32_t x = 0; x < map.width(); ++x)
      img.setPixel(static_cast<unsigned>(x), static_cast<unsigned>(y),
                   c->tiles->terrain_colour(map.at({x, y}).terrain));
  minimap_texture_.loadFromImage(img);
  minimap_.set_texture(&minimap_texture_);
}

std::string GameScreen::item_name(std::uint32_t type) const {
  const auto* c = app_.content();
  if (c == nullptr || type >= c->bundle->config.item_types.size())
    return "item " + std::to_string(type);
  return c->bundle->config.item_types[type].name;
}

void GameScreen::draw_status(const client::WorldMirror& m) {
  const Theme& th = app_.theme();
  const sf::FloatRect r = layout_.status;
  ui_.panel(r);
  const world::Character& ch = m.character();
  const auto* self = m.self();
  const world::Vitals v =
      self != nullptr ? self->vitals : world::Vitals{ch.hp, ch.max_hp, ch.mp, ch.max_mp, ch.level};
  ui_.text(ch.name, {r.left + 10, r.top + 8}, th.name_self);
  const auto* content = app_.content();
  ui_.small("Level " + std::to_string(v.level) +
                (content != nullptr ? " " + content->vocation_name(ch.vocation) : std::string()),
            {r.left + 10, r.top + 30}, th.dim_text);
  leave_button_.rect = {r.left + r.width - 70, r.top + 8, 60, 24};
  ui_.button(leave_button_);
  const float w = r.width - 20;
  const auto ratio = [](std::int64_t a, std::int64_t b) {
    return b > 0 ? static_cast<float>(a) / static_cast<float>(b) : 0.0f;
  };
  ui_.bar({r.left + 10, r.top + 50, w, 16}, ratio(v.hp, v.max_hp), th.hp_bar,
          "HP " + std::to_string(v.hp) + " / " + std::to_string(v.max_hp));
  ui_.bar({r.left + 10, r.top + 70, w, 16}, ratio(v.mp, v.max_mp), th.mp_bar,
          "MP " + std::to_string(v.mp) + " / " + std::to_string(v.max_mp));
  const std::uint64_t base = world::experience_for_level(v.level);
  const std::uint64_t next = world::experience_for_level(v.level + 1);
  const std::uint64_t exp = std::max(ch.experience, base);
  ui_.bar({r.left + 10, r.top + 90, w, 12},
          ratio(static_cast<std::int64_t>(exp - base), static_cast<std::int64_t>(next - base)),
          th.exp_bar, "EXP " + std::to_string(ch.experience) + " / " + std::to_string(next));
  std::int32_t attack = ch.attack;
  std::int32_t defense = ch.defense;
  if (const auto* c = app_.content()) {
    for (const auto& item : m.inventory()) {
      if (item.place != world::ItemPlace::Equipment) continue;
      if (item.type < c->bundle->config.item_types.size()) {
        attack += c->bundle->config.item_types[item.type].attack;
        defense += c->bundle->config.item_types[item.type].defense;
      }
    }
  }
  // What the world's attack_of()/defense_of() give: base plus what is worn, never below 0.
  attack = std::max(attack, 0);
  defense = std::max(defense, 0);
  ui_.text("Attack " + std::to_string(attack) + "    Defense " + std::to_string(defense),
           {r.left + 10, r.top + 112}, th.text);
}

void GameScreen::draw_minimap(const client::WorldMirror& m) {
  const Theme& th = app_.theme();
  const sf::FloatRect r = layout_.minimap;
  const auto* c = app_.content();
  ui_.rect({r.left - 2, r.top - 2, r.width + 4, r.height + 4}, th.panel_border);
  if (c == nullptr) return;
  constexpr float kPixelsPerTile = 2;
  const float span = r.width / kPixelsPerTile;  // tiles across
  const world::Position me = predictor_.position();
  const float left = static_cast<float>(me.x) - span / 2;
  const float top = static_cast<float>(me.y) - span / 2;
  minimap_.sprite(r, sf::IntRect(static_cast<int>(left), static_cast<int>(top),
                                 static_cast<int>(span), static_cast<int>(span)));
  const auto dot = [&](world::Position p, sf::Color colour, float size) {
    const float x = r.left + (static_cast<float>(p.x) - left) * kPixelsPerTile;
    const float y = r.top + (static_cast<float>(p.y) - top) * kPixelsPerTile;
    if (x < r.left || y < r.top || x > r.left + r.width - size || y > r.top + r.height - size)
      return;
    dots_.rect({x - size / 2 + 1, y - size / 2 + 1, size, size}, colour);
  };
  for (const auto& e : m.entities()) {
    if (e.id == m.you()) continue;
    dot(e.position, e.kind == world::EntityKind::Npc ? th.minimap_npc : th.minimap_player, 3);
  }
  dot(me, th.minimap_self, 4);
}

void GameScreen::draw_inventory(const client::WorldMirror& m) {
  const Theme& th = app_.theme();
  const sf::FloatRect r = layout_.inventory;
  ui_.panel(r);
  ui_.small("Equipment", {r.left + 10, r.top + 6}, th.dim_text);
  static constexpr const char* kSlotNames[3] = {"Head", "Body", "Weapon"};
  const auto* c = app_.content();
  const auto icon = [&](const world::ItemState& item, sf::FloatRect slot) {
    if (c == nullptr) return;
    const Sprite s = c->tiles->item(item.type);
    if (s.valid()) {
      const float scale = slot.width / 32.0f;
      icons_.sprite(
          {slot.left + static_cast<float>(s.ox) * scale,
           slot.top + static_cast<float>(s.oy) * scale, static_cast<float>(s.rect.width) * scale,
           static_cast<float>(s.rect.height) * scale},
          s.rect);
    }
    if (item.count > 1) {
      labels_.add(std::to_string(item.count), {slot.left + 3, slot.top + slot.height - 14}, th.text,
                  sf::Color::Black);
    }
  };
  for (std::uint32_t i = 0; i < 3; ++i) {
    const sf::FloatRect slot = layout_.equipment[i];
    const auto* item = inventory_at(world::ItemPlace::Equipment, i);
    ui_.rect(slot, item && selected_item_ == item->id ? th.slot_selected : th.slot);
    ui_.frame(slot, 1, th.panel_border);
    ui_.small(kSlotNames[i], {slot.left, slot.top + slot.height + 2}, th.dim_text);
    if (item != nullptr && item->id != dragging_) icon(*item, slot);
  }
  const float bp_top = layout_.backpack_origin.y - 17;
  ui_.small("Backpack", {r.left + 10, bp_top}, th.dim_text);
  for (std::uint32_t i = 0; i < layout_.backpack_slots; ++i) {
    const sf::FloatRect slot = layout_.backpack(i);
    const auto* item = inventory_at(world::ItemPlace::Backpack, i);
    ui_.rect(slot, item && selected_item_ == item->id ? th.slot_selected : th.slot);
    ui_.frame(slot, 1, th.panel_border);
    if (item != nullptr && item->id != dragging_) icon(*item, slot);
  }
  // The selected item: its name, what it does, and what can be done with it.
  const float info_top =
      layout_.backpack(layout_.backpack_slots == 0 ? 0 : layout_.backpack_slots - 1).top +
      layout_.slot_size + 10;
  use_button_.rect = {};
  drop_button_.rect = {};
  if (selected_item_ && m.inventory_item(*selected_item_) != nullptr && c != nullptr) {
    const world::ItemState& item = *m.inventory_item(*selected_item_);
    const auto& types = c->bundle->config.item_types;
    std::string info = item_name(item.type);
    if (item.count > 1) info += " x" + std::to_string(item.count);
    ui_.text(info, {r.left + 10, info_top}, th.text);
    if (item.type < types.size()) {
      const auto& t = types[item.type];
      std::string stats;
      if (t.attack) stats += "attack +" + std::to_string(t.attack) + "  ";
      if (t.defense) stats += "defense +" + std::to_string(t.defense) + "  ";
      if (t.heal_hp) stats += "heals " + std::to_string(t.heal_hp) + " HP  ";
      if (t.heal_mp) stats += "restores " + std::to_string(t.heal_mp) + " MP";
      ui_.small(stats, {r.left + 10, info_top + 20}, th.dim_text);
      use_button_.label = item.place == world::ItemPlace::Equipment ? "Take off"
                          : t.slot != world::EquipSlot::None        ? "Equip"
                                                                    : "Use";
    }
    use_button_.rect = {r.left + 10, info_top + 38, 110, 26};
    drop_button_.rect = {r.left + 130, info_top + 38, 80, 26};
    ui_.button(use_button_);
    ui_.button(drop_button_);
  } else {
    ui_.small_text().add_wrapped(
        "Click: select. Double-click or right-click: use, equip, take off. Drag: move, equip, "
        "or drop on the map.",
        {r.left + 10, info_top}, r.width - 20, th.dim_text, 3);
  }
  if (dragging_) {
    if (const auto* item = m.inventory_item(*dragging_)) {
      icon(*item, {mouse_.x - 16, mouse_.y - 16, 32, 32});
    }
  }
}

void GameScreen::draw_chat(const client::WorldMirror& m, double now) {
  const Theme& th = app_.theme();
  const sf::FloatRect r = layout_.chat;
  ui_.panel(r);
  // Players' lines and system lines, merged by tick (players first within a tick).
  struct Line {
    world::Tick tick;
    int order;
    std::string text;
    sf::Color colour;
  };
  std::vector<Line> lines;
  const auto& chat = m.chat();
  const auto& sys = m.system_log();
  const std::size_t keep = 40;
  for (std::size_t i = chat.size() > keep ? chat.size() - keep : 0; i < chat.size(); ++i) {
    lines.push_back(
        {chat[i].tick, static_cast<int>(i), chat[i].name + ": " + chat[i].text, th.chat_player});
  }
  for (std::size_t i = sys.size() > keep ? sys.size() - keep : 0; i < sys.size(); ++i) {
    const sf::Color colour = sys[i].source == client::SystemSource::Trigger    ? th.chat_trigger
                             : sys[i].source == client::SystemSource::Personal ? th.chat_personal
                                                                               : th.chat_system;
    lines.push_back({sys[i].tick, 1'000'000 + static_cast<int>(i), sys[i].text, colour});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.tick != b.tick ? a.tick < b.tick : a.order < b.order;
  });
  const float lh = ui_.line();
  const float input_h = lh + 10;
  const auto rows = static_cast<std::size_t>(std::max(1.0f, (r.height - input_h - 8) / lh));
  const std::size_t first = lines.size() > rows ? lines.size() - rows : 0;
  float y = r.top + 4;
  for (std::size_t i = first; i < lines.size(); ++i) {
    ui_.body().add(lines[i].text, {r.left + 10, y}, lines[i].colour);
    y += lh;
  }
  const sf::FloatRect input{r.left + 6, r.top + r.height - input_h - 4, r.width - 12, input_h};
  if (chat_open_) {
    ui_.rect(input, th.field);
    ui_.frame(input, 1, th.field_focus);
    const float w = ui_.text("Say: " + chat_line_.text(), {input.left + 6, input.top + 4}, th.text);
    if (std::fmod(now, 1.0) < 0.6)
      ui_.rect({input.left + 8 + w, input.top + 6, 2, lh - 4}, th.text);
  } else {
    ui_.small("t: talk   i: inventory   m: minimap   g: pick up   1-9: spells   Esc: stop fighting",
              {input.left + 6, input.top + 6}, th.dim_text);
  }
}

void GameScreen::draw_spell_bar(const client::WorldMirror& m, double now) {
  const Theme& th = app_.theme();
  const auto* c = app_.content();
  const std::vector<std::uint32_t> ids = spells();
  spell_slots_.clear();
  spell_bar_ = {};
  if (c == nullptr || ids.empty()) return;
  // Along the foot of the map view, centred: one slot per spell (key, name, mana).
  const sf::FloatRect map = layout_.map;
  const auto n = static_cast<float>(ids.size());
  const float gap = 6;
  const float w = std::max(60.0f, std::min(140.0f, (map.width - 20 - gap * (n - 1)) / n));
  const float h = 38;
  const float total = w * n + gap * (n - 1);
  spell_bar_ = {std::round(map.left + (map.width - total) / 2), map.top + map.height - h - 8, total,
                h};
  const std::int32_t mp = m.self() != nullptr ? m.self()->vitals.mp : m.character().mp;
  const float cooling =
      spells_cooldown_ > 0 && now < spells_ready_at_
          ? static_cast<float>(std::clamp((spells_ready_at_ - now) / spells_cooldown_, 0.0, 1.0))
          : 0.0f;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const world::SpellType& spell = c->bundle->config.spells[ids[i]];
    const sf::FloatRect slot{spell_bar_.left + static_cast<float>(i) * (w + gap), spell_bar_.top, w,
                             h};
    spell_slots_.push_back(slot);
    const bool mana = mp >= spell.mana;
    const bool greyed = !mana || cooling > 0;
    ui_.rect(slot, greyed ? th.spell_waiting : th.spell_ready);
    // What is left of the cooldown darkens the slot from the right.
    if (cooling > 0) {
      ui_.rect(
          {slot.left + slot.width * (1 - cooling), slot.top, slot.width * cooling, slot.height},
          sf::Color{0, 0, 0, 110});
    }
    ui_.frame(slot, 1, greyed ? th.panel_border : th.field_focus);
    const sf::Color text = greyed ? th.dim_text : th.button_text;
    ui_.small(std::to_string(i + 1), {slot.left + 4, slot.top + 2},
              greyed ? th.dim_text : th.title);
    ui_.small(spell.name, {slot.left + 16, slot.top + 3}, text);
    ui_.small(std::to_string(spell.mana) + " MP", {slot.left + 16, slot.top + 20},
              mana ? (greyed ? th.dim_text : th.mp_text) : th.error);
  }
}

void GameScreen::draw(sf::RenderTarget& target, double now) {
  now_ = std::max(now_, now);
  const auto* m = mirror();
  const auto* c = app_.content();
  const std::uint32_t backpack = c != nullptr ? c->bundle->config.backpack_capacity : 20;
  layout_ = game_layout(app_.theme(), app_.size(), backpack, minimap_open_, inventory_open_);
  ui_.clear();
  overlay_.clear();
  labels_.clear();
  icons_.clear();
  minimap_.clear();
  dots_.clear();
  if (m != nullptr && m->entered()) {
    const world::EntityId you = m->you();
    const TilePoint camera = motion_.at(you, now, predictor_.position());
    hover_ = {};
    if (const auto tile = renderer_.tile_at(mouse_)) {
      if (const auto* e = m->entity_at(*tile); e != nullptr && e->id != you) hover_ = e->id;
    }
    ViewFrame f;
    f.mirror = m;
    f.motion = &motion_;
    f.effects = &effects_;
    f.camera = camera;
    f.viewport = layout_.map;
    f.now = now;
    f.target = target_;
    f.hover = hover_;
    renderer_.build(f);
    renderer_.draw(target);
    ui_.rect(layout_.side, app_.theme().background);
    draw_spell_bar(*m, now);
    draw_status(*m);
    if (minimap_open_) draw_minimap(*m);
    if (inventory_open_) draw_inventory(*m);
    draw_chat(*m, now);
  } else {
    ui_.text_centred(app_.status().empty() ? "Entering the world..." : app_.status(),
                     app_.size().x / 2, app_.size().y / 2, app_.theme().text);
  }
  if (const auto& retry = app_.retry()) {
    const std::string line =
        "Connection lost. Reconnecting in " +
        std::to_string(std::max(0, static_cast<int>(std::ceil(retry->at - now)))) + " s (attempt " +
        std::to_string(retry->attempt) + " of " + std::to_string(retry->of) + ")";
    const sf::FloatRect box{layout_.map.width / 2 - 260, 40, 520, 40};
    overlay_.panel(box);
    overlay_.text_centred(line, box.left + box.width / 2, box.top + 10, app_.theme().warning);
  }
  if (popup_) {
    const sf::Vector2f size = app_.size();
    const sf::FloatRect box{size.x / 2 - 260, size.y / 2 - 90, 520, 180};
    overlay_.rect({0, 0, size.x, size.y}, sf::Color{0, 0, 0, 120});
    overlay_.panel(box);
    overlay_.wrapped(*popup_, {box.left + 24, box.top + 24}, box.width - 48, app_.theme().text, 4);
    popup_ok_.rect = {box.left + box.width / 2 - 60, box.top + box.height - 52, 120, 34};
    overlay_.button(popup_ok_);
  }
  // The HUD's panels, then what lies on them, then popups over everything.
  ui_.draw(target);
  minimap_.draw(target);
  dots_.draw(target);
  icons_.draw(target);
  labels_.draw(target);
  overlay_.draw(target);
}

std::unique_ptr<Screen> make_game_screen(App& app) {
  return std::make_unique<GameScreen>(app);
}

}  // namespace sfml_client
