// Prediction over a slow link: with 150 ms added each way between client and server (a delaying
// proxy), the player's step shows on the first frame after the key press and ends on the
// server's tile; a step the server refuses (the client's map has no wall there, the server's
// has) snaps back to the server's tile without jitter.

#include <doctest/doctest.h>

#include <deque>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app.hpp"
#include "content/files.hpp"
#include "delay_proxy.hpp"
#include "game_screen.hpp"
#include "options.hpp"
#include "test_server.hpp"
#include "ui_driver.hpp"

namespace {

using sfml_client::ScreenKind;
using namespace std::chrono_literals;

// The shipped content with every obstacle taken out of the map: the client believes it can walk
// anywhere, the server knows better.
std::filesystem::path content_without_walls(const std::filesystem::path& dir) {
  const auto src = content::default_data_dir();
  std::filesystem::create_directories(dir / "maps");
  for (const char* f :
       {"items.json", "spells.json", "vocations.json", "npcs.json", "maps/terrain.tsj"})
    std::filesystem::copy_file(src / f, dir / f, std::filesystem::copy_options::overwrite_existing);
  nlohmann::json map = nlohmann::json::parse(std::ifstream(src / "maps/default.tmj"));
  nlohmann::json layers = nlohmann::json::array();
  for (auto& layer : map["layers"]) {
    if (layer["name"] == "structures") continue;
    if (layer["name"] == "ground") {
      for (auto& gid : layer["data"]) {
        const int g = gid.get<int>();
        if (g >= 6 && g <= 9) gid = 2;  // water, wall, tree, rock -> grass
      }
    }
    layers.push_back(layer);
  }
  map["layers"] = layers;
  std::ofstream(dir / "maps/default.tmj") << map.dump();
  return dir;
}

// Directions from `from` to the nearest walkable tile next to a wall of the server's map, and
// the direction into that wall.
struct WallRoute {
  std::vector<world::Direction> path;
  world::Direction into = world::Direction::North;
};
std::optional<WallRoute> route_to_wall(const world::TileMap& map, world::Position from) {
  std::map<world::Position, std::pair<world::Position, world::Direction>> came;
  std::deque<world::Position> open{from};
  came[from] = {from, world::Direction::North};
  while (!open.empty() && came.size() < 5000) {
    const world::Position p = open.front();
    open.pop_front();
    for (std::uint8_t i = 0; i < 4; ++i) {
      const auto d = static_cast<world::Direction>(i);
      const world::Position q = world::step_towards(p, d);
      if (map.in_bounds(q) && map.at(q).terrain == world::Terrain::Wall) {
        WallRoute r;
        r.into = d;
        for (world::Position x = p; x != from; x = came[x].first)
          r.path.insert(r.path.begin(), came[x].second);
        return r;
      }
      if (!map.walkable(q) || came.contains(q)) continue;
      came[q] = {p, d};
      open.push_back(q);
    }
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("client prediction: at 150 ms each way a step shows at once, a refused one snaps back") {
  nettest::TestServer server;
  uitest::DelayProxy proxy(server.port(), 150ms);
  nettest::TempDir content_dir;
  sfml_client::AppOptions o;
  o.connect.host = "127.0.0.1";
  o.connect.port = proxy.port();
  o.connect.verify = client::TlsVerify::Pin;
  o.connect.pin = sfml_client::certificate_fingerprint(server.cert.cert_path).value();
  o.content_dir = content_without_walls(content_dir.path);
  o.procedural_tiles = true;
  o.vsync = false;
  o.user = "ui_pat";
  o.password = "pw-pat";
  o.register_account = true;
  o.character = "Pat";
  sfml_client::App app(o);
  uitest::Driver d{app};
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Game && d.mirror().entered(); }, 20s));
  auto& game = d.game();
  d.frames(5);
  const world::EntityId me = d.mirror().you();
  const auto server_map = content::load_bundle_files(content::default_data_dir()).value().map;

  // The route to the nearest wall, walked step by step (each confirmed before the next).
  const world::Position start = d.mirror().self()->position;
  const auto route = route_to_wall(*server_map, start);
  REQUIRE(route.has_value());
  bool first_step_checked = false;
  for (const world::Direction step : route->path) {
    const world::Position before = game.predictor().position();
    const world::Position goal = world::step_towards(before, step);
    const sf::Vector2f fixed_before = game.renderer().pixel_of({0, 0});
    const sfml_client::TilePoint drawn_before = game.motion().at(me, app.now(), before);
    d.key(uitest::key_of(step), false);
    d.frame();  // the first frame after the key press
    d.key_up(uitest::key_of(step));
    const sfml_client::TilePoint drawn_after = game.motion().at(me, app.now(), before);
    if (!first_step_checked) {
      // Predicted at once: the predictor is on the new tile and the sprite is on its way there
      // (it moved, and not the whole tile yet); the map under it scrolled the other way.
      CHECK(game.predictor().position() == goal);
      CHECK(d.mirror().self()->position == before);  // the server has not answered yet
      const float moved =
          std::abs(drawn_after.x - drawn_before.x) + std::abs(drawn_after.y - drawn_before.y);
      CHECK(moved > 0.0f);
      CHECK(moved < 1.0f);
      const sf::Vector2f fixed_after = game.renderer().pixel_of({0, 0});
      CHECK((fixed_after.x != fixed_before.x || fixed_after.y != fixed_before.y));
      first_step_checked = true;
    }
    // The prediction never leaves the goal while the server catches up.
    const bool confirmed = d.until(
        [&] {
          CHECK(game.predictor().position() == goal);
          return d.mirror().self()->position == goal;
        },
        5s);
    REQUIRE_MESSAGE(confirmed,
                    "the server did not confirm the step to (" << goal.x << ", " << goal.y << ")");
  }

  // Into the wall: predicted (the client's map has none), refused, snapped back.
  const world::Position here = d.mirror().self()->position;
  const world::Position wall = world::step_towards(here, route->into);
  d.frames(10);
  d.key(uitest::key_of(route->into), false);
  d.frame();
  d.key_up(uitest::key_of(route->into));
  CHECK(game.predictor().position() == wall);
  std::set<world::Position> shown;
  const bool back = d.until(
      [&] {
        shown.insert(game.predictor().position());
        return game.predictor().position() == here && game.predictor().pending().empty();
      },
      5s);
  REQUIRE(back);
  CHECK(d.mirror().self()->position == here);
  CHECK(shown.size() <= 2);  // the wall tile, then back: nothing in between
  d.frames(2);
  const auto drawn = game.motion().at(me, app.now(), here);
  CHECK(drawn == sfml_client::TilePoint{static_cast<float>(here.x), static_cast<float>(here.y)});
}
