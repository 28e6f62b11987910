// The README's pictures, made by the real client (the App, driven like the UI tests) against
// the real server in this process. scripts/screenshots.sh builds and runs it under Xvfb:
//   ALPHAMMO_SCREENSHOTS=docs/img sfml_screenshots
// writes login.png, characters.png, game.png and replay.png there.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app.hpp"
#include "game_screen.hpp"
#include "netserver/password.hpp"
#include "netserver/store.hpp"
#include "options.hpp"
#include "test_server.hpp"
#include "ui_driver.hpp"

namespace {

using sfml_client::ScreenKind;
using namespace std::chrono_literals;

std::filesystem::path out_dir() {
  const char* dir = std::getenv("ALPHAMMO_SCREENSHOTS");
  REQUIRE_MESSAGE(dir != nullptr, "set ALPHAMMO_SCREENSHOTS to the folder for the pictures");
  std::filesystem::create_directories(dir);
  return dir;
}

void save(sfml_client::App& app, const std::string& name) {
  const auto path = out_dir() / name;
  REQUIRE(app.capture().saveToFile(path.string()));
  MESSAGE("wrote " << path.string());
}

// Accounts with characters that carry things: "shot_mira" (the player, a mage), bots around her.
void seed(const std::filesystem::path& db) {
  auto store = netserver::Store::open(db);
  REQUIRE(store.ok());
  netserver::PasswordParams cheap;
  cheap.opslimit = 1;
  cheap.memlimit = 8192;
  const auto phc = netserver::PasswordHasher(cheap).hash("secret").value();
  struct Who {
    const char* user;
    const char* name;
    world::Look look;
    std::vector<world::CarriedItem> items;
    std::uint8_t vocation = 0;
  };
  using world::ItemPlace;
  const std::vector<Who> people{
      {"shot_mira",
       "Mira",
       {1, 2, 0xb5651d},
       {{0, 57, ItemPlace::Backpack, 0},
        {1, 4, ItemPlace::Backpack, 1},
        {2, 2, ItemPlace::Backpack, 2},
        {4, 1, ItemPlace::Backpack, 3},
        {10, 6, ItemPlace::Backpack, 4},
        {7, 1, ItemPlace::Backpack, 5},
        {17, 1, ItemPlace::Equipment, 2},  // a wooden staff
        {8, 1, ItemPlace::Equipment, 1}},
       2},
      {"shot_bram",
       "Bram",
       {6, 1, 0x5a3825},
       {{5, 1, ItemPlace::Equipment, 2},
        {9, 1, ItemPlace::Equipment, 1},
        {7, 1, ItemPlace::Equipment, 0}}},
      {"shot_ilse",
       "Ilse",
       {2, 4, 0xeeeeee},
       {{4, 1, ItemPlace::Equipment, 2}, {6, 1, ItemPlace::Equipment, 0}}},
      {"shot_tom", "Tom", {7, 5, 0x1b1b1b}, {{8, 1, ItemPlace::Equipment, 1}}},
  };
  for (const Who& w : people) {
    const auto account = store.value().create_account(w.user, phc);
    REQUIRE(account.ok());
    const auto id = store.value().create_character(account.value(), w.name, w.look);
    REQUIRE(id.ok());
    auto c = store.value().load_character(account.value(), id.value()).value();
    c.items = w.items;
    c.vocation = w.vocation;
    if (w.vocation == 2) {
      c.max_mp = 90;
      c.mp = 74;
    }
    c.level = 3;
    c.experience = 420;
    c.hp = 38;
    REQUIRE(store.value().save_cut(1, std::vector<world::Character>{c}).ok());
  }
}

sfml_client::AppOptions options_for(const nettest::TestServer& server) {
  sfml_client::AppOptions o;
  o.connect.host = "127.0.0.1";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::Pin;
  o.connect.pin = sfml_client::certificate_fingerprint(server.cert.cert_path).value();
  o.vsync = false;
  o.cache_dir = server.dir.path / "client-cache";
  return o;
}

}  // namespace

TEST_CASE("screenshots for the README") {
  nettest::TestServerOptions so;
  so.before_start = seed;
  nettest::TestServer server(so);

  // The login screen, a name typed in.
  {
    sfml_client::App app(options_for(server));
    uitest::Driver d{app};
    d.frames(2);
    d.click(*app.screen().find("Username"));
    d.type("shot_mira");
    d.key(sf::Keyboard::Tab);
    d.type("secret");
    d.frames(2);
    save(app, "login.png");
  }

  // Three other players stand around the temple and talk.
  std::vector<std::unique_ptr<nettest::WsClient>> bots;
  for (const char* user : {"shot_bram", "shot_ilse", "shot_tom"}) {
    auto c = std::make_unique<nettest::WsClient>(server);
    c->hello();
    auto list = c->request(protocol::Login{user, "secret"});
    REQUIRE(std::holds_alternative<protocol::CharacterList>(list));
    REQUIRE(std::holds_alternative<protocol::Entered>(
        c->request(protocol::EnterWorld{std::get<protocol::CharacterList>(list).list.front().id})));
    bots.push_back(std::move(c));
  }

  // The character list, then the game.
  auto o = options_for(server);
  sfml_client::App app(o);
  uitest::Driver d{app};
  d.frames(1);
  d.click(*app.screen().find("Username"));
  d.type("shot_mira");
  d.key(sf::Keyboard::Tab);
  d.type("secret");
  d.key(sf::Keyboard::Enter);
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Characters; }));
  d.click(*app.screen().find("Name"));
  d.type("Mira Two");
  d.click(*app.screen().find("hair >"));
  d.click(*app.screen().find("hair >"));
  d.click(*app.screen().find("vocation >"));
  d.click(*app.screen().find("vocation >"));
  d.frames(3);
  save(app, "characters.png");

  d.click(*app.screen().find("Enter world"));
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Game && d.mirror().entered(); }));
  bots[0]->command(world::Say{"Welcome to the temple, Mira!"});
  d.frames(10);
  bots[1]->command(world::Say{"Rats in the cellar again. Who comes along?"});
  d.frames(10);
  bots[2]->command(world::Say{"I do. Meet you at the east gate."});
  for (int i = 0; i < 6; ++i) {
    bots[2]->command(world::Move{i % 2 == 0 ? world::Direction::East : world::Direction::South});
    d.frames(8);
  }
  d.key(sf::Keyboard::T);
  d.type("On my way");
  d.frames(30);
  auto& game = d.game();
  // Select the health potions so the inventory shows what they do.
  d.click(game.layout().backpack(1));
  d.frames(30);
  // She heals herself (key 1's spell; the keys are the chat line's while it is open): the burst
  // on her tile, the spell bar greyed for the cooldown.
  REQUIRE(game.cast(0) != 0);
  d.until([&] { return !game.effects().bursts().empty(); }, 5s);
  d.frames(4);
  save(app, "game.png");

  // The replay viewer on the golden recording, following a player mid-way.
  {
    sfml_client::AppOptions r;
    r.replay = ALPHAMMO_TEST_DATA "/golden.amrec";
    r.vsync = false;
    sfml_client::App viewer(r);
    uitest::Driver v{viewer};
    v.key(sf::Keyboard::PageDown);  // the middle keyframe, still playing
    v.key(sf::Keyboard::Tab);       // follow the first player
    v.key(sf::Keyboard::Equal);     // x2
    for (int i = 0; i < 100; ++i)
      viewer.frame(1.0 / 60);
    save(viewer, "replay.png");
  }
}
