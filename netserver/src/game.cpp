#include "netserver/game.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <variant>

#include "threads.hpp"
#include "world/world.hpp"

namespace netserver {
namespace {

using Clock = std::chrono::steady_clock;

protocol::CharacterList to_message(const std::vector<CharacterSummary>& list) {
  protocol::CharacterList out;
  out.list.reserve(list.size());
  for (const CharacterSummary& c : list)
    out.list.push_back(protocol::CharacterSummary{c.id, c.name, c.level, c.vocation, c.look});
  return out;
}

std::string error_text(protocol::ErrorCode code, std::string message, protocol::ErrorRef ref) {
  return protocol::encode(protocol::ProtocolError{code, std::move(message), std::move(ref)});
}

const protocol::ErrorRef kEnterRef{std::string{"enter_world"}};

}  // namespace

struct Game::Impl {
  // Something a session asked for, or an answer of the account service, in arrival order.
  struct Event {
    enum Kind : std::uint8_t { Enter, Loaded, LoadFailed, Command, Leave, Delete } kind = Command;
    ClientKey client = 0;
    std::shared_ptr<GameLink> link;
    AccountId account{};
    world::CharacterId character{};
    ViewOptions view;
    protocol::ClientCommand command;
    world::Character loaded;
    AccountError error;
    bool answer = false;
  };

  // A client from enter_world until it is out of the world again.
  struct Player {
    enum State : std::uint8_t { Loading, Joining, InWorld, Leaving } state = Loading;
    std::shared_ptr<GameLink> link;
    AccountId account{};
    world::CharacterId character{};
    world::EntityId entity;
    ViewOptions view;
    std::uint32_t join_index = 0;  // of the Join command in the tick's command list
    bool leave_requested = false;
    bool answer_leave = false;
  };

  Impl(GameOptions opts, AccountService& accounts_)
      : options(std::move(opts)),
        accounts(accounts_),
        world(options.config, options.map),
        views(options.view_radius, world.config().chat_radius) {
    if (!options.map) throw std::invalid_argument("Game: no map");
    if (options.save_interval_ticks == 0) {
      options.save_interval_ticks = 60 * std::max<std::uint32_t>(1, world.config().tick_rate_hz);
    }
    if (!options.recording_path.empty()) {
      recording_file.open(options.recording_path, std::ios::binary | std::ios::trunc);
      if (!recording_file) {
        throw std::runtime_error("cannot create the recording " + options.recording_path.string());
      }
      recorder.emplace(world, options.recording);
      write_recording(true);
    }
    last_cut_tick = world.tick();
  }

  GameOptions options;
  AccountService& accounts;
  world::World world;
  Views views;
  std::optional<world::RecordingWriter> recorder;
  std::ofstream recording_file;

  // The inbox: filled by any thread, drained by the tick.
  std::mutex inbox_mutex;
  std::vector<Event> inbox;
  std::vector<Event> draining;

  // Owned by the simulation thread.
  std::map<ClientKey, Player> players;
  std::map<world::CharacterId, ClientKey> in_use;
  std::map<world::CharacterId, world::Character> last_saved;  // what the database holds
  std::vector<Event> waiting;  // enter_world of a character its other session is leaving with
  world::Tick last_cut_tick = 0;
  std::vector<world::Command> commands;
  std::vector<ClientKey> owners;   // per command: whose (0 for none)
  std::vector<ClientKey> joiners;  // whose Join commands, in command order
  world::StepResult result;
  std::vector<Outgoing> outgoing;
  std::vector<std::pair<ClientKey, std::string>> entered;

  // Metrics, copied out under a lock.
  mutable std::mutex metrics_mutex;
  GameMetrics counters;
  std::array<std::uint64_t, GameMetrics::kRecentTicks> recent_us{};  // ring of tick durations
  std::size_t recent_next = 0;

  // The real-time loop.
  std::thread thread;
  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool stop_requested = false;
  bool started = false;
  bool stopped = false;

  void push(Event e) {
    const std::lock_guard lock{inbox_mutex};
    inbox.push_back(std::move(e));
  }

  void write_recording(bool flush) {
    if (!recorder) return;
    const auto bytes = recorder->take();
    if (!bytes.empty()) {
      recording_file.write(reinterpret_cast<const char*>(bytes.data()),
                           static_cast<std::streamsize>(bytes.size()));
    }
    if (flush) recording_file.flush();
    if (!recording_file) {
      spdlog::error("recording {}: write failed; recording stopped",
                    options.recording_path.string());
      recorder.reset();
    }
  }

  void fail_enter(const std::shared_ptr<GameLink>& link, protocol::ErrorCode code,
                  std::string message) {
    if (link)
      link->deliver(error_text(code, std::move(message), kEnterRef), LinkEvent::EnterFailed);
  }

  // Forgets a player; an enter_world of its character that was waiting for it goes ahead.
  void release(ClientKey client) {
    const auto it = players.find(client);
    if (it == players.end()) return;
    const world::CharacterId character = it->second.character;
    const auto use = in_use.find(character);
    if (use != in_use.end() && use->second == client) in_use.erase(use);
    players.erase(it);
    std::vector<Event> resumed;
    for (auto w = waiting.begin(); w != waiting.end();) {
      if (w->character == character) {
        resumed.push_back(std::move(*w));
        w = waiting.erase(w);
      } else {
        ++w;
      }
    }
    for (Event& e : resumed)
      on_enter(e);
  }

  // --- events --------------------------------------------------------------------------------

  void on_enter(Event& e) {
    if (players.contains(e.client)) {
      return fail_enter(e.link, protocol::ErrorCode::AlreadyInWorld,
                        "enter_world: this session is already in the world");
    }
    if (players.size() >= options.max_players) {
      return fail_enter(
          e.link, protocol::ErrorCode::WorldFull,
          "enter_world: the world is full (" + std::to_string(options.max_players) + " players)");
    }
    if (const auto use = in_use.find(e.character); use != in_use.end()) {
      Player& other = players.at(use->second);
      if (other.account == e.account) {
        // The same account from a new session: the old one leaves (and is saved) first.
        other.leave_requested = true;
        waiting.push_back(std::move(e));
        return;
      }
      // Another account's character, online: not one of this account's, so the store refuses
      // the load (no_such_character) by the same path and delay as for any such id; whether it
      // is online is not revealed. It is not claimed.
    } else {
      in_use.emplace(e.character, e.client);
    }
    Player& p = players[e.client];
    p.link = e.link;
    p.account = e.account;
    p.character = e.character;
    p.view = e.view;
    const ClientKey client = e.client;
    accounts.load_character(e.account, e.character,
                            [this, client](AccountResult<world::Character> loaded) {
                              Event answer;
                              answer.client = client;
                              if (loaded.ok()) {
                                answer.kind = Event::Loaded;
                                answer.loaded = std::move(loaded).value();
                              } else {
                                answer.kind = Event::LoadFailed;
                                answer.error = loaded.error();
                              }
                              push(std::move(answer));
                            });
  }

  void on_loaded(Event& e) {
    const auto it = players.find(e.client);
    if (it == players.end() || it->second.state != Player::Loading) return;
    Player& p = it->second;
    if (p.leave_requested) return release(e.client);  // gone while loading
    last_saved[e.loaded.id] = e.loaded;
    p.state = Player::Joining;
    p.join_index = static_cast<std::uint32_t>(commands.size());
    joiners.push_back(e.client);
    commands.push_back(world::Command{{}, world::Join{std::move(e.loaded)}, 0});
    owners.push_back(0);
  }

  void on_load_failed(Event& e) {
    const auto it = players.find(e.client);
    if (it == players.end() || it->second.state != Player::Loading) return;
    const auto link = it->second.link;
    release(e.client);
    fail_enter(link, e.error.code, "enter_world: " + e.error.message);
  }

  void on_command(Event& e) {
    const auto it = players.find(e.client);
    if (it == players.end() || it->second.state != Player::InWorld) return;
    commands.push_back(e.command.for_actor(it->second.entity));
    owners.push_back(e.client);
  }

  void on_leave(Event& e) {
    // An enter_world still waiting for the character's previous session is dropped.
    std::erase_if(waiting, [&](const Event& w) { return w.client == e.client; });
    const auto it = players.find(e.client);
    if (it == players.end()) return;
    it->second.leave_requested = true;
    it->second.answer_leave = it->second.answer_leave || e.answer;
  }

  void on_delete(Event& e) {
    if (const auto use = in_use.find(e.character); use == in_use.end()) {
      last_saved.erase(e.character);
    } else if (players.at(use->second).account == e.account) {
      if (e.link) {
        e.link->deliver(error_text(protocol::ErrorCode::CharacterInUse,
                                   "delete_character: the character is in the world",
                                   std::string{"delete_character"}),
                        LinkEvent::Answer);
      }
      return;
    }
    // (Another account's character, online or not, is refused by the store: no_such_character.)
    accounts.delete_character(
        e.account, e.character, [link = e.link](AccountResult<std::vector<CharacterSummary>> list) {
          if (!link) return;
          if (list.ok())
            return link->deliver(protocol::encode(to_message(list.value())), LinkEvent::Answer);
          link->deliver(error_text(list.error().code, "delete_character: " + list.error().message,
                                   std::string{"delete_character"}),
                        LinkEvent::Answer);
        });
  }

  // --- saving --------------------------------------------------------------------------------

  // Saves every player in the world whose state differs from what the database holds, as of
  // the current tick boundary, in one transaction.
  void save_cut() {
    std::vector<world::Character> cut;
    for (const auto& [client, p] : players) {
      if (p.state != Player::InWorld) continue;
      auto c = world.export_character(p.entity);
      if (!c) continue;
      auto& saved = last_saved[c->id];
      if (saved == *c) continue;
      saved = *c;
      cut.push_back(std::move(*c));
    }
    last_cut_tick = world.tick();
    if (cut.empty()) return;
    const std::size_t n = cut.size();
    const world::Tick tick = world.tick();
    accounts.save_cut(tick, std::move(cut), [this, tick, n](AccountResult<Done> done) {
      if (done.ok()) {  // counted once committed (the database thread answers)
        const std::lock_guard lock{metrics_mutex};
        ++counters.saves;
        counters.saved_characters += n;
        counters.last_save_tick = std::max(counters.last_save_tick, tick);
        return;
      }
      spdlog::error("saving {} characters as of tick {} failed: {}", n, tick, done.error().message);
      const std::lock_guard lock{metrics_mutex};
      ++counters.save_failures;
      // The next cut saves everyone again (see begin_tick: a failure clears last_saved).
      save_failed.store(true);
    });
  }
  std::atomic<bool> save_failed{false};
  std::atomic<world::Tick> tick_now{0};

  // --- the tick ------------------------------------------------------------------------------

  void run_tick() {
    const auto started_at = Clock::now();
    begin_tick();
    for (Event& e : draining)
      handle(e);
    draining.clear();

    // Players leaving now: saved as of this boundary together with everyone else who changed,
    // then their Leave is stepped; their other commands of this tick are dropped.
    const std::vector<ClientKey> leaving = leaving_players();
    const bool periodic = world.tick() - last_cut_tick >= options.save_interval_ticks;
    if (!leaving.empty() || periodic) save_cut();
    if (!leaving.empty()) {
      drop_commands_of(leaving);
      queue_leaves(leaving);
    }

    step_world();
    finish_leaves(leaving);
    finish_joins();
    views.build(world, result, outgoing);
    const std::uint64_t bytes = deliver();
    probe_views();
    count_tick(started_at, bytes);
  }

  // Takes the inbox and clears what the previous tick left.
  void begin_tick() {
    {
      const std::lock_guard lock{inbox_mutex};
      draining.swap(inbox);
    }
    commands.clear();
    owners.clear();
    joiners.clear();
    entered.clear();
    outgoing.clear();
    if (save_failed.exchange(false)) last_saved.clear();
  }

  void handle(Event& e) {
    switch (e.kind) {
      case Event::Enter:
        on_enter(e);
        break;
      case Event::Loaded:
        on_loaded(e);
        break;
      case Event::LoadFailed:
        on_load_failed(e);
        break;
      case Event::Command:
        on_command(e);
        break;
      case Event::Leave:
        on_leave(e);
        break;
      case Event::Delete:
        on_delete(e);
        break;
    }
  }

  // Players in the world who asked to leave, by client key.
  std::vector<ClientKey> leaving_players() const {
    std::vector<ClientKey> leaving;
    for (const auto& [client, p] : players) {
      if (p.state == Player::InWorld && p.leave_requested) leaving.push_back(client);
    }
    return leaving;
  }

  // Drops the commands of leaving players; joins are kept, and their indices follow.
  void drop_commands_of(const std::vector<ClientKey>& leaving) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < commands.size(); ++i) {
      if (owners[i] != 0 && std::binary_search(leaving.begin(), leaving.end(), owners[i])) {
        continue;
      }
      if (kept != i) {
        commands[kept] = std::move(commands[i]);
        owners[kept] = owners[i];
      }
      ++kept;
    }
    commands.resize(kept);
    owners.resize(kept);
    // Joins are never dropped: the k-th Join left is still the k-th joiner's.
    std::size_t k = 0;
    for (std::size_t i = 0; i < commands.size() && k < joiners.size(); ++i) {
      if (std::holds_alternative<world::Join>(commands[i].payload)) {
        players.at(joiners[k++]).join_index = static_cast<std::uint32_t>(i);
      }
    }
  }

  // Appends a Leave for each leaving player and takes it out of the views.
  void queue_leaves(const std::vector<ClientKey>& leaving) {
    for (const ClientKey client : leaving) {
      Player& p = players.at(client);
      p.state = Player::Leaving;
      views.leave(client);
      commands.push_back(world::Command{p.entity, world::Leave{}, 0});
      owners.push_back(0);
    }
  }

  // Steps the world over the tick's commands, records the tick, acknowledges the commands.
  void step_world() {
    world.step(commands, result);
    tick_now.store(result.tick);
    if (recorder) {
      recorder->record(commands, result, world);
      write_recording(result.tick % 20 == 0);
    }
    for (std::size_t i = 0; i < commands.size(); ++i) {
      if (owners[i] != 0) views.acknowledge(owners[i], commands[i].seq);
    }
  }

  // Hands every tick message and every entered answer to its session; returns the tick bytes.
  std::uint64_t deliver() {
    std::uint64_t bytes = 0;
    for (Outgoing& o : outgoing) {
      bytes += o.text.size();
      const auto it = players.find(o.client);
      if (it != players.end() && it->second.link) {
        it->second.link->deliver(std::move(o.text), LinkEvent::Push);
      }
    }
    for (auto& [client, text] : entered) {
      const auto it = players.find(client);
      if (it != players.end()) it->second.link->deliver(std::move(text), LinkEvent::Entered);
    }
    return bytes;
  }

  void probe_views() {
    if (!options.view_probe) return;
    for (const auto& [client, p] : players) {
      if (p.state == Player::InWorld && views.contains(client)) {
        options.view_probe(result.tick, p.entity, views.view_of(client, world));
      }
    }
  }

  void count_tick(Clock::time_point started_at, std::uint64_t bytes) {
    const auto us = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_at).count());
    const std::lock_guard lock{metrics_mutex};
    std::size_t bucket = 0;
    while (bucket < GameMetrics::kTickBucketsUs.size() && us > GameMetrics::kTickBucketsUs[bucket])
      ++bucket;
    ++counters.tick_buckets_us[bucket];
    counters.tick_us_sum += us;
    recent_us[recent_next] = us;
    recent_next = (recent_next + 1) % recent_us.size();
    counters.view_entities += views.entities_in_view();
    counters.visible_moves += views.moves_sent();
    counters.tick = result.tick;
    counters.players = views.size();
    counters.entities = world.entity_count();
    counters.commands += commands.size();
    counters.rejected_commands += result.rejections.size();
    counters.tick_messages += outgoing.size();
    counters.tick_bytes += bytes;
    counters.recording_bytes = recorder ? recorder->total_bytes() : counters.recording_bytes;
  }

  void finish_leaves(const std::vector<ClientKey>& leaving) {
    for (const ClientKey client : leaving) {
      Player& p = players.at(client);
      const world::CharacterId character = p.character;
      const auto link = p.link;
      const bool answer = p.answer_leave;
      const AccountId account = p.account;
      release(client);
      last_saved.erase(character);
      if (answer && link) {
        accounts.list_characters(account, [link](AccountResult<std::vector<CharacterSummary>> l) {
          if (l.ok())
            return link->deliver(protocol::encode(to_message(l.value())), LinkEvent::Left);
          link->deliver(error_text(l.error().code, "leave_world: " + l.error().message,
                                   std::string{"leave_world"}),
                        LinkEvent::Left);
        });
      }
    }
  }

  void finish_joins() {
    for (auto it = players.begin(); it != players.end();) {
      const ClientKey client = it->first;
      Player& p = it->second;
      ++it;
      if (p.state != Player::Joining) continue;
      const auto rejected =
          std::find_if(result.rejections.begin(), result.rejections.end(),
                       [&](const world::Rejection& r) { return r.command_index == p.join_index; });
      if (rejected != result.rejections.end()) {
        const auto link = p.link;
        const auto reason = rejected->reason;
        release(client);
        if (reason == world::RejectReason::NoFreeTile) {
          fail_enter(link, protocol::ErrorCode::WorldFull,
                     "enter_world: no free tile near the character's position or the spawn");
        } else if (reason == world::RejectReason::AlreadyInWorld) {
          fail_enter(link, protocol::ErrorCode::CharacterInUse,
                     "enter_world: the character is in the world");
        } else {
          spdlog::error("enter_world: the world refused the saved character: {}",
                        world::to_string(reason));
          fail_enter(link, protocol::ErrorCode::InternalError,
                     std::string{"enter_world: the saved character is invalid ("} +
                         std::string{world::to_string(reason)} + ")");
        }
        continue;
      }
      const auto entity = world.find_character(p.character);
      if (!entity) {
        release(client);
        continue;
      }
      p.entity = *entity;
      p.state = Player::InWorld;
      entered.emplace_back(client, protocol::encode(views.enter(client, world, *entity, p.view)));
      if (p.leave_requested) views.leave(client);  // gone already: it leaves next tick
    }
  }

  // --- shutdown ------------------------------------------------------------------------------

  void final_tick() {
    // Everyone in the world is saved as of this boundary and leaves in one last tick.
    {
      const std::lock_guard lock{inbox_mutex};
      inbox.clear();
    }
    for (auto& [client, p] : players) {
      if (p.state == Player::InWorld) p.leave_requested = true;
    }
    run_tick();
    for (auto it = players.begin(); it != players.end();)
      it = players.erase(it);
    in_use.clear();
    if (recorder) {
      recorder->finish();
      write_recording(true);
      recording_file.close();
    }
    accounts.flush();
  }

  // On the simulation thread, before the first tick.
  void take_precedence() {
    if (!options.realtime) return;
    const int error = detail::make_this_thread_realtime(1);
    if (error != 0) {
      spdlog::info(
          "simulation thread: normal priority: real-time refused ({}); give the server "
          "CAP_SYS_NICE or an RLIMIT_RTPRIO of 1 (systemd: LimitRTPRIO=1) for steadier "
          "ticks on a busy machine, or --sim-priority normal to say so",
          std::strerror(error));
      return;
    }
    spdlog::info("simulation thread: real-time priority (SCHED_FIFO 1)");
    const std::lock_guard lock{metrics_mutex};
    counters.realtime = true;
  }

  void loop() {
    const auto period = std::chrono::nanoseconds(
        1'000'000'000LL / std::max<std::uint32_t>(1, world.config().tick_rate_hz));
    auto next = Clock::now() + period;
    for (;;) {
      {
        std::unique_lock lock{stop_mutex};
        if (stop_cv.wait_until(lock, next, [this] { return stop_requested; })) return;
      }
      std::uint32_t steps = 0;
      while (Clock::now() >= next &&
             steps < std::max<std::uint32_t>(1, options.max_catch_up_ticks)) {
        run_tick();
        next += period;
        ++steps;
      }
      const auto now = Clock::now();
      if (now >= next) {
        const auto behind = static_cast<std::uint64_t>((now - next) / period) + 1;
        {
          const std::lock_guard lock{metrics_mutex};
          counters.ticks_skipped += behind;
        }
        spdlog::warn("simulation {} ticks behind: skipped", behind);
        next = now + period;
      }
    }
  }
};

Game::Game(GameOptions options, AccountService& accounts)
    : impl_(std::make_unique<Impl>(std::move(options), accounts)) {
  impl_->tick_now.store(impl_->world.tick());
}

Game::~Game() {
  stop();
}

void Game::start() {
  if (impl_->started) throw std::logic_error("Game::start called twice");
  impl_->started = true;
  impl_->thread = std::thread([this] {
    detail::name_this_thread("sim");
    impl_->take_precedence();
    try {
      impl_->loop();
    } catch (const std::exception& e) {
      spdlog::critical("simulation thread: {}", e.what());
      std::terminate();
    }
  });
}

void Game::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->thread.joinable()) {
    {
      const std::lock_guard lock{impl_->stop_mutex};
      impl_->stop_requested = true;
    }
    impl_->stop_cv.notify_all();
    impl_->thread.join();
  }
  impl_->final_tick();
}

void Game::enter(ClientKey client, std::shared_ptr<GameLink> link, AccountId account,
                 world::CharacterId character, ViewOptions view) {
  Impl::Event e;
  e.kind = Impl::Event::Enter;
  e.client = client;
  e.link = std::move(link);
  e.account = account;
  e.character = character;
  e.view = view;
  impl_->push(std::move(e));
}

void Game::command(ClientKey client, const protocol::ClientCommand& command) {
  Impl::Event e;
  e.kind = Impl::Event::Command;
  e.client = client;
  e.command = command;
  impl_->push(std::move(e));
}

void Game::leave(ClientKey client, bool answer) {
  Impl::Event e;
  e.kind = Impl::Event::Leave;
  e.client = client;
  e.answer = answer;
  impl_->push(std::move(e));
}

void Game::delete_character(ClientKey client, std::shared_ptr<GameLink> link, AccountId account,
                            world::CharacterId character) {
  Impl::Event e;
  e.kind = Impl::Event::Delete;
  e.client = client;
  e.link = std::move(link);
  e.account = account;
  e.character = character;
  impl_->push(std::move(e));
}

void Game::step_once() {
  if (impl_->started && !impl_->stopped) throw std::logic_error("Game::step_once while running");
  impl_->run_tick();
}

GameMetrics Game::metrics() const {
  const std::lock_guard lock{impl_->metrics_mutex};
  GameMetrics m = impl_->counters;
  m.tick_us_recent_max = *std::max_element(impl_->recent_us.begin(), impl_->recent_us.end());
  return m;
}

world::Tick Game::tick() const {
  return impl_->tick_now.load();
}

std::uint32_t Game::tick_rate() const {
  return impl_->world.config().tick_rate_hz;
}

const world::WorldConfig& Game::config() const {
  return impl_->world.config();
}

std::int32_t Game::view_radius() const {
  return impl_->options.view_radius;
}

}  // namespace netserver
