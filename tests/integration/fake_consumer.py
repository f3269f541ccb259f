"""A stand-in for a consumer of an access key (a Grafana data source, a Kubernetes operator):
a loopback HTTP server that stores one key through an API and has a health endpoint that
calls moto's STS with the key it holds.

    PUT /key      {"AccessKeyId": …, "SecretAccessKey": …}  stores it (503 while `refuse_puts`)
    GET /health   200 when STS accepts the stored key (and it is not in `rejected`), else 503

`deliver.py URL` and `check.py URL` are the scripts a rotation runs (`exec:` and `--verify-cmd`):
they read the key JSON on stdin; each records its argv and environment for the secrecy test.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import botocore.exceptions

# With HANG_DELIVER (or HANG_CHECK) naming a file that does not exist yet, the script writes its
# process group into it (credctl runs each command in a group of its own) and waits to be killed:
# a test kills the rotation, and that group, while its command runs.
HANG = r'''
def hang_once(variable):
    marker = os.environ.get(variable)
    if marker and not os.path.exists(marker):
        with open(marker + ".tmp", "w") as f:
            f.write(str(os.getpgrp()))
        os.rename(marker + ".tmp", marker)
        time.sleep(60)
'''

DELIVER = r'''
import json, os, sys, time, urllib.request
''' + HANG + r'''
log = os.environ.get("CONSUMER_LOG")
if log:
    with open(log, "a") as f:
        f.write(json.dumps({"argv": open("/proc/self/cmdline", "rb").read().decode("utf-8", "replace"),
                            "environ": open("/proc/self/environ", "rb").read().decode("utf-8", "replace")}) + "\n")
key = json.load(sys.stdin)
assert set(key) == {"AccessKeyId", "SecretAccessKey", "UserName"}, key
hang_once("HANG_DELIVER")
request = urllib.request.Request(sys.argv[1] + "/key", data=json.dumps(key).encode(), method="PUT")
try:
    urllib.request.urlopen(request, timeout=10)
except Exception as e:
    print(f"the consumer refused the key: {e}", file=sys.stderr)
    sys.exit(7)
print(f"consumer holds {key['AccessKeyId']}")
'''

CHECK = r'''
import json, os, sys, time, urllib.request
''' + HANG + r'''
key = json.load(sys.stdin)
hang_once("HANG_CHECK")
assert os.environ["CREDCTL_NEW_ACCESS_KEY_ID"] == key["AccessKeyId"]
try:
    urllib.request.urlopen(sys.argv[1] + "/health", timeout=10)
except Exception as e:
    print(f"consumer unhealthy: {e}", file=sys.stderr)
    sys.exit(3)
print("consumer healthy")
'''


class Consumer:
    def __init__(self, moto):
        self.moto = moto
        self.key = None
        self.history = []
        self.refuse_puts = False
        # key id -> True: the PUT of that key is refused.
        self.refuse = lambda key_id: False
        self.rejected = set()
        consumer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_PUT(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if consumer.refuse_puts or consumer.refuse(json.loads(body)["AccessKeyId"]):
                    self.send_response(503)
                    self.end_headers()
                    return
                sent = json.loads(body)
                consumer.key = {"AccessKeyId": sent["AccessKeyId"], "SecretAccessKey": sent["SecretAccessKey"]}
                consumer.history.append(consumer.key["AccessKeyId"])
                self.send_response(204)
                self.end_headers()

            def do_GET(self):
                ok = consumer.healthy()
                self.send_response(200 if ok else 503)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def healthy(self):
        if self.key is None or self.key["AccessKeyId"] in self.rejected:
            return False
        try:
            self.moto.client("sts", key_id=self.key["AccessKeyId"], secret=self.key["SecretAccessKey"]).get_caller_identity()
            return True
        except botocore.exceptions.ClientError:
            return False

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def write_scripts(folder):
    deliver, check = folder / "deliver.py", folder / "check.py"
    deliver.write_text(DELIVER)
    check.write_text(CHECK)
    return deliver, check
