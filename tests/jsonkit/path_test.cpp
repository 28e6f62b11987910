// Paths of values in a document, printed only for a message.
#include "jsonkit/path.hpp"

#include <string>

#include <doctest/doctest.h>

using jsonkit::Path;

TEST_CASE("path: members with dots, elements in brackets") {
  const Path root("command");
  const Path character(root, "character");
  const Path items(character, "items");
  const Path second(items, std::size_t{2});
  const Path place(second, "place");
  CHECK(root.str() == "command");
  CHECK(place.str() == "command.character.items[2].place");
  CHECK(Path(Path(second, std::size_t{0}), std::size_t{1}).str() ==
        "command.character.items[2][0][1]");
}

TEST_CASE("path: an empty root is the document itself") {
  const Path doc;
  CHECK(doc.str().empty());
  CHECK(Path(doc, "npcs").str() == "npcs");
  CHECK(Path(doc, std::size_t{3}).str() == "[3]");
  const Path npcs(doc, "npcs");
  CHECK(Path(Path(npcs, std::size_t{2}), "look").str() == "npcs[2].look");
}

TEST_CASE("path: a label root prints as it is") {
  const std::string label = R"(npcs[2] ("rat"))";
  const Path labelled(label);
  CHECK(Path(labelled, "look").str() == R"(npcs[2] ("rat").look)");
  CHECK(Path(Path(labelled, "loot"), std::size_t{0}).str() == R"(npcs[2] ("rat").loot[0])");
}

TEST_CASE("path: frames are constexpr and cost nothing until printed") {
  static constexpr Path kRoot("delta");
  constexpr Path member(kRoot, "to");
  CHECK(member.str() == "delta.to");
}
