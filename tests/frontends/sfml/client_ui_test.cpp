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

// Registers `user` (password "pa55word") on the login screen; ends on the character list.
void register_account(uitest::Driver& d, const std::string& user) {
  d.frames(2);
  REQUIRE(d.screen() == ScreenKind::Login);
  d.click(widget(d, "Username"));
  d.type(user);
  d.key(sf::Keyboard::Tab);
  d.type("pa55word");
  d.frames(1);
  d.click(widget(d, "Register"));
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Characters; }));
}

// Ann (seed_ann) enters the world near the temple through `ann`.
protocol::Entered enter_ann(nettest::WsClient& ann) {
  ann.hello();
  auto list = ann.request(protocol::Login{"bot_ann", "secret"});
  REQUIRE(std::holds_alternative<protocol::CharacterList>(list));
  auto entered =
      ann.request(protocol::EnterWorld{std::get<protocol::CharacterList>(list).list.front().id});
  REQUIRE(std::holds_alternative<protocol::Entered>(entered));
  return std::get<protocol::Entered>(std::move(entered));
}

}  // namespace

TEST_CASE("client: register, create, enter, move, chat, pick up, equip, see a second player") {
  nettest::TestServerOptions so;
  so.before_start = seed_ann;
  nettest::TestServer server(so);
  sfml_client::App app(options_for(server));
  uitest::Driver d{app};
  register_account(d, "ui_zoe");

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
  const protocol::Entered ann_entered = enter_ann(ann);
  const world::EntityId ann_id = ann_entered.you;
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
  const auto& ann_items = ann_entered.snapshot.inventory;
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
  // (She has her vocation's start kit already: the sword is the item with the ground's id.)
  REQUIRE(d.until([&] { return d.mirror().inventory_item(sword.id) != nullptr; }));
  const world::ItemState mine = *d.mirror().inventory_item(sword.id);
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

TEST_CASE(
    "client: a mage is listed as one, her spell keys cast, the spell is drawn, refusals told") {
  nettest::TestServerOptions so;
  so.before_start = seed_ann;
  nettest::TestServer server(so);
  sfml_client::App app(options_for(server));
  uitest::Driver d{app};
  register_account(d, "ui_mia");

  // The vocation is chosen by name from the server's vocations.json: the first, then "> >".
  d.frames(1);
  CHECK(app.screen().find("vocation:Knight").has_value());
  d.click(widget(d, "vocation >"));
  d.click(widget(d, "vocation >"));
  d.frames(1);
  REQUIRE(app.screen().find("vocation:Mage").has_value());
  d.click(widget(d, "Name"));
  d.type("Mia");
  d.click(widget(d, "Create"));
  REQUIRE(d.until([&] {
    const auto& list = app.session()->characters().list;
    return !list.empty() && list.front().name == "Mia";
  }));
  CHECK(app.session()->characters().list.front().vocation == 2);
  d.frames(2);
  CHECK(app.screen().find("row:Mia/Mage").has_value());  // her row says "Mage"
  CHECK_FALSE(app.screen().find("row:Mia/Knight").has_value());
  d.click(widget(d, "row:Mia"));
  d.click(widget(d, "Enter world"));
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Game && d.mirror().entered(); }));
  d.frames(3);
  auto& game = d.game();
  CHECK(d.mirror().character().vocation == 2);

  // The spell bar: the mage's five spells on keys 1 to 5, ready (the slot's ready colour).
  const std::vector<std::uint32_t> spells = game.spells();
  REQUIRE(spells.size() == 5);
  const auto& all = app.content()->bundle->config.spells;
  CHECK(all[spells[0]].key == "heal");
  CHECK(all[spells[1]].key == "mend");
  CHECK(all[spells[2]].key == "fire_bolt");
  REQUIRE(game.find("spell:5").has_value());
  CHECK_FALSE(game.find("spell:6").has_value());
  CHECK_FALSE(game.spell_greyed(1, app.now()));
  {
    const sf::FloatRect slot = *game.find("spell:2");
    const sf::Image frame = app.capture();
    const sf::Color c = frame.getPixel(static_cast<unsigned>(slot.left + slot.width - 5),
                                       static_cast<unsigned>(slot.top + slot.height - 4));
    CHECK_MESSAGE(uitest::near(c, app.theme().spell_ready, 4),
                  "spell slot pixel " << int(c.r) << "," << int(c.g) << "," << int(c.b));
  }

  // Ann enters near the temple; with the mouse on her, key 2 (Mend, a heal for a creature)
  // casts at her: the world answers with a SpellCast and a green burst is drawn on her tile.
  nettest::WsClient ann(server);
  const protocol::Entered ann_entered = enter_ann(ann);
  const world::EntityId ann_id = ann_entered.you;
  REQUIRE(d.until([&] { return d.mirror().entity(ann_id) != nullptr; }));
  d.frames(20);  // her glide in is over
  const auto cell = game.renderer().drawn_at(ann_id);
  REQUIRE(cell.has_value());
  const sf::Vector2u centre{static_cast<unsigned>(cell->left + cell->width / 2),
                            static_cast<unsigned>(cell->top + cell->height / 2)};
  d.move_mouse({cell->left + cell->width / 2, cell->top + cell->height / 2});
  d.frames(1);
  const sf::Color before = app.capture().getPixel(centre.x, centre.y);
  const std::int32_t mp = d.mirror().self()->vitals.mp;
  d.key(sf::Keyboard::Num2);
  const auto refusal = [&] {
    for (const auto& t : game.effects().texts())
      if (t.refusal) return t.text;
    return std::string("(none)");
  };
  REQUIRE_MESSAGE(d.until([&] { return !game.effects().bursts().empty(); }, 5s),
                  "no spell drawn; refusal: " << refusal());
  const sf::Color after = app.capture().getPixel(centre.x, centre.y);
  const sfml_client::SpellBurst burst = game.effects().bursts().back();
  CHECK(burst.centre == d.mirror().entity(ann_id)->position);
  CHECK(burst.heal);
  CHECK(game.renderer().quads(sfml_client::Layer::Spells) >= 1);
  CHECK_MESSAGE(after.g - after.r > before.g - before.r + 30,
                "before " << int(before.r) << "," << int(before.g) << "," << int(before.b)
                          << " after " << int(after.r) << "," << int(after.g) << ","
                          << int(after.b));
  REQUIRE(d.until([&] { return d.mirror().self()->vitals.mp < mp; }, 5s));  // the mana is spent
  // Every spell waits out the cooldown (the client's estimate, from the cast it saw).
  CHECK(game.spells_ready_at() > app.now());
  CHECK(game.spell_greyed(0, app.now()));
  CHECK_FALSE(game.spell_greyed(0, game.spells_ready_at()));

  // When it is over, key 3 (Fire Bolt) at Ann: players may not hurt each other here, and the
  // refusal is told in a spell's words.
  REQUIRE(d.until([&] { return !game.spell_greyed(2, app.now()); }, 10s));
  d.key(sf::Keyboard::Num3);
  REQUIRE_MESSAGE(d.until([&] { return refusal() == "You cannot harm that."; }, 5s),
                  "refusal: " << refusal());
}
