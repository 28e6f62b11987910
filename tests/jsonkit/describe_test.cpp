// Values as messages show them.
#include "jsonkit/describe.hpp"

#include <string>

#include <doctest/doctest.h>

using jsonkit::describe;
using json = nlohmann::json;

TEST_CASE("describe: scalars as JSON text, containers by kind") {
  CHECK(describe(json(nullptr)) == "null");
  CHECK(describe(json(true)) == "true");
  CHECK(describe(json(-3)) == "-3");
  CHECK(describe(json(18446744073709551615u)) == "18446744073709551615");
  CHECK(describe(json(1.5)) == "1.5");
  CHECK(describe(json("red")) == R"("red")");
  CHECK(describe(json("a \"b\"\n")) == R"("a \"b\"\n")");
  CHECK(describe(json::array({1, 2})) == "an array");
  CHECK(describe(json::object({{"a", 1}})) == "an object");
}

TEST_CASE("describe: long text is cut at 40 characters, bad UTF-8 replaced") {
  const std::string long_text(100, 'x');
  CHECK(describe(json(long_text)) == "\"" + std::string(39, 'x') + "...");
  CHECK(describe(json(std::string(38, 'x'))) == "\"" + std::string(38, 'x') + "\"");
  CHECK(describe(json("\xff")) == "\"\xEF\xBF\xBD\"");
}

TEST_CASE("quote: names in quotes, as they are") {
  CHECK(jsonkit::quote("rat") == R"("rat")");
  CHECK(jsonkit::quote("") == R"("")");
  CHECK(jsonkit::quote(R"(a"b)") == R"("a"b")");
}
