#pragma once
// Drives the player client as a person would: synthetic SFML events through App::handle (the
// path window events take), frames with real elapsed time (the server ticks in real time), and
// pixels read back from the rendered frame. Every wait is bounded in frames and in time.

#include <doctest/doctest.h>

#include <SFML/Window/Event.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include "app.hpp"
#include "game_screen.hpp"
#include "ui.hpp"

namespace uitest {

using namespace std::chrono_literals;

struct Driver {
  sfml_client::App& app;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();

  // One frame with the real time since the last one (at least 1 ms).
  void frame() {
    std::this_thread::sleep_for(4ms);
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::max(0.001, std::chrono::duration<double>(now - last).count());
    last = now;
    app.frame(std::min(dt, 0.1));
  }

  // Frames until `done` or `timeout`; true when done. When it times out and the environment
  // names a folder in ALPHAMMO_UI_TEST_FRAMES, the last frame is saved there for a person to see.
  bool until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      frame();
      if (done()) return true;
    }
    if (done()) return true;
    if (const char* dir = std::getenv("ALPHAMMO_UI_TEST_FRAMES")) {
      static int n = 0;
      const std::string path = std::string(dir) + "/timeout-" + std::to_string(++n) + ".png";
      app.capture().saveToFile(path);
      MESSAGE("the last frame is in " << path);
    }
    return false;
  }

  void frames(int n) {
    for (int i = 0; i < n; ++i)
      frame();
  }

  void send(const sf::Event& e) { app.handle(e); }

  void key(sf::Keyboard::Key k, bool release = true) {
    sf::Event e{};
    e.type = sf::Event::KeyPressed;
    e.key.code = k;
    send(e);
    if (release) key_up(k);
  }
  void key_up(sf::Keyboard::Key k) {
    sf::Event e{};
    e.type = sf::Event::KeyReleased;
    e.key.code = k;
    send(e);
  }

  void type(const std::string& utf8) {
    std::string rest = utf8;
    const sf::String s = sf::String::fromUtf8(utf8.begin(), utf8.end());
    for (const sf::Uint32 cp : s) {
      sf::Event e{};
      e.type = sf::Event::TextEntered;
      e.text.unicode = cp;
      send(e);
    }
  }

  void move_mouse(sf::Vector2f p) {
    sf::Event e{};
    e.type = sf::Event::MouseMoved;
    e.mouseMove.x = static_cast<int>(p.x);
    e.mouseMove.y = static_cast<int>(p.y);
    send(e);
  }

  void press(sf::Vector2f p, sf::Mouse::Button b = sf::Mouse::Left) {
    move_mouse(p);
    sf::Event e{};
    e.type = sf::Event::MouseButtonPressed;
    e.mouseButton.button = b;
    e.mouseButton.x = static_cast<int>(p.x);
    e.mouseButton.y = static_cast<int>(p.y);
    send(e);
  }
  void release(sf::Vector2f p, sf::Mouse::Button b = sf::Mouse::Left) {
    move_mouse(p);
    sf::Event e{};
    e.type = sf::Event::MouseButtonReleased;
    e.mouseButton.button = b;
    e.mouseButton.x = static_cast<int>(p.x);
    e.mouseButton.y = static_cast<int>(p.y);
    send(e);
  }
  void click(sf::Vector2f p, sf::Mouse::Button b = sf::Mouse::Left) {
    press(p, b);
    release(p, b);
  }
  void click(sf::FloatRect r, sf::Mouse::Button b = sf::Mouse::Left) {
    click({r.left + r.width / 2, r.top + r.height / 2}, b);
  }

  sfml_client::ScreenKind screen() { return app.screen().kind(); }

  sfml_client::GameScreen& game() {
    REQUIRE(screen() == sfml_client::ScreenKind::Game);
    return dynamic_cast<sfml_client::GameScreen&>(app.screen());
  }

  const client::WorldMirror& mirror() {
    REQUIRE(app.session() != nullptr);
    return app.session()->mirror();
  }
};

// The arrow key that steps in `d`.
inline sf::Keyboard::Key key_of(world::Direction d) {
  switch (d) {
    case world::Direction::North:
      return sf::Keyboard::Up;
    case world::Direction::South:
      return sf::Keyboard::Down;
    case world::Direction::West:
      return sf::Keyboard::Left;
    case world::Direction::East:
      return sf::Keyboard::Right;
  }
  return sf::Keyboard::Right;
}

// Pixels are compared with a little tolerance (blending, rounding).
inline bool near(sf::Color a, sf::Color b, int tolerance = 12) {
  const auto d = [](int x, int y) { return x > y ? x - y : y - x; };
  return d(a.r, b.r) <= tolerance && d(a.g, b.g) <= tolerance && d(a.b, b.b) <= tolerance;
}

}  // namespace uitest
