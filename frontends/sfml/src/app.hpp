#pragma once
/// \file App: the player client. Owns the window, the theme and fonts, the network (one
/// io_context polled by the frame loop: no thread of ours), the session, the world's content
/// and the current screen. The loop has a fixed update step (prediction, interpolation, held
/// keys) and renders at the display's rate.

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/RenderWindow.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/connection.hpp"
#include "client/content_library.hpp"
#include "client/error.hpp"
#include "client/session.hpp"
#include "content/bundle.hpp"
#include "screen.hpp"
#include "theme.hpp"
#include "tileset.hpp"
#include "world/result.hpp"

namespace sfml_client {

/// How the client starts (alphammo-client's flags).
struct AppOptions {
  client::ConnectOptions connect;  ///< Server and certificate checking.
  std::string user;                ///< Username to fill in (or log in with, with a password).
  std::string password;            ///< With `user`: log in at once (a scripted start).
  std::string character;           ///< With a scripted login: enter this character (by name).
  /// With --character: the vocation (a key of the server's vocations.json) it is created with
  /// when the account does not have it; empty: the content's first.
  std::string vocation;
  bool register_account = false;  ///< Scripted start: register instead of logging in.
  std::filesystem::path replay;   ///< Open this recording in the replay viewer instead.
  unsigned width = 1280;          ///< Window size.
  unsigned height = 720;
  bool procedural_tiles = false;  ///< Draw the procedural tiles even when Crawl's are there.
  std::filesystem::path tiles = default_tile_catalog_path();  ///< tiles.json.
  std::filesystem::path content_dir;  ///< Local content (empty: the server's).
  std::filesystem::path cache_dir;    ///< Content cache (empty: the user's cache directory).
  bool vsync = true;                  ///< Wait for the display.
  unsigned retry_attempts = 4;        ///< Reconnection attempts after a lost connection.
  std::filesystem::path screenshot;   ///< Save the window to this PNG and quit (bug reports).
  double screenshot_after = 3;        ///< ... this many seconds after start.
};

/// The world's content and the art for it, shared by the screens.
struct GameContent {
  std::shared_ptr<const content::Bundle> bundle;  ///< Map, item types, NPC templates.
  std::unique_ptr<Tileset> tiles;                 ///< The art.
  std::string origin;                             ///< Where it came from (for the log).

  /// The display name of a vocation ("Mage"), or "vocation N" when the content has none such.
  [[nodiscard]] std::string vocation_name(std::uint8_t vocation) const;
  /// The index of the vocation with this key ("archer"), or an error naming the known keys.
  [[nodiscard]] world::Result<std::uint8_t> vocation_index(const std::string& key) const;
  /// A vocation's own spells (ids into config.spells, in its order; unknown ones left out).
  [[nodiscard]] std::vector<std::uint32_t> vocation_spells(std::uint8_t vocation) const;
};

/// The art for a world with these item types: Crawl's tiles as options.tiles maps them, or the
/// procedural ones (options.procedural_tiles, or when Crawl's cannot be loaded: logged).
[[nodiscard]] std::unique_ptr<Tileset> make_tileset(const AppOptions& options,
                                                    const std::vector<world::ItemType>& items);

/// The player client.
class App {
 public:
  /// Opens the window (hidden when `visible` is false) and shows the first screen.
  explicit App(AppOptions options, bool visible = true);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  /// Runs until the window closes; returns the exit code.
  int run();

  /// One frame with `dt` seconds of client time: polls the network, runs the fixed steps that
  /// are due, draws. Tests call it with a fixed dt.
  void frame(double dt);
  /// Hands an input event to the current screen (window events and tests' synthetic events).
  void handle(const sf::Event& event);
  /// The last frame's pixels.
  [[nodiscard]] sf::Image capture();
  /// Client time, seconds.
  [[nodiscard]] double now() const { return now_; }

  // --- for the screens ---
  [[nodiscard]] const Theme& theme() const { return theme_; }
  [[nodiscard]] const sf::Font& font() const { return font_; }
  [[nodiscard]] const sf::Font& bold() const { return bold_; }
  [[nodiscard]] const AppOptions& options() const { return options_; }
  [[nodiscard]] sf::RenderWindow& window() { return window_; }
  [[nodiscard]] sf::Vector2f size() const;
  [[nodiscard]] boost::asio::io_context& io() { return io_; }
  /// The session, when one runs.
  [[nodiscard]] client::Session* session() { return session_.get(); }
  /// The content, once loaded.
  [[nodiscard]] const GameContent* content() const { return content_.get(); }
  /// The current screen.
  [[nodiscard]] Screen& screen() { return *screen_; }
  /// Shows `next` from the next event or frame on.
  void show(std::unique_ptr<Screen> next);

  /// Starts a session (logging in or registering); the screens follow its progress.
  void start_session(std::string user, std::string password, bool register_account);
  /// Starts a new session with the last credentials (the disconnected screen's button); it
  /// enters the last character again.
  void reconnect();
  /// Ends the session (gracefully) and shows the login screen.
  void log_out();
  /// The last failure of a session (shown by the login and disconnected screens).
  [[nodiscard]] const std::optional<client::ClientError>& last_error() const { return last_error_; }
  /// While a lost connection waits to be tried again: when (client time) and which attempt.
  struct Retry {
    double at = 0;               ///< Client time of the next attempt.
    unsigned attempt = 0;        ///< 1-based attempt it will be.
    unsigned of = 0;             ///< Attempts in all.
    client::ClientError reason;  ///< What failed.
  };
  [[nodiscard]] const std::optional<Retry>& retry() const { return retry_; }
  /// Status line of the session for the screens ("Connecting...", ...).
  [[nodiscard]] std::string status() const;
  /// The credentials of the last session (for reconnecting by hand).
  [[nodiscard]] const std::string& user() const { return user_; }

  /// Makes the content ready for the screens: --content's folder when given, else the bundle
  /// the server named and the session fetched (docs/protocol.md, "Content"); builds the tileset.
  /// nullopt when it is ready, else why not (no content yet: the screens wait).
  std::optional<std::string> load_content();

 private:
  void switch_screen();
  Screen& target();  // the screen that takes news: the next one if a switch is pending
  void on_session_finished(const std::optional<client::ClientError>& e);
  // --vocation's index in the content (empty: 0, the first), or why there is none.
  [[nodiscard]] world::Result<std::uint8_t> scripted_vocation() const;

  AppOptions options_;
  Theme theme_;
  sf::RenderWindow window_;
  sf::Font font_;
  sf::Font bold_;
  boost::asio::io_context io_;
  std::unique_ptr<client::Session> session_;
  std::vector<std::unique_ptr<client::Session>> retired_;  // stopped, closing gracefully
  std::unique_ptr<GameContent> content_;
  std::shared_ptr<client::ContentLibrary> library_;  // the server's bundles, fetched once each
  std::unique_ptr<Screen> screen_;
  std::unique_ptr<Screen> next_;
  std::optional<client::ClientError> last_error_;
  std::optional<Retry> retry_;
  std::string user_;
  std::string password_;
  bool in_world_before_ = false;
  unsigned retries_ = 0;                              // retries in the current outage
  std::optional<world::CharacterId> last_character_;  // the last one in the world
  std::optional<world::CharacterId> auto_enter_;      // enter it as soon as logged in
  std::string scripted_character_;                    // --character, until entered
  double now_ = 0;
  double lag_ = 0;
};

}  // namespace sfml_client
