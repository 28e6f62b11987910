// Counterfactuals: load a recording, seek to tick T, change one thing, run on, and compare the
// outcome with what really happened. Possible because a World is a value and replay is exact.
//
//   replay_fork RECORDING [--tick T] [--ticks N]
//
// Right after tick T the fork makes the first player in the world leave; both timelines step the
// recorded commands for N ticks (the forked one without the commands of the player who left).
// The original timeline is checked against the recording's own hashes as it goes.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "world/recording.hpp"

int main(int argc, char** argv) {
  // 1. Initialise: read the recording and the arguments.
  if (argc < 2) {
    std::fprintf(stderr, "usage: replay_fork RECORDING [--tick T] [--ticks N]\n");
    return 2;
  }
  world::Tick fork_at = 200, run = 400;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--tick") == 0) fork_at = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--ticks") == 0) run = std::strtoull(argv[i + 1], nullptr, 10);
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::vector<char> text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
  if (text.empty()) {
    std::fprintf(stderr, "replay_fork: cannot read %s\n", argv[1]);
    return 2;
  }
  const std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(text.data()),
                                     reinterpret_cast<const std::byte*>(text.data()) + text.size());
  auto seeked = world::seek_recording(bytes, fork_at);
  if (!seeked.ok()) {
    std::fprintf(stderr, "replay_fork: %s\n", seeked.error().message.c_str());
    return 2;
  }

  // 2. Update: copy the world (a snapshot), change the copy, step both with the recorded commands.
  world::World original = seeked.value();
  world::World fork = original;
  std::optional<world::EntityId> gone;
  for (const world::EntityId id : fork.entity_ids()) {
    if (fork.entity(id)->kind == world::EntityKind::Player) {
      gone = id;
      break;
    }
  }
  if (!gone) {
    std::fprintf(stderr, "replay_fork: no player in the world at tick %llu\n",
                 static_cast<unsigned long long>(fork_at));
    return 2;
  }
  const std::string name = fork.entity(*gone)->name;

  auto reader = world::RecordingReader::open(bytes);
  world::RecordedTick t;
  std::uint64_t stepped = 0, hits_original = 0, hits_fork = 0;
  world::StepResult r;
  while (stepped < run && reader.value().next(t).value()) {
    if (t.tick <= fork_at) continue;  // already in the past of both worlds
    original.step(t.commands, r);
    if (static_cast<std::uint16_t>(r.state_hash) != t.hash16) {
      std::fprintf(stderr, "replay_fork: the original timeline diverges from the recording\n");
      return 1;
    }
    for (const auto& d : r.deltas)
      hits_original += std::holds_alternative<world::Hit>(d);
    // The fork: the same commands without the player's, who leaves on the first tick.
    std::vector<world::Command> without;
    for (const auto& c : t.commands) {
      if (c.actor != *gone) without.push_back(c);
    }
    if (t.tick == fork_at + 1) without.push_back({*gone, world::Leave{}, 0});
    fork.step(without, r);
    for (const auto& d : r.deltas)
      hits_fork += std::holds_alternative<world::Hit>(d);
    ++stepped;
  }

  // 3. Report: how the two timelines differ.
  std::printf("forked at tick %llu: '%s' (%u#%u) left; stepped %llu more ticks\n",
              static_cast<unsigned long long>(fork_at), name.c_str(), gone->index, gone->generation,
              static_cast<unsigned long long>(stepped));
  std::printf("original: tick %llu, %zu entities, %llu hits, hash %016llx\n",
              static_cast<unsigned long long>(original.tick()), original.entity_count(),
              static_cast<unsigned long long>(hits_original),
              static_cast<unsigned long long>(original.state_hash()));
  std::printf("fork:     tick %llu, %zu entities, %llu hits, hash %016llx\n",
              static_cast<unsigned long long>(fork.tick()), fork.entity_count(),
              static_cast<unsigned long long>(hits_fork),
              static_cast<unsigned long long>(fork.state_hash()));
  const auto diffs = original.diff(fork, 10);
  std::printf("first differences (original vs fork):\n");
  for (const auto& d : diffs)
    std::printf("  %s\n", d.c_str());
  // 4. Shut down: nothing to close.
  return 0;
}
