#include "world/types.hpp"

#include "world/command.hpp"
#include "world/content.hpp"
#include "world/delta.hpp"

namespace world {

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::North:
      return "north";
    case Direction::East:
      return "east";
    case Direction::South:
      return "south";
    case Direction::West:
      return "west";
  }
  return "invalid";
}

std::string_view to_string(EntityKind k) {
  switch (k) {
    case EntityKind::Player:
      return "player";
    case EntityKind::Npc:
      return "npc";
  }
  return "invalid";
}

std::string_view to_string(RejectReason r) {
  switch (r) {
    case RejectReason::UnknownEntity:
      return "unknown_entity";
    case RejectReason::StaleEntity:
      return "stale_entity";
    case RejectReason::OutOfBounds:
      return "out_of_bounds";
    case RejectReason::Blocked:
      return "blocked";
    case RejectReason::Occupied:
      return "occupied";
    case RejectReason::Cooldown:
      return "cooldown";
    case RejectReason::AlreadyInWorld:
      return "already_in_world";
    case RejectReason::NoFreeTile:
      return "no_free_tile";
    case RejectReason::InvalidArgument:
      return "invalid_argument";
    case RejectReason::NotAPlayer:
      return "not_a_player";
    case RejectReason::InvalidTarget:
      return "invalid_target";
    case RejectReason::SelfTarget:
      return "self_target";
    case RejectReason::NotAttackable:
      return "not_attackable";
    case RejectReason::ProtectionZone:
      return "protection_zone";
    case RejectReason::NoSuchItem:
      return "no_such_item";
    case RejectReason::NotAdjacent:
      return "not_adjacent";
    case RejectReason::BackpackFull:
      return "backpack_full";
    case RejectReason::NotEquippable:
      return "not_equippable";
    case RejectReason::NotUsable:
      return "not_usable";
    case RejectReason::EmptySlot:
      return "empty_slot";
    case RejectReason::InvalidText:
      return "invalid_text";
    case RejectReason::NotEnoughMana:
      return "not_enough_mana";
    case RejectReason::OutOfRange:
      return "out_of_range";
    case RejectReason::NoLineOfSight:
      return "no_line_of_sight";
    case RejectReason::NotYourVocation:
      return "not_your_vocation";
  }
  return "invalid";
}

std::string_view to_string(RemoveReason r) {
  switch (r) {
    case RemoveReason::Left:
      return "left";
    case RemoveReason::Died:
      return "died";
    case RemoveReason::OutOfView:
      return "out_of_view";
  }
  return "invalid";
}

std::string_view to_string(Audience a) {
  switch (a) {
    case Audience::Entity:
      return "entity";
    case Audience::Owner:
      return "owner";
    case Audience::Place:
      return "place";
    case Audience::Addressed:
      return "addressed";
  }
  return "invalid";
}

std::string_view to_string(ItemKind k) {
  switch (k) {
    case ItemKind::Misc:
      return "misc";
    case ItemKind::Weapon:
      return "weapon";
    case ItemKind::Helmet:
      return "helmet";
    case ItemKind::Armor:
      return "armor";
    case ItemKind::Potion:
      return "potion";
    case ItemKind::Gold:
      return "gold";
    case ItemKind::Ammo:
      return "ammo";
  }
  return "invalid";
}

std::string_view to_string(EquipSlot s) {
  switch (s) {
    case EquipSlot::None:
      return "none";
    case EquipSlot::Head:
      return "head";
    case EquipSlot::Body:
      return "body";
    case EquipSlot::Weapon:
      return "weapon";
  }
  return "invalid";
}

std::string_view to_string(SpellTarget t) {
  switch (t) {
    case SpellTarget::Self:
      return "self";
    case SpellTarget::Creature:
      return "creature";
    case SpellTarget::Tile:
      return "tile";
    case SpellTarget::Area:
      return "area";
  }
  return "invalid";
}

std::string_view to_string(SpellEffect e) {
  switch (e) {
    case SpellEffect::Damage:
      return "damage";
    case SpellEffect::Heal:
      return "heal";
  }
  return "invalid";
}

std::string_view to_string(Behaviour b) {
  switch (b) {
    case Behaviour::Passive:
      return "passive";
    case Behaviour::Aggressive:
      return "aggressive";
  }
  return "invalid";
}

}  // namespace world
