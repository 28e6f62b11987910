#pragma once
/// \file Reading a content directory from disk: the file glue frontends use around content/.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "content/bundle.hpp"
#include "world/result.hpp"

namespace content {

/// Reads a whole file; the error names the path and the reason.
[[nodiscard]] world::Result<std::string> read_text_file(const std::filesystem::path& path);

/// Loads `items.json`, `npcs.json` and `map` (relative to `data_dir`, default the shipped
/// default map) with external tilesets resolved next to the map file.
[[nodiscard]] world::Result<Bundle> load_bundle_files(const std::filesystem::path& data_dir,
                                                      std::string_view map = "maps/default.tmj",
                                                      std::uint64_t seed = 1);

/// The data directory this build was configured with (the source tree's data/).
[[nodiscard]] std::filesystem::path default_data_dir();

}  // namespace content
