#!/usr/bin/env python3
"""Random agents in the AlphaMMO arena: the PettingZoo ParallelEnv loop, with numbers.

    PYTHONPATH=build/ci/python /usr/bin/python3 examples/python/random_agents.py --agents 32
"""

import argparse
import time

import numpy as np

import alphammo


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=32)
    parser.add_argument("--npcs", type=int, default=200)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    # Initialise: an arena whose players are the agents.
    env = alphammo.Env(agents=args.agents, npcs=args.npcs, size=args.size, seed=args.seed,
                       max_steps=args.steps)
    observations, infos = env.reset(seed=args.seed)
    n_actions = env.action_space(env.possible_agents[0])["n"]
    rng = np.random.default_rng(args.seed)
    returns = dict.fromkeys(env.possible_agents, 0.0)

    # Update: one random action per live agent until the episode is truncated.
    start = time.perf_counter()
    steps = 0
    while env.agents:
        actions = {agent: int(rng.integers(n_actions)) for agent in env.agents}
        observations, rewards, terminations, truncations, infos = env.step(actions)
        for agent, r in rewards.items():
            returns[agent] += r
        steps += 1
    seconds = time.perf_counter() - start

    # Report.
    best = max(returns, key=returns.get)
    print(f"{steps} steps x {args.agents} agents in {seconds:.2f} s "
          f"({steps * args.agents / seconds:,.0f} agent-steps/s, Python loop included)")
    print(f"mean return {np.mean(list(returns.values())):.2f}; "
          f"best {best} with {returns[best]:.2f}")
    print(f"final state hash {env.state_hash:016x} (same seed and actions, same hash)")
    env.close()


if __name__ == "__main__":
    main()
