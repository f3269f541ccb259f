"""`credctl secrets …` against moto (signature checking on) and a loopback fake for retries."""
import json
import os
import subprocess
import uuid

import pytest

from conftest import BINARY, aws_cli
from fake_servers import RecordingServer, fake_server_env

TRICKY = "p@ss word = # 'single' \"double\" \\ back\nline two ünï"


@pytest.fixture
def name():
    return f"app/{uuid.uuid4().hex[:10]}/db"


@pytest.fixture
def sm(moto):
    return moto.client("secretsmanager")


def test_create_is_read_back_by_the_aws_cli_and_get_reads_what_it_wrote(credctl, admin_env, moto, name):
    r = credctl("secrets", "create", name, "--description", "db", "--tags", "team=data", env=admin_env, stdin=TRICKY + "\n")
    assert r.code == 0, r
    assert TRICKY.splitlines()[0] not in r.out + r.err
    got = json.loads(aws_cli(moto, "secretsmanager", "get-secret-value", "--secret-id", name, "--output", "json"))
    assert got["SecretString"] == TRICKY
    aws_cli(moto, "secretsmanager", "put-secret-value", "--secret-id", name, "--secret-string", TRICKY + " v2")
    g = credctl("secrets", "get", name, env=admin_env)
    assert g.code == 0 and g.out == TRICKY + " v2\n" and g.err == "", g
    prev = credctl("secrets", "get", name, "--version-stage", "AWSPREVIOUS", env=admin_env)
    assert prev.out == TRICKY + "\n"


def test_put_and_json_key(credctl, admin_env, sm, name):
    sm.create_secret(Name=name, SecretString="first")
    doc = {"username": "app", "password": TRICKY, "port": 5432, "opts": {"ssl": True}}
    r = credctl("secrets", "put", name, "--output", "json", env=admin_env, stdin=json.dumps(doc))
    assert r.code == 0, r
    version = json.loads(r.out)["VersionId"]
    assert sm.get_secret_value(SecretId=name)["VersionId"] == version
    assert credctl("secrets", "get", name, "--json-key", "password", env=admin_env).out == TRICKY + "\n"
    assert credctl("secrets", "get", name, "--json-key", "port", env=admin_env).out == "5432\n"
    assert credctl("secrets", "get", name, "--json-key", "opts", env=admin_env).out == '{"ssl":true}\n'
    missing = credctl("secrets", "get", name, "--json-key", "host", env=admin_env)
    assert missing.code == 2 and missing.out == "", missing
    assert missing.err == f"credctl: error: {name} has no key 'host' (its keys: username, password, port, opts)\n"
    whole = json.loads(credctl("secrets", "get", name, "--output", "json", env=admin_env).out)
    assert json.loads(whole["SecretString"]) == doc and whole["VersionStages"] == ["AWSCURRENT"]


def test_binary_secret_is_written_as_bytes(credctl, admin_env, sm, name, tmp_path):
    sm.create_secret(Name=name, SecretBinary=b"\x00\x01\xffbinary")
    out = tmp_path / "out"
    with open(out, "wb") as f:
        env = {"HOME": str(tmp_path), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", **admin_env}
        proc = subprocess.run([str(BINARY), "secrets", "get", name], env=env, stdout=f, stderr=subprocess.PIPE, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == b"\x00\x01\xffbinary"


def test_describe_list_tag_delete(credctl, admin_env, sm, name):
    sm.create_secret(Name=name, SecretString="v", Description="the db")
    t = credctl("secrets", "tag", name, "team=data", "env=prod", env=admin_env)
    assert t.code == 0, t
    d = credctl("secrets", "describe", name, env=admin_env)
    assert d.code == 0, d
    fields = dict(line.split(None, 1) for line in d.out.splitlines() if not line.startswith(" "))
    assert fields["Name"] == name and fields["Description"] == "the db" and fields["Tags"] == "team=data env=prod"
    assert "AWSCURRENT" in d.out
    dj = json.loads(credctl("secrets", "describe", name, "--output", "json", env=admin_env).out)
    assert dj["Name"] == name and "SecretString" not in dj
    prefix = name.rsplit("/", 1)[0]
    listed = json.loads(credctl("secrets", "list", "--name-prefix", prefix, "--output", "json", env=admin_env).out)
    assert [e["Name"] for e in listed] == [name]
    scheduled = credctl("secrets", "delete", name, "--recovery-window-days", "7", "--output", "json", env=admin_env)
    assert scheduled.code == 0, scheduled
    assert json.loads(scheduled.out)["DeletionDate"].endswith("Z")
    assert "DeletedDate" in sm.describe_secret(SecretId=name)


def test_force_delete_then_get_exits_4(credctl, admin_env, sm, name):
    sm.create_secret(Name=name, SecretString="v")
    assert credctl("secrets", "delete", name, "--force-without-recovery", env=admin_env).code == 0
    r = credctl("secrets", "get", name, env=admin_env)
    assert r.code == 4 and "ResourceNotFoundException" in r.err, r


def test_list_follows_pages(credctl, admin_env, sm):
    prefix = f"many/{uuid.uuid4().hex[:8]}/"
    for i in range(130):
        sm.create_secret(Name=f"{prefix}s{i:03d}", SecretString="v")
    r = credctl("secrets", "list", "--name-prefix", prefix, "--output", "json", env=admin_env)
    assert r.code == 0, r
    assert len(json.loads(r.out)) == 130


@pytest.mark.parametrize("args,stdin,message", [
    (["create", "bad name!"], "v", "'bad name!' holds ' ': secret names may hold only letters, digits and / _ + = . @ -"),
    (["create", "n" * 513], "v", "a secret name must be 1 to 512 characters long"),
    (["create", "{name}"], "", "the secret value is empty"),
    (["create", "{name}"], "v" * 65537, "the secret value is 65537 bytes; Secrets Manager allows at most 65536"),
    (["create", "{name}", "--tags", "k" * 129 + "=v"], "v", "tag key '" + "k" * 40 + "' must be 1 to 128 characters"),
    (["put", "{name}"], "", "the secret value is empty"),
    (["delete", "{name}", "--recovery-window-days", "3"], None, "the recovery window must be 7 to 30 days"),
    (["delete", "{name}", "--recovery-window-days", "7", "--force-without-recovery"], None,
     "give --recovery-window-days or --force-without-recovery, not both"),
])
def test_bad_input_exits_2_and_changes_nothing(credctl, admin_env, sm, name, args, stdin, message):
    sm.create_secret(Name=name, SecretString="original")
    args = [a.replace("{name}", name + "-new" if args[0] == "create" else name) for a in args]
    r = credctl("secrets", *args, env=admin_env, stdin=stdin)
    assert r.code == 2, r
    assert message in r.err
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "original"
    assert [s["Name"] for s in sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]] == [name]


def test_retried_put_sends_the_same_client_request_token(credctl):
    def respond(handler, i):
        if i == 0:
            return 500, {"Content-Type": "application/x-amz-json-1.1"}, b'{"__type":"InternalServiceError","message":"oops"}'
        return 200, {}, b'{"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf","Name":"x","VersionId":"v1"}'

    with RecordingServer(respond) as server:
        env = fake_server_env(server)
        r = credctl("secrets", "put", "x", env=env, stdin="value")
        assert r.code == 0, r
        tokens = [json.loads(q["body"])["ClientRequestToken"] for q in server.requests]
        assert len(tokens) == 2 and tokens[0] == tokens[1]
        assert len(tokens[0]) == 36 and tokens[0][14] == "4"
        r2 = credctl("secrets", "put", "x", env=env, stdin="value")
        assert json.loads(server.requests[2]["body"])["ClientRequestToken"] != tokens[0]


def test_debug_never_shows_the_value(credctl, admin_env, sm, name):
    sm.create_secret(Name=name, SecretString="do-not-print-me")
    r = credctl("secrets", "get", name, "--debug", env=admin_env)
    assert r.code == 0 and "debug: <" in r.err
    assert "do-not-print-me" not in r.err
