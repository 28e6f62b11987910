#pragma once
/// \file alphammo-client's command line: flags to AppOptions, and the default trust (the
/// certificate ./run.sh's server made, pinned by its fingerprint).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "world/result.hpp"

namespace sfml_client {

/// What the command line asked for.
struct ParsedArgs {
  AppOptions app;                     ///< How to run.
  bool exit = false;                  ///< --help or --version: print `text` and exit with `code`.
  int code = 0;                       ///< Exit code when `exit`.
  std::string text;                   ///< What to print when `exit`.
  std::string log_level = "info";     ///< spdlog level.
  std::vector<std::string> warnings;  ///< Printed before starting (e.g. --insecure).
};

/// Parses alphammo-client's arguments. Bad input gives an error naming the flag; with no
/// certificate option given, pins the SHA-256 fingerprint of `default_cert` (var/cert.pem).
[[nodiscard]] world::Result<ParsedArgs> parse_args(
    int argc, const char* const* argv, const std::filesystem::path& default_cert = "var/cert.pem");

/// The SHA-256 fingerprint of a PEM certificate file ("AB:CD:..."), or why it cannot be read.
[[nodiscard]] world::Result<std::string> certificate_fingerprint(const std::filesystem::path& pem);

}  // namespace sfml_client
