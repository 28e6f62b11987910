#!/usr/bin/env python3
"""Where did the players walk? A recording (the server's, alphammo-sim's) as a PNG heatmap.

    PYTHONPATH=build/ci/python /usr/bin/python3 examples/python/replay_heatmap.py \
        tests/data/golden.amrec --out heatmap.png
"""

import argparse

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import alphammo  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", help="an .amrec file")
    parser.add_argument("--out", default="heatmap.png", help="the PNG to write")
    args = parser.parse_args()

    # Initialise: open and check the recording.
    rec = alphammo.Recording(args.recording)
    report = rec.verify()
    if not report["ok"]:
        raise SystemExit(f"{args.recording}: does not replay: {report}")
    world_map = rec.header["map"]

    # Update: replay it into arrays (ticks x entity slots) and count player-ticks per tile.
    tr = rec.trajectories()
    players = tr["kind"] == 0
    xy = tr["position"][players]  # (player-ticks, 2)
    heat = np.zeros((world_map.height, world_map.width), np.int64)
    np.add.at(heat, (xy[:, 1], xy[:, 0]), 1)

    # Draw: the walkable area in grey, the heat on top (log scale), the player spawn marked.
    fig, ax = plt.subplots(figsize=(8, 8 * world_map.height / world_map.width))
    ax.imshow(world_map.walkable_grid(), cmap="gray", vmin=-1, vmax=1.5)
    shown = np.ma.masked_equal(heat, 0)
    image = ax.imshow(np.ma.log10(shown), cmap="inferno", alpha=0.9)
    ax.plot(*world_map.player_spawn, marker="+", color="cyan", markersize=12)
    fig.colorbar(image, ax=ax, label="log10(player-ticks on the tile)")
    seconds = report["ticks"] / rec.header["config"].tick_rate_hz
    ax.set_title(f"{args.recording.split('/')[-1]}: {report['ticks']} ticks ({seconds:.0f} s), "
                 f"{len(np.unique(tr['character'][players]))} players")
    fig.savefig(args.out, dpi=80, bbox_inches="tight")
    plt.close(fig)

    # Report.
    y, x = np.unravel_index(np.argmax(heat), heat.shape)
    print(f"{int(players.sum())} player-ticks on {int((heat > 0).sum())} tiles; "
          f"busiest tile ({x}, {y}) with {heat.max()} player-ticks")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
