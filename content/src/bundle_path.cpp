#include "content/bundle_path.hpp"

#include <vector>

namespace content {
namespace {

bool is_segment_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

bool is_bundle_path(std::string_view path) {
  if (path.empty() || path.size() > kMaxBundlePathBytes) return false;
  bool segment_start = true;
  for (const char c : path) {
    if (c == '/') {
      if (segment_start) return false;  // a leading '/' or an empty segment
      segment_start = true;
      continue;
    }
    if (!is_segment_char(c) || (segment_start && c == '.')) return false;
    segment_start = false;
  }
  return !segment_start;  // no trailing '/'
}

std::optional<std::string> join_bundle_path(std::string_view from, std::string_view relative) {
  if (relative.empty() || relative.front() == '/') return std::nullopt;
  // It names a file: its last segment is a name, not "", "." or "..".
  const std::string_view last = relative.substr(relative.rfind('/') + 1);
  if (last.empty() || last == "." || last == "..") return std::nullopt;
  std::vector<std::string_view> segments;
  // The directory of `from`: every segment but the last.
  for (std::size_t start = 0;;) {
    const std::size_t slash = from.find('/', start);
    if (slash == std::string_view::npos) break;
    segments.push_back(from.substr(start, slash - start));
    start = slash + 1;
  }
  for (std::size_t start = 0; start <= relative.size();) {
    std::size_t slash = relative.find('/', start);
    if (slash == std::string_view::npos) slash = relative.size();
    const std::string_view segment = relative.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (segments.empty()) return std::nullopt;  // above the root
      segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string out;
  for (const std::string_view s : segments) {
    if (!out.empty()) out += '/';
    out += s;
  }
  if (!is_bundle_path(out)) return std::nullopt;
  return out;
}

}  // namespace content
