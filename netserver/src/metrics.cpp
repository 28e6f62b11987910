// The /metrics page: the server's counters (connections, messages, kicks) and the game's (ticks,
// players, saves), with the tick duration as a histogram.

#include "metrics.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "netserver/game.hpp"

namespace netserver::detail {
namespace {

// A metric's "# HELP" and "# TYPE" lines.
void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void metric(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            std::uint64_t value) {
  header(out, name, type, help);
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

// Microseconds as seconds with six decimals ("0.001250").
std::string seconds(std::uint64_t us) {
  std::string frac = std::to_string(us % 1'000'000);
  return std::to_string(us / 1'000'000) + "." + std::string(6 - frac.size(), '0') + frac;
}

// A Prometheus histogram of microseconds: `counts` per bucket (not cumulative), the last one
// +Inf, `bounds_us` the others' upper bounds.
template <std::size_t N>
void histogram(std::string& out, std::string_view name, std::string_view help,
               const std::array<std::uint64_t, N>& bounds_us,
               const std::array<std::uint64_t, N + 1>& counts, std::uint64_t sum_us) {
  header(out, name, "histogram", help);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    std::string le = "+Inf";
    if (i < N) {
      le = seconds(bounds_us[i]);
      while (le.back() == '0')
        le.pop_back();
      if (le.back() == '.') le.pop_back();
    }
    out += std::string{name} + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += std::string{name} + "_sum " + seconds(sum_us) + "\n";
  out += std::string{name} + "_count " + std::to_string(cumulative) + "\n";
}

}  // namespace

std::string metrics_text(const SharedState& state) {
  std::string out;
  metric(out, "alphammo_connected_clients", "gauge", "Open WebSocket sessions.",
         state.connected_clients.load());
  metric(out, "alphammo_open_connections", "gauge", "Open TCP connections.",
         state.open_connections.load());
  metric(out, "alphammo_connections_total", "counter", "TCP connections accepted since start.",
         state.connections_total.load());
  metric(out, "alphammo_connections_refused_total", "counter",
         "TCP connections closed at once (too many open).", state.connections_refused.load());
  metric(out, "alphammo_messages_in_total", "counter", "WebSocket messages received.",
         state.messages_in.load());
  metric(out, "alphammo_messages_out_total", "counter", "WebSocket messages sent.",
         state.messages_out.load());
  metric(out, "alphammo_bytes_in_total", "counter", "WebSocket payload bytes received.",
         state.bytes_in.load());
  metric(out, "alphammo_bytes_out_total", "counter", "WebSocket payload bytes sent.",
         state.bytes_out.load());
  metric(out, "alphammo_errors_sent_total", "counter", "error messages sent to clients.",
         state.errors_sent.load());
  metric(out, "alphammo_kicks_total", "counter", "Sessions ended with kicked.", state.kicks.load());
  metric(out, "alphammo_content_requests_total", "counter",
         "HTTPS requests for the content bundle (/content/...).", state.content_requests.load());
  metric(out, "alphammo_content_not_found_total", "counter",
         "Content requests answered 404 (unknown hash or path).", state.content_not_found.load());

  ServerMetrics sent;
  for (std::size_t i = 0; i < sent.send_delay_buckets.size(); ++i)
    sent.send_delay_buckets[i] = state.send_delay_buckets[i].load();
  histogram(out, "alphammo_tick_send_delay_seconds",
            "From a tick message's hand-over at the end of its tick to its last byte written to "
            "the client's socket.",
            ServerMetrics::kSendDelayBucketsUs, sent.send_delay_buckets,
            state.send_delay_us_sum.load());

  const GameMetrics g = state.game.metrics();
  metric(out, "alphammo_tick", "gauge", "The world's current tick.", g.tick);
  metric(out, "alphammo_players", "gauge", "Players in the world.", g.players);
  metric(out, "alphammo_entities", "gauge", "Entities in the world.", g.entities);
  histogram(out, "alphammo_tick_duration_seconds", "Time to run one tick (step, record, messages).",
            GameMetrics::kTickBucketsUs, g.tick_buckets_us, g.tick_us_sum);
  out += "# HELP alphammo_tick_duration_recent_max_seconds The longest of the last " +
         std::to_string(GameMetrics::kRecentTicks) + " ticks.\n";
  out += "# TYPE alphammo_tick_duration_recent_max_seconds gauge\n";
  out += "alphammo_tick_duration_recent_max_seconds " + seconds(g.tick_us_recent_max) + "\n";
  metric(out, "alphammo_view_entities_total", "counter",
         "Entities in view, summed over the players at every tick (mean in view: its rate / "
         "(tick rate x players)).",
         g.view_entities);
  metric(out, "alphammo_visible_moves_total", "counter",
         "moved deltas in the tick messages sent (one per client that saw the step).",
         g.visible_moves);
  metric(out, "alphammo_ticks_skipped_total", "counter", "Ticks dropped by the catch-up cap.",
         g.ticks_skipped);
  metric(out, "alphammo_simulation_realtime", "gauge",
         "1 when the simulation thread runs at real-time priority (--sim-priority).",
         g.realtime ? 1 : 0);
  metric(out, "alphammo_commands_total", "counter", "Commands given to the world.", g.commands);
  metric(out, "alphammo_rejected_commands_total", "counter", "Commands the world refused.",
         g.rejected_commands);
  metric(out, "alphammo_tick_messages_total", "counter", "tick messages built.", g.tick_messages);
  metric(out, "alphammo_tick_message_bytes_total", "counter", "Bytes of tick messages built.",
         g.tick_bytes);
  metric(out, "alphammo_saves_total", "counter", "Consistent cuts committed to the database.",
         g.saves);
  metric(out, "alphammo_last_save_tick", "gauge",
         "The tick of the last cut committed to the database (0: none yet).", g.last_save_tick);
  metric(out, "alphammo_saved_characters_total", "counter", "Characters in those cuts.",
         g.saved_characters);
  metric(out, "alphammo_save_failures_total", "counter", "Cuts the database refused.",
         g.save_failures);
  metric(out, "alphammo_recording_bytes", "gauge", "Bytes recorded so far.", g.recording_bytes);
  return out;
}

}  // namespace netserver::detail
