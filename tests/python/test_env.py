"""The multi-agent environment: the ParallelEnv shape, observations that match the world,
determinism, VecEnv and errors for bad actions."""

import numpy as np
import pytest

import alphammo

SMALL = dict(agents=16, npcs=120, size=48, seed=3)


def expected_row(env, w, agent, layout):
    """One observation row recomputed in Python from World queries."""
    grid_l, ent_l, self_l = layout["grid"], layout["entities"], layout["self"]
    c, side, _ = grid_l["shape"]
    r = side // 2
    row = np.zeros(env.observation_space(env.possible_agents[0])["shape"], np.float32)
    grid = np.zeros((c, side, side), np.float32)
    me_id = env.agent_ids[agent]
    me = w.entity(me_id)
    x, y = me["position"]
    walk = w.map.walkable_grid()
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if 0 <= x + dx < w.map.width and 0 <= y + dy < w.map.height:
                grid[0, dy + r, dx + r] = walk[y + dy, x + dx]
    seen = []
    for eid in w.query_radius((x, y), r):
        if eid == me_id:
            continue
        e = w.entity(eid)
        ex, ey = e["position"]
        grid[1 if e["kind"] == "npc" else 2, ey - y + r, ex - x + r] = 1
        seen.append((max(abs(ex - x), abs(ey - y)), tuple(eid), e))
    for item in w.ground_items_near((x, y), r):
        ix, iy = item["position"]
        grid[3, iy - y + r, ix - x + r] = 1
    seen.sort(key=lambda s: (s[0], s[1]))
    table = np.zeros(ent_l["shape"], np.float32)
    for j, (_, _, e) in enumerate(seen[: ent_l["shape"][0]]):
        v = e["vitals"]
        table[j] = [1, e["position"][0] - x, e["position"][1] - y, e["kind"] == "npc", v["hp"],
                    v["max_hp"], v["level"], e["target"] is not None and tuple(e["target"]) == me_id]
    types = w.config.item_types
    potions = sum(i["count"] for i in w.inventory(me_id)
                  if i["place"] == "backpack" and types[i["type"]]["kind"] == "potion")
    v = me["vitals"]
    mine = [x, y, v["hp"], v["max_hp"], v["mp"], v["max_mp"], v["level"],
            w.export_character(me_id)["experience"], potions, me["target"] is not None]
    row[grid_l["offset"]:grid_l["offset"] + grid.size] = grid.ravel()
    row[ent_l["offset"]:ent_l["offset"] + table.size] = table.ravel()
    row[self_l["offset"]:self_l["offset"] + len(mine)] = mine
    return row


def test_parallel_env_shape():
    env = alphammo.Env(**SMALL)
    assert env.possible_agents == [f"player_{i}" for i in range(16)]
    assert env.agents == env.possible_agents and env.num_agents == 16
    obs, infos = env.reset(seed=3)
    assert set(obs) == set(infos) == set(env.agents)
    space = env.observation_space("player_0")
    assert space["dtype"] == "float32" and obs["player_0"].shape == space["shape"]
    assert obs["player_0"].dtype == np.float32
    layout = space["layout"]
    assert layout["grid"]["shape"] == (4, 11, 11) and layout["entities"]["shape"] == (8, 8)
    assert space["shape"] == (4 * 121 + 64 + 10,)
    action = env.action_space("player_0")
    assert action["n"] == len(alphammo.ACTIONS) == 8 and action["actions"][5] == "attack_nearest"
    obs, rewards, terminations, truncations, infos = env.step({"player_0": 1})
    for d in (obs, rewards, terminations, truncations, infos):
        assert set(d) == set(env.possible_agents)
    assert isinstance(rewards["player_0"], float)
    env.agents.clear()  # the lists handed out are copies
    env.possible_agents.append("intruder")
    assert env.agents == [f"player_{i}" for i in range(16)] == env.possible_agents
    infos["player_0"]["note"] = 1
    assert infos["player_1"] == {}
    parts = env.split(obs["player_2"])
    assert parts["grid"].shape == (4, 11, 11) and parts["self"].shape == (10,)
    assert parts["grid"][0, 5, 5] == 1  # the agent stands on a walkable tile
    assert tuple(parts["self"][:2]) == env.world.position(env.agent_ids[2])
    rows = env.split(np.stack([obs[a] for a in env.possible_agents]))
    assert rows["entities"].shape == (16, 8, 8)
    with pytest.raises(ValueError, match="split: expected observation rows of 558"):
        env.split(np.zeros(5, np.float32))


def test_ten_thousand_random_steps_with_observations_matching_the_world():
    env = alphammo.Env(max_steps=0, **SMALL)
    env.reset(seed=3)
    layout = env.observation_space("player_0")["layout"]
    rng = np.random.default_rng(7)
    total_reward = 0.0
    checked = 0
    for step in range(1, 10_001):
        actions = rng.integers(0, 8, size=16)
        obs, rewards, terminations, truncations = env.step_batch(actions)
        total_reward += float(rewards.sum())
        assert not terminations.any() and not truncations.any()
        if step % 500 == 0 or step in (1, 2, 3):
            w = env.world
            assert w.tick == step + 1  # battle_world steps once for the joins
            assert w.check_invariants() is None
            for agent in range(16):
                np.testing.assert_array_equal(obs[agent], expected_row(env, w, agent, layout),
                                              err_msg=f"agent {agent} at step {step}")
                checked += 1
    assert checked == 23 * 16
    assert total_reward != 0.0  # fights happened: kills pay, deaths cost


def test_dict_and_array_steps_agree_and_are_deterministic():
    a, b = alphammo.Env(**SMALL), alphammo.Env(**SMALL)
    a.reset(seed=11)
    b.reset(seed=11)
    rng = np.random.default_rng(1)
    for _ in range(200):
        acts = rng.integers(0, 8, size=16)
        oa, ra, _, _, _ = a.step(dict(zip(a.agents, acts.tolist())))
        ob, rb, _, _ = b.step_batch(acts)
        assert a.state_hash == b.state_hash
        np.testing.assert_array_equal(np.stack([oa[n] for n in a.possible_agents]), ob)
        np.testing.assert_array_equal(np.array([ra[n] for n in a.possible_agents]), rb)
    c = alphammo.Env(**SMALL)
    c.reset(seed=12)
    assert c.state_hash != a.state_hash


def test_truncation_ends_the_episode():
    env = alphammo.Env(max_steps=5, **SMALL)
    env.reset()
    for i in range(5):
        _, _, _, truncations, _ = env.step({})
        assert all(truncations.values()) == (i == 4)
    assert env.agents == []
    with pytest.raises(ValueError, match="call reset"):
        env.step({})
    env.reset()
    assert env.agents == env.possible_agents


def test_vec_env_steps_like_separate_envs():
    vec = alphammo.VecEnv(num_envs=3, threads=2, max_steps=7, **SMALL)
    obs = vec.reset(seed=20)
    singles = [alphammo.Env(max_steps=7, **SMALL) for _ in range(3)]
    for k, e in enumerate(singles):
        np.testing.assert_array_equal(obs[k], e.reset_batch(20 + k))
    rng = np.random.default_rng(2)
    for step in range(1, 10):
        acts = rng.integers(0, 8, size=(3, 16))
        obs, rewards, _, truncations = vec.step(acts)
        for k, e in enumerate(singles):
            o, r, _, tr = e.step_batch(acts[k])
            assert vec.world(k).state_hash == e.state_hash or step == 7
            np.testing.assert_array_equal(tr, truncations[k])
            if step == 7:  # truncated: the vec env restarted with seed 20 + k + 3
                assert tr.all()
                np.testing.assert_array_equal(obs[k], e.reset_batch(20 + k + 3))
            else:
                np.testing.assert_array_equal(obs[k], o)
                np.testing.assert_array_equal(rewards[k], r)


def test_vec_env_results_do_not_depend_on_the_thread_count():
    runs = []
    for threads in (1, 2, 3):
        vec = alphammo.VecEnv(num_envs=3, threads=threads, max_steps=0, **SMALL)
        assert vec.threads == threads
        obs = vec.reset(seed=5)
        rng = np.random.default_rng(9)
        for _ in range(50):
            obs, rewards, _, _ = vec.step(rng.integers(0, 8, size=(3, 16)))
        runs.append((obs, rewards, [vec.world(k).state_hash for k in range(3)]))
    for obs, rewards, hashes in runs[1:]:
        np.testing.assert_array_equal(obs, runs[0][0])
        np.testing.assert_array_equal(rewards, runs[0][1])
        assert hashes == runs[0][2]


def test_bad_actions_and_configs_raise_errors_that_name_them():
    env = alphammo.Env(**SMALL)
    env.reset()
    with pytest.raises(ValueError, match=r"actions\['player_3'\]: 9 is not an action \(0..7\)"):
        env.step({"player_3": 9})
    with pytest.raises(ValueError, match="unknown agent 'player_99'"):
        env.step({"player_99": 1})
    with pytest.raises(TypeError, match=r"actions\['player_0'\]: expected an int"):
        env.step({"player_0": "north"})
    with pytest.raises(ValueError, match="expected 16 actions, got 3"):
        env.step_batch(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match=r"actions\[2\]: -1 is not an action"):
        env.step_batch(np.array([0, 0, -1] + [0] * 13))
    with pytest.raises(TypeError, match="expected integers"):
        env.step_batch(np.zeros(16))
    with pytest.raises(ValueError, match="unknown agent"):
        env.observation_space("nobody")
    with pytest.raises(ValueError, match="EnvConfig: view_radius"):
        alphammo.Env(view_radius=0)
    with pytest.raises(ValueError, match="EnvConfig: size"):
        alphammo.Env(size=10)
    with pytest.raises(RuntimeError, match="found no free tile"):
        alphammo.Env(agents=3000, size=40, npcs=10)
    assert env.steps == 0  # the refused calls stepped nothing
    vec = alphammo.VecEnv(num_envs=2, **SMALL)
    with pytest.raises(ValueError, match="expected 32 actions, got 16"):
        vec.step(np.zeros(16, np.int64))
    with pytest.raises(IndexError, match="no env 2"):
        vec.world(2)
    with pytest.raises(ValueError, match="at least one environment"):
        alphammo.VecEnv(num_envs=0, **SMALL)
