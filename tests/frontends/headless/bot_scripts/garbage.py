# A pipe bot that writes garbage around one valid command in each answer.
import sys

for line in sys.stdin:
    print("hello world")
    print('{"type": "move", "direction": "up"}')
    print('{"type": "jump"}')
    print("[1, 2]")
    print('{"type": "face", "direction": "north"}')
    print('{"type": "end"}', flush=True)
