"""The credentials server under pressure (issue 23 #12, #13): peers that send half a request and
reconnect cannot keep the child out, and a refresh waiting on a slow STS does not stop the server
answering with the credentials it holds."""
import json
import sys
import time
from datetime import datetime, timedelta, timezone

from conftest import write_aws_files
from fake_servers import RecordingServer

KEY = "AKIAEXAMPLEHOSTILE01"
SECRET = "hostile-server-secret-0123456789abcdef"

# A child that runs `squatters` threads each sending half a request and reconnecting when the
# server closes it, while it asks for credentials `asks` times as an SDK would.
FLOOD = r"""
import json, os, socket, sys, threading, time, urllib.request
url, token = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
port = int(url.split(":")[2].split("/")[0])
squatters, asks = int(sys.argv[1]), int(sys.argv[2])
stop, connections = threading.Event(), [0]
def squat():
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            connections[0] += 1
            s.sendall(b"GET /credentials HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % port)
            while s.recv(4096):
                pass
            s.close()
        except OSError:
            time.sleep(0.01)
threads = [threading.Thread(target=squat, daemon=True) for _ in range(squatters)]
for t in threads: t.start()
time.sleep(0.5)
answers, slowest = [], 0.0
for _ in range(asks):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": token}), timeout=5) as r:
            answers.append(r.status if json.loads(r.read())["AccessKeyId"] else 0)
    except Exception as e:
        answers.append(repr(e))
    slowest = max(slowest, time.monotonic() - started)
    time.sleep(0.05)
stop.set()
print(json.dumps({"answers": answers, "slowest": slowest, "connections": connections[0]}))
"""


def test_half_requests_that_reconnect_cannot_starve_the_child(credctl, home):
    write_aws_files(home, "[profile dev]\nregion = eu-west-1\n", f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    r = credctl("creds", "exec", "--profile", "dev", "--server", "--", sys.executable, "-c", FLOOD, "24", "44", timeout=120)
    assert r.code == 0, r
    report = json.loads(r.out)
    assert report["answers"] == [200] * 44, report
    assert report["slowest"] < 2, report
    assert report["connections"] > 48, report       # the squatters were evicted and came back
    assert SECRET not in r.err


# A child that asks for credentials every 0.1 s for `seconds` and records each answer's latency.
POLL = r"""
import json, os, sys, time, urllib.request
url, token = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
seen, end = [], time.time() + float(sys.argv[1])
while time.time() < end:
    asked = time.time()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": token}), timeout=30) as r:
            seen.append([asked, time.time() - asked, json.loads(r.read())["AccessKeyId"]])
    except Exception as e:
        seen.append([asked, time.time() - asked, repr(e)])
    time.sleep(0.1)
print(json.dumps(seen))
"""


def assume_role_answer(number, lifetime):
    expiration = (datetime.now(timezone.utc) + timedelta(seconds=lifetime)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
            f'<Credentials><AccessKeyId>ASIASLOWSTS00000000{number}</AccessKeyId><SecretAccessKey>slow-secret-{number}</SecretAccessKey>'
            f'<SessionToken>slow-token-{number}</SessionToken><Expiration>{expiration}</Expiration></Credentials>'
            f'<AssumedRoleUser><AssumedRoleId>AROAX:s</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/r/s</Arn>'
            f'</AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r{number}</RequestId></ResponseMetadata>'
            f'</AssumeRoleResponse>').encode()


def test_a_refresh_waiting_on_a_slow_sts_does_not_stop_serving(credctl, home):
    """Role credentials valid 40 s: the server refreshes 30 s before they expire, and this STS takes
    6 s to answer that refresh. Every request meanwhile is answered at once with the held ones."""
    delay = 6

    def respond(handler, index):
        if index > 0:
            time.sleep(delay)
        return 200, {"Content-Type": "text/xml"}, assume_role_answer(index + 1, 40)

    with RecordingServer(respond) as sts:
        env = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": sts.url}
        r = credctl("assume", "arn:aws:iam::111122223333:role/r", "--server", "--", sys.executable, "-c", POLL, "19",
                    env=env, timeout=90)
        assert r.code == 0, r
        seen = json.loads(r.out)
        assert len(sts.requests) >= 2, sts.requests
        refresh_started = sts.requests[1]["time"]
    during = [s for s in seen if refresh_started < s[0] < refresh_started + delay - 0.5]
    assert len(during) >= 20, (len(during), seen)
    assert all(s[2] == "ASIASLOWSTS000000001" and s[1] < 1 for s in during), during
    assert max(s[1] for s in seen) < 1, seen
    assert {s[2] for s in seen} == {"ASIASLOWSTS000000001", "ASIASLOWSTS000000002"}, seen
    assert "slow-secret" not in r.err and SECRET not in r.err
