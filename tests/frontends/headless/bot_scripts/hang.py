# A pipe bot that reads its first observation and never answers. With an argument, it first
# writes its process id to that file (the test checks that alphammo-bot ends it).
import os
import sys
import time

if len(sys.argv) > 1:
    with open(sys.argv[1], "w") as f:
        f.write(str(os.getpid()))
sys.stdin.readline()
time.sleep(600)
