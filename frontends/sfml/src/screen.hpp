#pragma once
/// \file Screens are the client's states (login, characters, game, disconnected, replay); the
/// App owns the current one and hands it every event, fixed update and frame.

#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Window/Event.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

#include "client/world_mirror.hpp"
#include "protocol/session.hpp"

namespace sfml_client {

/// Which screen is showing.
enum class ScreenKind : std::uint8_t { Login = 0, Characters, Game, Disconnected, Replay };
/// Lower-case name ("login", ...).
[[nodiscard]] std::string_view to_string(ScreenKind kind);

/// One state of the client.
class Screen {
 public:
  virtual ~Screen() = default;
  /// Which screen this is.
  [[nodiscard]] virtual ScreenKind kind() const = 0;
  /// An input event (window events and synthetic ones in tests come the same way).
  virtual void handle(const sf::Event& event) = 0;
  /// One fixed step of the client loop at client time `now` (seconds).
  virtual void update(double now, double dt) = 0;
  /// Draws a frame at client time `now`.
  virtual void draw(sf::RenderTarget& target, double now) = 0;
  /// Where the widget called `name` (a button's label, a field's label, "row:<character>") was
  /// laid out in the last frame, for tests and automation; nullopt when there is none.
  [[nodiscard]] virtual std::optional<sf::FloatRect> find(std::string_view name) const {
    (void)name;
    return std::nullopt;
  }

  // The session's news, passed on by the App to the current screen (each may be ignored).
  /// The account's characters (after logging in, creating or deleting).
  virtual void on_characters(const protocol::CharacterList&) {}
  /// In the world (again, after a reconnect).
  virtual void on_entered(const client::WorldMirror&) {}
  /// A tick message, after the mirror applied it.
  virtual void on_tick(const client::WorldMirror&, const protocol::TickMessage&) {}
  /// A server `error` answering one of the player's commands.
  virtual void on_command_error(const protocol::ProtocolError&) {}
};

}  // namespace sfml_client
