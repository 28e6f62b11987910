// The pipe protocol's lines: what a child may answer, and the observation it gets.
#include "bot_observation.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

TEST_CASE("pipe: a child's lines are commands, the end line, blanks or garbage") {
  using Kind = headless::ChildLine::Kind;
  auto move = headless::parse_child_line(R"({"type": "move", "direction": "east"})");
  REQUIRE(move.kind == Kind::Command);
  REQUIRE(std::holds_alternative<world::Move>(move.command));
  CHECK(std::get<world::Move>(move.command).direction == world::Direction::East);

  auto attack = headless::parse_child_line(R"({"type":"attack","target":[57,3]})"
                                           "\r");
  REQUIRE(attack.kind == Kind::Command);
  CHECK(std::get<world::Attack>(attack.command).target == world::EntityId{57, 3});

  CHECK(headless::parse_child_line(R"({"type": "end"})").kind == Kind::End);
  CHECK(headless::parse_child_line("").kind == Kind::Empty);
  CHECK(headless::parse_child_line("  \t").kind == Kind::Empty);

  auto garbage = headless::parse_child_line("hello");
  CHECK(garbage.kind == Kind::Garbage);
  CHECK(garbage.problem.find("malformed JSON") == 0);
  auto array = headless::parse_child_line("[1, 2]");
  CHECK(array.kind == Kind::Garbage);
  CHECK(array.problem == "expected a JSON object, got array");
  auto no_type = headless::parse_child_line(R"({"direction": "east"})");
  CHECK(no_type.kind == Kind::Garbage);
  CHECK(no_type.problem.find("command.type: missing") == 0);
  auto bad = headless::parse_child_line(R"({"type": "move", "direction": "up"})");
  CHECK(bad.kind == Kind::Garbage);
  CHECK(bad.problem == "command.direction: expected one of north, east, south, west, got \"up\"");
  auto join = headless::parse_child_line(R"({"type": "leave"})");
  CHECK(join.kind == Kind::Garbage);
  CHECK(join.problem.find("command.type") == 0);
}

TEST_CASE("pipe: an observation holds the bot's view as JSON") {
  protocol::Entered e;
  e.you = world::EntityId{1, 1};
  e.tick = 10;
  e.character.name = "Me";
  world::EntityState me;
  me.id = e.you;
  me.kind = world::EntityKind::Player;
  me.position = {3, 4};
  me.name = "Me";
  e.snapshot.entities.push_back(me);
  e.snapshot.ground_items.push_back(
      world::ItemState{world::ItemId{2, 1}, 0, 5, world::ItemPlace::Ground, 0, {3, 5}});
  client::WorldMirror mirror;
  REQUIRE(mirror.apply(e).ok());
  protocol::TickMessage t;
  t.n = 11;
  t.ack_seq = 2;
  t.deltas.push_back(world::Said{me.id, me.position, "Me", "hi"});
  REQUIRE(mirror.apply(t).ok());

  headless::ObservationInfo info;
  info.bot = "bot1";
  info.now = 12;
  info.quiet = true;
  info.last_seq = 2;
  info.sent = {1, 2};
  info.rejections.push_back(world::Rejection{0, me.id, 2, world::RejectReason::Occupied});
  info.errors.push_back(
      protocol::ProtocolError{protocol::ErrorCode::RateLimited, "slow down", std::uint32_t{3}});
  info.chat_after = 10;
  const auto j = nlohmann::json::parse(headless::observation_json(mirror, info));
  CHECK(j["type"] == "observation");
  CHECK(j["bot"] == "bot1");
  CHECK(j["tick"] == 11);
  CHECK(j["now"] == 12);
  CHECK(j["quiet"] == true);
  CHECK(j["ack_seq"] == 2);
  CHECK(j["sent"] == nlohmann::json::array({1, 2}));
  CHECK(j["you"] == nlohmann::json::array({1, 1}));
  CHECK(j["self"]["position"] == nlohmann::json::array({3, 4}));
  CHECK(j["character"]["name"] == "Me");
  CHECK(j["entities"].size() == 1);
  CHECK(j["ground_items"][0]["count"] == 5);
  CHECK(j["inventory"].empty());
  REQUIRE(j["chat"].size() == 1);
  CHECK(j["chat"][0]["text"] == "hi");
  CHECK(j["chat"][0]["tick"] == 11);
  CHECK(j["rejections"][0]["reason"] == "occupied");
  CHECK(j["errors"][0]["code"] == "rate_limited");
  CHECK(j["errors"][0]["ref"] == 3);

  // Chat already observed is not repeated.
  info.chat_after = 11;
  const auto again = nlohmann::json::parse(headless::observation_json(mirror, info));
  CHECK(again["chat"].empty());
}
