// The content cache on disk: `<root>/<hash>/manifest.json` and the bundle's files at their
// paths, checked against the manifest on every load and written through a temporary directory
// that is renamed into place.

#include "client/cached_content.hpp"

#include <stdlib.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>

#include "content/bundle_path.hpp"
#include "content/files.hpp"
#include "content/sha256.hpp"

namespace client {
namespace {

namespace fs = std::filesystem;

ClientError failure(ErrorKind kind, std::string message) {
  ClientError e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

// Checks `files` against `manifest` (which must be the bundle `ref` names) and loads them.
world::Result<LoadedContent, ClientError> load_files(const protocol::ContentRef& ref,
                                                     content::Manifest manifest,
                                                     const std::vector<content::ContentFile>& files,
                                                     fs::path directory) {
  if (manifest.hash != ref.hash) {
    return failure(ErrorKind::Content, "the manifest is of bundle " + manifest.hash + ", not of " +
                                           ref.hash + " as welcome said");
  }
  if (manifest.map != ref.map) {
    return failure(ErrorKind::Content, "bundle " + ref.hash + " runs the map \"" + manifest.map +
                                           "\", not \"" + ref.map + "\" as welcome said");
  }
  for (const content::ManifestFile& f : manifest.files) {
    const content::ContentFile* got = nullptr;
    for (const content::ContentFile& c : files) {
      if (c.path == f.path) got = &c;
    }
    if (got == nullptr) {
      return failure(ErrorKind::Content, "bundle " + ref.hash + ": no file \"" + f.path + "\"");
    }
    if (auto e = content::verify(manifest, f.path, got->bytes)) {
      return failure(ErrorKind::Content, "bundle " + ref.hash + ": " + e->message);
    }
  }
  auto bundle = content::load_bundle(files, manifest.map);
  if (!bundle.ok()) {
    return failure(ErrorKind::Content,
                   "bundle " + ref.hash + " does not load: " + bundle.error().message);
  }
  LoadedContent out;
  out.ref = ref;
  out.manifest = std::move(manifest);
  out.directory = std::move(directory);
  out.bundle = std::make_shared<const content::Bundle>(std::move(bundle).value());
  return out;
}

std::optional<ClientError> write_file(const fs::path& path, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (ec || !out) return failure(ErrorKind::Cache, "cannot write " + path.string());
  return std::nullopt;
}

// A new empty directory `<root>/.tmp-<hash>-XXXXXX` (never a hash: it starts with a dot).
world::Result<fs::path, ClientError> make_temporary_dir(const fs::path& root,
                                                        const std::string& hash) {
  std::string pattern = (root / (".tmp-" + hash + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return failure(ErrorKind::Cache, "cannot create a directory in the content cache " +
                                         root.string() + ": " +
                                         std::generic_category().message(errno));
  }
  return fs::path(pattern);
}

}  // namespace

fs::path default_cache_root() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && fs::path(xdg).is_absolute()) return fs::path(xdg) / "alphammo" / "content";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return fs::path(home) / ".cache" / "alphammo" / "content";
  std::error_code ec;
  return fs::temp_directory_path(ec) / "alphammo-content";
}

std::optional<ClientError> check_content_ref(const protocol::ContentRef& ref) {
  if (!content::is_sha256_hex(ref.hash)) {
    return failure(ErrorKind::Content, "welcome names the content bundle \"" + ref.hash +
                                           "\", which is not 64 lower-case hex digits");
  }
  if (!content::is_bundle_path(ref.map)) {
    return failure(ErrorKind::Content,
                   "welcome names the map \"" + ref.map + "\", which is not a bundle path");
  }
  bool plain = !ref.url.empty() && ref.url.front() == '/' && !ref.url.starts_with("//");
  for (const char c : ref.url)
    plain = plain && c > ' ' && c < 0x7f;
  if (!plain) {
    return failure(ErrorKind::Content,
                   "welcome names the content URL \"" + ref.url + "\", which is not a plain path");
  }
  return std::nullopt;
}

world::Result<LoadedContent, ClientError> load_cached_content(const fs::path& cache_root,
                                                              const protocol::ContentRef& ref) {
  if (auto e = check_content_ref(ref)) return *e;
  const fs::path dir = cache_root / ref.hash;
  const fs::path manifest_path = dir / content::kManifestName;
  auto text = content::read_text_file(manifest_path);
  if (!text.ok()) {
    return failure(ErrorKind::Cache,
                   "bundle " + ref.hash + " is not in the cache: " + text.error().message);
  }
  auto manifest = content::parse_manifest(text.value(), manifest_path.string());
  if (!manifest.ok()) return failure(ErrorKind::Content, manifest.error().message);
  std::vector<content::ContentFile> files;
  for (const content::ManifestFile& f : manifest.value().files) {
    auto bytes = content::read_text_file(dir / f.path);
    if (!bytes.ok()) return failure(ErrorKind::Cache, bytes.error().message);
    files.push_back(content::ContentFile{f.path, std::move(bytes).value()});
  }
  auto loaded = load_files(ref, std::move(manifest).value(), files, dir);
  if (loaded.ok()) loaded.value().from_cache = true;
  return loaded;
}

world::Result<LoadedContent, ClientError> save_content(
    const fs::path& cache_root, const protocol::ContentRef& ref, content::Manifest manifest,
    const std::vector<content::ContentFile>& files) {
  if (auto e = check_content_ref(ref)) return *e;
  const fs::path dir = cache_root / ref.hash;
  auto loaded = load_files(ref, std::move(manifest), files, dir);
  if (!loaded.ok()) return loaded;

  std::error_code ec;
  fs::create_directories(cache_root, ec);
  if (ec) {
    return failure(ErrorKind::Cache,
                   "cannot create the content cache " + cache_root.string() + ": " + ec.message());
  }
  auto temporary = make_temporary_dir(cache_root, ref.hash);
  if (!temporary.ok()) return temporary.error();
  const fs::path& tmp = temporary.value();
  const auto give_up = [&](ClientError e) -> world::Result<LoadedContent, ClientError> {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    return e;
  };
  if (auto e = write_file(tmp / content::kManifestName,
                          content::manifest_json(loaded.value().manifest))) {
    return give_up(*e);
  }
  for (const content::ContentFile& f : files) {
    if (auto e = write_file(tmp / f.path, f.bytes)) return give_up(*e);
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    // Another client put it there meanwhile (keep theirs), or a damaged copy is in the way.
    if (load_cached_content(cache_root, ref).ok()) {
      give_up(ClientError{});
      return loaded;
    }
    fs::remove_all(dir, ec);
    fs::rename(tmp, dir, ec);
    if (ec) {
      return give_up(failure(ErrorKind::Cache, "cannot put bundle " + ref.hash +
                                                   " into the content cache " +
                                                   cache_root.string() + ": " + ec.message()));
    }
  }
  return loaded;
}

}  // namespace client
