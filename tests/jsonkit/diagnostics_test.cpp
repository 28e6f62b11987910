// The first problem of a document, with or without the document's name.
#include "jsonkit/diagnostics.hpp"

#include <string>

#include <doctest/doctest.h>

using jsonkit::Diagnostics;
using jsonkit::Path;

TEST_CASE("diagnostics: \"<path>: <what>\" for an unnamed document") {
  Diagnostics d;
  CHECK_FALSE(d.failed());
  CHECK(d.document().empty());
  const Path root("delta");
  d.fail(Path(root, "to"), "expected [x, y] integers, got null");
  REQUIRE(d.failed());
  CHECK(d.error().message == "delta.to: expected [x, y] integers, got null");
  CHECK(d.take().message == "delta.to: expected [x, y] integers, got null");
}

TEST_CASE("diagnostics: \"<document>: <path>: <what>\" for a named one, no path, no colon") {
  Diagnostics d{"npcs.json"};
  CHECK(d.document() == "npcs.json");
  const Path doc;
  d.fail(Path(Path(Path(doc, "npcs"), std::size_t{2}), "speed"), "must be in 1..1000, got 0");
  CHECK(d.error().message == "npcs.json: npcs[2].speed: must be in 1..1000, got 0");

  Diagnostics whole{"map.tmj"};
  whole.fail("no player_spawn object (exactly one is required)");
  CHECK(whole.error().message == "map.tmj: no player_spawn object (exactly one is required)");

  Diagnostics empty_path{"a.json"};
  empty_path.fail(doc, "malformed JSON");
  CHECK(empty_path.error().message == "a.json: malformed JSON");
}

TEST_CASE("diagnostics: only the first problem is kept") {
  Diagnostics d{"items.json"};
  d.fail(Path("items"), "first");
  d.fail(Path("items"), "second");
  d.fail("third");
  d.fail_with(world::Error{"fourth"});
  CHECK(d.error().message == "items.json: items: first");

  Diagnostics nested{"map.tmj"};
  nested.fail_with(world::Error{"tiles.tsj: tiles[0].id: missing"});
  nested.fail("later");
  CHECK(nested.error().message == "tiles.tsj: tiles[0].id: missing");
}
