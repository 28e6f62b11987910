#include "content/manifest.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "content/bundle_path.hpp"
#include "content/sha256.hpp"
#include "json_reader.hpp"

namespace content {
namespace {

using detail::Json;
using detail::ObjectReader;
using detail::Path;
using detail::quote;

// The files a bundle always has, besides its map.
constexpr const auto& kRequiredFiles = kBundleRootFiles;

bool by_path(const ManifestFile& a, const ManifestFile& b) {
  return a.path < b.path;
}

// The first required file (or the map) that `listed` does not hold.
template <typename Listed>
std::optional<std::string> missing_file(std::string_view map, Listed listed) {
  for (const std::string_view required : kRequiredFiles) {
    if (!listed(required)) return std::string(required);
  }
  if (!listed(map)) return std::string(map);
  return std::nullopt;
}

}  // namespace

std::string bundle_hash(std::string_view map, std::span<const ManifestFile> files) {
  std::vector<const ManifestFile*> sorted;
  sorted.reserve(files.size());
  for (const ManifestFile& f : files)
    sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](const ManifestFile* a, const ManifestFile* b) { return by_path(*a, *b); });
  Sha256 h;
  h.update(map);
  h.update("\n");
  for (const ManifestFile* f : sorted) {
    h.update(f->path);
    h.update("\n");
    h.update(f->sha256);
    h.update("\n");
  }
  return h.hex();
}

world::Result<Manifest> make_manifest(std::string map, std::span<const ContentFile> files) {
  Manifest m;
  m.map = std::move(map);
  m.files.reserve(files.size());
  for (const ContentFile& f : files) {
    if (!is_bundle_path(f.path)) {
      return world::Error{quote(f.path) +
                          " is not a bundle path (letters, digits, '.', '_' and "
                          "'-' in '/'-separated parts that do not start with '.')"};
    }
    if (f.path == kManifestName) {
      return world::Error{quote(f.path) + " is the manifest's name and cannot be a file's"};
    }
    if (f.bytes.size() > kMaxBundleFileBytes) {
      return world::Error{quote(f.path) + " is larger than " + std::to_string(kMaxBundleFileBytes) +
                          " bytes"};
    }
    m.files.push_back(ManifestFile{f.path, f.bytes.size(), sha256_hex(f.bytes)});
  }
  if (m.files.size() > kMaxBundleFiles) {
    return world::Error{"a bundle has at most " + std::to_string(kMaxBundleFiles) + " files"};
  }
  std::sort(m.files.begin(), m.files.end(), by_path);
  for (std::size_t i = 1; i < m.files.size(); ++i) {
    if (m.files[i].path == m.files[i - 1].path) {
      return world::Error{quote(m.files[i].path) + " is in the bundle twice"};
    }
  }
  if (auto missing = missing_file(m.map, [&](std::string_view p) { return find_file(m, p); })) {
    return world::Error{"the bundle has no file " + quote(*missing)};
  }
  m.hash = bundle_hash(m.map, m.files);
  return m;
}

std::string manifest_json(const Manifest& manifest) {
  Json files = Json::array();
  for (const ManifestFile& f : manifest.files) {
    files.push_back(Json{{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
  }
  const Json doc{{"map", manifest.map}, {"files", std::move(files)}, {"hash", manifest.hash}};
  return doc.dump(2) + "\n";
}

world::Result<Manifest> parse_manifest(std::string_view json, std::string_view file_name) {
  world::Result<Json> doc = detail::parse_document(json, file_name);
  if (!doc.ok()) return doc.error();
  detail::Diagnostics diag{std::string(file_name)};
  if (!doc.value().is_object()) {
    diag.fail("expected an object {\"map\": .., \"files\": [...], \"hash\": ..}, got " +
              detail::describe(doc.value()));
    return diag.error();
  }
  const Path root;
  ObjectReader top{diag, doc.value(), root};
  Manifest m;
  if (std::optional<std::string> map = top.string("map", true)) {
    m.map = std::move(*map);
    if (!is_bundle_path(m.map)) top.fail("map", quote(m.map) + " is not a bundle path");
  }
  const Json* files = top.array("files", true);
  std::optional<std::string> hash = top.string("hash", true);
  if (diag.failed()) return diag.error();
  if (!is_sha256_hex(*hash)) {
    top.fail("hash", "expected 64 lower-case hex digits, got " + quote(*hash));
    return diag.error();
  }
  m.hash = std::move(*hash);
  if (files->size() > kMaxBundleFiles) {
    top.fail("files", "a bundle has at most " + std::to_string(kMaxBundleFiles) + " files");
    return diag.error();
  }

  std::map<std::string, std::size_t, std::less<>> seen;  // path -> index
  const Path files_at("files");
  detail::for_each_object(
      diag, *files, files_at, [&](const Json& entry, const Path& where, std::size_t i) {
        ObjectReader r{diag, entry, where};
        ManifestFile f;
        f.path = r.string("path", true).value_or("");
        const std::optional<std::int64_t> size =
            r.required_integer("size", 0, static_cast<std::int64_t>(kMaxBundleFileBytes));
        f.sha256 = r.string("sha256", true).value_or("");
        if (diag.failed()) return;
        f.size = static_cast<std::uint64_t>(*size);
        if (!is_bundle_path(f.path)) {
          r.fail("path", quote(f.path) + " is not a bundle path");
        } else if (f.path == kManifestName) {
          r.fail("path", quote(f.path) + " is the manifest's name and cannot be a file's");
        } else if (const auto [it, fresh] = seen.emplace(f.path, i); !fresh) {
          r.fail("path", quote(f.path) + " is listed twice (first at " +
                             Path(files_at, it->second).str() + ")");
        } else if (!is_sha256_hex(f.sha256)) {
          r.fail("sha256", "expected 64 lower-case hex digits, got " + quote(f.sha256));
        }
        m.files.push_back(std::move(f));
      });
  if (diag.failed()) return diag.error();
  if (auto missing = missing_file(m.map, [&](std::string_view p) { return seen.count(p) > 0; })) {
    top.fail("files", "the bundle has no file " + quote(*missing));
    return diag.error();
  }
  if (const std::string computed = bundle_hash(m.map, m.files); computed != m.hash) {
    top.fail("hash", "does not match the map and files listed (their hash is " + computed + ")");
    return diag.error();
  }
  return m;
}

const ManifestFile* find_file(const Manifest& manifest, std::string_view path) {
  for (const ManifestFile& f : manifest.files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

std::optional<world::Error> verify(const Manifest& manifest, std::string_view path,
                                   std::string_view bytes) {
  const ManifestFile* f = find_file(manifest, path);
  if (f == nullptr) {
    return world::Error{quote(path) + " is not a file of the bundle " + manifest.hash};
  }
  if (bytes.size() != f->size) {
    return world::Error{quote(path) + " has " + std::to_string(bytes.size()) +
                        " bytes, the manifest says " + std::to_string(f->size)};
  }
  if (const std::string digest = sha256_hex(bytes); digest != f->sha256) {
    return world::Error{quote(path) + " has the SHA-256 " + digest + ", the manifest says " +
                        f->sha256};
  }
  return std::nullopt;
}

}  // namespace content
