#pragma once
// Private to netserver_net: the /metrics page, the server's counters and the game's in the
// Prometheus text format (version 0.0.4).

#include <string>

#include "shared_state.hpp"

namespace netserver::detail {

/// The counters of `state` and of its game, as Prometheus text.
[[nodiscard]] std::string metrics_text(const SharedState& state);

}  // namespace netserver::detail
