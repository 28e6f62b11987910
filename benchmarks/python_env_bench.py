#!/usr/bin/env python3
"""Agent-steps per second per core of the Python environment, against the same env from C++.

    PYTHONPATH=build/ci/python /usr/bin/python3 benchmarks/python_env_bench.py

For 128 and 1,000 agents, uniform random actions, observations included, it times three loops
on one thread (CPU time of the process, so other load on the machine does not count):
  cpp    Env.run_random_cpp: actions drawn and the env stepped in C++ (no Python per step);
  batch  Env.step_batch(numpy actions) from a Python loop: arrays in, arrays out;
  dict   Env.step({agent: action}) from a Python loop: the PettingZoo ParallelEnv API;
  vec2   VecEnv of 2 arenas on 2 C++ threads, batched numpy actions (per core: CPU time of
         both threads; the wall-clock rate is printed apart).
Each is run --runs times, interleaved, and the median is reported. Overhead = Python / C++ - 1,
from the medians and from the best runs (on a shared machine the best run is the one least
disturbed by other work).
"""

import argparse
import statistics
import time

import numpy as np

import alphammo

SCENARIOS = {  # agents: (arena side, NPCs); 30% of the NPCs are rats in nests of 50
    128: (128, 500),
    1000: (320, 4000),
}


def make_env(agents, seed):
    size, npcs = SCENARIOS[agents]
    return alphammo.Env(agents=agents, npcs=npcs, size=size, seed=seed, max_steps=0)


def run_cpp(agents, steps, seed):
    env = make_env(agents, seed)
    start = time.process_time()
    env.run_random_cpp(steps, seed)
    return time.process_time() - start


def run_batch(agents, steps, seed):
    env = make_env(agents, seed)
    rng = np.random.default_rng(seed)
    start = time.process_time()
    for _ in range(steps):
        env.step_batch(rng.integers(0, 8, size=agents))
    return time.process_time() - start


def run_dict(agents, steps, seed):
    env = make_env(agents, seed)
    rng = np.random.default_rng(seed)
    names = env.possible_agents
    start = time.process_time()
    for _ in range(steps):
        env.step(dict(zip(names, rng.integers(0, 8, size=agents).tolist())))
    return time.process_time() - start


def run_vec(agents, steps, seed):
    size, npcs = SCENARIOS[agents]
    vec = alphammo.VecEnv(num_envs=2, threads=2, agents=agents, npcs=npcs, size=size, seed=seed,
                          max_steps=0)
    rng = np.random.default_rng(seed)
    wall, start = time.perf_counter(), time.process_time()
    for _ in range(steps):
        vec.step(rng.integers(0, 8, size=(2, agents)))
    run_vec.wall.append(time.perf_counter() - wall)
    return (time.process_time() - start) / 2  # per arena, like the single-env loops


run_vec.wall = []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=0, help="steps per run (0: 1000 / 200)")
    parser.add_argument("--agents", type=int, nargs="*", default=sorted(SCENARIOS))
    args = parser.parse_args()

    print("| agents | loop | CPU µs per step | agent-steps/s per core | overhead vs C++ "
          "(median) | (best runs) |")
    print("|---:|---|---:|---:|---:|---:|")
    for agents in args.agents:
        steps = args.steps or (1000 if agents <= 128 else 200)
        loops = {"cpp": run_cpp, "batch": run_batch, "dict": run_dict, "vec2": run_vec}
        times = {name: [] for name in loops}
        run_vec.wall = []
        for run in range(args.runs):
            for name, fn in loops.items():
                times[name].append(fn(agents, steps, seed=1 + run))
        cpp, cpp_best = statistics.median(times["cpp"]), min(times["cpp"])
        for name in loops:
            t, best = statistics.median(times[name]), min(times[name])
            overhead = ("— | —" if name == "cpp" else
                        f"{(t / cpp - 1) * 100:+.0f}% | {(best / cpp_best - 1) * 100:+.0f}%")
            print(f"| {agents} | {name} | {t / steps * 1e6:,.0f} | {agents * steps / t:,.0f} | "
                  f"{overhead} |")
        wall = statistics.median(run_vec.wall)
        print(f"| {agents} | vec2 wall clock | {wall / steps * 1e6:,.0f} | "
              f"{2 * agents * steps / wall:,.0f} (both threads) | | |")


if __name__ == "__main__":
    main()
