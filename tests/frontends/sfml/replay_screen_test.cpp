// The replay viewer as a user drives it: opens the golden recording, plays, pauses, steps,
// changes speed, seeks (bar and keys), follows a creature; draws what the mirror holds.

#include "replay_screen.hpp"
//
#include <doctest/doctest.h>

#include <fstream>

#include "app.hpp"
#include "ui_driver.hpp"

namespace {
sfml_client::AppOptions replay_options(const std::filesystem::path& file) {
  sfml_client::AppOptions o;
  o.replay = file;
  o.procedural_tiles = true;
  o.vsync = false;
  return o;
}
}  // namespace

TEST_CASE("replay viewer: plays, pauses, steps, changes speed and seeks the golden recording") {
  sfml_client::App app(replay_options(ALPHAMMO_TEST_DATA "/golden.amrec"));
  uitest::Driver d{app};
  REQUIRE(d.screen() == sfml_client::ScreenKind::Replay);
  auto& screen = dynamic_cast<sfml_client::ReplayScreen&>(app.screen());
  REQUIRE(screen.player() != nullptr);
  auto& p = *screen.player();
  CHECK(screen.playing());
  const world::Tick t0 = p.tick();
  for (int i = 0; i < 30; ++i)
    app.frame(1.0 / 60);  // half a second at x1: about 10 ticks
  CHECK(p.tick() > t0);
  CHECK(p.tick() <= t0 + 12);

  d.key(sf::Keyboard::Space);
  CHECK_FALSE(screen.playing());
  const world::Tick paused = p.tick();
  for (int i = 0; i < 30; ++i)
    app.frame(1.0 / 60);
  CHECK(p.tick() == paused);
  d.key(sf::Keyboard::Right);
  CHECK(p.tick() == paused + 1);

  d.key(sf::Keyboard::Equal);
  d.key(sf::Keyboard::Equal);
  CHECK(screen.speed() == 4);
  for (int i = 0; i < 6; ++i)
    d.key(sf::Keyboard::Equal);
  CHECK(screen.speed() == 16);
  for (int i = 0; i < 9; ++i)
    d.key(sf::Keyboard::Hyphen);
  CHECK(screen.speed() == 0.25);

  // Seek to the middle and the end: the mirror holds that world.
  const world::Tick middle = (p.first_tick() + p.last_tick()) / 2;
  screen.seek(middle);
  CHECK(p.tick() == middle);
  app.frame(1.0 / 60);
  CHECK(screen.renderer().quads(sfml_client::Layer::Bodies) > 0);
  d.key(sf::Keyboard::End);
  CHECK(p.tick() == p.last_tick());
  d.key(sf::Keyboard::Home);
  CHECK(p.tick() == p.first_tick());
  d.key(sf::Keyboard::PageDown);
  CHECK(p.tick() == p.keyframes()[1]);
  CHECK(p.hashes_match());

  // The seek bar jumps to the keyframe nearest the click.
  app.frame(1.0 / 60);
  const sf::Vector2f size = app.size();
  d.click({size.x - 22, size.y - 64 + 17});
  CHECK(p.tick() == p.keyframes().back());

  // Click a creature to follow it.
  d.key(sf::Keyboard::Home);
  app.frame(1.0 / 60);
  const auto ents = p.mirror().entities();
  REQUIRE_FALSE(ents.empty());
  std::optional<sf::FloatRect> cell;
  world::EntityId picked;
  for (const auto& e : ents) {
    cell = screen.renderer().drawn_at(e.id);
    if (cell && cell->left > 10 && cell->top > 60 && cell->left < size.x - 40 &&
        cell->top < size.y - 120) {
      picked = e.id;
      break;
    }
    cell.reset();
  }
  REQUIRE(cell.has_value());
  d.click({cell->left + 16, cell->top + 16});
  CHECK(screen.following() == picked);
  d.key(sf::Keyboard::F);
  CHECK_FALSE(screen.following().is_set());
}

TEST_CASE("replay viewer: a file that is not a recording says why") {
  const auto path = std::filesystem::temp_directory_path() / "alphammo-not-a-recording.amrec";
  { std::ofstream(path) << "this is not a recording"; }
  sfml_client::App app(replay_options(path));
  auto& screen = dynamic_cast<sfml_client::ReplayScreen&>(app.screen());
  CHECK(screen.player() == nullptr);
  CHECK(screen.error().find(path.string()) != std::string::npos);
  app.frame(1.0 / 60);
  std::filesystem::remove(path);
}
