// alphammo-load-prepare: writes the load test's accounts into a server's database before the
// server starts (no test-only server mode): N accounts PREFIX1..PREFIXN sharing one password,
// each with one character standing on a random walkable, free tile of the map (--spread) or at
// the map's player spawn. One Argon2id hash serves every account (the server still verifies each
// login with Argon2id). Re-running with the same arguments on the same directory changes nothing.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "content/files.hpp"
#include "netserver/password.hpp"
#include "netserver/store.hpp"
#include "world/rng.hpp"
#include "world/tile_map.hpp"

namespace {

struct Options {
  std::string data_dir = "var";
  std::string content;
  std::string map = "maps/default.tmj";
  std::uint32_t count = 100;
  std::string user = "load";
  std::string password = "alphammo-bot";
  bool spread = false;
  std::uint64_t seed = 1;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "alphammo-load-prepare: %s\n", message.c_str());
  return 1;
}

// The character's name for account `index`: letters only ("Walker" + the index in letters a..z),
// so every name is valid and distinct.
std::string character_name(std::uint32_t index) {
  std::string suffix;
  for (std::uint32_t i = index; i > 0; i /= 26)
    suffix.insert(suffix.begin(), static_cast<char>('a' + i % 26));
  return "Walker " + suffix;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "alphammo-load-prepare: create the load test's accounts and characters in a server's "
      "database (run it before the server starts)"};
  app.add_option("--data-dir", o.data_dir, "The server's --data-dir")->capture_default_str();
  app.add_option("--content", o.content, "Content directory (default: the installed data/)");
  app.add_option("--map", o.map, "Map file, relative to --content")->capture_default_str();
  app.add_option("--count", o.count, "Accounts PREFIX1..PREFIXN")
      ->check(CLI::Range(1u, 100'000u))
      ->capture_default_str();
  app.add_option("--user", o.user, "Username prefix")->capture_default_str();
  app.add_option("--password", o.password, "Every account's password")->capture_default_str();
  app.add_flag("--spread", o.spread,
               "Characters on random walkable tiles (default: at the player spawn)");
  app.add_option("--seed", o.seed, "Seed of the positions")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const std::filesystem::path content_dir =
      o.content.empty() ? content::default_data_dir() : std::filesystem::path{o.content};
  auto bundle = content::load_bundle_files(content_dir, o.map);
  if (!bundle.ok()) return fail(bundle.error().message);
  const world::TileMap& map = *bundle.value().map;

  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec) return fail("--data-dir " + o.data_dir + ": " + ec.message());
  auto opened = netserver::Store::open(std::filesystem::path{o.data_dir} / "alphammo.sqlite3");
  if (!opened.ok()) return fail(opened.error().message);
  netserver::Store store = std::move(opened).value();

  const netserver::PasswordHasher hasher;
  auto phc = hasher.hash(o.password);
  if (!phc.ok()) return fail("--password: " + phc.error().message);

  world::Rng rng{o.seed};
  std::set<std::pair<std::int32_t, std::int32_t>> taken;
  std::vector<world::Character> placed;
  std::uint32_t created = 0;
  for (std::uint32_t i = 1; i <= o.count; ++i) {
    const std::string username = o.user + std::to_string(i);
    auto found = store.find_account(username);
    if (!found.ok()) return fail(found.error().message);
    netserver::AccountId account{};
    if (found.value()) {
      account = found.value()->id;
    } else {
      auto made = store.create_account(username, phc.value());
      if (!made.ok()) return fail(username + ": " + made.error().message);
      account = made.value();
      ++created;
    }
    auto list = store.list_characters(account);
    if (!list.ok()) return fail(list.error().message);
    world::CharacterId character{};
    if (list.value().empty()) {
      world::Look look{};
      look.body = static_cast<std::uint8_t>(1 + i % 2);
      auto made = store.create_character(account, character_name(i), look);
      if (!made.ok()) return fail(username + ": " + made.error().message);
      character = made.value();
    } else {
      character = list.value().front().id;
    }
    auto saved = store.load_character(account, character);
    if (!saved.ok()) return fail(saved.error().message);
    world::Character c = std::move(saved).value();
    c.hp = c.max_hp;
    c.position = world::Position{-1, -1};
    if (o.spread) {
      for (int attempt = 0; attempt < 1000; ++attempt) {
        const world::Position p{static_cast<std::int32_t>(rng.below(map.width())),
                                static_cast<std::int32_t>(rng.below(map.height()))};
        if (!map.walkable(p) || !taken.insert({p.x, p.y}).second) continue;
        c.position = p;
        break;
      }
    }
    placed.push_back(std::move(c));
  }
  const world::Tick tick = store.last_cut_tick().value_or(0);
  auto cut = store.save_cut(tick, placed);
  if (!cut.ok()) return fail(cut.error().message);
  std::printf("alphammo-load-prepare: %u accounts (%u new) in %s, characters %s\n", o.count,
              created, o.data_dir.c_str(), o.spread ? "on random walkable tiles" : "at the spawn");
  return 0;
}
