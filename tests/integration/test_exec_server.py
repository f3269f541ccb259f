"""`creds exec --server` and `assume … --server`: a child with only the container-credentials
variables, boto3 in it calling moto across refreshes, refusals without the token, signals passed
on, and the server gone with the child."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import BINARY, write_aws_files
from fake_sso import FakeSSO
from sso_support import SESSION_CONFIG, seed_token, write_config

KEY = "AKIAEXAMPLESERVER001"
SECRET = "server-secret-example-0123456789abcdef"

BOTO3_LOOP = r"""
import boto3, json, os, sys, time
leaked = [k for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE") if k in os.environ]
session = boto3.session.Session()
sts = session.client("sts", endpoint_url=sys.argv[1])
keys, arns, errors, end = [], set(), [], time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        arns.add(sts.get_caller_identity()["Arn"])
        keys.append(session.get_credentials().get_frozen_credentials().access_key)
    except Exception as e:
        errors.append(repr(e))
    time.sleep(0.3)
print(json.dumps({"leaked": leaked, "keys": sorted(set(keys)), "calls": len(keys), "arns": sorted(arns), "errors": errors,
                  "method": session.get_credentials().method, "region": session.region_name,
                  "marker": os.environ.get("CREDCTL_PROFILE"), "uri": os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]}))
"""


def base_env(home):
    return {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}


def static_profile(home):
    write_aws_files(home, "[profile dev]\nregion = eu-west-1\n", f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")


def refused(url, token=None):
    request = urllib.request.Request(url, headers={} if token is None else {"Authorization": token})
    try:
        urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as e:
        return e.code
    return 200


def test_boto3_in_the_child_keeps_working_across_sso_refreshes(credctl, home, moto, roles):
    """SSO role credentials that expire 40 s after issue: the server fetches new ones every 10 s
    (30 s before expiry), and boto3, which refreshes from the endpoint on its own, signs every
    call with valid credentials."""
    def short_lived(account_id, role_name):
        c = moto.client("sts").assume_role(RoleArn=roles["r1"], RoleSessionName="sso-Admin")["Credentials"]
        return {"accessKeyId": c["AccessKeyId"], "secretAccessKey": c["SecretAccessKey"], "sessionToken": c["SessionToken"],
                "expiration": int((time.time() + 40) * 1000)}

    with FakeSSO(role_credentials=short_lived) as fake:
        write_config(home, SESSION_CONFIG)
        seed_token(home, fake)
        r = credctl("creds", "exec", "--profile", "dev", "--server", "--", sys.executable, "-c", BOTO3_LOOP, moto.url, "24",
                    env=fake.env(AWS_ENDPOINT_URL_STS=moto.url), timeout=90)
        assert r.code == 0, r
        report = json.loads(r.out)
        assert report["leaked"] == [] and report["errors"] == []
        assert report["method"] == "container-role" and report["region"] == "us-east-1" and report["marker"] == "dev"
        assert report["arns"] == ["arn:aws:sts::123456789012:assumed-role/r1/sso-Admin"]
        assert len(report["keys"]) >= 3, report          # at least two refreshes seen by boto3
        assert fake.ops().count("GetRoleCredentials") >= 3
        assert report["uri"].startswith("http://127.0.0.1:") and report["uri"].endswith("/credentials")
        assert r.err == ""


def test_role_profile_and_assume_with_the_server(credctl, home, moto, roles):
    write_aws_files(home, f"[profile r1]\nrole_arn = {roles['r1']}\nsource_profile = base\nrole_session_name = served\nregion = us-east-1\n",
                    f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    env = {"AWS_ENDPOINT_URL": moto.url}
    for args in (["creds", "exec", "--profile", "r1", "--server"], ["assume", "r1", "--server"],
                 ["assume", roles["r2"], "--profile", "base", "--session-name", "by-arn", "--region", "us-east-1", "--server"]):
        r = credctl(*args, "--", sys.executable, "-c", BOTO3_LOOP, moto.url, "0.5", env=env, timeout=60)
        assert r.code == 0, r
        report = json.loads(r.out)
        assert report["leaked"] == [] and report["errors"] == [] and report["method"] == "container-role"
        assert report["keys"][0].startswith("ASIA")
        expected = "r2/by-arn" if args[0] == "assume" and args[1].startswith("arn:") else "r1/served"
        assert report["arns"] == [f"arn:aws:sts::123456789012:assumed-role/{expected}"]
        assert report["marker"] == (roles["r2"] if expected == "r2/by-arn" else "r1")


def test_refusals_exit_code_and_the_server_gone_after_the_child(credctl, home, tmp_path):
    static_profile(home)
    probe = tmp_path / "probe.py"
    probe.write_text(r"""
import json, os, sys, urllib.error, urllib.request
url, token = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
def get(headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
open(sys.argv[1], "w").write(url)
open(sys.argv[1] + ".token", "w").write(token)
print(json.dumps({"none": get({}), "wrong": get({"Authorization": "0" * len(token)}), "right": get({"Authorization": token}),
                  "env": sorted(k for k in os.environ if k.startswith(("AWS_", "CREDCTL_")))}))
sys.exit(7)
""")
    stale = {"AWS_ACCESS_KEY_ID": "AKIASTALE", "AWS_SECRET_ACCESS_KEY": "stale", "AWS_SESSION_TOKEN": "stale", "AWS_PROFILE": "other",
             "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/stale", "AWS_CREDENTIAL_EXPIRATION": "2000-01-01T00:00:00Z"}
    r = credctl("creds", "exec", "--profile", "dev", "--server", "--", sys.executable, str(probe), str(tmp_path / "url"), env=stale)
    assert r.code == 7, r
    report = json.loads(r.out)
    assert report["none"] == [401, {"Code": "Unauthorized", "Message": "the Authorization header is missing"}]
    assert report["wrong"] == [403, {"Code": "Forbidden", "Message": "the Authorization header does not match"}]
    status, doc = report["right"]
    assert status == 200 and doc["AccessKeyId"] == KEY and doc["SecretAccessKey"] == SECRET and doc["Expiration"]
    assert report["env"] == ["AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_DEFAULT_REGION",
                             "AWS_EC2_METADATA_DISABLED", "AWS_REGION", "CREDCTL_PROFILE"]
    # --debug tells what the server did, never its token or the credentials.
    debug = credctl("creds", "exec", "--profile", "dev", "--server", "--debug", "--", sys.executable, str(probe), str(tmp_path / "url2"))
    assert debug.code == 7 and "debug: credentials server: served 1 times, refused 2, refreshed 0 times (0 failed)" in debug.err, debug
    for secret in ((tmp_path / "url2.token").read_text(), SECRET):
        assert secret not in debug.err + debug.out.replace(json.dumps(SECRET), "")
    # The server stopped with the child: nothing listens on its port any more.
    port = int((tmp_path / "url").read_text().split(":")[2].split("/")[0])
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_signals_are_passed_on_and_credctl_ends_as_the_child(home, tmp_path):
    static_profile(home)
    ready = tmp_path / "ready"
    child = ("import signal, sys, time, pathlib\n"
             "def term(n, f):\n    print('child got SIGTERM', flush=True); sys.exit(3)\n"
             "signal.signal(signal.SIGTERM, term)\n"
             f"pathlib.Path({str(ready)!r}).write_text('x')\n"
             "time.sleep(60)\n")
    proc = subprocess.Popen([str(BINARY), "creds", "exec", "--profile", "dev", "--server", "--", sys.executable, "-c", child],
                            env=base_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 20
    while not ready.exists() and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 3 and out == "child got SIGTERM\n" and err == ""
    # A child killed by a signal: credctl ends by the same signal, as a shell expects.
    proc = subprocess.Popen([str(BINARY), "creds", "exec", "--profile", "dev", "--server", "--", "sleep", "30"],
                            env=base_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == -signal.SIGINT and err == ""


def test_the_child_starts_with_an_empty_signal_mask_and_default_dispositions(credctl, home):
    static_profile(home)
    r = credctl("creds", "exec", "--profile", "dev", "--server", "--", "grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status")
    assert r.code == 0 and r.out == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", r


def test_server_errors(credctl, home):
    static_profile(home)
    # No credentials: the error is credctl's, no child runs.
    marker = home / "ran"
    r = credctl("creds", "exec", "--profile", "nothing", "--server", "--", "touch", str(marker))
    assert r.code == 2 and not marker.exists()
    assert r.err == (f"credctl: error: profile 'nothing' (from --profile) is not in {home}/.aws/config or {home}/.aws/credentials\n")
    r = credctl("creds", "exec", "--profile", "dev", "--server", "--", "no-such-command-credctl")
    assert r.code == 127 and r.err == "credctl: error: cannot run no-such-command-credctl: command not found\n"
    r = credctl("creds", "exec", "--profile", "dev", "--server", "--output", "json", "--", "true")
    assert r.code == 2 and r.err == "credctl: error: --output json does not apply here: the command's own output is what exec prints\n"


def test_a_default_profile_with_keys_is_refused_by_name(credctl, home):
    """The child has no AWS_PROFILE, so its SDKs read [default] first: keys there would win over the
    server, so credctl does not start it (test_exec_children.py has every such source)."""
    write_aws_files(home, "[profile dev]\nregion = eu-west-1\n",
                    f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n[dev]\naws_access_key_id = {KEY}\n"
                    f"aws_secret_access_key = {SECRET}\n")
    r = credctl("creds", "exec", "--profile", "dev", "--server", "--", "true")
    assert r.code == 2, r
    assert r.err == (f"credctl: error: not starting the command: profile default sets aws_access_key_id ({home}/.aws/credentials:2), "
                     "which AWS SDKs use before the credentials server; the command would run with those credentials, not credctl's: "
                     "move those credentials out of it (or into a named profile), or run without --server, with the keys in the environment\n")
    assert SECRET not in r.err
