#pragma once
/// \file The content bundle a server serves over HTTPS (docs/protocol.md, "Content"): the files
/// the world was built from, held in memory with their manifest, and what `GET /content/...`
/// answers. Pure: no sockets and no disk.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/bundle.hpp"
#include "content/manifest.hpp"
#include "protocol/session.hpp"
#include "world/result.hpp"

namespace netserver {

/// Every URL of the content starts with this.
inline constexpr std::string_view kContentUrlPrefix = "/content/";

/// One bundle in memory, answering GET requests for its manifest and files.
class ServedContent {
 public:
  /// What a GET answers: a view of bytes the ServedContent holds, and their media type.
  struct Resource {
    std::string_view body;          ///< The manifest's or the file's bytes.
    std::string_view content_type;  ///< "application/json" or "application/octet-stream".
  };

  /// The bundle of `files` running `map` (content::make_manifest; its error when they cannot
  /// make a bundle).
  [[nodiscard]] static world::Result<std::shared_ptr<const ServedContent>> make(
      std::string map, std::vector<content::ContentFile> files);

  /// The manifest (its hash names the bundle).
  [[nodiscard]] const content::Manifest& manifest() const { return manifest_; }
  /// What `welcome` says: the map, the hash and the URL "/content/<hash>/".
  [[nodiscard]] protocol::ContentRef ref() const;
  /// The answer to `GET target`: the manifest for "<url>manifest.json", a file for "<url><path>"
  /// with a path the manifest lists; nullopt (404) for anything else. The target is compared
  /// as it is: no escape is decoded and nothing is normalised.
  [[nodiscard]] std::optional<Resource> find(std::string_view target) const;

 private:
  ServedContent() = default;

  content::Manifest manifest_;
  std::string url_;
  std::string manifest_text_;
  std::map<std::string, std::string, std::less<>> files_;  // path -> bytes
};

}  // namespace netserver
