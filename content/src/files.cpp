#include "content/files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>

#include "content/bundle_path.hpp"
#include "content/tmj.hpp"

namespace content {

world::Result<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return world::Error{"cannot read " + path.string() + ": " + std::strerror(errno)};
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return world::Error{"error while reading " + path.string()};
  return text.str();
}

world::Result<Bundle> load_bundle_files(const std::filesystem::path& data_dir, std::string_view map,
                                        std::uint64_t seed) {
  BundleTexts t;
  const auto read = [&](const std::filesystem::path& p,
                        std::string& out) -> std::optional<world::Error> {
    auto r = read_text_file(p);
    if (!r.ok()) return r.error();
    out = std::move(r).value();
    return std::nullopt;
  };
  const std::filesystem::path map_path = data_dir / map;
  static_assert(kBundleRootFiles.size() == 4);
  for (const auto& [file, text, name] :
       {std::tuple{kBundleRootFiles[0], &t.items_json, &t.items_name},
        std::tuple{kBundleRootFiles[1], &t.spells_json, &t.spells_name},
        std::tuple{kBundleRootFiles[2], &t.vocations_json, &t.vocations_name},
        std::tuple{kBundleRootFiles[3], &t.npcs_json, &t.npcs_name}}) {
    if (auto e = read(data_dir / file, *text)) return *e;
    *name = (data_dir / file).string();
  }
  if (auto e = read(map_path, t.map_tmj)) return *e;
  t.map_name = map_path.string();
  const std::filesystem::path map_dir = map_path.parent_path();
  t.resolve = [map_dir](std::string_view source) -> std::optional<std::string> {
    auto r = read_text_file(map_dir / std::filesystem::path(source));
    if (!r.ok()) return std::nullopt;
    return std::move(r).value();
  };
  return load_bundle(t, seed);
}

world::Result<std::vector<ContentFile>> read_bundle_files(const std::filesystem::path& data_dir,
                                                          std::string_view map) {
  if (!is_bundle_path(map)) {
    return world::Error{"the map \"" + std::string(map) +
                        "\" is not a path inside the content directory " + data_dir.string()};
  }
  std::vector<ContentFile> files;
  const auto add = [&](std::string path) -> std::optional<world::Error> {
    for (const ContentFile& f : files) {
      if (f.path == path) return std::nullopt;
    }
    auto text = read_text_file(data_dir / path);
    if (!text.ok()) return text.error();
    files.push_back(ContentFile{std::move(path), std::move(text).value()});
    return std::nullopt;
  };
  for (const std::string_view path : kBundleRootFiles) {
    if (auto e = add(std::string(path))) return *e;
  }
  if (auto e = add(std::string(map))) return *e;
  const std::string map_name = (data_dir / map).string();
  const auto map_file =
      std::find_if(files.begin(), files.end(), [&](const ContentFile& f) { return f.path == map; });
  auto sources = tileset_sources(map_file->bytes, map_name);
  if (!sources.ok()) return sources.error();
  for (const std::string& source : sources.value()) {
    const std::optional<std::string> path = join_bundle_path(map, source);
    if (!path) {
      return world::Error{map_name + ": the tileset \"" + source +
                          "\" is not a file inside the content directory"};
    }
    if (auto e = add(*path)) return *e;
  }
  return files;
}

std::filesystem::path installed_data_dir(const std::filesystem::path& executable) {
  // <prefix>/<bindir>/program -> <prefix>/<datadir>/alphammo
  std::filesystem::path prefix = executable.parent_path();
  for (const auto& part : std::filesystem::path(ALPHAMMO_INSTALL_BIN_DIR)) {
    if (!part.empty() && part != ".") prefix = prefix.parent_path();
  }
  return prefix / ALPHAMMO_INSTALL_DATA_DIR;
}

std::filesystem::path default_data_dir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path installed = installed_data_dir(exe);
    if (std::filesystem::is_regular_file(installed / "items.json", ec)) return installed;
  }
  return ALPHAMMO_SOURCE_DATA_DIR;
}

}  // namespace content
