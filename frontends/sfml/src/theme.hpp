#pragma once
/// \file Theme: every colour, size, font and key binding of the player client in one place.

#include <SFML/Graphics/Color.hpp>
#include <SFML/Window/Keyboard.hpp>
#include <array>
#include <cstdint>
#include <string>

namespace sfml_client {

/// Key bindings. Arrows always move too.
struct KeyBindings {
  sf::Keyboard::Key up = sf::Keyboard::W;         ///< Step north.
  sf::Keyboard::Key left = sf::Keyboard::A;       ///< Step west.
  sf::Keyboard::Key down = sf::Keyboard::S;       ///< Step south.
  sf::Keyboard::Key right = sf::Keyboard::D;      ///< Step east.
  sf::Keyboard::Key chat = sf::Keyboard::T;       ///< Open the chat line.
  sf::Keyboard::Key inventory = sf::Keyboard::I;  ///< Show or hide the inventory.
  sf::Keyboard::Key minimap = sf::Keyboard::M;    ///< Show or hide the minimap.
  sf::Keyboard::Key stop_attack =
      sf::Keyboard::Escape;                     ///< Clear the target (closes windows first).
  sf::Keyboard::Key pick_up = sf::Keyboard::G;  ///< Pick up what lies underfoot or next to you.
  /// Cast the vocation's spells, in its order (the number row; the keypad works too).
  std::array<sf::Keyboard::Key, 9> spells{
      sf::Keyboard::Num1, sf::Keyboard::Num2, sf::Keyboard::Num3,
      sf::Keyboard::Num4, sf::Keyboard::Num5, sf::Keyboard::Num6,
      sf::Keyboard::Num7, sf::Keyboard::Num8, sf::Keyboard::Num9};
};

/// Colours and sizes of the client's screens.
struct Theme {
  // Fonts (Debian's fonts-dejavu-core).
  std::string font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::string bold_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  unsigned text_size = 14;        ///< Body text.
  unsigned small_text_size = 11;  ///< Name plates, hints.
  unsigned title_size = 26;       ///< Screen titles.

  // World view.
  int tile = 32;                      ///< Pixels per tile.
  int side_panel_width = 280;         ///< The panels on the right.
  int chat_height = 150;              ///< The chat log at the bottom.
  int minimap_size = 176;             ///< The minimap's side in pixels.
  int inventory_columns = 5;          ///< Backpack slots per row.
  float damage_float_seconds = 1.2f;  ///< How long a damage number floats.
  float rejection_seconds = 2.0f;     ///< How long a refusal stays above the player.
  float projectile_seconds = 0.2f;    ///< How long an arrow or bolt flies.
  float spell_seconds = 0.55f;        ///< How long a spell's burst shows.

  // Colours.
  sf::Color background{18, 18, 24};
  sf::Color panel{32, 32, 42, 235};
  sf::Color panel_border{90, 90, 110};
  sf::Color text{225, 225, 230};
  sf::Color dim_text{150, 150, 165};
  sf::Color title{240, 210, 140};
  sf::Color error{255, 110, 100};
  sf::Color warning{255, 190, 90};
  sf::Color ok{130, 220, 130};
  sf::Color field{20, 20, 28};
  sf::Color field_focus{120, 150, 220};
  sf::Color button{60, 70, 100};
  sf::Color button_hover{80, 95, 140};
  sf::Color button_text{240, 240, 245};
  sf::Color hp_bar{200, 50, 50};
  sf::Color mp_bar{60, 90, 220};
  sf::Color exp_bar{220, 180, 60};
  sf::Color bar_back{50, 20, 20};
  sf::Color name_player{255, 255, 255};
  sf::Color name_npc{255, 210, 120};
  sf::Color name_self{140, 230, 255};
  sf::Color target{255, 60, 60};
  sf::Color damage{255, 80, 60};
  sf::Color damage_self{255, 40, 40};
  sf::Color miss{200, 200, 255};
  sf::Color heal{120, 255, 120};
  sf::Color projectile{245, 235, 200};  ///< Arrows and bolts in flight.
  sf::Color spell_damage{255, 90, 40};  ///< A damage spell's burst.
  sf::Color spell_heal{90, 255, 120};   ///< A healing spell's burst.
  sf::Color spell_ready{60, 70, 100};   ///< A spell bar slot that can be cast.
  sf::Color spell_waiting{38, 38, 48};  ///< A slot without the mana or still cooling down.
  sf::Color mp_text{140, 170, 255};     ///< Mana costs.
  sf::Color chat_player{230, 230, 200};
  sf::Color chat_system{255, 200, 90};
  sf::Color chat_trigger{150, 220, 255};
  sf::Color chat_personal{255, 160, 220};
  sf::Color minimap_self{255, 255, 255};
  sf::Color minimap_player{80, 200, 255};
  sf::Color minimap_npc{255, 90, 70};
  sf::Color slot{45, 45, 58};
  sf::Color slot_selected{110, 110, 160};

  KeyBindings keys;
};

}  // namespace sfml_client
