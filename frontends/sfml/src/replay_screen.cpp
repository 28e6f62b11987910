#include "replay_screen.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "app.hpp"
#include "screens.hpp"

namespace sfml_client {
namespace {

constexpr std::array<double, 7> kSpeeds{0.25, 0.5, 1, 2, 4, 8, 16};
constexpr float kTopBar = 44;
constexpr float kBottomBar = 64;
constexpr int kMaxStepsPerUpdate = 64;

std::optional<world::Direction> pan_direction(sf::Keyboard::Key k) {
  switch (k) {
    case sf::Keyboard::W:
    case sf::Keyboard::Up:
      return world::Direction::North;
    case sf::Keyboard::S:
    case sf::Keyboard::Down:
      return world::Direction::South;
    case sf::Keyboard::A:
      return world::Direction::West;
    case sf::Keyboard::D:
      return world::Direction::East;
    default:
      return std::nullopt;
  }
}

}  // namespace

ReplayScreen::ReplayScreen(App& app, const std::filesystem::path& file)
    : app_(app),
      renderer_(app.theme(), app.font()),
      ui_(app.theme(), app.font(), app.bold()),
      effects_(app.theme()) {
  auto opened = ReplayPlayer::open(file);
  if (!opened.ok()) {
    error_ = opened.error().message;
    return;
  }
  player_.emplace(std::move(opened).value());
  const auto& h = player_->header();
  tiles_ = make_tileset(app_.options(), h.config.item_types);
  renderer_.set_world(tiles_.get(), h.map, &h.config.item_types);
  effects_.set_spells(&h.config.spells);
  free_camera_ = {static_cast<float>(h.map->width()) / 2, static_cast<float>(h.map->height()) / 2};
  // Follow the first player there is, else look at the map's middle.
  for (const auto& e : player_->mirror().entities()) {
    if (e.kind == world::EntityKind::Player) {
      follow_ = e.id;
      break;
    }
  }
  snap_all(0);
}

double ReplayScreen::speed() const {
  return kSpeeds[static_cast<std::size_t>(speed_index_)];
}

sf::FloatRect ReplayScreen::view_rect() const {
  const sf::Vector2f size = app_.size();
  return {0, kTopBar, size.x, std::max(64.0f, size.y - kTopBar - kBottomBar)};
}

void ReplayScreen::snap_all(double now) {
  motion_.clear();
  effects_.clear();
  if (!player_) return;
  for (const auto& e : player_->mirror().entities())
    motion_.go(e.id, e.position, now, 0, true);
}

void ReplayScreen::after_step(double now) {
  const auto& m = player_->mirror();
  effects_.on_tick(player_->last_message(), m, now);
  const std::uint32_t rate = player_->header().config.tick_rate_hz;
  std::vector<world::EntityId> alive;
  alive.reserve(m.entities().size());
  for (const auto& e : m.entities()) {
    alive.push_back(e.id);
    motion_.go(e.id, e.position, now, step_seconds(rate, e.speed) / speed());
  }
  motion_.keep_only(alive);
  if (follow_.is_set() && m.entity(follow_) == nullptr) follow_ = {};
}

void ReplayScreen::seek(world::Tick t) {
  if (!player_) return;
  if (auto r = player_->seek(t); !r.ok()) error_ = r.error().message;
  due_ = 0;
  snap_all(now_);
  if (follow_.is_set() && player_->mirror().entity(follow_) == nullptr) follow_ = {};
}

void ReplayScreen::handle(const sf::Event& e) {
  if (e.type == sf::Event::MouseMoved) {
    mouse_ = {static_cast<float>(e.mouseMove.x), static_cast<float>(e.mouseMove.y)};
  }
  if (!player_) {
    if (e.type == sf::Event::KeyPressed && e.key.code == sf::Keyboard::Escape)
      app_.window().close();
    return;
  }
  if (e.type == sf::Event::KeyPressed) {
    if (const auto d = pan_direction(e.key.code)) {
      if (std::find(held_.begin(), held_.end(), *d) == held_.end()) held_.push_back(*d);
      if (follow_.is_set()) {
        // Leaving the creature: the free camera starts where the view is.
        const auto* f = player_->mirror().entity(follow_);
        if (f != nullptr) free_camera_ = motion_.at(follow_, now_, f->position);
        follow_ = {};
      }
    }
    switch (e.key.code) {
      case sf::Keyboard::Space:
        if (player_->at_end()) {
          seek(player_->first_tick());  // from the start again
          playing_ = true;
        } else {
          playing_ = !playing_;
        }
        due_ = 0;
        break;
      case sf::Keyboard::Right:
      case sf::Keyboard::Period:
        playing_ = false;
        if (player_->step()) after_step(now_);
        break;
      case sf::Keyboard::Left:
      case sf::Keyboard::Comma:
        playing_ = false;
        if (player_->tick() > player_->first_tick()) seek(player_->tick() - 1);
        break;
      case sf::Keyboard::Add:
      case sf::Keyboard::Equal:
        speed_index_ = std::min<int>(speed_index_ + 1, static_cast<int>(kSpeeds.size()) - 1);
        break;
      case sf::Keyboard::Subtract:
      case sf::Keyboard::Hyphen:
        speed_index_ = std::max(speed_index_ - 1, 0);
        break;
      case sf::Keyboard::Home:
        seek(player_->first_tick());
        break;
      case sf::Keyboard::End:
        seek(player_->last_tick());
        break;
      case sf::Keyboard::PageDown: {
        const auto& k = player_->keyframes();
        const auto it = std::upper_bound(k.begin(), k.end(), player_->tick());
        seek(it != k.end() ? *it : player_->last_tick());
        break;
      }
      case sf::Keyboard::PageUp: {
        const auto& k = player_->keyframes();
        auto it = std::lower_bound(k.begin(), k.end(), player_->tick());
        seek(it == k.begin() ? k.front() : *std::prev(it));
        break;
      }
      case sf::Keyboard::F:
        follow_ = {};
        break;
      case sf::Keyboard::Tab: {
        // Follow the next player (by id), wrapping around.
        const auto ents = player_->mirror().entities();
        std::optional<world::EntityId> first;
        std::optional<world::EntityId> next;
        for (const auto& c : ents) {
          if (c.kind != world::EntityKind::Player) continue;
          if (!first) first = c.id;
          if (!next && follow_ < c.id) next = c.id;
        }
        if (next || first) follow_ = next ? *next : *first;
        break;
      }
      case sf::Keyboard::Escape:
        app_.window().close();
        break;
      default:
        break;
    }
    return;
  }
  if (e.type == sf::Event::KeyReleased) {
    if (const auto d = pan_direction(e.key.code)) std::erase(held_, *d);
    return;
  }
  if (e.type == sf::Event::MouseButtonPressed && e.mouseButton.button == sf::Mouse::Left) {
    const sf::Vector2f p{static_cast<float>(e.mouseButton.x), static_cast<float>(e.mouseButton.y)};
    if (seek_bar_.contains(p)) {
      // The bar jumps through the keyframes: the one nearest the click.
      const double f = (p.x - seek_bar_.left) / seek_bar_.width;
      const auto wanted = static_cast<world::Tick>(
          static_cast<double>(player_->first_tick()) +
          f * static_cast<double>(player_->last_tick() - player_->first_tick()));
      const auto& k = player_->keyframes();
      world::Tick best = k.front();
      for (const world::Tick t : k) {
        const auto d = [&](world::Tick x) { return x > wanted ? x - wanted : wanted - x; };
        if (d(t) < d(best)) best = t;
      }
      seek(best);
      return;
    }
    if (const auto tile = renderer_.tile_at(p)) {
      for (const auto& c : player_->mirror().entities()) {
        const auto drawn = renderer_.drawn_at(c.id);
        if ((drawn && drawn->contains(p)) || (!drawn && c.position == *tile)) {
          follow_ = c.id;
          return;
        }
      }
    }
  }
}

void ReplayScreen::update(double now, double dt) {
  now_ = now;
  if (!player_) return;
  // The free camera pans at 12 tiles a second.
  for (const world::Direction d : held_) {
    const world::Position step = world::step_towards({0, 0}, d);
    free_camera_.x += static_cast<float>(step.x * 12 * dt);
    free_camera_.y += static_cast<float>(step.y * 12 * dt);
  }
  if (playing_) {
    due_ += dt * speed() * player_->header().config.tick_rate_hz;
    int steps = 0;
    while (due_ >= 1 && steps < kMaxStepsPerUpdate) {
      if (!player_->step()) {
        playing_ = false;
        due_ = 0;
        break;
      }
      after_step(now);
      due_ -= 1;
      ++steps;
    }
    if (steps == kMaxStepsPerUpdate) due_ = 0;
  }
  effects_.prune(now);
}

void ReplayScreen::draw(sf::RenderTarget& target, double now) {
  const Theme& th = app_.theme();
  const sf::Vector2f size = app_.size();
  ui_.clear();
  if (!player_) {
    ui_.title_centred("Replay", size.x / 2, size.y / 3, th.title);
    ui_.wrapped("Cannot open the recording: " + error_, {size.x / 2 - 300, size.y / 3 + 60}, 600,
                th.error, 6);
    ui_.text_centred("Esc: quit", size.x / 2, size.y - 40, th.dim_text);
    ui_.draw(target);
    return;
  }
  const auto& m = player_->mirror();
  TilePoint camera = free_camera_;
  if (const auto* f = m.entity(follow_)) camera = motion_.at(follow_, now, f->position);
  ViewFrame frame;
  frame.mirror = &m;
  frame.motion = &motion_;
  frame.effects = &effects_;
  frame.camera = camera;
  frame.viewport = view_rect();
  frame.now = now;
  frame.target = follow_;
  renderer_.build(frame);
  renderer_.draw(target);

  // Top bar: tick, speed, state, hashes, camera.
  ui_.rect({0, 0, size.x, kTopBar}, th.panel);
  char speed_text[16];
  std::snprintf(speed_text, sizeof speed_text, "x%g", speed());
  std::string line = "Tick " + std::to_string(player_->tick()) + " / " +
                     std::to_string(player_->last_tick()) + "    " + speed_text + "    " +
                     (playing_ ? "playing" : "paused");
  ui_.text(line, {12, 12}, th.text);
  const bool ok = player_->hashes_match();
  const std::string hashes =
      !ok ? "HASHES DIFFER from tick " + std::to_string(*player_->first_mismatch())
      : player_->hashes_checked() == 0
          ? "no hash checked yet"
          : "hashes match (" + std::to_string(player_->hashes_checked()) + " checked)";
  ui_.text(hashes, {size.x / 2 - 80, 12}, ok ? th.ok : th.error);
  std::string camera_text = "free camera";
  if (const auto* f = m.entity(follow_)) camera_text = "following " + f->name;
  ui_.text(camera_text, {size.x - 260, 12}, th.dim_text);

  // Bottom bar: the seek bar with the keyframes marked, and the controls.
  const float bottom = size.y - kBottomBar;
  ui_.rect({0, bottom, size.x, kBottomBar}, th.panel);
  seek_bar_ = {20, bottom + 10, size.x - 40, 14};
  ui_.rect(seek_bar_, th.bar_back);
  const double span =
      std::max<double>(1, static_cast<double>(player_->last_tick() - player_->first_tick()));
  const auto x_of = [&](world::Tick t) {
    return seek_bar_.left +
           static_cast<float>(static_cast<double>(t - player_->first_tick()) / span) *
               seek_bar_.width;
  };
  ui_.rect(
      {seek_bar_.left, seek_bar_.top, x_of(player_->tick()) - seek_bar_.left, seek_bar_.height},
      th.exp_bar);
  for (const world::Tick k : player_->keyframes())
    ui_.rect({x_of(k) - 1, seek_bar_.top - 3, 2, seek_bar_.height + 6}, th.text);
  ui_.small(
      "Space play/pause   Right/Left one tick   +/- speed   click the bar: keyframes   "
      "PgUp/PgDn keyframe   Home/End   click a creature: follow   Tab next player   "
      "WASD free camera   Esc quit",
      {20, bottom + 34}, th.dim_text);
  if (!player_->error().empty()) ui_.text(player_->error(), {20, kTopBar + 10}, th.error);
  if (!error_.empty()) ui_.text(error_, {20, kTopBar + 30}, th.error);
  ui_.draw(target);
}

std::unique_ptr<Screen> make_replay_screen(App& app, const std::filesystem::path& file) {
  return std::make_unique<ReplayScreen>(app, file);
}

}  // namespace sfml_client
