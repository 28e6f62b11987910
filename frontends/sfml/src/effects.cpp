#include "effects.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "words.hpp"

namespace sfml_client {
namespace {
constexpr std::size_t kMaxTexts = 200;
constexpr std::size_t kMaxMarks = 100;
constexpr std::size_t kMaxBanners = 4;
constexpr std::size_t kMaxProjectiles = 64;
constexpr std::size_t kMaxBursts = 32;
}  // namespace

void Effects::add_text(FloatingText t) {
  texts_.push_back(std::move(t));
  if (texts_.size() > kMaxTexts) texts_.pop_front();
}

void Effects::on_tick(const protocol::TickMessage& tick, const client::WorldMirror& mirror,
                      double now, std::span<const std::uint32_t> casts) {
  const world::EntityId you = mirror.you();
  const Theme& th = *theme_;
  for (const world::Delta& delta : tick.deltas) {
    std::visit(
        [&](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, world::Hit>) {
            add_text({d.target, d.position, std::to_string(d.damage),
                      d.target == you ? th.damage_self : th.damage, now, th.damage_float_seconds});
          } else if constexpr (std::is_same_v<T, world::Missed>) {
            add_text({d.target, d.position, "miss", th.miss, now, th.damage_float_seconds});
          } else if constexpr (std::is_same_v<T, world::Died>) {
            marks_.push_back({d.position, MarkKind::Death, now, 2.5});
            if (d.id == you) banner("You died.", th.error, now);
          } else if constexpr (std::is_same_v<T, world::Teleported>) {
            if (d.id == you) marks_.push_back({d.to, MarkKind::Respawn, now, 1.0});
          } else if constexpr (std::is_same_v<T, world::Shot>) {
            projectiles_.push_back({d.from, d.to, now, th.projectile_seconds});
            if (projectiles_.size() > kMaxProjectiles) projectiles_.pop_front();
          } else if constexpr (std::is_same_v<T, world::SpellCast>) {
            const world::SpellType* spell =
                spells_ != nullptr && d.spell < spells_->size() ? &(*spells_)[d.spell] : nullptr;
            const bool area = spell != nullptr && (spell->target == world::SpellTarget::Tile ||
                                                   spell->target == world::SpellTarget::Area);
            bursts_.push_back({d.centre, area ? std::max(0, spell->radius) : 0,
                               spell != nullptr && spell->effect == world::SpellEffect::Heal, now,
                               th.spell_seconds});
            if (bursts_.size() > kMaxBursts) bursts_.pop_front();
          } else if constexpr (std::is_same_v<T, world::TriggerFired>) {
            if (d.id == you && !d.message.empty()) banner(d.message, th.chat_trigger, now);
          }
        },
        delta);
  }
  for (const world::Rejection& r : tick.rejections) {
    const bool cast = std::find(casts.begin(), casts.end(), r.seq) != casts.end();
    // A step refused for its cooldown is resent by the predictor: not the player's business.
    if (r.reason == world::RejectReason::Cooldown && !cast) continue;
    say_above_player(you, cast ? cast_rejection_words(r.reason) : rejection_words(r.reason),
                     th.warning, now);
  }
  while (marks_.size() > kMaxMarks)
    marks_.pop_front();
}

void Effects::say_above_player(world::EntityId you, std::string text, sf::Color colour,
                               double now) {
  // One refusal at a time: a new one replaces the old.
  std::erase_if(texts_, [](const FloatingText& t) { return t.refusal; });
  add_text({you, {}, std::move(text), colour, now, theme_->rejection_seconds, true});
}

void Effects::banner(std::string text, sf::Color colour, double now) {
  banners_.push_back({std::move(text), colour, now, 4});
  if (banners_.size() > kMaxBanners) banners_.pop_front();
}

void Effects::prune(double now) {
  std::erase_if(texts_, [&](const FloatingText& t) { return now > t.start + t.duration; });
  std::erase_if(marks_, [&](const TileMark& m) { return now > m.start + m.duration; });
  std::erase_if(banners_, [&](const Banner& b) { return now > b.start + b.duration; });
  std::erase_if(projectiles_, [&](const Projectile& p) { return now > p.start + p.duration; });
  std::erase_if(bursts_, [&](const SpellBurst& b) { return now > b.start + b.duration; });
}

void Effects::clear() {
  texts_.clear();
  marks_.clear();
  banners_.clear();
  projectiles_.clear();
  bursts_.clear();
}

}  // namespace sfml_client
