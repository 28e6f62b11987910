// The screens before and after the game: login, characters, disconnected.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "batch.hpp"
#include "screens.hpp"
#include "ui.hpp"
#include "words.hpp"

namespace sfml_client {
namespace {

bool is_key(const sf::Event& e, sf::Keyboard::Key k) {
  return e.type == sf::Event::KeyPressed && e.key.code == k;
}

std::string trust_line(const client::ConnectOptions& c) {
  switch (c.verify) {
    case client::TlsVerify::System:
      return "certificate checked against the system's authorities";
    case client::TlsVerify::CaFile:
      return "certificate checked against " + c.ca_file.string();
    case client::TlsVerify::Pin:
      return "certificate pinned: SHA-256 " + c.pin.substr(0, 23) + "...";
    case client::TlsVerify::Insecure:
      return "INSECURE: the certificate is not checked; anyone in between can read everything";
  }
  return {};
}

void hover_buttons(const sf::Event& e, std::initializer_list<Button*> buttons) {
  if (e.type != sf::Event::MouseMoved) return;
  for (Button* b : buttons)
    b->hovered =
        b->rect.contains(static_cast<float>(e.mouseMove.x), static_cast<float>(e.mouseMove.y));
}

sf::Color rgb(std::uint32_t colour) {
  return {static_cast<sf::Uint8>(colour >> 16), static_cast<sf::Uint8>(colour >> 8),
          static_cast<sf::Uint8>(colour)};
}

// ---------------------------------------------------------------------------------------------

class LoginScreen final : public Screen {
 public:
  explicit LoginScreen(App& app)
      : app_(app), ui_(app.theme(), app.font(), app.bold()), user_(20), password_(256, true) {
    user_.set_text(app.options().user.empty() ? app.user() : app.options().user);
    (user_.text().empty() ? user_ : password_).focused = true;
    login_.label = "Log in";
    register_.label = "Register";
  }

  ScreenKind kind() const override { return ScreenKind::Login; }

  void handle(const sf::Event& e) override {
    hover_buttons(e, {&login_, &register_});
    if (e.type == sf::Event::MouseButtonPressed) {
      const sf::Vector2f p{static_cast<float>(e.mouseButton.x),
                           static_cast<float>(e.mouseButton.y)};
      if (user_.rect.contains(p) || password_.rect.contains(p)) {
        user_.focused = user_.rect.contains(p);
        password_.focused = !user_.focused;
        return;
      }
    }
    if (login_.clicked(e) || (is_key(e, sf::Keyboard::Enter) && !busy())) return submit(false);
    if (register_.clicked(e)) return submit(true);
    if (is_key(e, sf::Keyboard::Tab)) {
      std::swap(user_.focused, password_.focused);
      return;
    }
    if (user_.handle(e) || password_.handle(e)) message_.clear();
  }

  void update(double, double) override { login_.enabled = register_.enabled = !busy(); }

  std::optional<sf::FloatRect> find(std::string_view name) const override {
    if (name == "Log in") return login_.rect;
    if (name == "Register") return register_.rect;
    if (name == "Username") return user_.rect;
    if (name == "Password") return password_.rect;
    return std::nullopt;
  }

  void draw(sf::RenderTarget& target, double now) override {
    const sf::Vector2f size = app_.size();
    const float w = 420;
    const float left = std::round((size.x - w) / 2);
    float y = std::round(size.y * 0.18f);
    ui_.clear();
    ui_.title_centred("AlphaMMO", size.x / 2, y, app_.theme().title);
    y += 48;
    const auto& c = app_.options().connect;
    ui_.text_centred("Server " + c.host + ":" + std::to_string(c.port), size.x / 2, y,
                     app_.theme().dim_text);
    y += ui_.line();
    ui_.small_text().add_centred(
        trust_line(c), size.x / 2, y,
        c.verify == client::TlsVerify::Insecure ? app_.theme().error : app_.theme().dim_text);
    y += 40;
    ui_.panel({left - 20, y - 10, w + 40, 250});
    y += 20;
    user_.rect = {left, y, w, 32};
    ui_.field(user_, "Username", now);
    y += 60;
    password_.rect = {left, y, w, 32};
    ui_.field(password_, "Password", now);
    y += 52;
    login_.rect = {left, y, (w - 10) / 2, 36};
    register_.rect = {left + (w + 10) / 2, y, (w - 10) / 2, 36};
    ui_.button(login_);
    ui_.button(register_);
    y += 70;
    std::string line = message_;
    sf::Color colour = app_.theme().error;
    if (line.empty() && app_.last_error()) line = failure_words(*app_.last_error());
    if (line.empty()) {
      line = app_.status();
      colour = app_.theme().text;
    }
    ui_.wrapped(line, {left - 20, y}, w + 40, colour, 6);
    ui_.small_text().add_centred("Tab: next field   Enter: log in", size.x / 2, size.y - 30,
                                 app_.theme().dim_text);
    ui_.draw(target);
  }

 private:
  bool busy() {
    const auto* s = app_.session();
    return s != nullptr && s->state() != client::SessionState::Finished;
  }

  void submit(bool register_account) {
    if (user_.text().empty()) {
      message_ = "Type a username.";
      return;
    }
    if (password_.text().empty()) {
      message_ = "Type a password.";
      return;
    }
    message_.clear();
    app_.start_session(user_.text(), password_.text(), register_account);
  }

  App& app_;
  UiPainter ui_;
  TextField user_;
  TextField password_;
  Button login_;
  Button register_;
  std::string message_;
};

// ---------------------------------------------------------------------------------------------

constexpr std::array<std::uint32_t, 12> kHairPalette{0x1b1b1b, 0x5a3825, 0x884422, 0xb5651d,
                                                     0xd9b36c, 0xf0e0a0, 0xeeeeee, 0x8a8a8a,
                                                     0xb02020, 0x2d6bd6, 0x2f9e44, 0x9c36b5};

class CharactersScreen final : public Screen {
 public:
  explicit CharactersScreen(App& app)
      : app_(app), ui_(app.theme(), app.font(), app.bold()), name_(16), colour_(7) {
    enter_.label = "Enter world";
    delete_.label = "Delete";
    create_.label = "Create";
    logout_.label = "Log out";
    body_prev_.label = "<";
    body_next_.label = ">";
    hair_prev_.label = "<";
    hair_next_.label = ">";
    vocation_prev_.label = "<";
    vocation_next_.label = ">";
    confirm_yes_.label = "Delete";
    confirm_no_.label = "Cancel";
    colour_.set_text("#884422");
    name_.focused = true;
    if (app_.content() == nullptr) {
      if (auto error = app_.load_content()) message_ = "Cannot load the world's content: " + *error;
    }
    if (app_.session() != nullptr) list_ = app_.session()->characters();
    if (app_.last_error()) message_ = failure_words(*app_.last_error());
    if (const auto* c = app_.content()) {
      sprites_.set_texture(&c->tiles->texture());
    }
  }

  ScreenKind kind() const override { return ScreenKind::Characters; }

  void on_characters(const protocol::CharacterList& list) override {
    list_ = list;
    if (selected_ >= list_.list.size()) selected_ = list_.list.empty() ? 0 : list_.list.size() - 1;
  }

  void handle(const sf::Event& e) override {
    hover_buttons(e, {&enter_, &delete_, &create_, &logout_, &body_prev_, &body_next_, &hair_prev_,
                      &hair_next_, &vocation_prev_, &vocation_next_, &confirm_yes_, &confirm_no_});
    if (confirming_) {
      if (confirm_yes_.clicked(e) || is_key(e, sf::Keyboard::Enter)) {
        confirming_ = false;
        const auto id = list_.list[selected_].id;
        busy_ = true;
        app_.session()->delete_character(id, [this](const std::optional<client::ClientError>& err) {
          busy_ = false;
          message_ = err ? failure_words(*err) : "Deleted.";
        });
      } else if (confirm_no_.clicked(e) || is_key(e, sf::Keyboard::Escape)) {
        confirming_ = false;
      }
      return;
    }
    if (e.type == sf::Event::MouseButtonPressed) {
      const sf::Vector2f p{static_cast<float>(e.mouseButton.x),
                           static_cast<float>(e.mouseButton.y)};
      for (std::size_t i = 0; i < rows_.size(); ++i) {
        if (rows_[i].contains(p)) {
          selected_ = i;
          return;
        }
      }
      name_.focused = name_.rect.contains(p);
      colour_.focused = colour_.rect.contains(p);
      for (std::size_t i = 0; i < swatches_.size(); ++i) {
        if (swatches_[i].contains(p)) colour_.set_text(hex(kHairPalette[i]));
      }
    }
    const auto* tiles = app_.content() != nullptr ? app_.content()->tiles.get() : nullptr;
    const std::vector<std::uint32_t> bodies =
        tiles != nullptr
            ? tiles->player_bodies()
            : std::vector<std::uint32_t>(kDefaultPlayerBodies.begin(), kDefaultPlayerBodies.end());
    const std::uint32_t styles = tiles != nullptr ? tiles->hair_styles() : 6;
    // Only the bodies players may choose (not the NPCs'), in turn.
    const auto at = std::find(bodies.begin(), bodies.end(), body_);
    const std::size_t i = at == bodies.end() ? 0 : static_cast<std::size_t>(at - bodies.begin());
    if (body_prev_.clicked(e)) body_ = bodies[(i + bodies.size() - 1) % bodies.size()];
    if (body_next_.clicked(e)) body_ = bodies[(i + 1) % bodies.size()];
    if (hair_prev_.clicked(e)) hair_ = (hair_ + styles) % (styles + 1);
    if (hair_next_.clicked(e)) hair_ = (hair_ + 1) % (styles + 1);
    const std::size_t vocations = vocation_count();
    if (vocation_prev_.clicked(e)) vocation_ = (vocation_ + vocations - 1) % vocations;
    if (vocation_next_.clicked(e)) vocation_ = (vocation_ + 1) % vocations;
    if (enter_.clicked(e) ||
        (is_key(e, sf::Keyboard::Enter) && !name_.focused && !colour_.focused)) {
      return enter();
    }
    if (create_.clicked(e) ||
        (is_key(e, sf::Keyboard::Enter) && (name_.focused || colour_.focused))) {
      return create();
    }
    if (delete_.clicked(e) && !list_.list.empty()) {
      confirming_ = true;
      return;
    }
    if (logout_.clicked(e)) return app_.log_out();
    if (is_key(e, sf::Keyboard::Up) && selected_ > 0) --selected_;
    if (is_key(e, sf::Keyboard::Down) && selected_ + 1 < list_.list.size()) ++selected_;
    if (is_key(e, sf::Keyboard::Tab)) {
      const bool n = name_.focused;
      name_.focused = !n;
      colour_.focused = n;
      return;
    }
    if (name_.handle(e) || colour_.handle(e)) return;
  }

  std::optional<sf::FloatRect> find(std::string_view name) const override {
    for (const Button* b : {&enter_, &delete_, &create_, &logout_, &confirm_yes_, &confirm_no_}) {
      if (b->label == name && b->rect.width > 0) return b->rect;
    }
    if (name == "Name") return name_.rect;
    if (name == "Hair colour") return colour_.rect;
    if (name == "body <") return body_prev_.rect;
    if (name == "body >") return body_next_.rect;
    if (name == "hair <") return hair_prev_.rect;
    if (name == "hair >") return hair_next_.rect;
    if (name == "vocation <") return vocation_prev_.rect;
    if (name == "vocation >") return vocation_next_.rect;
    // "vocation:Mage": the vocation chosen for the new character, where its name is shown.
    if (name.starts_with("vocation:") && name.substr(9) == vocation_label_) return vocation_rect_;
    if (name.starts_with("row:")) {
      // "row:Zoe" is her row; "row:Zoe/Mage" is it too, if the row shows her as a mage.
      const std::string_view rest = name.substr(4);
      const auto slash = rest.find('/');
      const std::string_view who = rest.substr(0, slash);
      for (std::size_t i = 0; i < list_.list.size() && i < rows_.size(); ++i) {
        if (list_.list[i].name != who) continue;
        if (slash != std::string_view::npos &&
            (i >= row_vocations_.size() || row_vocations_[i] != rest.substr(slash + 1))) {
          return std::nullopt;
        }
        return rows_[i];
      }
    }
    return std::nullopt;
  }

  void update(double, double) override {
    const bool ready = !busy_ && app_.session() != nullptr &&
                       app_.session()->state() == client::SessionState::Choosing;
    enter_.enabled = ready && !list_.list.empty();
    delete_.enabled = ready && !list_.list.empty();
    create_.enabled = ready;
  }

  void draw(sf::RenderTarget& target, double now) override {
    const Theme& th = app_.theme();
    const sf::Vector2f size = app_.size();
    ui_.clear();
    sprites_.clear();
    ui_.title("Characters", {40, 30}, th.title);
    ui_.text("Account " + app_.user(), {40, 70}, th.dim_text);

    // The list.
    const sf::FloatRect list_rect{40, 110, 440, size.y - 230};
    ui_.panel(list_rect);
    rows_.clear();
    row_vocations_.clear();
    float y = list_rect.top + 10;
    if (list_.list.empty()) {
      ui_.wrapped("No characters yet: create one on the right.", {list_rect.left + 14, y},
                  list_rect.width - 28, th.dim_text);
    }
    for (std::size_t i = 0; i < list_.list.size(); ++i) {
      const auto& c = list_.list[i];
      const sf::FloatRect row{list_rect.left + 6, y, list_rect.width - 12, 48};
      rows_.push_back(row);
      if (i == selected_) ui_.rect(row, th.slot_selected);
      draw_look(c.look, {row.left + 6, row.top + 8}, 1);
      ui_.text(c.name, {row.left + 52, row.top + 6}, th.text);
      row_vocations_.push_back(vocation_name(c.vocation));
      ui_.small("Level " + std::to_string(c.level) + "  " + row_vocations_.back(),
                {row.left + 52, row.top + 26}, th.dim_text);
      y += 52;
    }
    enter_.rect = {list_rect.left, list_rect.top + list_rect.height + 14, 140, 36};
    delete_.rect = {list_rect.left + 150, enter_.rect.top, 120, 36};
    logout_.rect = {list_rect.left + list_rect.width - 120, enter_.rect.top, 120, 36};
    ui_.button(enter_);
    ui_.button(delete_);
    ui_.button(logout_);

    // The new character, with a live preview.
    const sf::FloatRect form{520, 110, std::max(360.0f, size.x - 560), 470};
    ui_.panel(form);
    float fy = form.top + 16;
    ui_.text("New character", {form.left + 16, fy}, th.title);
    fy += 44;
    name_.rect = {form.left + 16, fy, 260, 32};
    ui_.field(name_, "Name", now);
    fy += 54;
    // The vocation: its name between arrows, what it is below (one line, two if narrow).
    ui_.small("Vocation", {form.left + 16, fy}, th.dim_text);
    vocation_prev_.rect = {form.left + 80, fy - 6, 30, 28};
    vocation_next_.rect = {form.left + 200, fy - 6, 30, 28};
    vocation_ = std::min(vocation_, vocation_count() - 1);
    vocation_label_ = vocation_name(static_cast<std::uint8_t>(vocation_));
    ui_.button(vocation_prev_);
    ui_.text_centred(vocation_label_, form.left + 155, fy - 2, th.text);
    vocation_rect_ = {form.left + 112, fy - 6, 86, 28};
    ui_.button(vocation_next_);
    fy += 30;
    const float described = static_cast<float>(ui_.small_text().add_wrapped(
        vocation_description(vocation_), {form.left + 16, fy}, form.width - 200, th.dim_text, 2));
    fy += 18 + described * ui_.small_text().line_height();
    ui_.small("Body", {form.left + 16, fy}, th.dim_text);
    body_prev_.rect = {form.left + 80, fy - 6, 30, 28};
    body_next_.rect = {form.left + 160, fy - 6, 30, 28};
    ui_.button(body_prev_);
    ui_.text_centred(std::to_string(body_), form.left + 135, fy - 2, th.text);
    ui_.button(body_next_);
    fy += 40;
    ui_.small("Hair", {form.left + 16, fy}, th.dim_text);
    hair_prev_.rect = {form.left + 80, fy - 6, 30, 28};
    hair_next_.rect = {form.left + 160, fy - 6, 30, 28};
    ui_.button(hair_prev_);
    ui_.text_centred(hair_ == 0 ? "bald" : std::to_string(hair_), form.left + 135, fy - 2, th.text);
    ui_.button(hair_next_);
    fy += 46;
    colour_.rect = {form.left + 16, fy, 110, 30};
    ui_.field(colour_, "Hair colour", now);
    swatches_.clear();
    for (std::size_t i = 0; i < kHairPalette.size(); ++i) {
      const sf::FloatRect sw{form.left + 140 + static_cast<float>(i % 6) * 24,
                             fy - 8 + static_cast<float>(i / 6) * 24, 20, 20};
      swatches_.push_back(sw);
      ui_.rect(sw, rgb(kHairPalette[i]));
      ui_.frame(sw, 1, th.panel_border);
    }
    fy += 56;
    create_.rect = {form.left + 16, fy, 140, 36};
    ui_.button(create_);
    // Preview, 4x.
    const sf::FloatRect preview{form.left + form.width - 170, form.top + 60, 150, 150};
    ui_.rect(preview, th.field);
    ui_.frame(preview, 1, th.panel_border);
    world::Look look;
    look.body = static_cast<std::uint8_t>(body_);
    look.hair_style = static_cast<std::uint8_t>(hair_);
    look.hair_colour = parse_colour(colour_.text()).value_or(0x884422);
    draw_look(look, {preview.left + 11, preview.top + 11}, 4);
    ui_.small_text().add_centred(name_.text().empty() ? std::string("(name)") : name_.text(),
                                 preview.left + preview.width / 2, preview.top + preview.height + 6,
                                 th.text);

    // Messages.
    std::string line = message_;
    if (line.empty()) line = app_.status();
    if (const auto& r = app_.retry()) {
      line = "Connection lost. Trying again in " +
             std::to_string(std::max(0, static_cast<int>(std::ceil(r->at - now)))) +
             " s (attempt " + std::to_string(r->attempt) + " of " + std::to_string(r->of) + ").";
    }
    ui_.wrapped(line, {form.left, form.top + form.height + 20}, form.width, th.warning, 4);

    if (confirming_ && selected_ < list_.list.size()) {
      const sf::FloatRect box{size.x / 2 - 220, size.y / 2 - 80, 440, 160};
      ui_.rect({0, 0, size.x, size.y}, sf::Color{0, 0, 0, 140});
      ui_.panel(box);
      ui_.text_centred("Delete " + list_.list[selected_].name + " for good?", size.x / 2,
                       box.top + 30, th.text);
      confirm_yes_.rect = {box.left + 60, box.top + 90, 140, 36};
      confirm_no_.rect = {box.left + 240, box.top + 90, 140, 36};
      ui_.button(confirm_yes_);
      ui_.button(confirm_no_);
    }
    ui_.draw(target);
    sprites_.draw(target);
  }

 private:
  static std::string hex(std::uint32_t c) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s = "#";
    for (int shift = 20; shift >= 0; shift -= 4)
      s += kDigits[(c >> shift) & 0xF];
    return s;
  }

  static std::optional<std::uint32_t> parse_colour(std::string_view s) {
    if (s.size() != 7 || s[0] != '#') return std::nullopt;
    std::uint32_t v = 0;
    for (const char ch : s.substr(1)) {
      v <<= 4;
      if (ch >= '0' && ch <= '9')
        v |= static_cast<std::uint32_t>(ch - '0');
      else if (ch >= 'a' && ch <= 'f')
        v |= static_cast<std::uint32_t>(ch - 'a' + 10);
      else if (ch >= 'A' && ch <= 'F')
        v |= static_cast<std::uint32_t>(ch - 'A' + 10);
      else
        return std::nullopt;
    }
    return v;
  }

  void draw_look(const world::Look& look, sf::Vector2f at, float scale) {
    const auto* c = app_.content();
    if (c == nullptr) return;
    const Tileset& t = *c->tiles;
    const auto put = [&](const Sprite& s, sf::Color tint) {
      if (!s.valid()) return;
      sprites_.sprite(
          {at.x + static_cast<float>(s.ox) * scale, at.y + static_cast<float>(s.oy) * scale,
           static_cast<float>(s.rect.width) * scale, static_cast<float>(s.rect.height) * scale},
          s.rect, tint);
    };
    put(t.body(look.body), sf::Color::White);
    if (look.hair_visible()) put(t.hair(look.hair_style), rgb(look.hair_colour));
    if (look.armor != 0) put(t.worn(look.armor - 1), sf::Color::White);
    if (look.helmet != 0) put(t.worn(look.helmet - 1), sf::Color::White);
    if (look.weapon != 0) put(t.worn(look.weapon - 1), sf::Color::White);
  }

  std::size_t vocation_count() const {
    const auto* c = app_.content();
    return c != nullptr && !c->bundle->config.vocations.empty()
               ? std::min<std::size_t>(c->bundle->config.vocations.size(), 256)
               : 1;
  }

  std::string vocation_name(std::uint8_t v) const {
    const auto* c = app_.content();
    return c != nullptr ? c->vocation_name(v) : "vocation " + std::to_string(v);
  }

  // "HP 45, MP 60. Weapons: Wooden Staff, Wand. Spells: Heal, Mend, Fire Bolt."
  std::string vocation_description(std::size_t v) const {
    const auto* c = app_.content();
    if (c == nullptr || v >= c->bundle->config.vocations.size()) return {};
    const world::WorldConfig& config = c->bundle->config;
    const world::Vocation& voc = config.vocations[v];
    std::string out =
        "HP " + std::to_string(voc.max_hp) + ", MP " + std::to_string(voc.max_mp) + ". Weapons: ";
    if (voc.weapons.empty()) out += "any";
    for (std::size_t i = 0; i < voc.weapons.size(); ++i) {
      if (i > 0) out += ", ";
      out +=
          voc.weapons[i] < config.item_types.size() ? config.item_types[voc.weapons[i]].name : "?";
    }
    out += ".";
    if (!voc.spells.empty()) {
      out += " Spells: ";
      for (std::size_t i = 0; i < voc.spells.size(); ++i) {
        if (i > 0) out += ", ";
        out += voc.spells[i] < config.spells.size() ? config.spells[voc.spells[i]].name : "?";
      }
      out += ".";
    }
    return out;
  }

  void enter() {
    if (list_.list.empty() || busy_) return;
    busy_ = true;
    message_.clear();
    app_.session()->enter(list_.list[selected_].id,
                          [this](const std::optional<client::ClientError>& err) {
                            busy_ = false;
                            if (err) message_ = failure_words(*err);
                          });
  }

  void create() {
    if (busy_ || app_.session() == nullptr) return;
    const auto colour = parse_colour(colour_.text());
    if (!colour) {
      message_ = "Hair colour: write it as #rrggbb (e.g. #884422), or pick one.";
      return;
    }
    if (name_.text().empty()) {
      message_ = "Type a name for the new character.";
      return;
    }
    busy_ = true;
    message_.clear();
    const std::string name = name_.text();
    app_.session()->create_character(
        protocol::CreateCharacter{name, static_cast<std::uint8_t>(body_),
                                  static_cast<std::uint8_t>(hair_), *colour,
                                  static_cast<std::uint8_t>(vocation_)},
        [this, name](const std::optional<client::ClientError>& err) {
          busy_ = false;
          if (err) {
            message_ = failure_words(*err);
            return;
          }
          message_ = name + " is ready.";
          name_.set_text({});
          for (std::size_t i = 0; i < list_.list.size(); ++i)
            if (list_.list[i].name == name) selected_ = i;
        });
  }

  App& app_;
  UiPainter ui_;
  QuadBatch sprites_;
  protocol::CharacterList list_;
  std::size_t selected_ = 0;
  std::vector<sf::FloatRect> rows_;
  std::vector<std::string> row_vocations_;  // the vocation each row shows
  std::vector<sf::FloatRect> swatches_;
  TextField name_;
  TextField colour_;
  std::uint32_t body_ = 1;
  std::uint32_t hair_ = 2;
  std::size_t vocation_ = 0;
  std::string vocation_label_;
  sf::FloatRect vocation_rect_;
  Button enter_, delete_, create_, logout_;
  Button body_prev_, body_next_, hair_prev_, hair_next_, vocation_prev_, vocation_next_;
  Button confirm_yes_, confirm_no_;
  bool confirming_ = false;
  bool busy_ = false;
  std::string message_;
};

// ---------------------------------------------------------------------------------------------

class DisconnectedScreen final : public Screen {
 public:
  explicit DisconnectedScreen(App& app) : app_(app), ui_(app.theme(), app.font(), app.bold()) {
    reconnect_.label = "Reconnect";
    login_.label = "Back to login";
    if (app_.last_error()) reason_ = failure_words(*app_.last_error());
    kicked_ = app_.last_error() && app_.last_error()->kick.has_value();
  }

  ScreenKind kind() const override { return ScreenKind::Disconnected; }

  std::optional<sf::FloatRect> find(std::string_view name) const override {
    if (name == reconnect_.label) return reconnect_.rect;
    if (name == login_.label) return login_.rect;
    return std::nullopt;
  }

  void handle(const sf::Event& e) override {
    hover_buttons(e, {&reconnect_, &login_});
    if (reconnect_.clicked(e) || is_key(e, sf::Keyboard::Enter)) return app_.reconnect();
    if (login_.clicked(e) || is_key(e, sf::Keyboard::Escape)) return app_.log_out();
  }

  void update(double, double) override {}

  void draw(sf::RenderTarget& target, double) override {
    const Theme& th = app_.theme();
    const sf::Vector2f size = app_.size();
    ui_.clear();
    const sf::FloatRect box{size.x / 2 - 300, size.y / 2 - 140, 600, 260};
    ui_.panel(box);
    ui_.title_centred(kicked_ ? "Kicked" : "Disconnected", size.x / 2, box.top + 24, th.error);
    ui_.wrapped(reason_, {box.left + 30, box.top + 80}, box.width - 60, th.text, 4);
    reconnect_.rect = {box.left + 60, box.top + box.height - 60, 200, 38};
    login_.rect = {box.left + box.width - 260, box.top + box.height - 60, 200, 38};
    ui_.button(reconnect_);
    ui_.button(login_);
    ui_.draw(target);
  }

 private:
  App& app_;
  UiPainter ui_;
  Button reconnect_, login_;
  std::string reason_;
  bool kicked_ = false;
};

}  // namespace

std::unique_ptr<Screen> make_login_screen(App& app) {
  return std::make_unique<LoginScreen>(app);
}
std::unique_ptr<Screen> make_characters_screen(App& app) {
  return std::make_unique<CharactersScreen>(app);
}
std::unique_ptr<Screen> make_disconnected_screen(App& app) {
  return std::make_unique<DisconnectedScreen>(app);
}

}  // namespace sfml_client
