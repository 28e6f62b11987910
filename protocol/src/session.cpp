#include "protocol/session.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "jsonkit/colour.hpp"
#include "protocol/command_json.hpp"
#include "protocol/delta_json.hpp"
#include "protocol/text.hpp"
#include "reader.hpp"
#include "writer.hpp"

namespace protocol {
namespace detail {

// --- names -----------------------------------------------------------------------------------

namespace {

constexpr std::array<std::string_view, kErrorCodes.size()> kErrorCodeNames{
    "malformed_json",
    "not_an_object",
    "unknown_type",
    "missing_field",
    "bad_field",
    "message_too_large",
    "unsupported_protocol_version",
    "hello_required",
    "unexpected_message",
    "not_logged_in",
    "already_logged_in",
    "invalid_credentials",
    "login_throttled",
    "username_invalid",
    "username_taken",
    "password_invalid",
    "character_name_invalid",
    "character_name_taken",
    "too_many_characters",
    "no_such_character",
    "character_in_use",
    "world_full",
    "not_in_world",
    "already_in_world",
    "rate_limited",
    "internal_error"};

constexpr std::array<std::string_view, kKickReasons.size()> kKickReasonNames{
    "server_shutdown", "logged_in_elsewhere", "too_slow", "idle", "protocol_violation"};

// kErrorCodes and kKickReasons list every value in order, so a value indexes its name.
template <typename E, std::size_t N>
constexpr bool in_order(const std::array<E, N>& values) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(values[i]) != i) return false;
  }
  return true;
}
static_assert(in_order(kErrorCodes));
static_assert(in_order(kKickReasons));

template <typename E, std::size_t N>
std::string_view name_of(E value, const std::array<std::string_view, N>& names) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : std::string_view("invalid");
}

template <typename E, std::size_t N>
std::optional<E> value_of(std::string_view name, const std::array<E, N>& values,
                          const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return values[i];
  }
  return std::nullopt;
}

// The wire "type" of each message.
template <typename T>
constexpr std::string_view kWireType = {};
template <>
constexpr std::string_view kWireType<Hello> = "hello";
template <>
constexpr std::string_view kWireType<Register> = "register";
template <>
constexpr std::string_view kWireType<Login> = "login";
template <>
constexpr std::string_view kWireType<ListCharacters> = "list_characters";
template <>
constexpr std::string_view kWireType<CreateCharacter> = "create_character";
template <>
constexpr std::string_view kWireType<DeleteCharacter> = "delete_character";
template <>
constexpr std::string_view kWireType<EnterWorld> = "enter_world";
template <>
constexpr std::string_view kWireType<ClientCommand> = "command";
template <>
constexpr std::string_view kWireType<LeaveWorld> = "leave_world";
template <>
constexpr std::string_view kWireType<Ping> = "ping";
template <>
constexpr std::string_view kWireType<Welcome> = "welcome";
template <>
constexpr std::string_view kWireType<ProtocolError> = "error";
template <>
constexpr std::string_view kWireType<CharacterList> = "characters";
template <>
constexpr std::string_view kWireType<Entered> = "entered";
template <>
constexpr std::string_view kWireType<TickMessage> = "tick";
template <>
constexpr std::string_view kWireType<Kicked> = "kicked";
template <>
constexpr std::string_view kWireType<Pong> = "pong";

// The wire types of a message variant's alternatives, in the variant's order.
template <typename Variant>
struct TypeNames;
template <typename... Ts>
struct TypeNames<std::variant<Ts...>> {
  static constexpr std::array<std::string_view, sizeof...(Ts)> kNames{kWireType<Ts>...};
};

// The world commands a client may send, by their command_json names. Join, Leave and Announce
// are not among them: enter_world and leave_world join and leave, and only the server announces.
constexpr std::array<std::string_view, 11> kClientCommandTypes{
    "move",    "face", "attack",    "pick_up", "drop", "equip",
    "unequip", "use",  "move_item", "cast",    "say"};
constexpr std::array<std::string_view, 3> kServerCommandTypes{"join", "leave", "announce"};

std::string list_of(std::span<const std::string_view> names) {
  std::string out;
  for (const std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace

// --- readers ---------------------------------------------------------------------------------
// The read_value overloads for the session's values (declared in reader.hpp).

namespace {

// Records a problem that a nested decoder (delta_from_json, ...) reported under its own root
// name, e.g. "delta.to[0]: ..." for the value at `at`, as "tick.deltas[3].to[0]: ...".
void fail_nested(Diagnostics& errors, const Path& at, std::string_view root,
                 std::string_view message) {
  if (!message.starts_with(root)) {
    errors.fail(at, message);
    return;
  }
  std::string_view rest = message.substr(root.size());  // ".to[0]: ..." or ": ..."
  const std::size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) {
    errors.fail(at, message);
    return;
  }
  const std::string_view what = rest.substr(colon + 2);
  std::string_view below = rest.substr(0, colon);
  if (below.starts_with('.')) below.remove_prefix(1);
  if (below.empty()) {
    errors.fail(at, what);
  } else {
    errors.fail(Path(at, below), what);  // the sub-path as one "member": printed as it is
  }
}

template <typename T, std::size_t N>
void read_named(Diagnostics& errors, const Json& value, const Path& at, T& out,
                const std::array<T, N>& values, const std::array<std::string_view, N>& names) {
  if (errors.failed()) return;
  if (const auto* s = value.get_ptr<const Json::string_t*>()) {
    if (const std::optional<T> v = value_of(*s, values, names)) {
      out = *v;
      return;
    }
  }
  errors.fail(at, "expected one of " + list_of(names) + ", got " + describe(value));
}

}  // namespace

void read_value(Diagnostics& errors, const Json& value, const Path& at, bool& out) {
  if (errors.failed()) return;
  if (const auto* b = value.get_ptr<const Json::boolean_t*>()) {
    out = *b;
    return;
  }
  errors.fail(at, "expected true or false, got " + describe(value));
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, ErrorCode& out) {
  read_named(errors, value, at, out, kErrorCodes, kErrorCodeNames);
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, KickReason& out) {
  read_named(errors, value, at, out, kKickReasons, kKickReasonNames);
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, ErrorRef& out) {
  if (errors.failed()) return;
  if (value.is_null()) {
    out = std::monostate{};
  } else if (const auto* s = value.get_ptr<const Json::string_t*>()) {
    out = *s;
  } else if (value.is_number_integer()) {
    std::uint32_t seq = 0;
    read_value(errors, value, at, seq);
    if (!errors.failed()) out = seq;
  } else {
    errors.fail(at, "expected null, a message type or a seq, got " + describe(value));
  }
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, CharacterSummary& out) {
  ObjectReader r(errors, value, at);
  r.read("id", out.id);
  r.read("name", out.name);
  r.read("level", out.level);
  r.read_optional("vocation", out.vocation);
  r.read("look", out.look);
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, ContentRef& out) {
  ObjectReader r(errors, value, at);
  r.read("map", out.map);
  r.read("hash", out.hash);
  r.read("url", out.url);
  if (errors.failed()) return;
  if (out.map.empty()) return errors.fail(Path(at, "map"), "must not be empty");
  const bool hex =
      out.hash.size() == 64 && std::all_of(out.hash.begin(), out.hash.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      });
  if (!hex) {
    return errors.fail(Path(at, "hash"),
                       "expected 64 lower-case hex digits, got " + describe(value.at("hash")));
  }
  // A path on the server's own host and port: "/..." but not "//host/...".
  if (out.url.empty() || out.url.front() != '/' || out.url.starts_with("//")) {
    errors.fail(Path(at, "url"),
                "expected a path starting with \"/\", got " + describe(value.at("url")));
  }
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, Snapshot& out) {
  ObjectReader r(errors, value, at);
  r.read("entities", out.entities);
  r.read("ground_items", out.ground_items);
  r.read("inventory", out.inventory);
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::Delta& out) {
  if (errors.failed()) return;
  world::Result<world::Delta> d = delta_from_json(value);
  if (d.ok()) {
    out = std::move(d).value();
  } else {
    fail_nested(errors, at, "delta", d.error().message);
  }
}

void read_value(Diagnostics& errors, const Json& value, const Path& at, world::Rejection& out) {
  if (errors.failed()) return;
  world::Result<world::Rejection> r = rejection_from_json(value);
  if (r.ok()) {
    out = r.value();
  } else {
    fail_nested(errors, at, "rejection", r.error().message);
  }
}

namespace {

// --- message fields --------------------------------------------------------------------------

void read_fields(ObjectReader& r, Hello& m) {
  r.read("protocol_version", m.protocol_version);
  r.read_optional("compact_moves", m.compact_moves);
  r.read_optional("batch_ticks", m.batch_ticks);
  if (!r.errors().failed() && (m.batch_ticks < 1 || m.batch_ticks > kMaxBatchTicks)) {
    r.errors().fail(Path(r.path(), "batch_ticks"), "expected an integer in 1.." +
                                                       std::to_string(kMaxBatchTicks) + ", got " +
                                                       std::to_string(m.batch_ticks));
  }
}
void read_fields(ObjectReader& r, Register& m) {
  r.read("username", m.username);
  r.read("password", m.password);
}
void read_fields(ObjectReader& r, Login& m) {
  r.read("username", m.username);
  r.read("password", m.password);
}
void read_fields(ObjectReader& /*r*/, ListCharacters& /*m*/) {}
void read_fields(ObjectReader& r, CreateCharacter& m) {
  r.read("name", m.name);
  r.read("body", m.body);
  r.read("hair_style", m.hair_style);
  if (const Json* colour = r.required("hair_colour")) {
    read_colour(r.errors(), *colour, Path(r.path(), "hair_colour"), m.hair_colour,
                jsonkit::kMaxRgb);
  }
  r.read_optional("vocation", m.vocation);
}
void read_fields(ObjectReader& r, DeleteCharacter& m) {
  r.read("character_id", m.character_id);
}
void read_fields(ObjectReader& r, EnterWorld& m) {
  r.read("character_id", m.character_id);
}
void read_fields(ObjectReader& /*r*/, LeaveWorld& /*m*/) {}
void read_fields(ObjectReader& r, Ping& m) {
  r.read("nonce", m.nonce);
}

void read_fields(ObjectReader& r, Welcome& m) {
  r.read("protocol_version", m.protocol_version);
  r.read("server", m.server);
  r.read("tick_rate", m.tick_rate);
  r.read("view_radius", m.view_radius);
  r.read("you_are_logged_in", m.you_are_logged_in);
  if (r.optional("content") != nullptr) r.read("content", m.content.emplace());
}
void read_fields(ObjectReader& r, ProtocolError& m) {
  r.read("code", m.code);
  r.read("message", m.message);
  r.read("ref", m.ref);
  r.read_optional("retry_after_ms", m.retry_after_ms);
}
void read_fields(ObjectReader& r, CharacterList& m) {
  r.read("list", m.list);
}
void read_fields(ObjectReader& r, Entered& m) {
  r.read("you", m.you);
  r.read("tick", m.tick);
  r.read("character", m.character);
  r.read("snapshot", m.snapshot);
}
void read_fields(ObjectReader& r, TickMessage& m) {
  r.read("n", m.n);
  r.read("ack_seq", m.ack_seq);
  r.read("deltas", m.deltas);
  r.read("rejections", m.rejections);
}
void read_fields(ObjectReader& r, Kicked& m) {
  r.read("reason", m.reason);
}
void read_fields(ObjectReader& r, Pong& m) {
  r.read("nonce", m.nonce);
  r.read("tick", m.tick);
}

// A command: seq first (so that later problems can name it), then the world command, whose
// actor and seq are overwritten in the document before command_from_json reads it.
void read_command(ObjectReader& r, Json& message, ClientCommand& m, ErrorRef& ref) {
  r.read("seq", m.seq);
  if (r.errors().failed()) return;
  ref = m.seq;
  if (r.required("command") == nullptr) return;
  Json& command = message.find("command").value();
  const Path at(r.path(), "command");
  if (!command.is_object()) {
    r.errors().fail(at, "expected an object, got " + describe(command));
    return;
  }
  // Check the type against the commands a client may send (command_from_json knows all).
  if (const auto type = command.find("type"); type != command.end() && type->is_string()) {
    const auto& name = type->get_ref<const Json::string_t&>();
    const auto is = [&name](std::string_view n) { return n == name; };
    const bool client = std::any_of(kClientCommandTypes.begin(), kClientCommandTypes.end(), is);
    const bool server = std::any_of(kServerCommandTypes.begin(), kServerCommandTypes.end(), is);
    if (server) {
      r.errors().fail(Path(at, "type"), "expected one of " + list_of(kClientCommandTypes) +
                                            " (join, leave and announce are the server's), got " +
                                            describe(*type));
      return;
    }
    if (!client) {
      r.errors().fail(Path(at, "type"), "unknown command type " + describe(*type) +
                                            " (expected one of " + list_of(kClientCommandTypes) +
                                            ")");
      return;
    }
  }
  // The server fills in the actor: whatever the client wrote there is dropped unread, and so is
  // an inner seq (the message's seq is the one that counts).
  command["actor"] = nullptr;
  command.erase("seq");
  world::Result<world::Command> decoded = command_from_json(command);
  if (!decoded.ok()) {
    fail_nested(r.errors(), at, "command", decoded.error().message);
    return;
  }
  m.command = std::move(decoded).value().payload;
}

// Reads alternative I of a message variant from `message` (an object whose type is I's).
template <typename Variant>
using MessageReader = void (*)(ObjectReader&, Json&, Variant&, ErrorRef&);
template <typename Variant, std::size_t I>
void read_alternative(ObjectReader& r, Json& message, Variant& out, ErrorRef& ref) {
  using T = std::variant_alternative_t<I, Variant>;
  T& m = out.template emplace<I>();
  if constexpr (std::is_same_v<T, ClientCommand>) {
    read_command(r, message, m, ref);
  } else {
    static_cast<void>(message);
    static_cast<void>(ref);
    read_fields(r, m);
  }
}
template <typename Variant>
constexpr auto kMessageReaders = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<MessageReader<Variant>, sizeof...(I)>{&read_alternative<Variant, I>...};
}
(std::make_index_sequence<std::variant_size_v<Variant>>{});

// An [x, y] pair of a document, or nullopt.
std::optional<world::Position> position_in(const Json* value) {
  const auto* a = value != nullptr ? value->get_ptr<const Json::array_t*>() : nullptr;
  if (a == nullptr || a->size() != 2 || !(*a)[0].is_number_integer() ||
      !(*a)[1].is_number_integer()) {
    return std::nullopt;
  }
  return world::Position{(*a)[0].get<std::int32_t>(), (*a)[1].get<std::int32_t>()};
}

// An [index, generation] pair of a document, or nullopt.
std::optional<world::EntityId> id_in(const Json* value) {
  const auto* a = value != nullptr ? value->get_ptr<const Json::array_t*>() : nullptr;
  if (a == nullptr || a->size() != 2 || !(*a)[0].is_number_unsigned() ||
      !(*a)[1].is_number_unsigned()) {
    return std::nullopt;
  }
  return world::EntityId{(*a)[0].get<std::uint32_t>(), (*a)[1].get<std::uint32_t>()};
}

const Json* member_of(const Json& object, std::string_view name) {
  const auto it = object.find(name);
  return it != object.end() ? &*it : nullptr;
}

// Replaces every compact move ([slot, direction]) of a tick message's "deltas" by the `moved`
// delta it stands for: the entity in that slot as `known` and the message's earlier deltas
// leave it, one step that way. Malformed full deltas are left for the reader to report.
void expand_compact_moves(Json& doc, const Path& at, const KnownEntities* known,
                          Diagnostics& errors) {
  const auto it = doc.find("deltas");
  if (it == doc.end() || !it->is_array()) return;
  auto& deltas = *it->get_ptr<Json::array_t*>();
  // What this message changed so far, by slot (nullopt: gone).
  std::vector<std::pair<std::uint32_t, std::optional<KnownEntity>>> seen;
  const auto note = [&seen](std::uint32_t slot, std::optional<KnownEntity> e) {
    for (auto& [s, v] : seen) {
      if (s == slot) {
        v = e;
        return;
      }
    }
    seen.emplace_back(slot, e);
  };
  const Path list(at, "deltas");
  for (std::size_t i = 0; i < deltas.size(); ++i) {
    Json& d = deltas[i];
    if (d.is_object()) {
      const Json* type = member_of(d, "type");
      const auto* name = type != nullptr ? type->get_ptr<const Json::string_t*>() : nullptr;
      if (name == nullptr) continue;
      if (*name == "moved" || *name == "teleported") {
        const auto id = id_in(member_of(d, "id"));
        const auto to = position_in(member_of(d, "to"));
        if (id && to) note(id->index, KnownEntity{*id, *to});
      } else if (*name == "appeared") {
        const Json* entity = member_of(d, "entity");
        if (entity == nullptr || !entity->is_object()) continue;
        const auto id = id_in(member_of(*entity, "id"));
        const auto position = position_in(member_of(*entity, "position"));
        if (id && position) note(id->index, KnownEntity{*id, *position});
      } else if (*name == "removed") {
        const auto id = id_in(member_of(d, "id"));
        const Json* reason = member_of(d, "reason");
        if (id && reason != nullptr && reason->is_string()) note(id->index, std::nullopt);
      }
      continue;
    }
    const auto* pair = d.get_ptr<const Json::array_t*>();
    if (pair == nullptr) continue;  // the reader reports it
    const Path here(list, i);
    if (pair->size() != 2 || !(*pair)[0].is_number_unsigned() || !(*pair)[1].is_number_unsigned() ||
        (*pair)[1].get<std::uint64_t>() > 3 ||
        (*pair)[0].get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()) {
      errors.fail(here, "expected a delta object or a compact move [slot, direction 0..3], got " +
                            describe(d));
      return;
    }
    if (known == nullptr) {
      errors.fail(here, "a compact move, but this decoder was given no known entities");
      return;
    }
    const auto slot = (*pair)[0].get<std::uint32_t>();
    const auto facing = static_cast<world::Direction>((*pair)[1].get<int>());
    std::optional<KnownEntity> e;
    bool found = false;
    for (const auto& [s, v] : seen) {
      if (s == slot) {
        e = v;
        found = true;
      }
    }
    if (!found) e = known->find_slot(slot);
    if (!e) {
      errors.fail(here, "a compact move of slot " + std::to_string(slot) +
                            ", where this client knows no entity");
      return;
    }
    const world::Position to = world::step_towards(e->position, facing);
    d = to_json(world::Delta{world::Moved{e->id, e->position, to, facing}});
    note(slot, KnownEntity{e->id, to});
  }
}

// The error code of a problem the readers reported as "<path>: <what>".
ErrorCode code_of(std::string_view problem) {
  const std::size_t colon = problem.find(": ");
  if (colon == std::string_view::npos) return ErrorCode::BadField;
  const std::string_view path = problem.substr(0, colon);
  const std::string_view what = problem.substr(colon + 2);
  if (what == "missing") return ErrorCode::MissingField;
  // A message's, a command's or a delta's type: the only string members named "type".
  if (path.ends_with(".type") &&
      (what.starts_with("unknown ") || what.starts_with("expected a string"))) {
    return ErrorCode::UnknownType;
  }
  return ErrorCode::BadField;
}

// `text` with invalid UTF-8 replaced by U+FFFD: a parse error quotes the bytes it stopped at,
// and the error goes back to the client as JSON text.
std::string valid_utf8(const std::string& text) {
  const Json again = Json::parse(dump(Json(text)), nullptr, /*allow_exceptions=*/false);
  const auto* s = again.get_ptr<const Json::string_t*>();
  return s != nullptr ? *s : std::string("malformed JSON");
}

template <typename Variant>
world::Result<Variant, ProtocolError> decode_message(std::string_view text, std::size_t max_bytes,
                                                     const KnownEntities* known = nullptr) {
  if (text.size() > max_bytes) {
    return ProtocolError{ErrorCode::MessageTooLarge,
                         "message too large: " + std::to_string(text.size()) +
                             " bytes (the limit is " + std::to_string(max_bytes) + ")",
                         {}};
  }
  world::Result<Json> parsed = parse_json(text);
  if (!parsed.ok()) {
    return ProtocolError{ErrorCode::MalformedJson, valid_utf8(parsed.error().message), {}};
  }
  Json& doc = parsed.value();
  if (!doc.is_object()) {
    return ProtocolError{
        ErrorCode::NotAnObject, "message: expected an object, got " + describe(doc), {}};
  }
  constexpr auto& kNames = TypeNames<Variant>::kNames;
  Diagnostics errors;
  const Path root("message");
  ObjectReader envelope(errors, doc, root);
  const std::size_t type = read_type(envelope, kNames, "message");
  if (errors.failed()) {
    std::string problem = errors.take().message;
    const ErrorCode code = code_of(problem);
    return ProtocolError{code, std::move(problem), {}};
  }
  // Field paths start at the message's type: "login.password", "tick.deltas[3].to".
  ErrorRef ref = std::string(kNames[type]);
  const Path at(kNames[type]);
  if constexpr (std::is_same_v<Variant, ServerMessage>) {
    if (kNames[type] == kWireType<TickMessage>) expand_compact_moves(doc, at, known, errors);
  }
  ObjectReader r(errors, doc, at);
  Variant out;
  kMessageReaders<Variant>[type](r, doc, out, ref);
  if (errors.failed()) {
    std::string problem = errors.take().message;
    const ErrorCode code = code_of(problem);
    return ProtocolError{code, std::move(problem), std::move(ref)};
  }
  return out;
}

// --- writers ---------------------------------------------------------------------------------

template <typename T>
Json array_of(const std::vector<T>& values) {
  Json out(Json::value_t::array);
  auto& array = *out.get_ptr<Json::array_t*>();
  array.reserve(values.size());
  for (const T& v : values)
    array.push_back(to_json(v));
  return out;
}

Json ref_json(const ErrorRef& ref) {
  if (const auto* type = std::get_if<std::string>(&ref)) return Json(*type);
  if (const auto* seq = std::get_if<std::uint32_t>(&ref)) return Json(*seq);
  return Json(nullptr);
}

void put_fields(ObjectWriter& w, const Hello& m) {
  w.put("protocol_version", Json(m.protocol_version));
  if (m.compact_moves) w.put("compact_moves", Json(true));
  if (m.batch_ticks != 1) w.put("batch_ticks", Json(m.batch_ticks));
}
void put_fields(ObjectWriter& w, const Register& m) {
  w.put("username", Json(m.username));
  w.put("password", Json(m.password));
}
void put_fields(ObjectWriter& w, const Login& m) {
  w.put("username", Json(m.username));
  w.put("password", Json(m.password));
}
void put_fields(ObjectWriter& /*w*/, const ListCharacters& /*m*/) {}
void put_fields(ObjectWriter& w, const CreateCharacter& m) {
  w.put("name", Json(m.name));
  w.put("body", Json(m.body));
  w.put("hair_style", Json(m.hair_style));
  w.put("hair_colour", Json(jsonkit::colour_text(m.hair_colour)));
  w.put("vocation", Json(m.vocation));
}
void put_fields(ObjectWriter& w, const DeleteCharacter& m) {
  w.put("character_id", encode(m.character_id));
}
void put_fields(ObjectWriter& w, const EnterWorld& m) {
  w.put("character_id", encode(m.character_id));
}
void put_fields(ObjectWriter& w, const ClientCommand& m) {
  w.put("seq", Json(m.seq));
  Json command = to_json(world::Command{world::EntityId{}, m.command, 0});
  command.erase("actor");
  command.erase("seq");
  w.put("command", std::move(command));
}
void put_fields(ObjectWriter& /*w*/, const LeaveWorld& /*m*/) {}
void put_fields(ObjectWriter& w, const Ping& m) {
  w.put("nonce", Json(m.nonce));
}

void put_fields(ObjectWriter& w, const Welcome& m) {
  w.put("protocol_version", Json(m.protocol_version));
  w.put("server", Json(m.server));
  w.put("tick_rate", Json(m.tick_rate));
  w.put("view_radius", Json(m.view_radius));
  w.put("you_are_logged_in", Json(m.you_are_logged_in));
  if (m.content) {
    ObjectWriter content;
    content.put("map", Json(m.content->map));
    content.put("hash", Json(m.content->hash));
    content.put("url", Json(m.content->url));
    w.put("content", std::move(content).finish());
  }
}
void put_fields(ObjectWriter& w, const ProtocolError& m) {
  w.put("code", Json(to_string(m.code)));
  w.put("message", Json(m.message));
  w.put("ref", ref_json(m.ref));
  if (m.retry_after_ms != 0) w.put("retry_after_ms", Json(m.retry_after_ms));
}
void put_fields(ObjectWriter& w, const CharacterList& m) {
  Json list(Json::value_t::array);
  auto& array = *list.get_ptr<Json::array_t*>();
  array.reserve(m.list.size());
  for (const CharacterSummary& c : m.list) {
    ObjectWriter line;
    line.put("id", encode(c.id));
    line.put("name", Json(c.name));
    line.put("level", Json(c.level));
    line.put("vocation", Json(c.vocation));
    line.put("look", encode(c.look));
    array.push_back(std::move(line).finish());
  }
  w.put("list", std::move(list));
}
void put_fields(ObjectWriter& w, const Entered& m) {
  w.put("you", encode(m.you));
  w.put("tick", Json(m.tick));
  w.put("character", to_json(m.character));
  ObjectWriter snapshot;
  snapshot.put("entities", array_of(m.snapshot.entities));
  snapshot.put("ground_items", array_of(m.snapshot.ground_items));
  snapshot.put("inventory", array_of(m.snapshot.inventory));
  w.put("snapshot", std::move(snapshot).finish());
}
void put_fields(ObjectWriter& w, const TickMessage& m) {
  w.put("n", Json(m.n));
  w.put("deltas", array_of(m.deltas));
  w.put("ack_seq", Json(m.ack_seq));
  w.put("rejections", array_of(m.rejections));
}
void put_fields(ObjectWriter& w, const Kicked& m) {
  w.put("reason", Json(to_string(m.reason)));
}
void put_fields(ObjectWriter& w, const Pong& m) {
  w.put("nonce", Json(m.nonce));
  w.put("tick", Json(m.tick));
}

template <typename T>
std::string encode_message(const T& m) {
  static_assert(!kWireType<T>.empty(), "a message without a wire type");
  ObjectWriter w;
  w.put("type", Json(kWireType<T>));
  put_fields(w, m);
  return dump(std::move(w).finish());
}

// Decimal digits of an unsigned integer, appended.
void append_number(std::string& out, std::uint64_t value) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace
}  // namespace detail

std::string_view to_string(ErrorCode code) {
  return detail::name_of(code, detail::kErrorCodeNames);
}

std::optional<ErrorCode> error_code_from_string(std::string_view name) {
  return detail::value_of(name, kErrorCodes, detail::kErrorCodeNames);
}

std::string_view to_string(KickReason reason) {
  return detail::name_of(reason, detail::kKickReasonNames);
}

std::optional<KickReason> kick_reason_from_string(std::string_view name) {
  return detail::value_of(name, kKickReasons, detail::kKickReasonNames);
}

std::string_view type_name(const ClientMessage& message) {
  return detail::TypeNames<ClientMessage>::kNames[message.index()];
}

std::string_view type_name(const ServerMessage& message) {
  return detail::TypeNames<ServerMessage>::kNames[message.index()];
}

world::Result<ClientMessage, ProtocolError> decode_client_message(std::string_view text,
                                                                  std::size_t max_bytes) {
  return detail::decode_message<ClientMessage>(text, max_bytes);
}

world::Result<ServerMessage, ProtocolError> decode_server_message(std::string_view text,
                                                                  std::size_t max_bytes,
                                                                  const KnownEntities* known) {
  return detail::decode_message<ServerMessage>(text, max_bytes, known);
}

std::string encode_compact_move(const world::Moved& m) {
  std::string out;
  out.reserve(16);
  out += '[';
  detail::append_number(out, m.id.index);
  out += ',';
  out += static_cast<char>('0' + static_cast<int>(m.facing));
  out += ']';
  return out;
}

std::string encode(const Hello& m) {
  return detail::encode_message(m);
}
std::string encode(const Register& m) {
  return detail::encode_message(m);
}
std::string encode(const Login& m) {
  return detail::encode_message(m);
}
std::string encode(const ListCharacters& m) {
  return detail::encode_message(m);
}
std::string encode(const CreateCharacter& m) {
  return detail::encode_message(m);
}
std::string encode(const DeleteCharacter& m) {
  return detail::encode_message(m);
}
std::string encode(const EnterWorld& m) {
  return detail::encode_message(m);
}
std::string encode(const ClientCommand& m) {
  return detail::encode_message(m);
}
std::string encode(const LeaveWorld& m) {
  return detail::encode_message(m);
}
std::string encode(const Ping& m) {
  return detail::encode_message(m);
}
std::string encode(const ClientMessage& m) {
  return std::visit([](const auto& alternative) { return detail::encode_message(alternative); }, m);
}

std::string encode(const Welcome& m) {
  return detail::encode_message(m);
}
std::string encode(const ProtocolError& m) {
  return detail::encode_message(m);
}
std::string encode(const CharacterList& m) {
  return detail::encode_message(m);
}
std::string encode(const Entered& m) {
  return detail::encode_message(m);
}
std::string encode(const TickMessage& m) {
  return detail::encode_message(m);
}
std::string encode(const Kicked& m) {
  return detail::encode_message(m);
}
std::string encode(const Pong& m) {
  return detail::encode_message(m);
}
std::string encode(const ServerMessage& m) {
  return std::visit([](const auto& alternative) { return detail::encode_message(alternative); }, m);
}

std::string encode_tick_from_fragments(world::Tick n, std::uint32_t ack_seq,
                                       std::span<const std::string_view> delta_fragments,
                                       std::span<const world::Rejection> own_rejections) {
  // The members in dump()'s order (sorted by name), so that the text is exactly what
  // encode(TickMessage) writes for the same deltas.
  std::size_t size = 96 + own_rejections.size() * 96;
  for (const std::string_view f : delta_fragments)
    size += f.size() + 1;
  std::string out;
  out.reserve(size);
  out += R"({"ack_seq":)";
  detail::append_number(out, ack_seq);
  out += R"(,"deltas":[)";
  for (std::size_t i = 0; i < delta_fragments.size(); ++i) {
    if (i != 0) out += ',';
    out += delta_fragments[i];
  }
  out += R"(],"n":)";
  detail::append_number(out, n);
  out += R"(,"rejections":[)";
  for (std::size_t i = 0; i < own_rejections.size(); ++i) {
    const world::Rejection& r = own_rejections[i];
    if (i != 0) out += ',';
    out += R"({"actor":)";
    if (r.actor == world::EntityId{}) {
      out += "null";
    } else {
      out += '[';
      detail::append_number(out, r.actor.index);
      out += ',';
      detail::append_number(out, r.actor.generation);
      out += ']';
    }
    out += R"(,"command_index":)";
    detail::append_number(out, r.command_index);
    out += R"(,"reason":")";
    out += world::to_string(r.reason);  // [a-z_] only: nothing to escape
    out += R"(","seq":)";
    detail::append_number(out, r.seq);
    out += '}';
  }
  out += R"(],"type":"tick"})";
  return out;
}

}  // namespace protocol
