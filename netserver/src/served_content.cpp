#include "netserver/served_content.hpp"

#include <utility>

namespace netserver {
namespace {

std::string_view media_type(std::string_view path) {
  for (const std::string_view ext : {".json", ".tmj", ".tsj"}) {
    if (path.ends_with(ext)) return "application/json";
  }
  return "application/octet-stream";
}

}  // namespace

world::Result<std::shared_ptr<const ServedContent>> ServedContent::make(
    std::string map, std::vector<content::ContentFile> files) {
  world::Result<content::Manifest> manifest = content::make_manifest(std::move(map), files);
  if (!manifest.ok()) return manifest.error();
  std::shared_ptr<ServedContent> out{new ServedContent()};
  out->manifest_ = std::move(manifest).value();
  out->url_ = std::string(kContentUrlPrefix) + out->manifest_.hash + "/";
  out->manifest_text_ = content::manifest_json(out->manifest_);
  for (content::ContentFile& f : files)
    out->files_.emplace(std::move(f.path), std::move(f.bytes));
  return std::shared_ptr<const ServedContent>(std::move(out));
}

protocol::ContentRef ServedContent::ref() const {
  return protocol::ContentRef{manifest_.map, manifest_.hash, url_};
}

std::optional<ServedContent::Resource> ServedContent::find(std::string_view target) const {
  if (!target.starts_with(url_)) return std::nullopt;
  const std::string_view path = target.substr(url_.size());
  if (path == content::kManifestName) return Resource{manifest_text_, "application/json"};
  const auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  return Resource{it->second, media_type(path)};
}

}  // namespace netserver
