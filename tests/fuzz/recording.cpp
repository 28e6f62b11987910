// Fuzz target: the recording reader (libworld/src/recording.cpp), which reads files that may
// come from anywhere (a crashed server's cut-off recording, a download). Opens the bytes, reads
// every tick and keyframe, seeks and verifies: a corrupt recording is an error value, never a
// crash, a hang or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_support.hpp"
#include "world/recording.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes{reinterpret_cast<const std::byte*>(data), size};
  auto reader = world::RecordingReader::open(bytes);
  if (!reader.ok()) return 0;
  auto initial = reader.value().initial_world();
  if (initial.ok()) {
    fuzz::require(!initial.value().check_invariants().has_value(),
                  "the initial keyframe gives a sound world");
  }
  world::RecordedTick tick;
  world::Tick last = 0;
  for (int n = 0; n < 4096; ++n) {
    auto more = reader.value().next(tick);
    if (!more.ok() || !more.value()) break;
    last = tick.tick;
    if (tick.keyframe_offset) {
      auto keyframe = reader.value().keyframe_at(*tick.keyframe_offset);
      if (keyframe.ok()) {
        fuzz::require(!keyframe.value().check_invariants().has_value(),
                      "a keyframe gives a sound world");
      }
    }
  }
  static_cast<void>(world::seek_recording(bytes, last / 2));
  const world::VerifyReport report = world::verify_recording(bytes);
  fuzz::require(report.ok || !report.error.empty() || report.first_divergent_tick.has_value(),
                "a recording that does not verify says why");
  return 0;
}
