#pragma once
// K independent environments stepped together on a WorkerPool (threads live here, in the
// binding layer; each World is stepped by one thread at a time).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "env.hpp"
#include "worker_pool.hpp"

namespace alphammo_py {

/// K Envs with seeds seed, seed + 1, ...; an env that reaches max_steps is reset at once with a
/// fresh seed (seed + k + K, + 2K, ...) and the rows step() writes for it are the new episode's
/// first (as Stable-Baselines3's VecEnv does); its truncation flags say so.
class VecEnv {
 public:
  /// `threads` = 0 picks min(envs, hardware threads).
  VecEnv(EnvConfig config, std::size_t envs, std::size_t threads);

  /// Resets every env (env k gets seed + k).
  void reset(std::uint64_t seed, float* obs);
  /// actions: envs x agents; obs: envs x agents x row; rewards, flags: envs x agents.
  void step(std::span<const std::int32_t> actions, float* obs, float* rewards, bool* terminations,
            bool* truncations);

  /// Number of environments.
  [[nodiscard]] std::size_t size() const { return envs_.size(); }
  /// Env k.
  [[nodiscard]] const Env& env(std::size_t k) const { return envs_[k]; }
  /// Threads stepping the envs.
  [[nodiscard]] std::size_t threads() const { return pool_.threads(); }

 private:
  std::vector<Env> envs_;
  std::vector<std::uint64_t> next_seed_;
  WorkerPool pool_;
  std::size_t agents_ = 0;
  std::size_t row_ = 0;
};

}  // namespace alphammo_py
