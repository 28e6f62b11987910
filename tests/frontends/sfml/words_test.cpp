// What the player reads: every refusal the world can send has its own words.

#include "words.hpp"
//
#include <doctest/doctest.h>

#include <set>

TEST_CASE("words: the refusals of spells and ranged combat") {
  using R = world::RejectReason;
  CHECK(sfml_client::rejection_words(R::NotEnoughMana) == "Not enough mana.");
  CHECK(sfml_client::rejection_words(R::OutOfRange) == "Too far away.");
  CHECK(sfml_client::rejection_words(R::NoLineOfSight) == "You cannot see that.");
  CHECK(sfml_client::rejection_words(R::NotYourVocation) == "Your vocation cannot do that.");
  // A cooldown: a step's is "Not so fast.", a spell's "Not ready yet."
  CHECK(sfml_client::rejection_words(R::Cooldown) == "Not so fast.");
  CHECK(sfml_client::cast_rejection_words(R::Cooldown) == "Not ready yet.");
  CHECK(sfml_client::cast_rejection_words(R::NotEnoughMana) == "Not enough mana.");
  CHECK(sfml_client::cast_rejection_words(R::OutOfRange) == "Too far away.");
  CHECK(sfml_client::cast_rejection_words(R::NoLineOfSight) == "You cannot see that.");
  CHECK(sfml_client::cast_rejection_words(R::NotYourVocation) == "Your vocation cannot do that.");
}

TEST_CASE("words: every reason has words of its own, none the fallback") {
  std::set<std::string> seen;
  for (int r = 0; r <= static_cast<int>(world::RejectReason::NotYourVocation); ++r) {
    const auto reason = static_cast<world::RejectReason>(r);
    const std::string words = sfml_client::rejection_words(reason);
    CHECK_MESSAGE(words != "That was refused.", "reason " << world::to_string(reason));
    CHECK(!sfml_client::cast_rejection_words(reason).empty());
    seen.insert(words);
  }
  // UnknownEntity and StaleEntity share theirs ("You are not in the world.").
  CHECK(seen.size() == static_cast<std::size_t>(world::RejectReason::NotYourVocation));
}
