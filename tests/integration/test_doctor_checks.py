"""`dynamodb check`, `check ssm/secrets/iam-self` and `doctor` against moto (signatures and IAM
policies enforced) and loopback fakes (a skewed clock, an unreachable endpoint)."""
import json
import uuid

import pytest

from conftest import free_port
from fake_servers import STS_IDENTITY, RecordingServer, fake_server_env, http_date, query_error

READ_ACTIONS = ["dynamodb:ListTables", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem",
                "dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect",
                # moto names the PartiQL permission after the API call, not PartiQLSelect as AWS does.
                "dynamodb:ExecuteStatement"]


def user_with(moto, actions):
    """A user allowed `actions` on every resource (moto matches resources against '*')."""
    iam = moto.client("iam")
    name = "d-" + uuid.uuid4().hex[:10]
    iam.create_user(UserName=name)
    if actions:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return name, key


def env_for(moto, key, **extra):
    return dict({"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
                 "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"}, **extra)


@pytest.fixture(scope="module")
def table(moto):
    ddb = moto.client("dynamodb")
    name = "metrics-" + uuid.uuid4().hex[:6]
    ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "host", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "host", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=name, Item={"host": {"S": "web-1"}, "cpu": {"N": "0.25"}})
    return name


def results(r):
    return {(p["Action"], p["Result"]) for p in json.loads(r.out)}


def test_dynamodb_check_with_full_read_permissions(credctl, moto, table):
    _, key = user_with(moto, READ_ACTIONS)
    r = credctl("dynamodb", "check", "--table", table, "--output", "json", env=env_for(moto, key))
    assert r.code == 0, r
    assert results(r) == {("dynamodb:ListTables", "allowed"), ("dynamodb:DescribeTable", "allowed"), ("dynamodb:Scan", "allowed"),
                          ("dynamodb:Query", "allowed"), ("dynamodb:PartiQLSelect", "allowed")}
    describe = next(p for p in json.loads(r.out) if p["Action"] == "dynamodb:DescribeTable")
    assert describe["Detail"] == f"{table}: ACTIVE in us-east-1, partition key host (S)"


def test_dynamodb_check_with_partial_permissions_names_what_to_grant(credctl, moto, table):
    _, key = user_with(moto, ["dynamodb:ListTables", "dynamodb:DescribeTable", "dynamodb:Scan"])
    r = credctl("dynamodb", "check", "--table", table, env=env_for(moto, key))
    assert r.code == 1, r
    lines = {line.split()[0]: line for line in r.out.splitlines()[1:]}
    assert lines["dynamodb:Scan"].split()[1] == "allowed"
    for action in ("dynamodb:Query", "dynamodb:PartiQLSelect"):
        assert lines[action].split()[1] == "denied"
        assert f"AccessDenied: grant {action} on arn:aws:dynamodb:us-east-1:*:table/{table}" in lines[action]


def test_dynamodb_check_without_any_permission(credctl, moto, table):
    _, key = user_with(moto, [])
    r = credctl("dynamodb", "check", "--table", table, "--output", "json", env=env_for(moto, key))
    assert r.code == 1, r
    assert results(r) == {("dynamodb:ListTables", "denied"), ("dynamodb:DescribeTable", "denied"), ("dynamodb:Scan", "denied"),
                          ("dynamodb:Query", "skipped"), ("dynamodb:PartiQLSelect", "denied")}


def test_dynamodb_check_of_a_missing_table_fails(credctl, moto, admin_env):
    r = credctl("dynamodb", "check", "--table", "no-such-table", env=admin_env)
    assert r.code == 1, r
    assert "ResourceNotFoundException" in r.out


def test_dynamodb_quick_looks(credctl, moto, admin_env, table):
    r = credctl("dynamodb", "tables", env=admin_env)
    assert r.code == 0 and table in r.out.splitlines(), r
    r = credctl("dynamodb", "describe", table, env=admin_env)
    assert r.code == 0 and "Partition key  host (S)" in r.out, r
    r = credctl("dynamodb", "scan", table, "--limit", "1", env=admin_env)
    assert r.code == 0, r
    assert json.loads(r.out)["Items"] == [{"host": {"S": "web-1"}, "cpu": {"N": "0.25"}}]
    r = credctl("dynamodb", "sql", f"SELECT * FROM \"{table}\" WHERE host = 'web-1'", env=admin_env)
    assert r.code == 0, r
    assert json.loads(r.out)["Items"][0]["cpu"] == {"N": "0.25"}
    r = credctl("dynamodb", "sql", f"DELETE FROM \"{table}\" WHERE host = 'web-1'", env=admin_env)
    assert r.code == 2 and r.err == "credctl: error: only SELECT statements are run by credctl dynamodb sql\n", r
    r = credctl("dynamodb", "describe", "no-such-table", env=admin_env)
    assert r.code == 4 and "ResourceNotFoundException" in r.err, r


def test_check_ssm_and_secrets(credctl, moto):
    _, key = user_with(moto, ["ssm:GetParametersByPath", "secretsmanager:ListSecrets"])
    r = credctl("check", "ssm", "--path", "/APP/STAGING", "--output", "json", env=env_for(moto, key))
    assert r.code == 1, r
    assert results(r) == {("ssm:GetParametersByPath", "allowed"), ("ssm:GetParameter", "denied"),
                          ("ssm:DescribeParameters", "denied"), ("kms:Decrypt", "skipped")}
    _, reader = user_with(moto, ["ssm:GetParametersByPath", "ssm:GetParameter", "ssm:DescribeParameters"])
    r = credctl("check", "ssm", "--path", "/APP/STAGING", env=env_for(moto, reader))
    assert r.code == 0, r
    assert "allowed (ParameterNotFound for the probe)" in r.out
    secret = "chk-" + uuid.uuid4().hex[:6]
    moto.client("secretsmanager").create_secret(Name=secret, SecretString="hunter2-value")
    r = credctl("check", "secrets", "--id", secret, "--output", "json", env=env_for(moto, key))
    assert r.code == 1, r
    assert results(r) == {("secretsmanager:ListSecrets", "allowed"), ("secretsmanager:DescribeSecret", "denied"),
                          ("secretsmanager:GetSecretValue", "denied")}
    _, admin_like = user_with(moto, ["secretsmanager:*"])
    r = credctl("check", "secrets", "--id", secret, env=env_for(moto, admin_like))
    assert r.code == 0, r
    assert "hunter2-value" not in r.out + r.err


def test_check_iam_self(credctl, moto):
    doc = json.loads(credctl("policy", "show", "rotate-own-key").out)
    _, key = user_with(moto, doc["Statement"][0]["Action"])
    r = credctl("check", "iam-self", "--output", "json", env=env_for(moto, key))
    assert r.code == 0, r
    assert results(r) == {("iam:ListAccessKeys", "allowed"), ("iam:GetAccessKeyLastUsed", "allowed"), ("iam:CreateAccessKey", "skipped"),
                          ("iam:UpdateAccessKey", "allowed"), ("iam:DeleteAccessKey", "allowed")}
    _, none = user_with(moto, ["iam:ListAccessKeys"])
    r = credctl("check", "iam-self", "--output", "json", env=env_for(moto, none))
    assert r.code == 1, r
    assert ("iam:UpdateAccessKey", "denied") in results(r) and ("iam:DeleteAccessKey", "denied") in results(r)


def doctor(credctl, env, *args):
    r = credctl("doctor", "--output", "json", *args, env=env)
    return r, {c["Check"]: c for c in json.loads(r.out)["Checks"]}


def test_doctor_all_good_with_probes(credctl, moto, table):
    _, key = user_with(moto, READ_ACTIONS)
    r, checks = doctor(credctl, env_for(moto, key), "--check", f"dynamodb:{table}")
    assert r.code == 0, r
    assert all(c["Status"] in ("ok", "info") for c in checks.values())
    assert checks["credentials"]["Detail"] == "environment (AWS_ACCESS_KEY_ID)"
    assert checks["key shape"]["Detail"].endswith(": long-term (AKIA)")
    assert json.loads(r.out)["Passed"] is True and len(json.loads(r.out)["Probes"]) == 5
    assert key["SecretAccessKey"] not in r.out + r.err


def test_doctor_wrong_secret(credctl, moto):
    _, key = user_with(moto, [])
    env = env_for(moto, key, AWS_SECRET_ACCESS_KEY="wrong" + key["SecretAccessKey"][5:])
    r, checks = doctor(credctl, env)
    assert r.code == 1, r
    assert checks["sts"]["Status"] == "fail"
    assert checks["sts"]["Detail"] == "GetCallerIdentity: SignatureDoesNotMatch: the secret access key does not belong to this key id (or the request was signed wrongly)"
    assert env["AWS_SECRET_ACCESS_KEY"] not in r.out + r.err


def test_doctor_unknown_key(credctl, moto):
    r, checks = doctor(credctl, {"AWS_ACCESS_KEY_ID": "AKIAQUNKNOWNKEY00000", "AWS_SECRET_ACCESS_KEY": "x" * 40,
                                 "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"})
    assert r.code == 1, r
    assert checks["sts"]["Detail"].startswith("GetCallerIdentity: InvalidClientTokenId: AWS does not know this access key id")
    assert "credctl keys list" in checks["sts"]["Fix"]


def test_doctor_asia_without_token_and_no_region(credctl, moto):
    r, checks = doctor(credctl, {"AWS_ACCESS_KEY_ID": "ASIAQTEMPORARY000001", "AWS_SECRET_ACCESS_KEY": "x" * 40,
                                 "AWS_ENDPOINT_URL": moto.url})
    assert r.code == 1, r
    assert checks["key shape"]["Status"] == "fail"
    assert checks["key shape"]["Detail"] == "ASIA************0001 is a temporary (ASIA) key without its session token"
    assert checks["region"]["Status"] == "fail" and "AWS_REGION" in checks["region"]["Fix"]


def test_doctor_without_credentials(credctl, moto):
    r, checks = doctor(credctl, {"AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"})
    assert r.code == 1, r
    assert checks["credentials"]["Status"] == "fail"
    assert checks["credentials"]["Detail"].startswith("no AWS credentials found. Looked at: environment:")
    assert "AWS_ACCESS_KEY_ID" in checks["credentials"]["Fix"]


def test_doctor_malformed_config_file(credctl, home):
    (home / ".aws").mkdir()
    (home / ".aws" / "config").write_text("[default]\nregion\n")
    r, checks = doctor(credctl, {})
    assert r.code == 1, r
    assert checks["configuration"]["Status"] == "fail" and "config, line 2" in checks["configuration"]["Detail"]


@pytest.mark.parametrize("offset", [3600, -3600])
def test_doctor_reports_a_clock_an_hour_off(credctl, offset):
    def respond(handler, i):
        return 200, {"Date": http_date(offset), "Content-Type": "text/xml"}, STS_IDENTITY
    with RecordingServer(respond) as server:
        r, checks = doctor(credctl, fake_server_env(server))
    assert r.code == 1, r
    clock = checks["clock"]
    assert clock["Status"] == "fail"
    word = "behind" if offset > 0 else "ahead of"
    seconds = int(clock["Detail"].split(" s ")[0].split()[-1])
    assert abs(seconds - 3600) <= 2 and f"s {word} the server" in clock["Detail"]
    assert "synchronise the clock" in clock["Fix"]
    assert checks["sts"]["Status"] == "ok"


def test_doctor_clock_skew_refusal_is_explained(credctl):
    """A server that refuses with RequestTimeTooSkewed: credctl corrects and retries; doctor still reports the clock."""
    def respond(handler, i):
        if i == 0:
            status, headers, body = query_error("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", status=403)
            return status, dict(headers, Date=http_date(3600)), body
        return 200, {"Date": http_date(3600), "Content-Type": "text/xml"}, STS_IDENTITY
    with RecordingServer(respond) as server:
        r, checks = doctor(credctl, fake_server_env(server))
        assert len(server.requests) == 2
    assert checks["sts"]["Status"] == "ok" and checks["clock"]["Status"] == "fail"


def test_doctor_unreachable_endpoint(credctl):
    port = free_port()
    r, checks = doctor(credctl, {"AWS_ACCESS_KEY_ID": "AKIAQEXAMPLE00000001", "AWS_SECRET_ACCESS_KEY": "x" * 40,
                                 "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1"})
    assert r.code == 1, r
    reach = checks["endpoint reachable"]
    assert reach["Status"] == "fail" and "could not connect" in reach["Detail"]
    assert "HTTPS_PROXY" in reach["Fix"]
    assert "sts" not in checks


def test_doctor_text_output(credctl, moto):
    _, key = user_with(moto, [])
    r = credctl("doctor", env=env_for(moto, key, AWS_SECRET_ACCESS_KEY="x" * 40))
    assert r.code == 1, r
    assert "[FAIL] sts" in r.out and "fix: copy the secret access key again" in r.out
    assert r.out.rstrip().endswith("Problems found: see the lines marked FAIL.")


@pytest.mark.parametrize("code,detail", [
    ("ExpiredToken", "the session token has expired"),
    ("InvalidClientTokenId", "AWS does not know this access key id (deleted, deactivated, mistyped, or from another partition such as China or GovCloud)"),
    ("SignatureDoesNotMatch", "the secret access key does not belong to this key id (or the request was signed wrongly)"),
])
def test_doctor_explains_each_sts_refusal(credctl, code, detail):
    def respond(handler, i):
        return query_error(code, "refused by the test server", status=403)
    with RecordingServer(respond) as server:
        r, checks = doctor(credctl, fake_server_env(server, AWS_SESSION_TOKEN="tok-secret-value"))
    assert r.code == 1, r
    assert checks["sts"]["Detail"] == f"GetCallerIdentity: {code}: {detail}"
    assert checks["sts"]["Fix"]
    assert "tok-secret-value" not in r.out + r.err
