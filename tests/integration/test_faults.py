"""Every command that talks to AWS, through a proxy that fails, throttles, stalls, resets,
truncates or corrupts every call: each either succeeds within the retry budget or fails with
the documented exit code and a clear one-line message, and never hangs past its timeouts."""
import concurrent.futures
import json
import uuid

import pytest

from fault_proxy import FaultProxy

# (id, command words, arguments after the options, stdin). {table}, {secret}, {uniq} and {url}
# are filled in per run.
COMMANDS = [
    ("whoami", ["whoami"], [], None),
    ("assume", ["assume"], ["{role}", "--format", "json"], None),
    ("request", ["request"], ["--service", "sts", "-d", "Action=GetCallerIdentity&Version=2011-06-15", "{url}/"], None),
    ("params-get", ["params", "get"], ["/FAULT/A"], None),
    ("params-get-path", ["params", "get-path"], ["/FAULT", "--recursive"], None),
    ("params-list", ["params", "list"], ["/FAULT"], None),
    ("params-history", ["params", "history"], ["/FAULT/A"], None),
    ("params-export", ["params", "export"], ["/FAULT", "--format", "dotenv"], None),
    ("params-exec", ["params", "exec"], ["/FAULT", "--", "true"], None),
    ("params-put", ["params", "put"], ["/FAULT/W/{uniq}"], "value"),
    ("params-delete", ["params", "delete"], ["/FAULT/D"], None),
    ("params-import", ["params", "import"], ["/FAULT/IMP", "{envfile}", "--overwrite"], None),
    ("params-copy", ["params", "copy"], ["/FAULT/SRC", "/FAULT/DST", "--overwrite"], None),
    ("secrets-get", ["secrets", "get"], ["{secret}"], None),
    ("secrets-describe", ["secrets", "describe"], ["{secret}"], None),
    ("secrets-list", ["secrets", "list"], [], None),
    ("secrets-put", ["secrets", "put"], ["{secret}"], "new value"),
    ("secrets-create", ["secrets", "create"], ["fault-new-{uniq}"], "value"),
    ("secrets-tag", ["secrets", "tag"], ["{secret}", "team=x"], None),
    ("keys-list", ["keys", "list"], [], None),
    ("keys-audit", ["keys", "audit"], ["--max-age", "90d"], None),
    ("keys-validate", ["keys", "validate"], [], None),
    ("setup-user-dry-run", ["setup", "user"], ["fault-user", "--template", "rotate-own-key", "--dry-run"], None),
    ("dynamodb-tables", ["dynamodb", "tables"], [], None),
    ("dynamodb-describe", ["dynamodb", "describe"], ["{table}"], None),
    ("dynamodb-scan", ["dynamodb", "scan"], ["{table}"], None),
    ("dynamodb-sql", ["dynamodb", "sql"], ['SELECT * FROM "{table}"'], None),
    ("dynamodb-check", ["dynamodb", "check"], ["--table", "{table}"], None),
    ("check-ssm", ["check", "ssm"], ["--path", "/FAULT"], None),
    ("check-secrets", ["check", "secrets"], ["--id", "{secret}"], None),
    ("check-iam-self", ["check", "iam-self"], [], None),
    ("doctor", ["doctor"], [], None),
]

# fault -> (rule arguments, expected exit code, text the error must contain)
FAULTS = {
    "500": (dict(mode="fail", status=500, code="InternalError"), 4, "InternalError"),
    "throttled": (dict(mode="fail", status=400, code="Throttling"), 4, "Throttling"),
    "reset": (dict(mode="reset"), 5, "127.0.0.1"),
    "stall": (dict(mode="stall"), 5, "timed out"),
    "garbage": (dict(mode="garbage"), 4, "unreadable response"),
    "html": (dict(mode="html"), 4, "unreadable response"),
    "huge": (dict(mode="huge"), 4, "over 8 MB"),
}


@pytest.fixture(scope="module")
def world(moto, roles, tmp_path_factory):
    ssm = moto.client("ssm")
    for name in ("/FAULT/A", "/FAULT/B/C", "/FAULT/D", "/FAULT/SRC/X"):
        ssm.put_parameter(Name=name, Value="v-" + name, Type="SecureString", Overwrite=True)
    secret = "fault-secret-" + uuid.uuid4().hex[:6]
    moto.client("secretsmanager").create_secret(Name=secret, SecretString="s3cret-value")
    table = "fault-table-" + uuid.uuid4().hex[:6]
    moto.client("dynamodb").create_table(TableName=table, AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    envfile = tmp_path_factory.mktemp("faults") / "import.env"
    envfile.write_text("X=1\nY='two words'\n")
    return {"role": roles["r1"], "secret": secret, "table": table, "envfile": str(envfile)}


def run(credctl, moto, world, proxy, words, rest, stdin, attempts="2"):
    if words == ["params", "delete"]:
        moto.client("ssm").put_parameter(Name="/FAULT/D", Value="d", Type="String", Overwrite=True)
    fill = dict(world, url=proxy.url, uniq=uuid.uuid4().hex[:8])
    args = [*words, "--cli-read-timeout", "2", *[a.format(**fill) for a in rest]]
    env = {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": proxy.url, "AWS_MAX_ATTEMPTS": attempts}
    return credctl(*args, env=env, stdin=stdin, timeout=60)


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_under_every_fault(credctl, moto, world, command):
    name, words, rest, stdin = command
    with FaultProxy(moto) as proxy:
        baseline = run(credctl, moto, world, proxy, words, rest, stdin)
    expected_ok = 1 if name == "doctor" and baseline.code == 1 else 0
    assert baseline.code == expected_ok, baseline

    # The faults are independent (each its own proxy): run side by side, as the runs mostly wait.
    def under(fault):
        rule = FAULTS[fault][0]
        with FaultProxy(moto) as proxy:
            proxy.add("*", times=10_000, **rule)
            return run(credctl, moto, world, proxy, words, rest, stdin, attempts="1" if fault == "stall" else "2")

    with concurrent.futures.ThreadPoolExecutor(len(FAULTS)) as pool:
        results = dict(zip(FAULTS, pool.map(under, FAULTS)))
    for fault, (_, code, text) in FAULTS.items():
        r = results[fault]
        where = f"{name} under {fault}: {r!r}"
        if name == "request" and fault in ("garbage", "html"):
            # `request` is a raw client, like curl: a 200 answer is printed as it came.
            assert r.code == 0 and r.out, where
        elif name == "doctor":
            # doctor reports problems as findings: exit 1, the failed check named.
            assert r.code == 1, where
            assert "[FAIL]" in r.out, where
        else:
            assert r.code == code, where
            assert r.err.startswith("credctl: error: ") and text in r.err, where
        assert r.elapsed < 30, where
        assert "s3cret-value" not in r.out + r.err and moto.admin_secret not in r.out + r.err, where

    # One truncated answer, then the real one: retried, and the command succeeds — except
    # `request`'s POST, which may be any API's create call: it is sent at most once.
    with FaultProxy(moto) as proxy:
        proxy.add("*", mode="truncate", times=1)
        r = run(credctl, moto, world, proxy, words, rest, stdin)
        assert any(mode == "truncate" for _, _, mode in proxy.calls)
        sent = len(proxy.calls)
    if name == "request":
        assert r.code == 5 and "response truncated" in r.err and sent == 1, f"{name} after one truncated answer: {r!r}"
    else:
        assert r.code == baseline.code, f"{name} after one truncated answer: {r!r}"


def test_secrets_put_retried_after_a_lost_answer_writes_one_version(credctl, moto, world):
    with FaultProxy(moto) as proxy:
        proxy.add("PutSecretValue", mode="lost")
        r = run(credctl, moto, world, proxy, ["secrets", "put"], ["{secret}"], "exactly once")
        assert [m for a, _, m in proxy.calls if a == "PutSecretValue"] == ["lost", "forward"]
    assert r.code == 0, r
    versions = moto.client("secretsmanager").list_secret_version_ids(SecretId=world["secret"])["Versions"]
    current = [v for v in versions if "AWSCURRENT" in v["VersionStages"]]
    assert len(current) == 1
    value = moto.client("secretsmanager").get_secret_value(SecretId=world["secret"])
    assert value["SecretString"] == "exactly once" and value["VersionId"] == current[0]["VersionId"]
    # The retry reused the first attempt's token: the two requests created one version between them.
    assert sum(1 for v in versions if v["VersionId"] == current[0]["VersionId"]) == 1


def test_large_but_legal_answers_are_read(credctl, moto, admin_env):
    """The 8 MB cap leaves room for the largest real answers (a 64 KB secret)."""
    name = "big-" + uuid.uuid4().hex[:6]
    moto.client("secretsmanager").create_secret(Name=name, SecretString="x" * 65536)
    r = credctl("secrets", "get", name, env=admin_env)
    assert r.code == 0 and len(r.out) == 65537, r.err


@pytest.mark.parametrize("overwrite", [False, True])
def test_params_put_after_a_lost_answer_is_not_written_twice(credctl, moto, world, overwrite):
    """PutParameter has no idempotency token: credctl reads the parameter back instead of
    writing again blindly."""
    name = f"/FAULT/ONCE/{uuid.uuid4().hex[:8]}"
    ssm = moto.client("ssm")
    if overwrite:
        ssm.put_parameter(Name=name, Value="old", Type="String")
    with FaultProxy(moto) as proxy:
        proxy.add("PutParameter", mode="lost")
        r = run(credctl, moto, world, proxy, ["params", "put"], [name, "--type", "String"] + (["--overwrite"] if overwrite else []), "new")
        assert [m for a, _, m in proxy.calls if a == "PutParameter"] == ["lost"]
    assert r.code == 0, r
    history = ssm.get_parameter_history(Name=name)["Parameters"]
    assert [h["Value"] for h in history] == (["old", "new"] if overwrite else ["new"])


def test_params_put_after_a_failure_that_wrote_nothing_is_retried(credctl, moto, world):
    name = f"/FAULT/RETRY/{uuid.uuid4().hex[:8]}"
    with FaultProxy(moto) as proxy:
        proxy.add("PutParameter", mode="fail", status=500, code="InternalError")
        r = run(credctl, moto, world, proxy, ["params", "put"], [name], "v")
        assert [m for a, _, m in proxy.calls if a == "PutParameter"] == ["fail", "forward"]
    assert r.code == 0, r
    assert len(moto.client("ssm").get_parameter_history(Name=name)["Parameters"]) == 1


def test_setup_user_after_lost_create_answers_finishes(credctl, moto, home):
    name = "lost-" + uuid.uuid4().hex[:8]
    with FaultProxy(moto) as proxy:
        proxy.add("CreateUser", mode="lost")
        proxy.add("CreatePolicy", mode="lost")
        env = {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_REGION": "us-east-1",
               "AWS_ENDPOINT_URL": proxy.url, "CREDCTL_STATE_DIR": str(home / "state")}
        r = credctl("setup", "user", name, "--template", "rotate-own-key", "--managed", env=env)
        modes = [(a, m) for a, _, m in proxy.calls if a in ("CreateUser", "CreatePolicy")]
    assert r.code == 0, r
    # Each lost create is found by looking (GetUser, GetPolicy), never sent again.
    assert modes == [("CreateUser", "lost"), ("CreatePolicy", "lost")]
    iam = moto.client("iam")
    assert len(iam.list_access_keys(UserName=name)["AccessKeyMetadata"]) == 1
    attached = [p["PolicyName"] for p in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]]
    assert attached == [f"credctl-rotate-own-key-{name}"]
