# A pipe bot that answers every observation too late (after 300 ms).
import sys
import time

for line in sys.stdin:
    time.sleep(0.3)
    print('{"type": "face", "direction": "north"}')
    print('{"type": "end"}', flush=True)
