// alphammo-client: the AlphaMMO player client. Connects to a server (by default the one
// ./run.sh started, trusting its certificate by fingerprint), or opens a recording in the
// replay viewer (--replay). `alphammo-client --help` lists the flags and the controls.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "app.hpp"
#include "options.hpp"

int main(int argc, char** argv) {
  auto parsed = sfml_client::parse_args(argc, argv);
  if (!parsed.ok()) {
    std::fprintf(stderr, "alphammo-client: %s\n", parsed.error().message.c_str());
    std::fprintf(stderr, "Run alphammo-client --help for the options.\n");
    return 2;
  }
  if (parsed.value().exit) {
    std::fputs(parsed.value().text.c_str(), parsed.value().code == 0 ? stdout : stderr);
    return parsed.value().code;
  }
  spdlog::set_level(spdlog::level::from_str(parsed.value().log_level));
  for (const auto& w : parsed.value().warnings)
    spdlog::warn("{}", w);
  try {
    sfml_client::App app(parsed.value().app);
    return app.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "alphammo-client: %s\n", e.what());
    return 1;
  }
}
