"""A fake `credential_process` for `credctl cached`: records each run (a line in the file named
by its first argument) and prints credentials expiring the given seconds ahead. With a third
argument naming a file that exists, it fails (status 5) or prints what that file holds."""
import datetime
import json
import os
import sys

log, seconds = sys.argv[1], int(sys.argv[2])
with open(log, "a") as f:
    f.write("ran\n")
if len(sys.argv) > 3 and os.path.exists(sys.argv[3]):
    text = open(sys.argv[3]).read()
    if text == "fail":
        print("boom: the identity provider said no", file=sys.stderr)
        sys.exit(5)
    print(text)
    sys.exit(0)
n = sum(1 for _ in open(log))
expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
print(json.dumps({"Version": 1, "AccessKeyId": f"ASIAFAKEPROCESS{n:05d}", "SecretAccessKey": f"process-secret-{n}-" + "x" * 24,
                  "SessionToken": f"process-token-{n}", "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}))
