#pragma once
/// \file Reading a content directory from disk: the file glue frontends use around content/.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "content/bundle.hpp"
#include "world/result.hpp"

namespace content {

/// Reads a whole file; the error names the path and the reason.
[[nodiscard]] world::Result<std::string> read_text_file(const std::filesystem::path& path);

/// Loads the bundle's root files (kBundleRootFiles: `items.json`, `spells.json`,
/// `vocations.json`, `npcs.json`) and `map` (relative to `data_dir`, default the shipped
/// default map) with external tilesets resolved next to the map file.
[[nodiscard]] world::Result<Bundle> load_bundle_files(const std::filesystem::path& data_dir,
                                                      std::string_view map = "maps/default.tmj",
                                                      std::uint64_t seed = 1);

/// Reads the files of the bundle that runs `map` (a bundle path relative to `data_dir`):
/// kBundleRootFiles, the map and the external tilesets it names (content/tmj.hpp,
/// tileset_sources), each once, with their bundle paths. What make_manifest and the in-memory
/// load_bundle take. An error names the file that cannot be read or lies outside `data_dir`.
[[nodiscard]] world::Result<std::vector<ContentFile>> read_bundle_files(
    const std::filesystem::path& data_dir, std::string_view map = "maps/default.tmj");

/// Where an installed program's content is: `<prefix>/share/alphammo` for an executable in
/// `<prefix>/bin` (the directories this build was configured to install to).
[[nodiscard]] std::filesystem::path installed_data_dir(const std::filesystem::path& executable);

/// The content directory to use when none is given: the installed one next to the running
/// executable (installed_data_dir) when it holds `items.json`, else the source tree's `data/`
/// (a program run from the build tree).
[[nodiscard]] std::filesystem::path default_data_dir();

}  // namespace content
