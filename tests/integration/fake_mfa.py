"""A fake `mfa_process`: prints a six-digit code and records each run (one line in the file
named by its first argument), so tests can count how often credctl asked for a code."""
import sys

with open(sys.argv[1], "a") as log:
    log.write("asked\n")
print(sys.argv[2] if len(sys.argv) > 2 else "123456")
