// The player client against the real server on 127.0.0.1 (real TLS, an ephemeral port), driven
// by synthetic SFML events under Xvfb: register, create a character, enter, move, chat, pick up,
// equip, see a second player appear. Checked in the client's mirror and in the rendered frame.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "app.hpp"
#include "content/files.hpp"
#include "game_screen.hpp"
#include "netserver/password.hpp"
#include "netserver/store.hpp"
#include "test_server.hpp"
#include "ui_driver.hpp"

namespace {

using sfml_client::ScreenKind;
using namespace std::chrono_literals;

sfml_client::AppOptions options_for(const nettest::TestServer& server) {
  sfml_client::AppOptions o;
  o.connect.host = "127.0.0.1";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::CaFile;
  o.connect.ca_file = server.cert.cert_path;
  o.connect.host = "localhost";
  o.procedural_tiles = true;                       // the same pixels wherever the tests run
  o.cache_dir = server.dir.path / "client-cache";  // the server's content comes here
  o.vsync = false;
  o.width = 1280;
  o.height = 720;
  return o;
}

// An account "bot_ann" (password "secret") whose character "Ann" carries a short sword.
void seed_ann(const std::filesystem::path& db) {
  auto store = netserver::Store::open(db);
  REQUIRE(store.ok());
  netserver::PasswordParams cheap;
  cheap.opslimit = 1;
  cheap.memlimit = 8192;
  const auto phc = netserver::PasswordHasher(cheap).hash("secret");
  REQUIRE(phc.ok());
  const auto account = store.value().create_account("bot_ann", phc.value());
  REQUIRE(account.ok());
  const auto id =
      store.value().create_character(account.value(), "Ann", world::Look{2, 1, 0xd9b36c});
  REQUIRE(id.ok());
  auto ch = store.value().load_character(account.value(), id.value());
  REQUIRE(ch.ok());
  world::Character c = ch.value();
  c.items.push_back(world::CarriedItem{3, 1, world::ItemPlace::Backpack, 0});  // short_sword
  REQUIRE(store.value().save_cut(1, std::vector<world::Character>{c}).ok());
}

sf::FloatRect widget(uitest::Driver& d, std::string_view name) {
  const auto r = d.app.screen().find(name);
  REQUIRE_MESSAGE(r.has_value(), "no widget \"" << name << "\" on the "
                                                << sfml_client::to_string(d.screen()) << " screen");
  return *r;
}

}  // namespace

TEST_CASE("client: register, create, enter, move, chat, pick up, equip, see a second player") {
  nettest::TestServerOptions so;
  so.before_start = seed_ann;
  nettest::TestServer server(so);
  sfml_client::App app(options_for(server));
  uitest::Driver d{app};
  d.frames(2);
  REQUIRE(d.screen() == ScreenKind::Login);

  // Register "ui_zoe".
  d.click(widget(d, "Username"));
  d.type("ui_zoe");
  d.key(sf::Keyboard::Tab);
  d.type("pa55word");
  d.frames(1);
  d.click(widget(d, "Register"));
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Characters; }));

  // Create "Zoe" with body 2, hair 3 and a picked colour; the list shows her.
  d.click(widget(d, "Name"));
  d.type("Zoe");
  d.click(widget(d, "body >"));
  d.click(widget(d, "hair >"));
  d.frames(1);
  d.click(widget(d, "Create"));
  REQUIRE(d.until([&] {
    const auto& list = app.session()->characters().list;
    return !list.empty() && list.front().name == "Zoe";
  }));
  CHECK(app.session()->characters().list.front().look.body == 2);
  CHECK(app.session()->characters().list.front().look.hair_style == 3);
  d.frames(2);
  d.click(widget(d, "row:Zoe"));
  d.click(widget(d, "Enter world"));
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Game && d.mirror().entered(); }));
  d.frames(3);
  auto& game = d.game();
  const world::EntityId me = d.mirror().you();
  // The world's content came from the server, over HTTPS, into the client's cache: not from a
  // data/ folder.
  REQUIRE(app.content() != nullptr);
  CHECK(app.content()->origin.find("client-cache") != std::string::npos);
  const auto served = content::load_bundle_files(content::default_data_dir());
  REQUIRE(served.ok());
  CHECK(app.content()->bundle->map->width() == served.value().map->width());
  CHECK(app.content()->bundle->config.item_types == served.value().config.item_types);
  REQUIRE(d.mirror().self() != nullptr);
  CHECK(d.mirror().self()->name == "Zoe");

  // The HUD: the HP bar is full (its left end has the HP colour), the status names her.
  {
    const sf::FloatRect status = *game.find("status");
    const sf::Image frame = app.capture();
    const sf::Color hp = frame.getPixel(static_cast<unsigned>(status.left + 14),
                                        static_cast<unsigned>(status.top + 58));
    CHECK_MESSAGE(uitest::near(hp, app.theme().hp_bar),
                  "HP bar pixel " << int(hp.r) << "," << int(hp.g) << "," << int(hp.b));
    const sf::Color right_end =
        frame.getPixel(static_cast<unsigned>(status.left + status.width - 14),
                       static_cast<unsigned>(status.top + 58));
    CHECK(uitest::near(right_end, app.theme().hp_bar));
  }

  // Move: a step to a free tile shows at once and is confirmed by the server.
  const world::Position start = d.mirror().self()->position;
  world::Direction dir = world::Direction::East;
  for (const auto candidate : {world::Direction::East, world::Direction::West,
                               world::Direction::South, world::Direction::North}) {
    if (!game.predictor().check(d.mirror(), candidate)) {
      dir = candidate;
      break;
    }
  }
  const world::Position goal = world::step_towards(start, dir);
  d.key(uitest::key_of(dir));
  CHECK(game.predictor().position() == goal);  // predicted at once
  REQUIRE(d.until([&] { return d.mirror().self()->position == goal; }, 5s));
  CHECK(game.predictor().pending().empty());

  // Chat: t, the line, Enter; the server's `said` comes back into the log.
  d.key(sf::Keyboard::T);
  d.frames(1);
  CHECK(game.chat_open());
  d.type("hello from the test");
  d.key(sf::Keyboard::Enter);
  REQUIRE(d.until([&] {
    const auto& chat = d.mirror().chat();
    return !chat.empty() && chat.back().text == "hello from the test";
  }));
  CHECK(d.mirror().chat().back().name == "Zoe");
  CHECK_FALSE(game.chat_open());

  // A second player (Ann, a bot) enters near the temple and appears on screen.
  nettest::WsClient ann(server);
  ann.hello();
  auto list = ann.request(protocol::Login{"bot_ann", "secret"});
  REQUIRE(std::holds_alternative<protocol::CharacterList>(list));
  const auto ann_entered =
      ann.request(protocol::EnterWorld{std::get<protocol::CharacterList>(list).list.front().id});
  REQUIRE(std::holds_alternative<protocol::Entered>(ann_entered));
  const world::EntityId ann_id = std::get<protocol::Entered>(ann_entered).you;
  REQUIRE(d.until([&] { return d.mirror().entity(ann_id) != nullptr; }));
  d.frames(20);  // her glide in is over
  {
    const auto drawn = game.renderer().drawn_at(ann_id);
    REQUIRE(drawn.has_value());
    const sf::Image frame = app.capture();
    // Her health bar: full, so green, just above her cell.
    const sf::Color bar = frame.getPixel(static_cast<unsigned>(drawn->left + 8),
                                         static_cast<unsigned>(drawn->top - 4));
    CHECK_MESSAGE(uitest::near(bar, sf::Color{70, 200, 70}),
                  "bar pixel " << int(bar.r) << "," << int(bar.g) << "," << int(bar.b));
  }

  // Ann drops her sword; Zoe walks next to it and picks it up with a right click.
  const auto& ann_items = std::get<protocol::Entered>(ann_entered).snapshot.inventory;
  REQUIRE(ann_items.size() == 1);
  ann.command(world::Drop{ann_items[0].id, 0});
  REQUIRE(d.until([&] { return !d.mirror().ground_items().empty(); }));
  const world::ItemState sword = d.mirror().ground_items().front();
  for (int i = 0; i < 12 && world::chebyshev(d.mirror().self()->position, sword.position) > 1;
       ++i) {
    const world::Position here = d.mirror().self()->position;
    const world::Direction step = sword.position.x > here.x   ? world::Direction::East
                                  : sword.position.x < here.x ? world::Direction::West
                                  : sword.position.y > here.y ? world::Direction::South
                                                              : world::Direction::North;
    d.key(uitest::key_of(step));
    d.until([&] { return game.predictor().pending().empty(); }, 2s);
    d.frames(8);
  }
  REQUIRE(world::chebyshev(d.mirror().self()->position, sword.position) <= 1);
  d.frames(15);
  {
    const sf::Vector2f at = game.renderer().pixel_of(
        {static_cast<float>(sword.position.x), static_cast<float>(sword.position.y)});
    d.click({at.x + 16, at.y + 16}, sf::Mouse::Right);
  }
  REQUIRE(d.until([&] { return !d.mirror().inventory().empty(); }));
  const world::ItemState mine = d.mirror().inventory().front();
  CHECK(mine.type == 3);
  CHECK(mine.place == world::ItemPlace::Backpack);

  // Equip: double-click its backpack slot. The world puts it in the weapon slot and the look
  // (and so the weapon layer) shows it.
  const sf::FloatRect slot = game.layout().backpack(mine.index);
  d.click(slot);
  d.frames(1);
  d.click(slot);
  REQUIRE(d.until([&] {
    const auto* item = d.mirror().inventory_item(mine.id);
    return item != nullptr && item->place == world::ItemPlace::Equipment;
  }));
  CHECK(d.mirror().self()->look.weapon == 4);  // item type 3 + 1
  d.frames(2);
  CHECK(game.renderer().quads(sfml_client::Layer::Weapons) >= 1);

  // Targeting a player is refused by the world (no PvP): the refusal shows in words.
  {
    const auto drawn = game.renderer().drawn_at(ann_id);
    REQUIRE(drawn.has_value());
    d.click({drawn->left + 16, drawn->top + 16});
    CHECK(game.target() == ann_id);
    d.frames(2);
    const sf::Image frame = app.capture();
    const auto ring = game.renderer().drawn_at(ann_id);
    REQUIRE(ring.has_value());
    const sf::Color edge =
        frame.getPixel(static_cast<unsigned>(ring->left + 12), static_cast<unsigned>(ring->top));
    CHECK_MESSAGE(edge.r > 150,
                  "target ring pixel " << int(edge.r) << "," << int(edge.g) << "," << int(edge.b));
  }

  // Leave the world: back to the character list.
  d.click(widget(d, "Leave"));
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Characters; }));
  CHECK(me.is_set());
}
