#include "world/config.hpp"

#include <doctest/doctest.h>

using namespace world;

TEST_CASE("config_hash: equal configs hash alike, any changed field changes the hash") {
  const WorldConfig base;
  CHECK(config_hash(base) == config_hash(WorldConfig{}));
  WorldConfig seed = base;
  seed.seed = 2;
  WorldConfig pvp = base;
  pvp.pvp = true;
  WorldConfig backpack = base;
  backpack.backpack_capacity = 21;
  WorldConfig npc = base;
  npc.npc_templates.front().speed = 7;
  WorldConfig item = base;
  item.item_types.push_back(ItemType{});
  for (const WorldConfig* c : {&seed, &pvp, &backpack, &npc, &item}) {
    CHECK_FALSE(*c == base);
    CHECK(config_hash(*c) != config_hash(base));
  }
}
