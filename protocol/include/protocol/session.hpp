#pragma once
/// \file Session messages: what a client and the server say to each other around the world's
/// commands and deltas (hello, accounts, characters, entering the world, ticks, pings).
/// docs/protocol.md ("Session messages") describes the order of a session and every message.
///
/// Every message is one JSON object, one WebSocket text frame, with its kind in "type".
/// Decoding checks every field and never throws (nothing but std::bad_alloc escapes); a bad
/// message becomes a ProtocolError, which is itself the server's `error` message.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "world/command.hpp"
#include "world/content.hpp"
#include "world/delta.hpp"
#include "world/result.hpp"
#include "world/types.hpp"

namespace protocol {

/// The protocol version this build speaks (hello and welcome carry it).
inline constexpr std::uint32_t kProtocolVersion = 1;
/// Default size limit of a client message, in bytes of text (decode_client_message).
inline constexpr std::size_t kMaxClientMessageBytes = 16 * 1024;
/// Default size limit of a server message, in bytes of text (decode_server_message): an
/// `entered` snapshot of a crowded view is the largest message.
inline constexpr std::size_t kMaxServerMessageBytes = 4 * 1024 * 1024;

/// Why the server refused a client message: the closed list a client can switch on. Each has a
/// stable snake_case wire name (to_string); docs/protocol.md says when each is sent.
enum class ErrorCode : std::uint8_t {
  MalformedJson = 0,           ///< The text is not valid JSON (or not valid UTF-8).
  NotAnObject,                 ///< The JSON is not an object.
  UnknownType,                 ///< "type" (or a command's "type") is not a string or unknown.
  MissingField,                ///< A required field is absent.
  BadField,                    ///< A field has the wrong JSON type, is out of range or invalid.
  MessageTooLarge,             ///< The text is longer than the size limit.
  UnsupportedProtocolVersion,  ///< hello: the server does not speak this version.
  HelloRequired,               ///< A message other than hello (or ping) before hello.
  UnexpectedMessage,           ///< A message the session's state does not allow (a 2nd hello).
  NotLoggedIn,                 ///< A character message before register or login succeeded.
  AlreadyLoggedIn,             ///< register or login on a session that is logged in.
  InvalidCredentials,          ///< login: unknown username or wrong password (not told apart).
  LoginThrottled,              ///< login: too many failed logins; the account is locked a while.
  UsernameInvalid,             ///< register: not 3..20 characters of [a-z0-9_] (any case).
  UsernameTaken,               ///< register: another account has this username.
  PasswordInvalid,             ///< register: the password is empty or longer than 256 bytes.
  CharacterNameInvalid,        ///< create_character: the name breaks the name rules.
  CharacterNameTaken,          ///< create_character: another character has this name.
  TooManyCharacters,           ///< create_character: the account has the most it may have.
  NoSuchCharacter,             ///< No character with this id on the account.
  CharacterInUse,              ///< The character is in the world from another session.
  WorldFull,                   ///< enter_world: the world has no room (no free tile, player cap).
  NotInWorld,                  ///< command or leave_world outside the world.
  AlreadyInWorld,              ///< enter_world or a character message while in the world.
  RateLimited,                 ///< Too many messages; this one was dropped.
  InternalError,               ///< The server failed (database, ...); the request may be retried.
};

/// Every error code, in declaration order.
inline constexpr std::array kErrorCodes{ErrorCode::MalformedJson,
                                        ErrorCode::NotAnObject,
                                        ErrorCode::UnknownType,
                                        ErrorCode::MissingField,
                                        ErrorCode::BadField,
                                        ErrorCode::MessageTooLarge,
                                        ErrorCode::UnsupportedProtocolVersion,
                                        ErrorCode::HelloRequired,
                                        ErrorCode::UnexpectedMessage,
                                        ErrorCode::NotLoggedIn,
                                        ErrorCode::AlreadyLoggedIn,
                                        ErrorCode::InvalidCredentials,
                                        ErrorCode::LoginThrottled,
                                        ErrorCode::UsernameInvalid,
                                        ErrorCode::UsernameTaken,
                                        ErrorCode::PasswordInvalid,
                                        ErrorCode::CharacterNameInvalid,
                                        ErrorCode::CharacterNameTaken,
                                        ErrorCode::TooManyCharacters,
                                        ErrorCode::NoSuchCharacter,
                                        ErrorCode::CharacterInUse,
                                        ErrorCode::WorldFull,
                                        ErrorCode::NotInWorld,
                                        ErrorCode::AlreadyInWorld,
                                        ErrorCode::RateLimited,
                                        ErrorCode::InternalError};

/// Stable wire name of an error code ("malformed_json", ...); "invalid" for a value out of range.
[[nodiscard]] std::string_view to_string(ErrorCode code);
/// The error code of a wire name, or nullopt for an unknown name.
[[nodiscard]] std::optional<ErrorCode> error_code_from_string(std::string_view name);

/// Why the server closes a session (the `kicked` message, sent just before it closes).
enum class KickReason : std::uint8_t {
  ServerShutdown = 0,  ///< The server is stopping (characters are saved first).
  LoggedInElsewhere,   ///< The same account logged in on another connection.
  TooSlow,             ///< The client did not read its messages fast enough (send queue full).
  Idle,                ///< No message from the client for too long.
  ProtocolViolation,   ///< The client kept sending refused messages or flooding.
};

/// Every kick reason, in declaration order.
inline constexpr std::array kKickReasons{KickReason::ServerShutdown, KickReason::LoggedInElsewhere,
                                         KickReason::TooSlow, KickReason::Idle,
                                         KickReason::ProtocolViolation};

/// Stable wire name of a kick reason ("server_shutdown", ...); "invalid" out of range.
[[nodiscard]] std::string_view to_string(KickReason reason);
/// The kick reason of a wire name, or nullopt for an unknown name.
[[nodiscard]] std::optional<KickReason> kick_reason_from_string(std::string_view name);

/// What an error answers, as far as it is known: nothing (null on the wire), the type of the
/// client message (`"login"`), or the seq of a `command` (`7`).
using ErrorRef = std::variant<std::monostate, std::string, std::uint32_t>;

/// A refused client message: what decode_client_message returns for a bad one, and the
/// server's `error` message `{"type": "error", "code": .., "message": .., "ref": ..}`.
struct ProtocolError {
  ErrorCode code = ErrorCode::InternalError;  ///< What a client switches on.
  std::string message;                        ///< For humans, e.g. "login.password: missing".
  ErrorRef ref;                               ///< The message it answers, when known.
  /// rate_limited "server busy" (a login storm): come back after this many ms, with the same
  /// connection (0: no hint; then not on the wire).
  std::uint32_t retry_after_ms = 0;
  friend bool operator==(const ProtocolError&, const ProtocolError&) = default;
};

// --- client to server ------------------------------------------------------------------------

/// `hello`: the first message of a session.
struct Hello {
  std::uint32_t protocol_version = kProtocolVersion;  ///< The version the client speaks.
  /// Ask for compact moves: a `moved` delta of an entity the client knows comes as the array
  /// `[slot, direction]` (see decode_server_message's `known`). Optional on the wire.
  bool compact_moves = false;
  /// Ticks the server may gather into one `tick` message (1..kMaxBatchTicks; 1: a message
  /// every tick). Optional on the wire.
  std::uint32_t batch_ticks = 1;
  friend bool operator==(const Hello&, const Hello&) = default;
};

/// Most ticks a client may ask to be gathered into one message (hello.batch_ticks).
inline constexpr std::uint32_t kMaxBatchTicks = 10;
/// `register`: creates an account and logs in to it.
struct Register {
  std::string username;  ///< 3..20 characters of [a-z0-9_], any case (stored lower-cased).
  std::string password;  ///< 1..256 bytes.
  friend bool operator==(const Register&, const Register&) = default;
};
/// `login`: logs in to an account.
struct Login {
  std::string username;  ///< Case-insensitive.
  std::string password;  ///< As registered.
  friend bool operator==(const Login&, const Login&) = default;
};
/// `list_characters`: asks for the account's characters (answered by `characters`).
struct ListCharacters {
  friend bool operator==(const ListCharacters&, const ListCharacters&) = default;
};
/// `create_character`: adds a character to the account (answered by `characters`).
struct CreateCharacter {
  std::string name;             ///< 3..16 letters, digits and single spaces; starts with a letter.
  std::uint8_t body = 0;        ///< Body sprite.
  std::uint8_t hair_style = 0;  ///< 0 = bald.
  std::uint32_t hair_colour = 0;  ///< 0xRRGGBB; "#rrggbb" on the wire.
  /// Index into the world's vocations (vocations.json); optional on the wire, 0 when absent.
  std::uint8_t vocation = 0;
  friend bool operator==(const CreateCharacter&, const CreateCharacter&) = default;
};
/// `delete_character`: deletes one of the account's characters (answered by `characters`).
struct DeleteCharacter {
  world::CharacterId character_id{};  ///< Which.
  friend bool operator==(const DeleteCharacter&, const DeleteCharacter&) = default;
};
/// `enter_world`: plays one of the account's characters (answered by `entered`).
struct EnterWorld {
  world::CharacterId character_id{};  ///< Which.
  friend bool operator==(const EnterWorld&, const EnterWorld&) = default;
};
/// `command`: one world command of the player's character. It carries no actor: the server
/// fills in the session's own entity (an "actor" a client sends is ignored).
struct ClientCommand {
  std::uint32_t seq = 0;  ///< The client's number for it, echoed as ack_seq and in rejections.
  /// What the character wants. Never Join, Leave or Announce: the decoder refuses them
  /// (enter_world and leave_world do the first two; announcements are the server's).
  world::CommandPayload command{world::Move{}};
  /// The world command, acted by `actor`.
  [[nodiscard]] world::Command for_actor(world::EntityId actor) const {
    return world::Command{actor, command, seq};
  }
  friend bool operator==(const ClientCommand&, const ClientCommand&) = default;
};
/// `leave_world`: the character leaves the world and is saved; the session stays logged in.
struct LeaveWorld {
  friend bool operator==(const LeaveWorld&, const LeaveWorld&) = default;
};
/// `ping`: answered by `pong` with the same nonce (allowed in every state, even before hello).
struct Ping {
  std::uint64_t nonce = 0;  ///< Any number the client picks.
  friend bool operator==(const Ping&, const Ping&) = default;
};

/// Any message a client sends.
using ClientMessage = std::variant<Hello, Register, Login, ListCharacters, CreateCharacter,
                                   DeleteCharacter, EnterWorld, ClientCommand, LeaveWorld, Ping>;

// --- server to client ------------------------------------------------------------------------

/// The content a world runs on, as `welcome` names it: the map, the content bundle's hash, and
/// where the server serves the bundle (docs/protocol.md, "Content").
struct ContentRef {
  std::string map;   ///< The map's path inside the bundle, e.g. "maps/default.tmj".
  std::string hash;  ///< The bundle's SHA-256 (64 lower-case hex digits).
  /// Where the bundle is: a path on the same host and port, "/content/<hash>/", to which
  /// "manifest.json" and the manifest's file paths are appended.
  std::string url;
  friend bool operator==(const ContentRef&, const ContentRef&) = default;
};

/// `welcome`: the answer to a hello the server accepts.
struct Welcome {
  std::uint32_t protocol_version = kProtocolVersion;  ///< The version the server speaks.
  std::string server;                                 ///< Name and version, e.g. "alphammo 0.1.0".
  std::uint32_t tick_rate = 20;                       ///< Ticks per second.
  bool you_are_logged_in = false;                     ///< Always false for now: log in next.
  /// What a player sees: entities and ground items within this Chebyshev distance (tiles).
  std::uint32_t view_radius = 9;
  /// The world's content; absent from a server that does not serve it (older ones).
  std::optional<ContentRef> content = std::nullopt;
  friend bool operator==(const Welcome&, const Welcome&) = default;
};
/// One line of a character list.
struct CharacterSummary {
  world::CharacterId id{};  ///< The character's id (for enter_world and delete_character).
  std::string name;         ///< As created.
  std::int32_t level = 1;   ///< Level at the last save.
  std::uint8_t vocation = 0;  ///< Index into the world's vocations.
  world::Look look{};       ///< Body, hair and worn equipment at the last save.
  friend bool operator==(const CharacterSummary&, const CharacterSummary&) = default;
};
/// `characters`: the account's characters, oldest first.
struct CharacterList {
  std::vector<CharacterSummary> list;  ///< Every character of the account.
  friend bool operator==(const CharacterList&, const CharacterList&) = default;
};
/// What a player sees when it enters the world.
struct Snapshot {
  std::vector<world::EntityState> entities;    ///< Every entity in view, itself included.
  std::vector<world::ItemState> ground_items;  ///< Every ground item in view.
  std::vector<world::ItemState> inventory;     ///< Its own backpack and equipment, with item ids.
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};
/// `entered`: the character is in the world; the tick messages that follow start at tick + 1.
struct Entered {
  world::EntityId you;         ///< The character's entity (the actor of its commands).
  world::Tick tick = 0;        ///< The tick the snapshot shows the end of.
  world::Character character;  ///< The full character (experience, stats, items).
  Snapshot snapshot;           ///< What it sees.
  friend bool operator==(const Entered&, const Entered&) = default;
};
/// `tick`: what the client saw change in one tick, and what became of its commands.
struct TickMessage {
  world::Tick n = 0;                         ///< The tick.
  std::vector<world::Delta> deltas;          ///< Visible changes, in the order they happened.
  std::uint32_t ack_seq = 0;                 ///< Seq of the client's last command processed so far.
  std::vector<world::Rejection> rejections;  ///< The client's own commands refused in this tick.
  friend bool operator==(const TickMessage&, const TickMessage&) = default;
};
/// `kicked`: the server closes the session.
struct Kicked {
  KickReason reason = KickReason::ServerShutdown;  ///< Why.
  friend bool operator==(const Kicked&, const Kicked&) = default;
};
/// `pong`: the answer to a ping.
struct Pong {
  std::uint64_t nonce = 0;  ///< The ping's nonce.
  world::Tick tick = 0;     ///< The server's current tick.
  friend bool operator==(const Pong&, const Pong&) = default;
};

/// Any message the server sends.
using ServerMessage =
    std::variant<Welcome, ProtocolError, CharacterList, Entered, TickMessage, Kicked, Pong>;

/// The wire "type" of a client message ("hello", "command", ...).
[[nodiscard]] std::string_view type_name(const ClientMessage& message);
/// The wire "type" of a server message ("welcome", "error", "tick", ...).
[[nodiscard]] std::string_view type_name(const ServerMessage& message);

// --- decoding --------------------------------------------------------------------------------

/// Decodes one client message. Text longer than `max_bytes` is refused unread
/// (message_too_large); then malformed_json, not_an_object, a missing "type" (missing_field)
/// or an unknown one (unknown_type); then every field is checked (missing_field, bad_field, or
/// unknown_type for a command's type) and the message names its path, e.g.
/// "command.command.direction: expected one of north, east, south, west, got \"up\"". Unknown
/// members are ignored, and so are "actor" and "seq" inside a command. `ref` is the message's
/// type once known, or the command's seq once read.
[[nodiscard]] world::Result<ClientMessage, ProtocolError> decode_client_message(
    std::string_view text, std::size_t max_bytes = kMaxClientMessageBytes);

/// An entity a client knows: what a compact move of its slot refers to.
struct KnownEntity {
  world::EntityId id;        ///< The live entity in that slot.
  world::Position position;  ///< Where the client last saw it.
};

/// What a client knows of the entities in its view (client::WorldMirror implements it).
class KnownEntities {
 public:
  virtual ~KnownEntities() = default;
  /// The known entity in `slot` (an EntityId's index), or nullopt.
  [[nodiscard]] virtual std::optional<KnownEntity> find_slot(std::uint32_t slot) const = 0;
};

/// Decodes one server message, checked like decode_client_message (the client library's
/// side). `ref` of an error is the message's type once known. A `tick` message may hold
/// compact moves (`[slot, direction]` in `deltas`, sent after hello.compact_moves): each is
/// expanded into the `moved` delta of the entity `known` has in that slot, as earlier deltas
/// of the same message left it (appeared, moved, teleported, removed), stepping one tile that
/// way. Without `known`, or for a slot it does not know, a compact move is a bad_field error.
[[nodiscard]] world::Result<ServerMessage, ProtocolError> decode_server_message(
    std::string_view text, std::size_t max_bytes = kMaxServerMessageBytes,
    const KnownEntities* known = nullptr);

// --- encoding --------------------------------------------------------------------------------
// Compact JSON text, members sorted by name. Total: every value encodes; a few decode back
// differently because the decoder refuses them (an enum out of range is written "invalid", a
// hair colour above 0xffffff is written "#aarrggbb", a command payload may be join).

/// `{"protocol_version": 1, "type": "hello"}`.
[[nodiscard]] std::string encode(const Hello& m);
/// `{"password": .., "type": "register", "username": ..}`.
[[nodiscard]] std::string encode(const Register& m);
/// `{"password": .., "type": "login", "username": ..}`.
[[nodiscard]] std::string encode(const Login& m);
/// `{"type": "list_characters"}`.
[[nodiscard]] std::string encode(const ListCharacters& m);
/// `{"body": .., "hair_colour": "#rrggbb", "hair_style": .., "name": .., "type": ..}`.
[[nodiscard]] std::string encode(const CreateCharacter& m);
/// `{"character_id": .., "type": "delete_character"}`.
[[nodiscard]] std::string encode(const DeleteCharacter& m);
/// `{"character_id": .., "type": "enter_world"}`.
[[nodiscard]] std::string encode(const EnterWorld& m);
/// `{"command": {"direction": "east", "type": "move"}, "seq": 7, "type": "command"}`: the
/// command without actor and seq.
[[nodiscard]] std::string encode(const ClientCommand& m);
/// `{"type": "leave_world"}`.
[[nodiscard]] std::string encode(const LeaveWorld& m);
/// `{"nonce": .., "type": "ping"}`.
[[nodiscard]] std::string encode(const Ping& m);
/// Any client message.
[[nodiscard]] std::string encode(const ClientMessage& m);

/// `{"content": {"hash": .., "map": .., "url": ..}, "protocol_version": .., "server": ..,
/// "tick_rate": .., "type": "welcome", "view_radius": .., "you_are_logged_in": false}`
/// ("content" only when set).
[[nodiscard]] std::string encode(const Welcome& m);
/// `{"code": "bad_field", "message": .., "ref": "login" | 7 | null, "type": "error"}`.
[[nodiscard]] std::string encode(const ProtocolError& m);
/// `{"list": [{"id": .., "level": .., "look": {..}, "name": ..}, ...], "type": "characters"}`.
[[nodiscard]] std::string encode(const CharacterList& m);
/// `{"character": {..}, "snapshot": {"entities": [..], "ground_items": [..], "inventory": [..]},
/// "tick": .., "type": "entered", "you": [index, generation]}`.
[[nodiscard]] std::string encode(const Entered& m);
/// `{"ack_seq": .., "deltas": [..], "n": .., "rejections": [..], "type": "tick"}`, built as a
/// JSON document; the server's hot path is encode_tick_from_fragments.
[[nodiscard]] std::string encode(const TickMessage& m);
/// `{"reason": "server_shutdown", "type": "kicked"}`.
[[nodiscard]] std::string encode(const Kicked& m);
/// `{"nonce": .., "tick": .., "type": "pong"}`.
[[nodiscard]] std::string encode(const Pong& m);
/// Any server message.
[[nodiscard]] std::string encode(const ServerMessage& m);

/// The JSON text of one delta, to be serialised once per tick and spliced into the tick
/// message of every client that sees it (encode_tick_from_fragments).
[[nodiscard]] std::string encode_delta_fragment(const world::Delta& d);

/// The compact form of a `moved` delta: `[slot, direction]`, the direction 0..3 for north,
/// east, south, west (what the entity faces and stepped towards; `from` is where the client
/// knows it stood).
[[nodiscard]] std::string encode_compact_move(const world::Moved& m);

/// The text of a `tick` message written directly around ready-made delta fragments (each the
/// text of one delta, as encode_delta_fragment gives it; copied in as they are, not checked).
/// With fragments encode_delta_fragment made, the result is the exact text
/// encode(TickMessage{n, deltas, ack_seq, own_rejections}) gives.
[[nodiscard]] std::string encode_tick_from_fragments(
    world::Tick n, std::uint32_t ack_seq, std::span<const std::string_view> delta_fragments,
    std::span<const world::Rejection> own_rejections);

}  // namespace protocol
