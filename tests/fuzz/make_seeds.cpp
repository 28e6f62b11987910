// Writes the seeds that only the code can make, in this build's formats, into a corpus
// directory (one subdirectory per target): a short recording and a world snapshot of
// fuzz::small_world() with players, fights and loot, and the server's message stream of one
// player in that world. The fuzz runs start from these as well as from tests/fuzz/corpus (whose
// copies of them may be of an older format after a format change).
// Usage: fuzz_make_seeds OUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "netserver/views.hpp"
#include "protocol/session.hpp"
#include "world/recording.hpp"

namespace {

void write(const std::filesystem::path& file, const void* data, std::size_t size) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  fuzz::require(out.good(), "the seed is written");
}

// Joins, moves, fights, item commands and leaves (valid and not) for 60 ticks.
world::World played_world(world::RecordingWriter* recorder) {
  world::World w = fuzz::small_world();
  scenarios::ChaosScript script{9};
  for (int t = 0; t < 60; ++t) {
    const std::vector<world::Command> commands = script.next(w);
    const world::StepResult result = w.step(commands);
    if (recorder) recorder->record(commands, result, w);
  }
  return w;
}

// One player's `entered` and tick messages as the server sends them, one per line.
std::string message_stream(bool compact_moves) {
  world::World w = fuzz::small_world();
  world::Character c;
  c.id = world::CharacterId{1};
  c.name = "seed";
  c.position = w.map().player_spawn();
  c.items = {{scenarios::kSword, 1, world::ItemPlace::Equipment, 2},
             {scenarios::kPotion, 3, world::ItemPlace::Backpack, 0}};
  w.step(std::vector<world::Command>{{{}, world::Join{c}, 0}});
  netserver::Views views(5, w.config().chat_radius);
  netserver::ViewOptions options;
  options.compact_moves = compact_moves;
  std::string stream = protocol::encode(views.enter(1, w, *w.find_character(c.id), options));
  stream += '\n';
  scenarios::BattleScript script;
  world::StepResult result;
  std::vector<netserver::Outgoing> out;
  for (int t = 0; t < 40; ++t) {
    w.step(script.next(w), result);
    out.clear();
    views.build(w, result, out);
    for (const netserver::Outgoing& o : out)
      stream += o.text + '\n';
  }
  return stream;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path out{argv[1]};
  world::RecordingOptions options;
  options.hash_interval = 4;
  options.keyframe_interval = 16;
  options.metadata = R"({"made_by":"fuzz_make_seeds"})";
  const world::World initial = fuzz::small_world();
  world::RecordingWriter recorder{initial, options};
  const world::World played = played_world(&recorder);
  recorder.finish();
  write(out / "recording" / "made.amrec", recorder.bytes().data(), recorder.bytes().size());
  const std::vector<std::byte> snapshot = played.serialize();
  write(out / "snapshot" / "made.snapshot", snapshot.data(), snapshot.size());
  for (const bool compact : {false, true}) {
    const std::string stream = message_stream(compact);
    write(out / "server_message" / (compact ? "made_compact.txt" : "made.txt"), stream.data(),
          stream.size());
  }
  std::printf("fuzz_make_seeds: seeds written under %s\n", out.c_str());
  return 0;
}
