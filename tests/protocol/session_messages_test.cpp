// Session messages: round trips of every client and server message through text, the exact
// wire shape of a few, every error decode_client_message can give (with its code, path and
// ref), the server messages' nested errors, and the tick splicer against the object encoder
// on real deltas of the golden scenario.
#include "protocol/session.hpp"

#include <cstdint>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include "protocol/command_json.hpp"
#include "protocol/delta_json.hpp"
#include "protocol/text.hpp"
#include "scenarios.hpp"
#include "world/world.hpp"

using nlohmann::json;
using namespace protocol;

namespace {

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint32_t kMaxU32 = std::numeric_limits<std::uint32_t>::max();

std::string ref_text(const ErrorRef& ref) {
  if (const auto* type = std::get_if<std::string>(&ref)) return "\"" + *type + "\"";
  if (const auto* seq = std::get_if<std::uint32_t>(&ref)) return std::to_string(*seq);
  return "null";
}

std::string describe(const ProtocolError& e) {
  return std::string(to_string(e.code)) + " (" + e.message + ", ref " + ref_text(e.ref) + ")";
}

// `m` through encode and decode_client_message.
ClientMessage client_through_text(const ClientMessage& m) {
  const std::string text = encode(m);
  auto decoded = decode_client_message(text);
  REQUIRE_MESSAGE(decoded.ok(), text << ": " << (decoded.ok() ? "" : describe(decoded.error())));
  return std::move(decoded).value();
}

// `m` through encode and decode_server_message.
ServerMessage server_through_text(const ServerMessage& m) {
  const std::string text = encode(m);
  auto decoded = decode_server_message(text);
  REQUIRE_MESSAGE(decoded.ok(), text << ": " << (decoded.ok() ? "" : describe(decoded.error())));
  return std::move(decoded).value();
}

// The error decode_client_message gives for `text`; fails the test when it is accepted.
ProtocolError client_error(std::string_view text, std::size_t max_bytes = kMaxClientMessageBytes) {
  const auto decoded = decode_client_message(text, max_bytes);
  REQUIRE_MESSAGE(!decoded.ok(), "accepted: " << text);
  return decoded.error();
}

ProtocolError server_error(std::string_view text) {
  const auto decoded = decode_server_message(text);
  REQUIRE_MESSAGE(!decoded.ok(), "accepted: " << text);
  return decoded.error();
}

world::Character hero() {
  world::Character c;
  c.id = world::CharacterId{kMaxU64};
  c.name = "Zoë";
  c.position = {-4, 12};
  c.facing = world::Direction::East;
  c.look = {1, 2, 0x884422, 0, 0, 3};
  c.level = 7;
  c.experience = kMaxU64;
  c.hp = 41;
  c.max_hp = 60;
  c.items = {{2, 1, world::ItemPlace::Equipment, 2}, {1, 3, world::ItemPlace::Backpack, 0}};
  return c;
}

// Every client message, several with edge values, and every command a client may send.
std::vector<ClientMessage> every_client_message() {
  using namespace world;
  return {
      Hello{},
      Hello{kMaxU32},
      Register{"alice", "correct horse battery staple"},
      Register{"", ""},
      Login{"Alice", "pässword \"quoted\"\n"},
      ListCharacters{},
      CreateCharacter{"Zoe", 1, 2, 0x884422},
      CreateCharacter{"Sir Max", 255, 0, 0xffffff},
      DeleteCharacter{CharacterId{kMaxU64}},
      EnterWorld{CharacterId{1}},
      ClientCommand{7, Move{Direction::East}},
      ClientCommand{kMaxU32, Face{Direction::West}},
      ClientCommand{0, Attack{{57, 3}}},
      ClientCommand{1, Attack{{}}},
      ClientCommand{2, PickUp{{4, 2}}},
      ClientCommand{3, Drop{{4, 2}, 5}},
      ClientCommand{4, Equip{{9, 1}}},
      ClientCommand{5, Unequip{EquipSlot::Head}},
      ClientCommand{6, Use{{6, 1}}},
      ClientCommand{7, MoveItem{{6, 1}, 5}},
      ClientCommand{8, Say{"hello, wörld"}},
      LeaveWorld{},
      Ping{},
      Ping{kMaxU64},
  };
}

// The world as a client entering it would see it: a few ticks of the golden scenario, then
// the first player's entered message.
Entered entered_from_golden() {
  world::World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  for (int t = 0; t < 30; ++t)
    static_cast<void>(w.step(script.next(w)));
  for (const world::EntityId id : w.entity_ids()) {
    const auto character = w.export_character(id);
    if (!character) continue;
    Entered e;
    e.you = id;
    e.tick = w.tick();
    e.character = *character;
    std::vector<world::EntityId> seen;
    w.query_radius(character->position, 8, seen);
    for (const world::EntityId s : seen)
      e.snapshot.entities.push_back(*w.entity(s));
    e.snapshot.ground_items = w.ground_items_near(character->position, 8);
    e.snapshot.inventory = w.inventory(id);
    return e;
  }
  FAIL("no player in the golden world");
  return {};
}

std::vector<ServerMessage> every_server_message() {
  using namespace world;
  TickMessage tick;
  tick.n = kMaxU64;
  tick.ack_seq = 7;
  tick.deltas = {Moved{{12, 1}, {3, 4}, {4, 4}, Direction::East},
                 Said{{12, 1}, {4, 4}, "Zoë", "hi \"there\""},
                 SystemMessage{{}, "The server restarts."}};
  tick.rejections = {{3, {12, 1}, 7, RejectReason::Occupied}, {0, {}, 0, RejectReason::Cooldown}};
  std::vector<ServerMessage> out{
      Welcome{},
      Welcome{kProtocolVersion, "alphammo 0.1.0", 20, false},
      Welcome{kMaxU32, "", kMaxU32, true, kMaxU32},
      Welcome{kProtocolVersion, "alphammo 0.1.0", 20, false, 9,
              ContentRef{"maps/default.tmj", std::string(64, 'a'), "/content/x/"}},
      CharacterList{},
      CharacterList{
          {{CharacterId{1}, "Zoë", 3, 2, {1, 2, 0x884422, 4, 0, 3}},
           {CharacterId{kMaxU64}, "Sir Max", std::numeric_limits<std::int32_t>::min(), 255, {}}}},
      Entered{},
      Entered{{12, 1}, kMaxU64, hero(), {}},
      entered_from_golden(),
      TickMessage{},
      tick,
      Pong{},
      Pong{kMaxU64, kMaxU64},
      ProtocolError{ErrorCode::BadField, "login.password: expected a string, got 5", "login"},
      ProtocolError{ErrorCode::NotInWorld, "", kMaxU32},
      ProtocolError{ErrorCode::MalformedJson, "malformed JSON: ...", std::monostate{}},
  };
  for (const ErrorCode code : kErrorCodes)
    out.emplace_back(ProtocolError{code, "x", {}});
  for (const KickReason reason : kKickReasons)
    out.emplace_back(Kicked{reason});
  return out;
}

}  // namespace

TEST_CASE("session messages: every client message round-trips through text") {
  for (const ClientMessage& m : every_client_message()) {
    INFO(encode(m));
    CHECK(client_through_text(m) == m);
    CHECK(json::parse(encode(m)).at("type") == type_name(m));
  }
}

TEST_CASE("session messages: every server message round-trips through text") {
  for (const ServerMessage& m : every_server_message()) {
    INFO(encode(m).substr(0, 300));
    CHECK(server_through_text(m) == m);
    CHECK(json::parse(encode(m)).at("type") == type_name(m));
  }
  const Entered real = entered_from_golden();
  CHECK(real.snapshot.entities.size() > 1);
  CHECK(!real.snapshot.inventory.empty());
}

TEST_CASE("session messages: the exact wire form of hello, command, error, kicked and tick") {
  CHECK(encode(Hello{}) == R"({"protocol_version":1,"type":"hello"})");
  CHECK(encode(ClientCommand{7, world::Move{world::Direction::East}}) ==
        R"({"command":{"direction":"east","type":"move"},"seq":7,"type":"command"})");
  CHECK(
      encode(CreateCharacter{"Zoe", 1, 2, 0x884422}) ==
      R"({"body":1,"hair_colour":"#884422","hair_style":2,"name":"Zoe","type":"create_character","vocation":0})");
  CHECK(
      encode(ProtocolError{ErrorCode::BadField, "login.password: expected a string, got 5",
                           "login"}) ==
      R"({"code":"bad_field","message":"login.password: expected a string, got 5","ref":"login","type":"error"})");
  CHECK(encode(ProtocolError{ErrorCode::NotInWorld, "not in the world", 7u}) ==
        R"({"code":"not_in_world","message":"not in the world","ref":7,"type":"error"})");
  CHECK(encode(ProtocolError{ErrorCode::MalformedJson, "m", {}}) ==
        R"({"code":"malformed_json","message":"m","ref":null,"type":"error"})");
  CHECK(encode(Kicked{KickReason::TooSlow}) == R"({"reason":"too_slow","type":"kicked"})");
  CHECK(
      encode(Welcome{1, "alphammo 0.1.0", 20, false}) ==
      R"({"protocol_version":1,"server":"alphammo 0.1.0","tick_rate":20,"type":"welcome","view_radius":9,"you_are_logged_in":false})");
  const std::string hash(64, 'f');
  CHECK(
      encode(Welcome{1, "s", 20, false, 9,
                     ContentRef{"maps/m.tmj", hash, "/content/" + hash + "/"}}) ==
      R"({"content":{"hash":")" + hash + R"(","map":"maps/m.tmj","url":"/content/)" + hash +
          R"(/"},"protocol_version":1,"server":"s","tick_rate":20,"type":"welcome","view_radius":9,"you_are_logged_in":false})");

  TickMessage tick;
  tick.n = 1042;
  tick.ack_seq = 7;
  tick.deltas = {world::Moved{{12, 1}, {3, 4}, {4, 4}, world::Direction::East}};
  tick.rejections = {{3, {12, 1}, 8, world::RejectReason::Occupied}};
  const std::string expected =
      R"({"ack_seq":7,"deltas":[{"facing":"east","from":[3,4],"id":[12,1],"to":[4,4],"type":"moved"}],)"
      R"("n":1042,"rejections":[{"actor":[12,1],"command_index":3,"reason":"occupied","seq":8}],"type":"tick"})";
  CHECK(encode(tick) == expected);
  const std::string fragment = encode_delta_fragment(tick.deltas[0]);
  const std::vector<std::string_view> fragments{fragment};
  CHECK(encode_tick_from_fragments(1042, 7, fragments, tick.rejections) == expected);
  CHECK(encode_tick_from_fragments(5, 0, {}, {}) ==
        R"({"ack_seq":0,"deltas":[],"n":5,"rejections":[],"type":"tick"})");
}

TEST_CASE("session messages: names of error codes and kick reasons") {
  std::set<std::string_view> names;
  for (const ErrorCode code : kErrorCodes) {
    const std::string_view name = to_string(code);
    CHECK(names.insert(name).second);
    CHECK(error_code_from_string(name) == code);
    CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos);
  }
  CHECK(to_string(static_cast<ErrorCode>(kErrorCodes.size())) == "invalid");
  CHECK(!error_code_from_string("invalid"));
  CHECK(!error_code_from_string("Bad_Field"));
  for (const KickReason reason : kKickReasons) {
    CHECK(names.insert(to_string(reason)).second);
    CHECK(kick_reason_from_string(to_string(reason)) == reason);
  }
  CHECK(to_string(static_cast<KickReason>(kKickReasons.size())) == "invalid");
  // The codes a bot author switches on, spelled as the issue spells them.
  for (const char* name : {"malformed_json",
                           "not_an_object",
                           "unknown_type",
                           "missing_field",
                           "bad_field",
                           "message_too_large",
                           "unsupported_protocol_version",
                           "not_logged_in",
                           "already_logged_in",
                           "invalid_credentials",
                           "login_throttled",
                           "username_invalid",
                           "username_taken",
                           "character_name_invalid",
                           "character_name_taken",
                           "too_many_characters",
                           "no_such_character",
                           "not_in_world",
                           "already_in_world",
                           "rate_limited",
                           "internal_error"}) {
    CHECK_MESSAGE(error_code_from_string(name).has_value(), name);
  }
}

TEST_CASE("session messages: every error decode_client_message gives, with its path and ref") {
  struct Case {
    std::string text;
    ErrorCode code;
    std::string message;  // the whole message, or its start when `prefix`
    ErrorRef ref;
    bool prefix = false;
  };
  const std::string big(kMaxClientMessageBytes + 1, ' ');
  const std::vector<Case> cases{
      // Before and while parsing.
      {big, ErrorCode::MessageTooLarge, "message too large: 16385 bytes (the limit is 16384)", {}},
      {"{\"type\": \"ping\", " + big, ErrorCode::MessageTooLarge, "message too large: ", {}, true},
      {R"({"type": "ping",)",
       ErrorCode::MalformedJson,
       "malformed JSON: parse error at line 1, column 17: ",
       {},
       true},
      {"", ErrorCode::MalformedJson, "malformed JSON: parse error at line 1, column 1: ", {}, true},
      {"{\"type\": \"login\", \"username\": \"\xff\"}",
       ErrorCode::MalformedJson,
       "malformed JSON: ",
       {},
       true},
      // Not an object.
      {R"(["hello"])", ErrorCode::NotAnObject, "message: expected an object, got an array", {}},
      {"42", ErrorCode::NotAnObject, "message: expected an object, got 42", {}},
      {"null", ErrorCode::NotAnObject, "message: expected an object, got null", {}},
      // The type.
      {R"({})", ErrorCode::MissingField, "message.type: missing", {}},
      {R"({"protocol_version": 1})", ErrorCode::MissingField, "message.type: missing", {}},
      {R"({"type": 5})", ErrorCode::UnknownType, "message.type: expected a string, got 5", {}},
      {R"({"type": "jump"})",
       ErrorCode::UnknownType,
       R"(message.type: unknown message type "jump" (expected one of hello, register, login, )"
       R"(list_characters, create_character, delete_character, enter_world, command, )"
       R"(leave_world, ping))",
       {}},
      {R"({"type": "welcome"})",
       ErrorCode::UnknownType,
       R"(message.type: unknown message type "welcome")",
       {},
       true},
      // Missing fields.
      {R"({"type": "hello"})", ErrorCode::MissingField, "hello.protocol_version: missing", "hello"},
      {R"({"type": "login", "username": "alice"})", ErrorCode::MissingField,
       "login.password: missing", "login"},
      {R"({"type": "register", "password": "x"})", ErrorCode::MissingField,
       "register.username: missing", "register"},
      {R"({"type": "create_character", "name": "Zoe", "body": 1, "hair_style": 2})",
       ErrorCode::MissingField, "create_character.hair_colour: missing", "create_character"},
      {R"({"type": "enter_world"})", ErrorCode::MissingField, "enter_world.character_id: missing",
       "enter_world"},
      {R"({"type": "ping"})", ErrorCode::MissingField, "ping.nonce: missing", "ping"},
      // Wrong JSON types.
      {R"({"type": "login", "username": "alice", "password": 5})", ErrorCode::BadField,
       "login.password: expected a string, got 5", "login"},
      {R"({"type": "login", "username": ["alice"], "password": "x"})", ErrorCode::BadField,
       "login.username: expected a string, got an array", "login"},
      {R"({"type": "hello", "protocol_version": "1"})", ErrorCode::BadField,
       R"(hello.protocol_version: expected an integer in 0..4294967295, got "1")", "hello"},
      {R"({"type": "ping", "nonce": 1.5})", ErrorCode::BadField,
       "ping.nonce: expected an integer in 0..18446744073709551615, got 1.5", "ping"},
      {R"({"type": "delete_character", "character_id": null})", ErrorCode::BadField,
       "delete_character.character_id: expected an integer in 0..18446744073709551615, got null",
       "delete_character"},
      // Out of range.
      {R"({"type": "hello", "protocol_version": -1})", ErrorCode::BadField,
       "hello.protocol_version: expected an integer in 0..4294967295, got -1", "hello"},
      {R"({"type": "create_character", "name": "Zoe", "body": 256, "hair_style": 2, "hair_colour": "#884422"})",
       ErrorCode::BadField, "create_character.body: expected an integer in 0..255, got 256",
       "create_character"},
      {R"({"type": "create_character", "name": "Zoe", "body": 1, "hair_style": 2, "hair_colour": "red"})",
       ErrorCode::BadField,
       R"(create_character.hair_colour: expected a colour "#rrggbb", got "red")",
       "create_character"},
      {R"({"type": "create_character", "name": "Zoe", "body": 1, "hair_style": 2, "hair_colour": "#ff884422"})",
       ErrorCode::BadField,
       R"(create_character.hair_colour: expected a colour "#rrggbb", got "#ff884422")",
       "create_character"},
      {R"({"type": "create_character", "name": "Zoe", "body": 1, "hair_style": 2, "hair_colour": "#88442g"})",
       ErrorCode::BadField,
       R"(create_character.hair_colour: expected a colour "#rrggbb", got "#88442g")",
       "create_character"},
      {R"({"type": "enter_world", "character_id": -3})", ErrorCode::BadField,
       "enter_world.character_id: expected an integer in 0..18446744073709551615, got -3",
       "enter_world"},
      // Commands: the seq is read first and then names the error.
      {R"({"type": "command", "command": {"type": "move", "direction": "east"}})",
       ErrorCode::MissingField, "command.seq: missing", "command"},
      {R"({"type": "command", "seq": 4294967296, "command": {"type": "move", "direction": "east"}})",
       ErrorCode::BadField, "command.seq: expected an integer in 0..4294967295, got 4294967296",
       "command"},
      {R"({"type": "command", "seq": 7})", ErrorCode::MissingField, "command.command: missing", 7u},
      {R"({"type": "command", "seq": 7, "command": "move"})", ErrorCode::BadField,
       R"(command.command: expected an object, got "move")", 7u},
      {R"({"type": "command", "seq": 7, "command": {"direction": "east"}})",
       ErrorCode::MissingField, "command.command.type: missing", 7u},
      {R"({"type": "command", "seq": 7, "command": {"type": "move", "direction": "up"}})",
       ErrorCode::BadField,
       R"(command.command.direction: expected one of north, east, south, west, got "up")", 7u},
      {R"({"type": "command", "seq": 8, "command": {"type": "move"}})", ErrorCode::MissingField,
       "command.command.direction: missing", 8u},
      {R"({"type": "command", "seq": 9, "command": {"type": "drop", "item": [4, 2], "count": -1}})",
       ErrorCode::BadField, "command.command.count: expected an integer in 0..65535, got -1", 9u},
      {R"({"type": "command", "seq": 9, "command": {"type": "attack", "target": [1]}})",
       ErrorCode::BadField,
       "command.command.target: expected [index, generation] integers or null, got an array", 9u},
      {R"({"type": "command", "seq": 10, "command": {"type": "jump"}})", ErrorCode::UnknownType,
       R"(command.command.type: unknown command type "jump" (expected one of move, face, attack, )"
       R"(pick_up, drop, equip, unequip, use, move_item, cast, say))",
       10u},
      {R"({"type": "command", "seq": 10, "command": {"type": 3}})", ErrorCode::UnknownType,
       "command.command.type: expected a string, got 3", 10u},
      // Join, leave and announce are the server's.
      {R"({"type": "command", "seq": 11, "command": {"type": "join", "character": {}}})",
       ErrorCode::BadField,
       R"(command.command.type: expected one of move, face, attack, pick_up, drop, equip, )"
       R"(unequip, use, move_item, cast, say (join, leave and announce are the server's), got "join")",
       11u},
      {R"({"type": "command", "seq": 12, "command": {"type": "leave"}})", ErrorCode::BadField,
       R"(command.command.type: expected one of move)", 12u, true},
      {R"({"type": "command", "seq": 13, "command": {"type": "announce", "text": "free gold"}})",
       ErrorCode::BadField, R"(command.command.type: expected one of move)", 13u, true},
  };
  std::set<ErrorCode> seen;
  for (const Case& c : cases) {
    INFO(c.text.substr(0, 200));
    const ProtocolError e = client_error(c.text);
    CHECK(to_string(e.code) == to_string(c.code));
    if (c.prefix) {
      CHECK_MESSAGE(e.message.starts_with(c.message), e.message);
    } else {
      CHECK(e.message == c.message);
    }
    CHECK(ref_text(e.ref) == ref_text(c.ref));
    seen.insert(e.code);
    // The error goes back to the client as a message of its own.
    CHECK(server_through_text(e) == ServerMessage{e});
  }
  // These are all the codes decoding can give; the others are the server's answers.
  CHECK(seen == std::set<ErrorCode>{ErrorCode::MessageTooLarge, ErrorCode::MalformedJson,
                                    ErrorCode::NotAnObject, ErrorCode::MissingField,
                                    ErrorCode::UnknownType, ErrorCode::BadField});
}

TEST_CASE("session messages: the size limit is checked before parsing and is configurable") {
  const std::string hello = encode(Hello{});
  CHECK(decode_client_message(hello, hello.size()).ok());
  const ProtocolError e = client_error(hello, hello.size() - 1);
  CHECK(e.code == ErrorCode::MessageTooLarge);
  CHECK(e.message == "message too large: " + std::to_string(hello.size()) +
                         " bytes (the limit is " + std::to_string(hello.size() - 1) + ")");
  // A well-formed message of exactly 16 KiB passes; one byte more does not.
  std::string padded = R"({"type": "ping", "nonce": 1, "pad": ")";
  padded += std::string(kMaxClientMessageBytes - padded.size() - 2, 'x') + "\"}";
  REQUIRE(padded.size() == kMaxClientMessageBytes);
  CHECK(decode_client_message(padded).ok());
  CHECK(client_error(padded + " ").code == ErrorCode::MessageTooLarge);
  // Server messages have their own, larger default limit, also configurable.
  const std::string big_tick = encode(TickMessage{1, {}, 0, {}});
  CHECK(decode_server_message(big_tick).ok());
  CHECK(decode_server_message(big_tick, 10).error().code == ErrorCode::MessageTooLarge);
}

TEST_CASE("session messages: deeply nested text within the size limit is harmless") {
  // An unknown member nested as deep as 16 KiB allows is parsed and ignored.
  const std::string head = R"({"type": "ping", "nonce": 1, "x": )";
  const std::size_t depth = (kMaxClientMessageBytes - head.size() - 1) / 2;
  const std::string deep = head + std::string(depth, '[') + std::string(depth, ']') + "}";
  REQUIRE(deep.size() <= kMaxClientMessageBytes);
  const auto decoded = decode_client_message(deep);
  REQUIRE(decoded.ok());
  CHECK(std::get<Ping>(decoded.value()) == Ping{1});
  // As a bad field, it is described without being written out.
  const std::string bad =
      R"({"type": "ping", "nonce": )" + std::string(depth, '[') + std::string(depth, ']') + "}";
  const ProtocolError e = client_error(bad);
  CHECK(e.code == ErrorCode::BadField);
  CHECK(e.message == "ping.nonce: expected an integer in 0..18446744073709551615, got an array");
}

TEST_CASE("session messages: a client's actor and inner seq are ignored, unknown fields too") {
  const auto decoded = decode_client_message(
      R"({"type": "command", "seq": 7, "extra": [1, 2],
          "command": {"type": "move", "actor": [3, 1], "seq": 99, "direction": "east", "x": 1}})");
  REQUIRE(decoded.ok());
  const auto* command = std::get_if<ClientCommand>(&decoded.value());
  REQUIRE(command != nullptr);
  CHECK(*command == ClientCommand{7, world::Move{world::Direction::East}});
  // The server supplies the actor; the message's seq is the command's.
  const world::Command c = command->for_actor({12, 1});
  CHECK(c == world::Command{{12, 1}, world::Move{world::Direction::East}, 7});

  // Even an actor that would not decode, and an inner seq out of range.
  const auto garbage = decode_client_message(
      R"({"type": "command", "seq": 8,
          "command": {"type": "say", "actor": "admin", "seq": -5, "text": "hi"}})");
  REQUIRE(garbage.ok());
  CHECK(std::get<ClientCommand>(garbage.value()) == ClientCommand{8, world::Say{"hi"}});

  const auto ping = decode_client_message(R"({"nonce": 3, "type": "ping", "nonce2": "x"})");
  REQUIRE(ping.ok());
  CHECK(std::get<Ping>(ping.value()) == Ping{3});
  // A member named twice keeps its last value (as parse_json does).
  const auto twice = decode_client_message(R"({"type": "ping", "nonce": 1, "nonce": 2})");
  REQUIRE(twice.ok());
  CHECK(std::get<Ping>(twice.value()) == Ping{2});
  // Hair colours are read in either case.
  const auto upper = decode_client_message(
      R"({"type": "create_character", "name": "Zoe", "body": 1, "hair_style": 2, "hair_colour": "#AbCdEf"})");
  REQUIRE(upper.ok());
  CHECK(std::get<CreateCharacter>(upper.value()).hair_colour == 0xabcdef);
}

TEST_CASE("session messages: every world command is allowed in a command message but three") {
  const auto check_alternative = [](auto payload) {
    using world::CommandPayload;
    const world::Command as_world{{12, 1}, CommandPayload{payload}, 3};
    json inner = to_json(as_world);
    const std::string type = inner.at("type").get<std::string>();
    INFO(type);
    const json message = {{"type", "command"}, {"seq", 3}, {"command", inner}};
    const auto decoded = decode_client_message(message.dump());
    const bool server_only = type == "join" || type == "leave" || type == "announce";
    CHECK(decoded.ok() == !server_only);
    if (decoded.ok()) {
      CHECK(std::get<ClientCommand>(decoded.value()).for_actor({12, 1}) == as_world);
    } else {
      CHECK(decoded.error().code == ErrorCode::BadField);
    }
  };
  std::apply([&](auto... payloads) { (check_alternative(payloads), ...); },
             std::tuple<world::Join, world::Leave, world::Move, world::Face, world::Attack,
                        world::PickUp, world::Drop, world::Equip, world::Unequip, world::Use,
                        world::MoveItem, world::Cast, world::Say, world::Announce>{});
  static_assert(std::variant_size_v<world::CommandPayload> == 14,
                "a new world command: list it above and decide whether clients may send it");
}

TEST_CASE("session messages: decode_server_message names the path of nested problems") {
  struct Case {
    std::string text;
    ErrorCode code;
    std::string message;
  };
  const std::vector<Case> cases{
      {R"({"type": "tick", "n": 1, "ack_seq": 0, "rejections": [],
           "deltas": [{"type": "faced", "id": [1, 1], "position": [0, 0], "facing": "north"},
                      {"type": "moved", "id": [1, 1], "from": [0, 0], "to": null, "facing": "east"}]})",
       ErrorCode::BadField, "tick.deltas[1].to: expected [x, y] integers, got null"},
      {R"({"type": "tick", "n": 1, "ack_seq": 0, "rejections": [], "deltas": [5]})",
       ErrorCode::BadField, "tick.deltas[0]: expected an object, got 5"},
      {R"({"type": "tick", "n": 1, "ack_seq": 0, "rejections": [], "deltas": [{"type": "exploded"}]})",
       ErrorCode::UnknownType, R"(tick.deltas[0].type: unknown delta type "exploded")"},
      {R"({"type": "tick", "n": 1, "ack_seq": 0, "deltas": [],
           "rejections": [{"command_index": 0, "actor": null, "seq": 1, "reason": "bored"}]})",
       ErrorCode::BadField, "tick.rejections[0].reason: expected one of unknown_entity"},
      {R"({"type": "tick", "n": -1, "ack_seq": 0, "deltas": [], "rejections": []})",
       ErrorCode::BadField, "tick.n: expected an integer in 0..18446744073709551615, got -1"},
      {R"({"type": "tick", "n": 1, "deltas": [], "rejections": []})", ErrorCode::MissingField,
       "tick.ack_seq: missing"},
      {R"({"type": "tick", "n": 1, "ack_seq": 0, "deltas": {}, "rejections": []})",
       ErrorCode::BadField, "tick.deltas: expected an array, got an object"},
      {R"({"type": "error", "code": "oops", "message": "", "ref": null})", ErrorCode::BadField,
       "error.code: expected one of malformed_json, not_an_object, "},
      {R"({"type": "error", "code": "bad_field", "message": "", "ref": 1.5})", ErrorCode::BadField,
       "error.ref: expected null, a message type or a seq, got 1.5"},
      {R"({"type": "error", "code": "bad_field", "message": "", "ref": -1})", ErrorCode::BadField,
       "error.ref: expected an integer in 0..4294967295, got -1"},
      {R"({"type": "error", "code": "bad_field", "message": ""})", ErrorCode::MissingField,
       "error.ref: missing"},
      {R"({"type": "welcome", "protocol_version": 1, "server": "s", "tick_rate": 20, "view_radius": 9, "you_are_logged_in": 0})",
       ErrorCode::BadField, "welcome.you_are_logged_in: expected true or false, got 0"},
      {R"({"type": "welcome", "protocol_version": 1, "server": "s", "tick_rate": 20, "view_radius": 9, "you_are_logged_in": false, "content": 5})",
       ErrorCode::BadField, "welcome.content: expected an object, got 5"},
      {R"({"type": "welcome", "protocol_version": 1, "server": "s", "tick_rate": 20, "view_radius": 9, "you_are_logged_in": false, "content": {"hash": "ab", "url": "/c/"}})",
       ErrorCode::MissingField, "welcome.content.map: missing"},
      {R"({"type": "welcome", "protocol_version": 1, "server": "s", "tick_rate": 20, "view_radius": 9, "you_are_logged_in": false, "content": {"map": "m.tmj", "hash": "AB", "url": "/c/"}})",
       ErrorCode::BadField, R"(welcome.content.hash: expected 64 lower-case hex digits, got "AB")"},
      {R"({"type": "welcome", "protocol_version": 1, "server": "s", "tick_rate": 20, "view_radius": 9, "you_are_logged_in": false, "content": {"map": "", "hash": "ab", "url": "/c/"}})",
       ErrorCode::BadField, "welcome.content.map: must not be empty"},
      {R"({"type": "welcome", "protocol_version": 1, "server": "s", "tick_rate": 20, "view_radius": 9, "you_are_logged_in": false, "content": {"map": "m.tmj", "url": "//evil.example/", "hash": ")" +
           std::string(64, '0') + R"("}})",
       ErrorCode::BadField,
       R"(welcome.content.url: expected a path starting with "/", got "//evil.example/")"},
      {R"({"type": "kicked", "reason": "bored"})", ErrorCode::BadField,
       "kicked.reason: expected one of server_shutdown, logged_in_elsewhere, too_slow, idle, "
       "protocol_violation, got \"bored\""},
      {R"({"type": "characters", "list": [{"id": 1, "name": "Zoë", "level": 1}]})",
       ErrorCode::MissingField, "characters.list[0].look: missing"},
      {R"({"type": "entered", "you": [1, 1], "tick": 5, "character": {"id": 1},
           "snapshot": {"entities": [], "ground_items": [], "inventory": []}})",
       ErrorCode::MissingField, "entered.character.name: missing"},
      {R"({"type": "entered", "you": [1, 1], "tick": 5,
           "character": )" +
           json(to_json(hero())).dump() +
           R"(, "snapshot": {"entities": [], "ground_items": [{"id": [1, 1]}]}})",
       ErrorCode::MissingField, "entered.snapshot.ground_items[0].type: missing"},
      {R"({"type": "pong", "nonce": 1})", ErrorCode::MissingField, "pong.tick: missing"},
      {R"({"type": "hello", "protocol_version": 1})", ErrorCode::UnknownType,
       R"(message.type: unknown message type "hello" (expected one of welcome, error, )"
       R"(characters, entered, tick, kicked, pong))"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const ProtocolError e = server_error(c.text);
    CHECK(to_string(e.code) == to_string(c.code));
    CHECK_MESSAGE(e.message.starts_with(c.message), e.message);
  }
  // The problems of a known message refer to its type.
  CHECK(ref_text(server_error(cases[0].text).ref) == "\"tick\"");
  CHECK(server_error("[]").code == ErrorCode::NotAnObject);
  CHECK(server_error("{").code == ErrorCode::MalformedJson);
}

TEST_CASE("session messages: the tick splicer writes what the object encoder writes") {
  // A busy tick of the golden scenario: its own commands, and every player turning and saying
  // something (the scenario alone has about 20 deltas a tick). Rejections from its session.
  world::World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  std::vector<world::Rejection> rejections;
  for (int t = 0; t < 60 || rejections.empty(); ++t) {
    const world::StepResult r = w.step(script.next(w));
    if (rejections.empty()) rejections = r.rejections;
  }
  std::vector<world::Command> commands = script.next(w);
  std::uint32_t turn = 0;
  for (const world::EntityId id : w.entity_ids()) {
    if (w.entity(id)->kind != world::EntityKind::Player) continue;
    const auto direction = static_cast<world::Direction>(++turn % world::kDirectionCount);
    commands.push_back({id, world::Face{direction}, turn});
    commands.push_back({id, world::Say{"tick talk " + std::to_string(turn)}, turn});
  }
  const world::StepResult busy = w.step(commands);
  REQUIRE(busy.deltas.size() >= 50);
  REQUIRE(!rejections.empty());
  rejections.push_back({kMaxU32, {}, kMaxU32, world::RejectReason::InvalidText});  // actor null

  TickMessage tick;
  tick.n = busy.tick;
  tick.ack_seq = 4242;
  tick.deltas.assign(busy.deltas.begin(), busy.deltas.begin() + 50);
  tick.rejections = rejections;
  std::set<std::size_t> kinds;
  for (const world::Delta& d : tick.deltas)
    kinds.insert(d.index());
  MESSAGE("tick " << tick.n << ": 50 of " << busy.deltas.size() << " deltas of " << kinds.size()
                  << " kinds, " << rejections.size() << " rejections");

  // The server's way: each delta serialised once, the message spliced from the fragments.
  std::vector<std::string> texts;
  for (const world::Delta& d : tick.deltas)
    texts.push_back(encode_delta_fragment(d));
  const std::vector<std::string_view> fragments(texts.begin(), texts.end());
  const std::string spliced =
      encode_tick_from_fragments(tick.n, tick.ack_seq, fragments, tick.rejections);
  const std::string built = encode(tick);

  // Semantically equal (the same JSON document) ...
  const auto spliced_doc = parse_json(spliced);
  const auto built_doc = parse_json(built);
  REQUIRE(spliced_doc.ok());
  REQUIRE(built_doc.ok());
  CHECK(spliced_doc.value() == built_doc.value());
  // ... and in fact the same text.
  CHECK(spliced == built);
  // It decodes to exactly the deltas given.
  const auto decoded = decode_server_message(spliced);
  REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : describe(decoded.error())));
  const auto* back = std::get_if<TickMessage>(&decoded.value());
  REQUIRE(back != nullptr);
  CHECK(back->deltas == tick.deltas);
  CHECK(*back == tick);

  // Fragments are spliced as they are: any subset in any order, e.g. per-client filtering.
  const std::vector<std::string_view> some{fragments[7], fragments[3], fragments[49]};
  const auto filtered = decode_server_message(encode_tick_from_fragments(tick.n, 0, some, {}));
  REQUIRE(filtered.ok());
  CHECK(std::get<TickMessage>(filtered.value()) ==
        TickMessage{tick.n, {tick.deltas[7], tick.deltas[3], tick.deltas[49]}, 0, {}});
}

TEST_CASE("session messages: docs/protocol.md documents every error code and kick reason") {
  std::ifstream in(ALPHAMMO_PROTOCOL_DOC);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  for (const ErrorCode code : kErrorCodes) {
    const std::string row = "| `" + std::string(to_string(code)) + "` |";
    CHECK_MESSAGE(doc.find(row) != std::string::npos, "no table row " << row);
  }
  for (const KickReason reason : kKickReasons) {
    const std::string row = "| `" + std::string(to_string(reason)) + "` |";
    CHECK_MESSAGE(doc.find(row) != std::string::npos, "no table row " << row);
  }
}

namespace {

// Known entities for compact moves: a fixed table by slot.
class Table final : public KnownEntities {
 public:
  explicit Table(std::vector<KnownEntity> entities) : entities_(std::move(entities)) {}
  std::optional<KnownEntity> find_slot(std::uint32_t slot) const override {
    for (const KnownEntity& e : entities_) {
      if (e.id.index == slot) return e;
    }
    return std::nullopt;
  }

 private:
  std::vector<KnownEntity> entities_;
};

std::string decode_problem(std::string_view text, const KnownEntities* known) {
  auto decoded = decode_server_message(text, kMaxServerMessageBytes, known);
  return decoded.ok() ? std::string{"accepted"} : decoded.error().message;
}

}  // namespace

TEST_CASE("session messages: hello's compact_moves and batch_ticks are optional and checked") {
  Hello h;
  h.compact_moves = true;
  h.batch_ticks = 4;
  CHECK(encode(h) ==
        R"({"batch_ticks":4,"compact_moves":true,"protocol_version":1,"type":"hello"})");
  CHECK(client_through_text(h) == ClientMessage{h});
  auto plain = decode_client_message(R"({"type":"hello","protocol_version":1})");
  REQUIRE(plain.ok());
  CHECK(std::get<Hello>(plain.value()) == Hello{});
  for (const char* bad : {R"({"type":"hello","protocol_version":1,"batch_ticks":0})",
                          R"({"type":"hello","protocol_version":1,"batch_ticks":11})"}) {
    auto e = decode_client_message(bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == ErrorCode::BadField);
    CHECK(e.error().message.starts_with("hello.batch_ticks: expected an integer in 1..10"));
  }
  auto wrong = decode_client_message(R"({"type":"hello","protocol_version":1,"compact_moves":1})");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.starts_with("hello.compact_moves: expected"));
}

TEST_CASE("session messages: compact moves expand against the known entities, in order") {
  const world::Moved east{{12, 3}, {3, 4}, {4, 4}, world::Direction::East};
  CHECK(encode_compact_move(east) == "[12,1]");
  CHECK(encode_compact_move(world::Moved{{7, 1}, {0, 1}, {0, 0}, world::Direction::North}) ==
        "[7,0]");

  const Table known(std::vector<KnownEntity>{{{12, 3}, {3, 4}}, {{40, 1}, {10, 10}}});
  // Two steps of 12, then 40 leaves view, then a newcomer appears in slot 41 and steps.
  world::EntityState newcomer;
  newcomer.id = {41, 2};
  newcomer.position = {20, 20};
  const std::string appeared = encode_delta_fragment(world::Appeared{newcomer});
  const std::string text =
      R"({"ack_seq":0,"deltas":[[12,1],[12,2],{"id":[40,1],"position":[10,10],"reason":"out_of_view","type":"removed"},)" +
      appeared + R"(,[41,3]],"n":9,"rejections":[],"type":"tick"})";
  auto decoded = decode_server_message(text, kMaxServerMessageBytes, &known);
  REQUIRE_MESSAGE(decoded.ok(), decoded.error().message);
  const auto& tick = std::get<TickMessage>(decoded.value());
  REQUIRE(tick.deltas.size() == 5);
  CHECK(tick.deltas[0] == world::Delta{east});
  CHECK(tick.deltas[1] ==
        world::Delta{world::Moved{{12, 3}, {4, 4}, {4, 5}, world::Direction::South}});
  CHECK(tick.deltas[4] ==
        world::Delta{world::Moved{{41, 2}, {20, 20}, {19, 20}, world::Direction::West}});

  // What the server's splicer writes for compact clients decodes to the full deltas.
  const std::string compact = encode_compact_move(east);
  const std::vector<std::string_view> parts{compact};
  auto spliced = decode_server_message(encode_tick_from_fragments(3, 0, parts, {}),
                                       kMaxServerMessageBytes, &known);
  REQUIRE(spliced.ok());
  CHECK(std::get<TickMessage>(spliced.value()).deltas == std::vector<world::Delta>{east});
}

TEST_CASE("session messages: a compact move that cannot be expanded is a bad field, named") {
  const Table known(std::vector<KnownEntity>{{{12, 3}, {3, 4}}});
  const auto tick = [](std::string_view delta) {
    return R"({"ack_seq":0,"deltas":[)" + std::string{delta} +
           R"(],"n":9,"rejections":[],"type":"tick"})";
  };
  CHECK(decode_problem(tick("[12,1]"), nullptr) ==
        "tick.deltas[0]: a compact move, but this decoder was given no known entities");
  CHECK(decode_problem(tick("[13,1]"), &known) ==
        "tick.deltas[0]: a compact move of slot 13, where this client knows no entity");
  CHECK(decode_problem(
            tick(R"({"id":[12,3],"position":[3,4],"reason":"died","type":"removed"},[12,1])"),
            &known) ==
        "tick.deltas[1]: a compact move of slot 12, where this client knows no entity");
  for (const char* bad : {"[12,4]", "[12]", "[12,1,1]", "[-1,1]", "[\"12\",1]", "[12,1.5]"}) {
    CAPTURE(bad);
    const std::string problem = decode_problem(tick(bad), &known);
    CHECK(problem.starts_with(
        "tick.deltas[0]: expected a delta object or a compact move [slot, direction 0..3], got"));
  }
  auto e = decode_server_message(tick("[13,1]"), kMaxServerMessageBytes, &known);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == ErrorCode::BadField);
}
