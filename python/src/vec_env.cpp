#include "vec_env.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace alphammo_py {

namespace {

std::size_t pick_threads(std::size_t envs, std::size_t threads) {
  if (threads != 0) return threads;
  const std::size_t hw = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(envs, hw));
}

}  // namespace

VecEnv::VecEnv(EnvConfig config, std::size_t envs, std::size_t threads)
    : pool_(pick_threads(envs, threads)) {
  if (envs == 0) throw std::invalid_argument("VecEnv: needs at least one environment");
  envs_.reserve(envs);
  for (std::size_t k = 0; k < envs; ++k) {
    EnvConfig c = config;
    c.seed = config.seed + k;
    envs_.emplace_back(c);
  }
  next_seed_.assign(envs, 0);
  agents_ = config.agents;
  row_ = envs_.front().layout().size;
}

void VecEnv::reset(std::uint64_t seed, float* obs) {
  pool_.run(envs_.size(), [&](std::size_t k) {
    envs_[k].reset(seed + k);
    next_seed_[k] = seed + k + envs_.size();
    envs_[k].observe(obs + k * agents_ * row_);
  });
}

void VecEnv::step(std::span<const std::int32_t> actions, float* obs, float* rewards,
                  bool* terminations, bool* truncations) {
  pool_.run(envs_.size(), [&](std::size_t k) {
    const std::size_t base = k * agents_;
    Env& e = envs_[k];
    float* rows = obs + base * row_;
    e.step(actions.subspan(base, agents_), rows, rewards + base, terminations + base,
           truncations + base);
    if (e.truncated()) {  // as Stable-Baselines3 does: hand out the next episode's first rows
      e.reset(next_seed_[k]);
      next_seed_[k] += envs_.size();
      e.observe(rows);
    }
  });
}

}  // namespace alphammo_py
