#pragma once
/// \file The client's screens, made by the App as the session goes.

#include <filesystem>
#include <memory>

#include "screen.hpp"

namespace sfml_client {

class App;

/// Connect, log in or register; shows the last failure in words.
[[nodiscard]] std::unique_ptr<Screen> make_login_screen(App& app);
/// The account's characters: create (with a live preview), delete (confirmed), enter.
[[nodiscard]] std::unique_ptr<Screen> make_characters_screen(App& app);
/// The game: the map view, the HUD, chat, inventory, minimap.
[[nodiscard]] std::unique_ptr<Screen> make_game_screen(App& app);
/// Disconnected or kicked: the reason and a reconnect button.
[[nodiscard]] std::unique_ptr<Screen> make_disconnected_screen(App& app);
/// The replay viewer over a recording.
[[nodiscard]] std::unique_ptr<Screen> make_replay_screen(App& app,
                                                         const std::filesystem::path& file);

}  // namespace sfml_client
