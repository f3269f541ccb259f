"""`credctl rotate --to DEST … --verify-cmd CMD` (issue 19): the key rotated wherever it is used —
a credentials-file profile, Secrets Manager, Parameter Store, a delivery command — with the
rotation's guarantee: the old key stays active until every destination holds the new key and the
consumer works with it; any failure puts the old key back everywhere and deletes the new one; a
kill at any step is finished or undone by the next run with the same arguments.

Real components: moto (signatures and IAM policies enforced) for IAM, STS, Secrets Manager and
SSM; a loopback consumer (fake_consumer.py) standing in for a Grafana data source, updated by an
`exec:` command and checked by the `--verify-cmd` through moto's STS; the fault proxy."""
import json
import os
import signal
import subprocess
import uuid

import pytest

from conftest import BINARY
from fake_consumer import Consumer, write_scripts
from fault_proxy import FaultProxy


class World:
    """An IAM user whose one key is in a JSON secret and held by a consumer, plus the clients and
    the commands a rotation of it uses."""

    def __init__(self, moto, home, tmp_path):
        self.moto, self.home = moto, home
        self.consumer = Consumer(moto)
        deliver, check = write_scripts(tmp_path)
        self.log = tmp_path / "consumer-commands.jsonl"
        self.iam, self.sm, self.ssm = moto.client("iam"), moto.client("secretsmanager"), moto.client("ssm")
        self.user = "g-" + uuid.uuid4().hex[:10]
        self.iam.create_user(UserName=self.user)
        self.old = self.iam.create_access_key(UserName=self.user)["AccessKey"]
        self.secret = f"{self.user}/datasource"
        self.sm.create_secret(Name=self.secret, SecretString=json.dumps(
            {"url": "http://grafana:3000", "AccessKeyId": self.old["AccessKeyId"], "SecretAccessKey": self.old["SecretAccessKey"],
             "region": "eu-west-1"}))
        self.consumer.key = {"AccessKeyId": self.old["AccessKeyId"], "SecretAccessKey": self.old["SecretAccessKey"]}
        self.path = f"/{self.user}/aws"
        self.to_secret = f"secretsmanager:{self.secret}"
        self.to_ssm = f"ssm:{self.path}"
        self.to_exec = f"exec:python3 {deliver} {self.consumer.url}"
        self.verify = f"python3 {check} {self.consumer.url}"

    def env(self, endpoint=None, **extra):
        return {"AWS_ACCESS_KEY_ID": self.moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": self.moto.admin_secret,
                "AWS_ENDPOINT_URL": endpoint or self.moto.url, "AWS_REGION": "us-east-1",
                "CREDCTL_STATE_DIR": str(self.home / "state"), "CONSUMER_LOG": str(self.log), **extra}

    def argv(self, *args):
        return ["rotate", "--user", self.user, "--yes", *args]

    def keys(self):
        return sorted(k["AccessKeyId"] for k in self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"])

    def secret_doc(self, **version):
        return json.loads(self.sm.get_secret_value(SecretId=self.secret, **(version or {"VersionStage": "AWSCURRENT"}))["SecretString"])

    def secret_versions(self):
        return self.sm.list_secret_version_ids(SecretId=self.secret)["Versions"]

    def put_parameters(self, key, key_id_type="String"):
        self.ssm.put_parameter(Name=f"{self.path}/AWS_ACCESS_KEY_ID", Value=key["AccessKeyId"], Type=key_id_type)
        self.ssm.put_parameter(Name=f"{self.path}/AWS_SECRET_ACCESS_KEY", Value=key["SecretAccessKey"], Type="SecureString",
                               KeyId="alias/credctl-test")

    def parameters(self):
        found = self.ssm.get_parameters(Names=[f"{self.path}/AWS_ACCESS_KEY_ID", f"{self.path}/AWS_SECRET_ACCESS_KEY"],
                                        WithDecryption=True)["Parameters"]
        return {p["Name"].rsplit("/", 1)[1]: p for p in found}

    def works(self, key_id, secret):
        try:
            self.moto.client("sts", key_id=key_id, secret=secret).get_caller_identity()
            return True
        except Exception:
            return False

    def journals(self):
        d = self.home / "state" / "rotation"
        return sorted(p.name for p in d.glob("*.json")) if d.exists() else []

    def held_by_secret(self):
        doc = self.secret_doc()
        return doc["AccessKeyId"], doc["SecretAccessKey"]

    def assert_everywhere(self, parameters=False):
        """IAM holds exactly one key; the secret, the consumer (and the parameters) hold it, and it works."""
        (only,) = self.keys()
        key_id, secret = self.held_by_secret()
        assert key_id == only and self.works(key_id, secret)
        assert self.consumer.key == {"AccessKeyId": only, "SecretAccessKey": secret}
        if parameters:
            p = self.parameters()
            assert (p["AWS_ACCESS_KEY_ID"]["Value"], p["AWS_SECRET_ACCESS_KEY"]["Value"]) == (only, secret)
        assert self.journals() == []
        return only, secret


@pytest.fixture
def world(moto, home, tmp_path):
    w = World(moto, home, tmp_path)
    yield w
    w.consumer.close()


def test_secret_and_consumer_rotated_then_verified(credctl, world):
    w = world
    versions_before = len(w.secret_versions())
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec, "--verify-cmd", w.verify), env=w.env())
    assert r.code == 0, r
    new_id, new_secret = w.assert_everywhere()
    assert new_id != w.old["AccessKeyId"] and not w.works(w.old["AccessKeyId"], w.old["SecretAccessKey"])
    # Every other field of the secret is kept; exactly one version was added, now AWSCURRENT.
    assert {k: v for k, v in w.secret_doc().items() if k not in ("AccessKeyId", "SecretAccessKey")} == {
        "url": "http://grafana:3000", "region": "eu-west-1"}
    assert len(w.secret_versions()) == versions_before + 1
    assert w.secret_doc(VersionStage="AWSPREVIOUS")["AccessKeyId"] == w.old["AccessKeyId"]
    assert "consumer holds " + new_id in r.err and "--verify-cmd: consumer healthy" in r.err and "--verify-cmd passed" in r.err
    # The secret reached the command on stdin only: never its argv or environment, never credctl's output.
    runs = [json.loads(line) for line in w.log.read_text().splitlines()]
    assert len(runs) == 1
    for run in runs:
        assert new_secret not in run["argv"] and new_secret not in run["environ"] and new_id not in run["environ"]
    assert new_secret not in r.out + r.err and w.old["SecretAccessKey"] not in r.out + r.err


def test_json_result_names_every_destination(credctl, world):
    w = world
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec, "--output", "json"), env=w.env())
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Destinations"] == [w.to_secret, w.to_exec] and doc["Profiles"] == [] and doc["CredentialsFile"] is None
    assert doc["OldKeyId"] == w.old["AccessKeyId"] and doc["OldKeyState"] == "deleted" and [doc["NewKeyId"]] == w.keys()


def test_secret_fields_can_be_named(credctl, world):
    w = world
    w.sm.put_secret_value(SecretId=w.secret, SecretString=json.dumps(
        {"aws_access_key_id": w.old["AccessKeyId"], "aws_secret_access_key": w.old["SecretAccessKey"], "note": "x"}))
    r = credctl(*w.argv("--to", f"{w.to_secret}?id=aws_access_key_id&secret=aws_secret_access_key"), env=w.env())
    assert r.code == 0, r
    doc = w.secret_doc()
    (only,) = w.keys()
    assert doc["aws_access_key_id"] == only and w.works(only, doc["aws_secret_access_key"]) and doc["note"] == "x"
    assert "AccessKeyId" not in doc


def test_parameter_store_keeps_types_and_kms_key(credctl, world):
    w = world
    w.put_parameters(w.old)
    r = credctl(*w.argv("--to", w.to_ssm, "--to", w.to_secret, "--to", w.to_exec), env=w.env())
    assert r.code == 0, r
    new_id, _ = w.assert_everywhere(parameters=True)
    p = w.parameters()
    assert p["AWS_ACCESS_KEY_ID"]["Type"] == "String" and p["AWS_SECRET_ACCESS_KEY"]["Type"] == "SecureString"
    assert p["AWS_ACCESS_KEY_ID"]["Version"] == 2 and p["AWS_SECRET_ACCESS_KEY"]["Version"] == 2
    described = w.ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [f"{w.path}/AWS_SECRET_ACCESS_KEY"]}])["Parameters"]
    assert described[0]["KeyId"] == "alias/credctl-test"


def test_parameters_are_created_when_absent(credctl, world):
    w = world
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_ssm), env=w.env())
    assert r.code == 0, r
    p = w.parameters()
    (only,) = w.keys()
    assert p["AWS_ACCESS_KEY_ID"]["Value"] == only and p["AWS_SECRET_ACCESS_KEY"]["Type"] == "SecureString"
    assert w.works(only, p["AWS_SECRET_ACCESS_KEY"]["Value"])


def test_profile_and_stores_together(credctl, world, home):
    w = world
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text(f"[grafana]\naws_access_key_id = {w.old['AccessKeyId']}\naws_secret_access_key = {w.old['SecretAccessKey']}\n")
    r = credctl(*w.argv("--to", "profile:grafana", "--to", w.to_secret, "--to", w.to_exec, "--verify-cmd", w.verify), env=w.env())
    assert r.code == 0, r
    new_id, new_secret = w.assert_everywhere()
    assert creds.read_text() == f"[grafana]\naws_access_key_id = {new_id}\naws_secret_access_key = {new_secret}\n"


# --- Failures roll every destination back -------------------------------------------------------

def test_failed_verification_rolls_back_every_destination(credctl, world, home):
    w = world
    w.put_parameters(w.old)
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    text = f"[grafana]\naws_access_key_id = {w.old['AccessKeyId']}\naws_secret_access_key = {w.old['SecretAccessKey']}\n"
    creds.write_text(text)
    doc_before = w.secret_doc()
    # The consumer takes the new key but does not work with it.
    w.consumer.healthy = lambda: w.consumer.key["AccessKeyId"] == w.old["AccessKeyId"]
    r = credctl(*w.argv("--to", "profile:grafana", "--to", w.to_secret, "--to", w.to_ssm, "--to", w.to_exec,
                        "--verify-cmd", w.verify), env=w.env())
    assert r.code == 1, r
    assert "credctl: error: --verify-cmd exited with status 3: consumer unhealthy: HTTP Error 503: Service Unavailable; rolled back: " in r.err
    assert f"hold the old key {w.old['AccessKeyId']} again and the new key was deleted" in r.err
    assert w.keys() == [w.old["AccessKeyId"]]
    assert creds.read_text() == text
    assert w.secret_doc() == doc_before
    p = w.parameters()
    assert (p["AWS_ACCESS_KEY_ID"]["Value"], p["AWS_SECRET_ACCESS_KEY"]["Value"]) == (w.old["AccessKeyId"], w.old["SecretAccessKey"])
    assert w.consumer.key["AccessKeyId"] == w.old["AccessKeyId"] and len(w.consumer.history) == 2   # new, then old again
    assert w.journals() == [] and w.works(w.old["AccessKeyId"], w.old["SecretAccessKey"])


def test_failed_delivery_rolls_back_what_was_written(credctl, world):
    w = world
    doc_before = w.secret_doc()
    # The consumer refuses the new key (and takes the old one again).
    w.consumer.refuse = lambda key_id: key_id != w.old["AccessKeyId"]
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec, "--to", w.to_ssm), env=w.env())
    assert r.code == 1, r
    label = w.to_exec[:45] + "…"
    assert f"credctl: error: could not deliver the new key to {label}: exited with status 7: the consumer refused the key: HTTP Error 503" in r.err
    assert w.keys() == [w.old["AccessKeyId"]] and w.secret_doc() == doc_before
    assert w.parameters() == {}            # never written: the failure came first
    assert w.consumer.key["AccessKeyId"] == w.old["AccessKeyId"] and w.consumer.history == [w.old["AccessKeyId"]]
    assert w.journals() == []


def test_secrets_manager_write_failing_rolls_back(credctl, world, moto):
    w = world
    doc_before = w.secret_doc()
    with FaultProxy(moto) as proxy:
        proxy.add("PutSecretValue", "fail", times=5, status=500, code="InternalServiceError")
        r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec), env=w.env(endpoint=proxy.url, AWS_MAX_ATTEMPTS="2"))
    assert r.code == 1, r
    assert f"could not deliver the new key to {w.to_secret}: secretsmanager:PutSecretValue: InternalServiceError" in r.err
    assert w.keys() == [w.old["AccessKeyId"]] and w.secret_doc() == doc_before, r.err
    assert w.consumer.history == []   # never reached: nothing to put back there


def test_a_failed_rollback_keeps_the_journal_and_the_next_run_finishes(credctl, world, moto):
    w = world
    with FaultProxy(moto) as proxy:
        proxy.add("UpdateSecretVersionStage", "fail", times=10, status=500, code="InternalServiceError")
        w.consumer.refuse_puts = True
        r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec), env=w.env(endpoint=proxy.url, AWS_MAX_ATTEMPTS="1"))
    assert r.code == 4, r
    lines = r.err.splitlines()
    assert lines[-2].startswith("credctl: error: secretsmanager:UpdateSecretVersionStage: InternalServiceError")
    assert lines[-1].startswith(f"hint: rolling back after: could not deliver the new key to {w.to_exec[:45]}…: exited with status 7")
    assert f"; {w.to_secret}, {w.to_exec[:45]}… may still hold the new key " in lines[-1]
    assert len(w.keys()) == 2 and len(w.journals()) == 1
    # The next run with the same arguments finds the new key in the secret and finishes.
    w.consumer.refuse_puts = False
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec), env=w.env())
    assert r.code == 0, r
    assert "found a rotation of" in r.err
    w.assert_everywhere()


# --- Lost answers: nothing written twice ---------------------------------------------------------

def test_lost_put_secret_value_answer_makes_one_version(credctl, world, moto):
    w = world
    before = len(w.secret_versions())
    with FaultProxy(moto) as proxy:
        proxy.add("PutSecretValue", "lost")
        r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec), env=w.env(endpoint=proxy.url))
        assert len(proxy.actions("PutSecretValue")) == 2   # retried with the same request token
    assert r.code == 0, r
    w.assert_everywhere()
    assert len(w.secret_versions()) == before + 1


def test_lost_put_parameter_answer_is_not_sent_again(credctl, world, moto):
    w = world
    w.put_parameters(w.old)
    with FaultProxy(moto) as proxy:
        proxy.add("PutParameter", "lost", times=2)
        r = credctl(*w.argv("--to", w.to_ssm, "--to", w.to_secret, "--to", w.to_exec), env=w.env(endpoint=proxy.url))
        assert len(proxy.actions("PutParameter")) == 2    # each lost answer was read back, not re-sent
    assert r.code == 0, r
    w.assert_everywhere(parameters=True)
    p = w.parameters()
    assert p["AWS_ACCESS_KEY_ID"]["Version"] == 2 and p["AWS_SECRET_ACCESS_KEY"]["Version"] == 2


# --- Kills at every destination step -------------------------------------------------------------

KILL_POINTS = [
    ("CreateAccessKey", "stall"),         # the journal says `creating`; no key made
    ("CreateAccessKey", "stall_after"),   # a key made, its answer (and secret) never arrived
    ("PutSecretValue", "stall"),          # the new key exists; no destination holds it
    ("PutSecretValue", "stall_after"),    # the secret holds it; the answer never came
    ("PutParameter", "stall"),            # the secret holds it; the parameters not yet
    ("PutParameter", "stall_after"),      # the key id parameter holds it; its secret not yet
    ("deliver", "hang"),                  # the delivery command is running
    ("GetCallerIdentity", "stall"),       # every destination holds it, not yet proven
    ("check", "hang"),                    # the --verify-cmd is running
    ("UpdateAccessKey", "stall"),         # verified; the old key still active
    ("DeleteAccessKey", "stall_after"),   # the old key deleted, the answer lost
]


@pytest.mark.parametrize("action,mode", KILL_POINTS, ids=[f"{a}-{m}" for a, m in KILL_POINTS])
def test_killed_at_each_step_then_the_next_run_ends_with_one_working_key_everywhere(credctl, world, moto, tmp_path, action, mode):
    w = world
    w.put_parameters(w.old)
    args = ["--to", w.to_secret, "--to", w.to_ssm, "--to", w.to_exec, "--verify-cmd", w.verify]
    marker = tmp_path / "started"
    extra = {}
    with FaultProxy(moto) as proxy:
        if mode == "hang":
            extra = {f"HANG_{action.upper()}": str(marker)}
        else:
            new_key = lambda k: k not in {w.old["AccessKeyId"], moto.admin_key_id}
            proxy.add(action, mode, key=new_key if action == "GetCallerIdentity" else None)
        env = dict(os.environ, HOME=str(w.home), AWS_EC2_METADATA_DISABLED="true", **w.env(endpoint=proxy.url, **extra))
        proc = subprocess.Popen([str(BINARY), *w.argv(*args)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        try:
            if mode == "hang":
                for _ in range(300):
                    if marker.exists() or proc.poll() is not None:
                        break
                    subprocess.run(["sleep", "0.1"])
                assert marker.exists(), proc.communicate()
            else:
                assert proxy.stalled.wait(30), proc.communicate(timeout=5)
            # While it is stopped there, the journal holds ids and versions, never a secret.
            for path in (w.home / "state" / "rotation").glob("*.json"):
                text = path.read_text()
                assert w.old["SecretAccessKey"] not in text and "Secret\":" not in text and "SecretAccessKey" not in text
                assert w.to_secret in text and w.to_exec in text
            os.killpg(proc.pid, signal.SIGKILL)          # credctl
            if mode == "hang":
                os.killpg(int(marker.read_text()), signal.SIGKILL)   # and the command, in its own process group
            proc.wait(timeout=10)
        finally:
            proxy.release.set()
    # Whatever happened, the secret and the consumer hold a key that works right now.
    for key_id, secret in [w.held_by_secret(), (w.consumer.key["AccessKeyId"], w.consumer.key["SecretAccessKey"])]:
        assert w.works(key_id, secret), (key_id, action, mode)
    # The next run with the same arguments finishes or undoes it (then rotates).
    r = credctl(*w.argv(*args), env=w.env(), timeout=120)
    assert r.code == 0, r
    assert "found a rotation of" in r.err
    new_id, _ = w.assert_everywhere(parameters=True)
    assert new_id != w.old["AccessKeyId"]


def test_an_interrupted_rotation_must_be_finished_with_the_same_destinations(credctl, world, moto):
    w = world
    with FaultProxy(moto) as proxy:
        proxy.add("PutSecretValue", "stall_after")
        env = dict(os.environ, HOME=str(w.home), AWS_EC2_METADATA_DISABLED="true", **w.env(endpoint=proxy.url))
        proc = subprocess.Popen([str(BINARY), *w.argv("--to", w.to_secret, "--to", w.to_exec)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proxy.stalled.wait(30)
        proc.kill()
        proc.wait()
        proxy.release.set()
    r = credctl(*w.argv("--to", w.to_secret), env=w.env())
    assert r.code == 1, r
    assert (f"credctl: error: an interrupted rotation of {w.user} to {w.to_secret}, {w.to_exec} must be finished first: "
            f"run credctl rotate --user {w.user} --to '{w.to_secret}' --to '{w.to_exec}' again (or credctl rotate --user {w.user} --abandon to undo it "
            f"without running its commands); nothing was changed") in r.err
    assert len(w.keys()) == 2 and len(w.journals()) == 1
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec), env=w.env())
    assert r.code == 0, r
    w.assert_everywhere()


# --- Refused before any change -------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--to", "grafana"], "--to 'grafana' names no destination kind: give profile:NAME, vault:PROFILE, secretsmanager:ID, ssm:/PATH or exec:CMD"),
    (["--to", "s3:bucket"], "--to 's3:bucket': unknown destination kind 's3'; give profile:NAME, vault:PROFILE, secretsmanager:ID, ssm:/PATH or exec:CMD"),
    (["--to", "exec:  "], "--to exec: give the command to run, such as exec:'./update-grafana.sh'"),
    (["--to", "ssm:/"], "--to ssm: give a path under the root, such as ssm:/grafana/dynamodb"),
    (["--to", "ssm:relative"], None),
    (["--to", "secretsmanager:"], "--to secretsmanager: give a secret name or ARN without spaces or control characters"),
    (["--to", "secretsmanager:s?id=a&secret=a"], "--to secretsmanager: the key id and the secret need two different fields"),
    (["--to", "secretsmanager:s?key=a"], "--to secretsmanager: unknown setting 'key' (id=FIELD or secret=FIELD)"),
    (["--to", "profile:a]b"], None),
    (["--to", "secretsmanager:s", "--to", "secretsmanager:s"], "--to secretsmanager:s is given twice"),
    (["--verify-cmd", " "], "--verify-cmd needs a command (without NUL bytes)"),
])
def test_bad_destinations_exit_2_before_any_call(credctl, world, args, message):
    w = world
    r = credctl(*w.argv(*args), env=w.env(AWS_ENDPOINT_URL="http://127.0.0.1:9"))
    assert r.code == 2, r
    lines = r.err.splitlines()
    assert len(lines) <= 2 and lines[0].startswith("credctl: error: --")
    if message:
        assert lines[0] == f"credctl: error: {message}"
    assert w.keys() == [w.old["AccessKeyId"]] and r.out == ""


def refused(credctl, w, args, code, message):
    raw = lambda: w.sm.get_secret_value(SecretId=w.secret, VersionStage="AWSCURRENT")["SecretString"]
    before = raw()
    r = credctl(*w.argv(*args), env=w.env())
    assert r.code == code, r
    assert message in r.err, r.err
    assert w.keys() == [w.old["AccessKeyId"]] and raw() == before and w.journals() == []
    assert w.consumer.history == []
    return r


def test_a_secret_that_is_not_json_is_refused(credctl, world):
    w = world
    w.sm.put_secret_value(SecretId=w.secret, SecretString="AKIA... plain text")
    refused(credctl, w, ["--to", w.to_secret, "--to", w.to_exec], 2,
            f"{w.to_secret} does not hold a JSON object; credctl rotate replaces the AccessKeyId and SecretAccessKey fields of a JSON secret")


def test_a_secret_with_one_field_is_refused(credctl, world):
    w = world
    w.sm.put_secret_value(SecretId=w.secret, SecretString=json.dumps({"AccessKeyId": w.old["AccessKeyId"]}))
    refused(credctl, w, ["--to", w.to_secret], 2, f"{w.to_secret} must hold both AccessKeyId and SecretAccessKey as strings, or neither")


def test_a_destination_holding_another_users_key_is_refused(credctl, world):
    w = world
    other = w.iam.create_user(UserName=w.user + "-x")["User"]["UserName"]
    stranger = w.iam.create_access_key(UserName=other)["AccessKey"]
    w.put_parameters(stranger)
    refused(credctl, w, ["--to", w.to_secret, "--to", w.to_ssm], 1,
            f"{w.to_ssm} holds {stranger['AccessKeyId']}, which is not a key of {w.user} ({w.old['AccessKeyId']}); nothing was changed")


def test_destinations_holding_different_keys_are_refused(credctl, world):
    w = world
    second = w.iam.create_access_key(UserName=w.user)["AccessKey"]
    w.put_parameters(second)
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_ssm), env=w.env())
    assert r.code == 1, r
    assert (f"the destinations hold different keys ({w.to_secret} holds {w.old['AccessKeyId']}; {w.to_ssm} holds {second['AccessKeyId']}); "
            "rotate one key at a time; nothing was changed") in r.err
    assert sorted(w.keys()) == sorted([w.old["AccessKeyId"], second["AccessKeyId"]])


def test_a_command_only_rotation_without_the_old_secret_is_refused(credctl, world):
    w = world
    refused(credctl, w, ["--to", w.to_exec], 2,
            f"would need the old key {w.old['AccessKeyId']} back if a step fails, but its secret is in no destination credctl can read")


def test_a_copy_in_a_profile_no_destination_names_is_refused(credctl, world, home):
    w = world
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text(f"[old-copy]\naws_access_key_id = {w.old['AccessKeyId']}\naws_secret_access_key = {w.old['SecretAccessKey']}\n")
    refused(credctl, w, ["--to", w.to_secret], 2,
            f"key {w.old['AccessKeyId']} is also in profile old-copy of {creds}, which no --to names: add --to profile:old-copy, or take it out of the file; nothing was changed")


def test_half_parameters_and_plaintext_secrets_are_refused(credctl, world):
    w = world
    w.ssm.put_parameter(Name=f"{w.path}/AWS_ACCESS_KEY_ID", Value=w.old["AccessKeyId"], Type="String")
    refused(credctl, w, ["--to", w.to_secret, "--to", w.to_ssm], 2,
            f"{w.to_ssm} holds only one of its two parameters ({w.path}/AWS_SECRET_ACCESS_KEY does not exist); put both, or neither")
    w.ssm.put_parameter(Name=f"{w.path}/AWS_SECRET_ACCESS_KEY", Value=w.old["SecretAccessKey"], Type="String")
    refused(credctl, w, ["--to", w.to_secret, "--to", w.to_ssm], 2,
            f"{w.path}/AWS_SECRET_ACCESS_KEY is a String parameter: the secret would be stored unencrypted; make it a SecureString first")


def test_a_profile_that_does_not_hold_the_key_is_refused(credctl, world, home):
    w = world
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text("[other]\naws_access_key_id = AKIAEXAMPLEOTHER0000\naws_secret_access_key = x\n")
    refused(credctl, w, ["--to", w.to_secret, "--to", "profile:grafana"], 2,
            f"profile grafana of {creds} does not hold the key being rotated ({w.old['AccessKeyId']})")
    refused(credctl, w, ["--to", w.to_secret, "--to", "profile:other"], 1,
            f"profile:other holds AKIAEXAMPLEOTHER0000, which is not a key of {w.user} ({w.old['AccessKeyId']}); nothing was changed")


def test_dry_run_shows_each_destination_and_changes_nothing(credctl, world):
    w = world
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_ssm, "--to", w.to_exec, "--verify-cmd", w.verify, "--dry-run",
                        "--output", "json"), env=w.env())
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert [(d["Destination"], d["Holds"]) for d in doc["Destinations"]] == [
        (w.to_secret, "old key"), (w.to_ssm, "nothing"), (w.to_exec, "unknown")]
    assert doc["VerifyCommand"] == w.verify and doc["OldKeyId"] == w.old["AccessKeyId"]
    assert any(s.startswith("run the --verify-cmd") for s in doc["Steps"])
    assert w.keys() == [w.old["AccessKeyId"]] and w.consumer.history == []


def test_rotation_with_only_the_template_permissions(credctl, world, moto):
    """The rotate-user-key-to-secret template's actions are enough (moto matches resources as '*',
    so the resources are widened; a missing action fails with AccessDenied)."""
    w = world
    doc = json.loads(credctl("policy", "show", "rotate-user-key-to-secret", "--resource", w.user, "--path", w.secret).out)
    for s in doc["Statement"]:
        s["Resource"] = "*"
    operator = "op-" + uuid.uuid4().hex[:8]
    w.iam.create_user(UserName=operator)
    w.iam.put_user_policy(UserName=operator, PolicyName="p", PolicyDocument=json.dumps(doc))
    key = w.iam.create_access_key(UserName=operator)["AccessKey"]
    env = w.env(AWS_ACCESS_KEY_ID=key["AccessKeyId"], AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"])
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec), env=env)
    assert r.code == 0, r
    w.assert_everywhere()
