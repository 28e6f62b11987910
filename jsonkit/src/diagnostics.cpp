#include "jsonkit/diagnostics.hpp"

namespace jsonkit {

void Diagnostics::fail(const Path& at, std::string_view what) {
  if (failed_) return;
  failed_ = true;
  if (!document_.empty()) {
    message_ = document_;
    message_ += ": ";
  }
  const std::string path = at.str();
  if (!path.empty()) {
    message_ += path;
    message_ += ": ";
  }
  message_ += what;
}

void Diagnostics::fail_with(const world::Error& error) {
  if (failed_) return;
  failed_ = true;
  message_ = error.message;
}

}  // namespace jsonkit
