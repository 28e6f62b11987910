#include "app.hpp"

#include <spdlog/spdlog.h>

#include <SFML/Graphics/Texture.hpp>
#include <SFML/System/Clock.hpp>
#include <stdexcept>
#include <utility>

#include "content/files.hpp"
#include "screens.hpp"

namespace sfml_client {

std::string GameContent::vocation_name(std::uint8_t vocation) const {
  const auto& vocations = bundle->config.vocations;
  if (vocation < vocations.size()) return vocations[vocation].name;
  return "vocation " + std::to_string(vocation);
}

world::Result<std::uint8_t> GameContent::vocation_index(const std::string& key) const {
  const auto& vocations = bundle->config.vocations;
  std::string known;
  for (std::size_t i = 0; i < vocations.size(); ++i) {
    if (vocations[i].key == key) return static_cast<std::uint8_t>(i);
    known += (i == 0 ? "" : ", ") + vocations[i].key;
  }
  return world::Error{"--vocation: the world has no vocation \"" + key + "\" (it has " + known +
                      ")"};
}

std::vector<std::uint32_t> GameContent::vocation_spells(std::uint8_t vocation) const {
  std::vector<std::uint32_t> out;
  const auto& config = bundle->config;
  if (vocation >= config.vocations.size()) return out;
  for (const std::uint32_t id : config.vocations[vocation].spells)
    if (id < config.spells.size()) out.push_back(id);
  return out;
}

namespace {
constexpr double kStep = 1.0 / 60.0;  // the fixed update step
constexpr int kMaxCatchUp = 5;        // steps per frame at most; the rest is dropped
}  // namespace

std::string_view to_string(ScreenKind kind) {
  switch (kind) {
    case ScreenKind::Login:
      return "login";
    case ScreenKind::Characters:
      return "characters";
    case ScreenKind::Game:
      return "game";
    case ScreenKind::Disconnected:
      return "disconnected";
    case ScreenKind::Replay:
      return "replay";
  }
  return "invalid";
}

App::App(AppOptions options, bool visible) : options_(std::move(options)) {
  if (!font_.loadFromFile(theme_.font_path)) {
    throw std::runtime_error("cannot load the font " + theme_.font_path +
                             " (Debian package fonts-dejavu-core)");
  }
  if (!bold_.loadFromFile(theme_.bold_font_path)) {
    throw std::runtime_error("cannot load the font " + theme_.bold_font_path +
                             " (Debian package fonts-dejavu-core)");
  }
  sf::ContextSettings settings;
  window_.create(sf::VideoMode(options_.width, options_.height), "AlphaMMO", sf::Style::Default,
                 settings);
  window_.setVisible(visible);
  window_.setVerticalSyncEnabled(options_.vsync);
  window_.setKeyRepeatEnabled(false);  // held keys repeat at the character's own cadence
  if (!options_.replay.empty()) {
    screen_ = make_replay_screen(*this, options_.replay);
  } else {
    screen_ = make_login_screen(*this);
    if (!options_.user.empty() && !options_.password.empty()) {
      scripted_character_ = options_.character;
      start_session(options_.user, options_.password, options_.register_account);
    }
  }
}

App::~App() {
  // Sessions and screens go before the io_context they use.
  screen_.reset();
  next_.reset();
  session_.reset();
}

sf::Vector2f App::size() const {
  return {static_cast<float>(window_.getSize().x), static_cast<float>(window_.getSize().y)};
}

void App::show(std::unique_ptr<Screen> next) {
  next_ = std::move(next);
}

void App::switch_screen() {
  if (next_) screen_ = std::move(next_);
}

void App::handle(const sf::Event& event) {
  if (event.type == sf::Event::Closed) {
    if (session_) session_->stop();
    window_.close();
    return;
  }
  if (event.type == sf::Event::Resized) {
    window_.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(event.size.width),
                                           static_cast<float>(event.size.height))));
  }
  screen_->handle(event);
  switch_screen();
}

void App::frame(double dt) {
  now_ += dt;
  io_.restart();
  io_.poll();
  std::erase_if(retired_, [](const std::unique_ptr<client::Session>& s) {
    return s->state() == client::SessionState::Finished;
  });
  switch_screen();
  lag_ += dt;
  int steps = 0;
  while (lag_ >= kStep && steps < kMaxCatchUp) {
    screen_->update(now_ - lag_ + kStep, kStep);
    lag_ -= kStep;
    ++steps;
  }
  if (steps == kMaxCatchUp) lag_ = 0;
  switch_screen();
  window_.clear(theme_.background);
  screen_->draw(window_, now_);
  window_.display();
}

sf::Image App::capture() {
  window_.clear(theme_.background);
  screen_->draw(window_, now_);
  sf::Texture t;
  t.create(window_.getSize().x, window_.getSize().y);
  t.update(window_);
  window_.display();
  return t.copyToImage();
}

int App::run() {
  sf::Clock clock;
  while (window_.isOpen()) {
    sf::Event e;
    while (window_.pollEvent(e)) {
      handle(e);
      if (!window_.isOpen()) break;
    }
    if (!window_.isOpen()) break;
    frame(clock.restart().asSeconds());
    if (!options_.screenshot.empty() && now_ >= options_.screenshot_after) {
      if (!capture().saveToFile(options_.screenshot.string())) {
        spdlog::error("cannot write the screenshot {}", options_.screenshot.string());
      } else {
        spdlog::info("screenshot written to {}", options_.screenshot.string());
      }
      window_.close();
    }
  }
  // Let the session close gracefully (the server saves the character), bounded.
  if (session_ && session_->state() != client::SessionState::Finished) {
    session_->stop();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (session_->state() != client::SessionState::Finished &&
           std::chrono::steady_clock::now() < until) {
      io_.restart();
      io_.run_for(std::chrono::milliseconds(20));
    }
  }
  return 0;
}

std::unique_ptr<Tileset> make_tileset(const AppOptions& options,
                                      const std::vector<world::ItemType>& items) {
  if (options.procedural_tiles) return Tileset::procedural(items);
  auto text = content::read_text_file(options.tiles);
  if (!text.ok()) {
    spdlog::warn("procedural tiles: {}", text.error().message);
  } else if (auto catalog = parse_tile_catalog(text.value(), options.tiles.string());
             !catalog.ok()) {
    spdlog::warn("procedural tiles: {}", catalog.error().message);
  } else if (auto crawl = Tileset::crawl(catalog.value(), items); !crawl.ok()) {
    spdlog::warn("procedural tiles: {}", crawl.error().message);
  } else {
    return std::move(crawl).value();
  }
  return Tileset::procedural(items);
}

std::optional<std::string> App::load_content() {
  auto c = std::make_unique<GameContent>();
  if (!options_.content_dir.empty()) {
    auto bundle = content::load_bundle_files(options_.content_dir);
    if (!bundle.ok()) return bundle.error().message;
    c->bundle = std::make_shared<const content::Bundle>(std::move(bundle).value());
    c->origin = options_.content_dir.string();
  } else {
    const auto* loaded = session_ ? session_->content().get() : nullptr;
    if (loaded == nullptr) return "the server's content has not arrived yet";
    if (content_ && content_->bundle == loaded->bundle) return std::nullopt;
    c->bundle = loaded->bundle;
    c->origin = loaded->directory.string();
  }
  c->tiles = make_tileset(options_, c->bundle->config.item_types);
  spdlog::info("content from {}: map {}x{}, {} item types, {} tiles", c->origin,
               c->bundle->map->width(), c->bundle->map->height(),
               c->bundle->config.item_types.size(),
               c->tiles->art() == TileArt::Crawl ? "Dungeon Crawl" : "procedural");
  content_ = std::move(c);
  return std::nullopt;
}

void App::start_session(std::string user, std::string password, bool register_account) {
  if (session_) {
    session_->stop();
    retired_.push_back(std::move(session_));
  }
  retries_ = 0;
  user_ = user;
  password_ = password;
  last_error_.reset();
  retry_.reset();
  in_world_before_ = false;
  client::SessionOptions o;
  o.connect = options_.connect;
  o.username = std::move(user);
  o.password = std::move(password);
  o.login = register_account ? client::LoginMode::Register : client::LoginMode::Login;
  o.choice = client::CharacterChoice::Owner;
  o.retry.max_attempts = options_.retry_attempts;
  o.mirror.chat_capacity = 200;
  o.mirror.system_capacity = 200;
  if (options_.content_dir.empty()) {
    // The world's content comes from the server (cached by hash across runs and sessions).
    if (!library_) {
      library_ = std::make_shared<client::ContentLibrary>(io_.get_executor(), options_.cache_dir);
    }
    o.content = library_;
  }
  client::SessionHandlers h;
  h.on_content = [this](const client::LoadedContent& c) {
    spdlog::info("the world's content {} ({})", c.ref.hash.substr(0, 12),
                 c.from_cache ? "from the cache" : "downloaded");
    if (auto problem = load_content()) spdlog::warn("content: {}", *problem);
  };
  h.on_characters = [this](const protocol::CharacterList& list) {
    retry_.reset();
    retries_ = 0;
    if (auto_enter_ && session_) {
      // A scripted start or a reconnect by hand: straight back into the world.
      const world::CharacterId id = *std::exchange(auto_enter_, std::nullopt);
      session_->enter(id);
      return;
    }
    if (!scripted_character_.empty() && session_) {
      // --character: enter it, creating it first when the account does not have it.
      for (const auto& c : list.list) {
        if (c.name == scripted_character_) {
          scripted_character_.clear();
          session_->enter(c.id);
          return;
        }
      }
      protocol::CreateCharacter cc{scripted_character_, 1, 1, 0x884422};
      const auto v = scripted_vocation();  // unknown: the list and the reason instead
      if (v.ok()) {
        cc.vocation = v.value();
        session_->create_character(cc, [this](const std::optional<client::ClientError>& e) {
          if (e) {
            scripted_character_.clear();  // show the list and the reason instead
            last_error_ = e;
          }
        });
        return;
      }
      scripted_character_.clear();
      client::ClientError error;
      error.kind = client::ErrorKind::Options;
      error.message = v.error().message;
      last_error_ = std::move(error);
    }
    if (target().kind() != ScreenKind::Characters) show(make_characters_screen(*this));
    target().on_characters(list);
  };
  h.on_entered = [this](const client::WorldMirror& mirror) {
    retry_.reset();
    retries_ = 0;
    last_character_ = mirror.character().id;
    in_world_before_ = true;
    if (target().kind() != ScreenKind::Game) show(make_game_screen(*this));
    target().on_entered(mirror);
  };
  h.on_tick = [this](const client::WorldMirror& mirror, const protocol::TickMessage& t) {
    target().on_tick(mirror, t);
  };
  h.on_command_error = [this](const protocol::ProtocolError& e) { target().on_command_error(e); };
  h.on_retry = [this](const client::ClientError& e, std::chrono::milliseconds delay) {
    ++retries_;
    retry_ = Retry{now_ + static_cast<double>(delay.count()) / 1000.0, retries_ + 1,
                   options_.retry_attempts, e};
  };
  h.on_finished = [this](const std::optional<client::ClientError>& e) { on_session_finished(e); };
  session_ = std::make_unique<client::Session>(io_.get_executor(), std::move(o), std::move(h));
  session_->start();
}

Screen& App::target() {
  return next_ ? *next_ : *screen_;
}

world::Result<std::uint8_t> App::scripted_vocation() const {
  if (options_.vocation.empty()) return std::uint8_t{0};  // the content's first
  if (!content_) return world::Error{"--vocation: the world's content is not loaded"};
  return content_->vocation_index(options_.vocation);
}

void App::on_session_finished(const std::optional<client::ClientError>& e) {
  retry_.reset();
  if (!e) {
    if (target().kind() != ScreenKind::Login) show(make_login_screen(*this));
    return;
  }
  last_error_ = e;
  spdlog::info("session ended: {}", client::describe(*e));
  if (in_world_before_) {
    show(make_disconnected_screen(*this));
  } else if (target().kind() != ScreenKind::Login) {
    show(make_login_screen(*this));
  }
}

void App::reconnect() {
  const std::optional<world::CharacterId> last = last_character_;
  start_session(user_, password_, false);
  if (last) auto_enter_ = *last;
}

void App::log_out() {
  if (session_) session_->stop();
  last_error_.reset();
  in_world_before_ = false;
  show(make_login_screen(*this));
}

std::string App::status() const {
  if (!session_) return {};
  if (retry_) return "Connection lost. Trying again...";
  switch (session_->state()) {
    case client::SessionState::Idle:
    case client::SessionState::Connecting:
      return "Connecting to " + options_.connect.host + ":" +
             std::to_string(options_.connect.port) + "...";
    case client::SessionState::LoggingIn:
      return "Logging in...";
    case client::SessionState::Choosing:
      return {};
    case client::SessionState::Entering:
      return "Entering the world...";
    case client::SessionState::InWorld:
      return {};
    case client::SessionState::Waiting:
      return "Connection lost. Trying again...";
    case client::SessionState::Finished:
      return {};
  }
  return {};
}

}  // namespace sfml_client
