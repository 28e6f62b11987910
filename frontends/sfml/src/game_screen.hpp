#pragma once
/// \file GameScreen: the game. The map view (WorldRenderer) with the spell bar along its foot,
/// the side panels (status, minimap, equipment and backpack), the chat log and line, popups.
/// Input becomes commands through one function, issue(); the player's steps are predicted
/// (client::Predictor) and every creature glides between ticks (Motion).

#include <SFML/Graphics/Texture.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "batch.hpp"
#include "client/prediction.hpp"
#include "effects.hpp"
#include "hud.hpp"
#include "motion.hpp"
#include "screen.hpp"
#include "ui.hpp"
#include "world/command.hpp"
#include "world_renderer.hpp"

namespace sfml_client {

class App;

/// The game screen.
class GameScreen final : public Screen {
 public:
  explicit GameScreen(App& app);

  ScreenKind kind() const override { return ScreenKind::Game; }
  void handle(const sf::Event& event) override;
  void update(double now, double dt) override;
  void draw(sf::RenderTarget& target, double now) override;
  void on_entered(const client::WorldMirror& mirror) override;
  void on_tick(const client::WorldMirror& mirror, const protocol::TickMessage& tick) override;
  void on_command_error(const protocol::ProtocolError& error) override;
  std::optional<sf::FloatRect> find(std::string_view name) const override;

  /// Sends one command to the world (every input ends here); returns its seq, 0 if dropped.
  std::uint32_t issue(world::CommandPayload command);
  /// Casts the own vocation's spell in bar slot `slot` (0 for key 1), aimed as docs/client.md
  /// says: a creature spell at the target or the creature under the mouse (a heal: the creature
  /// under the mouse, else a player target, else oneself), a tile spell at the tile under the
  /// mouse or the target's, self and area spells unaimed. Returns the seq, 0 if nothing was sent
  /// (no such slot, nothing to aim at: told in words).
  std::uint32_t cast(std::size_t slot);

  // What tests look at.
  [[nodiscard]] const client::Predictor& predictor() const { return predictor_; }
  [[nodiscard]] const Motion& motion() const { return motion_; }
  [[nodiscard]] const WorldRenderer& renderer() const { return renderer_; }
  [[nodiscard]] const GameLayout& layout() const { return layout_; }
  [[nodiscard]] world::EntityId target() const { return target_; }
  [[nodiscard]] bool chat_open() const { return chat_open_; }
  [[nodiscard]] bool inventory_open() const { return inventory_open_; }
  [[nodiscard]] bool minimap_open() const { return minimap_open_; }
  [[nodiscard]] const std::optional<std::string>& popup() const { return popup_; }
  [[nodiscard]] const Effects& effects() const { return effects_; }
  /// The own vocation's spells (ids), in the bar's order.
  [[nodiscard]] std::vector<std::uint32_t> spells() const;
  /// Client time when the spells are ready again, as estimated from the last own SpellCast.
  [[nodiscard]] double spells_ready_at() const { return spells_ready_at_; }
  /// Whether bar slot `slot` is shown greyed (too little MP, or cooling down) at `now`.
  [[nodiscard]] bool spell_greyed(std::size_t slot, double now) const;

 private:
  [[nodiscard]] const client::WorldMirror* mirror() const;
  [[nodiscard]] double step_time() const;
  void try_step(double now);
  void on_key(const sf::Event& e);
  void on_mouse_press(const sf::Event& e);
  void on_mouse_release(const sf::Event& e);
  void build_minimap();
  void draw_status(const client::WorldMirror& m);
  void draw_minimap(const client::WorldMirror& m);
  void draw_inventory(const client::WorldMirror& m);
  void draw_chat(const client::WorldMirror& m, double now);
  void draw_spell_bar(const client::WorldMirror& m, double now);
  [[nodiscard]] std::uint32_t tick_rate() const;
  // The creature drawn under a window pixel of the map view (not oneself), or unset.
  [[nodiscard]] world::EntityId creature_at(sf::Vector2f p) const;
  void item_action(world::ItemId id, bool primary);
  [[nodiscard]] const world::ItemState* inventory_at(world::ItemPlace place,
                                                     std::uint32_t index) const;
  [[nodiscard]] std::string item_name(std::uint32_t type) const;

  App& app_;
  WorldRenderer renderer_;
  UiPainter ui_;       // the HUD's panels and text
  UiPainter overlay_;  // popups and the reconnect line, over everything
  TextBatch labels_;   // stack counts, over the icons
  QuadBatch icons_;    // item icons in the inventory (atlas texture)
  QuadBatch minimap_;  // the minimap's terrain (its own texture) and dots
  QuadBatch dots_;
  sf::Texture minimap_texture_;
  GameLayout layout_;
  Motion motion_;
  Effects effects_;
  client::Predictor predictor_;
  world::EntityId target_;
  world::EntityId hover_;
  std::vector<world::Direction> held_;  // movement keys held, the last pressed last
  double next_step_at_ = 0;
  double now_ = 0;
  bool chat_open_ = false;
  TextField chat_line_{400};
  bool inventory_open_ = true;
  bool minimap_open_ = true;
  std::optional<world::ItemId> selected_item_;
  std::optional<world::ItemId> dragging_;
  sf::Vector2f drag_from_;
  sf::Vector2f mouse_;
  std::optional<std::string> popup_;
  Button popup_ok_;
  Button use_button_, drop_button_, leave_button_;
  double last_click_at_ = -1;
  world::ItemId last_click_item_;
  std::vector<std::uint32_t> casts_;  // seqs of the last Cast commands sent (a few)
  double spells_ready_at_ = 0;        // the spell cooldown's end, client time (estimate)
  double spells_cooldown_ = 0;        // the length of that cooldown, seconds
  sf::FloatRect spell_bar_;           // the bar, and its slots, as drawn last
  std::vector<sf::FloatRect> spell_slots_;
};

}  // namespace sfml_client
