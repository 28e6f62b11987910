#include "jsonkit/path.hpp"

namespace jsonkit {

std::string Path::str() const {
  std::string out = parent_ != nullptr ? parent_->str() : std::string();
  if (is_index_) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
  } else {
    if (!out.empty()) out += '.';
    out += name_;
  }
  return out;
}

}  // namespace jsonkit
