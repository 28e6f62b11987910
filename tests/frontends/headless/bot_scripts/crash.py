# A pipe bot that answers two observations, then the first bot of a swarm exits with status 3
# (the others keep playing, facing north now and then).
import os
import sys

crash = os.environ.get("ALPHAMMO_BOT_INDEX") == "1"
for n, line in enumerate(sys.stdin):
    if crash and n == 2:
        sys.exit(3)
    if n % 5 == 0:
        print('{"type": "face", "direction": "north"}')
    print('{"type": "end"}', flush=True)
