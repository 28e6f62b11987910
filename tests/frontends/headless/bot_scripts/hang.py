# A pipe bot that reads its first observation and never answers.
import sys
import time

sys.stdin.readline()
time.sleep(600)
