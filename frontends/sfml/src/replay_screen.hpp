#pragma once
/// \file ReplayScreen: the replay viewer. Plays a recording (ReplayPlayer) through the game's
/// renderer: play, pause, one tick at a time, speed x0.25 to x16, a seek bar over the
/// keyframes, follow any creature or a free camera, the tick and whether the hashes match.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "effects.hpp"
#include "motion.hpp"
#include "replay_player.hpp"
#include "screen.hpp"
#include "tileset.hpp"
#include "ui.hpp"
#include "world_renderer.hpp"

namespace sfml_client {

class App;

/// The replay viewer.
class ReplayScreen final : public Screen {
 public:
  ReplayScreen(App& app, const std::filesystem::path& file);

  ScreenKind kind() const override { return ScreenKind::Replay; }
  void handle(const sf::Event& event) override;
  void update(double now, double dt) override;
  void draw(sf::RenderTarget& target, double now) override;

  /// The player (nullptr when the recording could not be opened: see error()).
  [[nodiscard]] ReplayPlayer* player() { return player_ ? &*player_ : nullptr; }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] bool playing() const { return playing_; }
  [[nodiscard]] double speed() const;
  [[nodiscard]] world::EntityId following() const { return follow_; }
  [[nodiscard]] const WorldRenderer& renderer() const { return renderer_; }
  /// Jumps to tick `t` (tests and the seek bar).
  void seek(world::Tick t);

 private:
  void after_step(double now);
  void snap_all(double now);
  [[nodiscard]] sf::FloatRect view_rect() const;

  App& app_;
  std::optional<ReplayPlayer> player_;
  std::string error_;
  std::unique_ptr<Tileset> tiles_;
  WorldRenderer renderer_;
  UiPainter ui_;
  Motion motion_;
  Effects effects_;
  bool playing_ = true;
  int speed_index_ = 2;  // x1
  double due_ = 0;       // ticks due
  world::EntityId follow_;
  TilePoint free_camera_;
  std::vector<world::Direction> held_;
  sf::FloatRect seek_bar_;
  sf::Vector2f mouse_;
  double now_ = 0;
};

}  // namespace sfml_client
