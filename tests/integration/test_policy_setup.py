"""`credctl policy show` templates and `credctl setup user` against moto (signatures and IAM
policies enforced)."""
import json
import os
import stat
import subprocess
import uuid

import pytest

from conftest import write_aws_files

TEMPLATE_ARGS = {
    "dynamodb-read": ["--table", "metrics", "--table", "events", "--policy-region", "eu-west-1", "--account", "123456789012"],
    "ssm-path-read": ["--path", "/ELASMETRICS/STAGING/", "--policy-region", "eu-west-1", "--account", "123456789012"],
    "ssm-path-write": ["--path", "/APP/PROD"],
    "secrets-writer": ["--path", "prod/"],
    "rotate-own-key": ["--account", "123456789012"],
    "rotate-user-key-to-secret": ["--resource", "grafana-reader", "--path", "grafana/datasource", "--account", "123456789012"],
    "rotate-user-key-to-ssm": ["--resource", "grafana-reader", "--path", "/grafana/aws", "--policy-region", "eu-west-1"],
    "s3-sink-writer": ["--resource", "my-logs", "--path", "grafana/"],
    "cross-account-trust": ["--account", "111122223333", "--external-id", "a1b2c3d4"],
    "irsa-trust": ["--oidc-provider", "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123", "--namespace", "monitoring",
                   "--service-account", "grafana", "--account", "123456789012"],
}


def statements(doc):
    return {s["Sid"]: s for s in doc["Statement"]}


def test_every_template_is_valid_pretty_json(credctl):
    listed = credctl("policy", "list")
    assert listed.code == 0
    assert [line.split()[0] for line in listed.out.splitlines()] == ["TEMPLATE"] + list(TEMPLATE_ARGS)
    for name, args in TEMPLATE_ARGS.items():
        r = credctl("policy", "show", name, *args)
        assert r.code == 0, (name, r)
        doc = json.loads(r.out)
        assert doc["Version"] == "2012-10-17" and doc["Statement"]
        assert r.out == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"  # pretty, two-space indent


def test_template_contents(credctl):
    ddb = statements(json.loads(credctl("policy", "show", "dynamodb-read", *TEMPLATE_ARGS["dynamodb-read"]).out))
    assert ddb["ListTables"]["Resource"] == "*"
    assert "dynamodb:PartiQLSelect" in ddb["ReadTables"]["Action"] and "dynamodb:PutItem" not in ddb["ReadTables"]["Action"]
    assert ddb["ReadTables"]["Resource"] == [
        "arn:aws:dynamodb:eu-west-1:123456789012:table/metrics", "arn:aws:dynamodb:eu-west-1:123456789012:table/metrics/index/*",
        "arn:aws:dynamodb:eu-west-1:123456789012:table/events", "arn:aws:dynamodb:eu-west-1:123456789012:table/events/index/*"]
    ssm = statements(json.loads(credctl("policy", "show", "ssm-path-read", *TEMPLATE_ARGS["ssm-path-read"]).out))
    assert ssm["ReadPath"]["Resource"] == ["arn:aws:ssm:eu-west-1:123456789012:parameter/ELASMETRICS/STAGING",
                                           "arn:aws:ssm:eu-west-1:123456789012:parameter/ELASMETRICS/STAGING/*"]
    assert ssm["SecureStringsThroughSSM"]["Action"] == ["kms:Decrypt"]
    assert ssm["SecureStringsThroughSSM"]["Condition"] == {"StringLike": {"kms:ViaService": "ssm.eu-west-1.amazonaws.com"}}
    to_secret = statements(json.loads(credctl("policy", "show", "rotate-user-key-to-secret", *TEMPLATE_ARGS["rotate-user-key-to-secret"]).out))
    assert to_secret["ManageTheUsersAccessKeys"]["Resource"] == "arn:aws:iam::123456789012:user/grafana-reader"
    assert to_secret["WriteTheSecret"]["Resource"] == "arn:aws:secretsmanager:*:123456789012:secret:grafana/datasource-??????"
    assert "secretsmanager:UpdateSecretVersionStage" in to_secret["WriteTheSecret"]["Action"]
    to_ssm = statements(json.loads(credctl("policy", "show", "rotate-user-key-to-ssm", *TEMPLATE_ARGS["rotate-user-key-to-ssm"]).out))
    assert to_ssm["ReadAndWriteTheKeyParameters"]["Resource"] == [
        "arn:aws:ssm:eu-west-1:*:parameter/grafana/aws/AWS_ACCESS_KEY_ID", "arn:aws:ssm:eu-west-1:*:parameter/grafana/aws/AWS_SECRET_ACCESS_KEY"]
    rotate = json.loads(credctl("policy", "show", "rotate-own-key").out)
    assert rotate["Statement"][0]["Resource"] == "arn:aws:iam::*:user/${aws:username}"
    trust = json.loads(credctl("policy", "show", "cross-account-trust", *TEMPLATE_ARGS["cross-account-trust"]).out)["Statement"][0]
    assert trust["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"} and trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "a1b2c3d4"}}
    irsa = json.loads(credctl("policy", "show", "irsa-trust", *TEMPLATE_ARGS["irsa-trust"]).out)["Statement"][0]
    host = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123"
    assert irsa["Principal"] == {"Federated": f"arn:aws:iam::123456789012:oidc-provider/{host}"}
    assert irsa["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert irsa["Condition"]["StringEquals"] == {f"{host}:sub": "system:serviceaccount:monitoring:grafana", f"{host}:aud": "sts.amazonaws.com"}


@pytest.mark.parametrize("args,message", [
    (["ssm-path-read"], "this template needs --path, a parameter path such as /APP/STAGING (it covers the path and everything below it)"),
    (["ssm-path-read", "--path", "APP/x"], "--path 'APP/x' is not a parameter path such as /APP/STAGING: '/' and levels of letters, digits, '_', '.' and '-' (no wildcard, not the root)"),
    (["s3-sink-writer"], "s3-sink-writer needs --resource BUCKET (one bucket name)"),
    (["s3-sink-writer", "--resource", "arn:aws:s3:::b"], "--resource for s3-sink-writer is a bucket name such as my-logs, not 'arn:aws:s3:::b'"),
    (["cross-account-trust", "--external-id", "abc"], "cross-account-trust needs --account, the 12-digit id of the account that may assume the role"),
    (["cross-account-trust", "--account", "111122223333"], "cross-account-trust needs --external-id (2 to 1224 characters), agreed with the other account"),
    (["irsa-trust", "--namespace", "n", "--service-account", "s", "--account", "123456789012"], "irsa-trust needs --oidc-provider, --namespace and --service-account"),
    (["irsa-trust", "--oidc-provider", "https://example.com", "--namespace", "n", "--service-account", "s", "--account", "123456789012"],
     "--oidc-provider 'https://example.com' is not an EKS OIDC issuer (https://oidc.eks.REGION.amazonaws.com/id/ID)"),
])
def test_missing_or_bad_template_options_exit_2(credctl, args, message):
    r = credctl("policy", "show", *args)
    assert r.code == 2, r
    assert r.err == f"credctl: error: {message}\n" and r.out == ""


def test_unknown_template_exits_2(credctl):
    r = credctl("policy", "show", "admin-everything")
    assert r.code == 2 and "admin-everything" in r.err, r


def cli_as_profile(moto, home, profile, *args):
    return subprocess.run(["aws", "--endpoint-url", moto.url, "--region", "us-east-1", "--profile", profile, *args],
                          env={"PATH": os.environ["PATH"], "HOME": str(home)}, capture_output=True, text=True, timeout=60)


def test_setup_user_creates_user_policy_key_and_profile_and_is_safe_to_rerun(moto, credctl, home, admin_env):
    name = "grafana-" + uuid.uuid4().hex[:8]
    write_aws_files(home, credentials="# keep me\n[other]\naws_access_key_id = AKIAOTHER000000000000\naws_secret_access_key = x\n")
    creds = home / ".aws" / "credentials"
    before = creds.read_bytes()
    args = ("setup", "user", name, "--template", "ssm-path-read", "--path", "/APP/STAGING", "--profile-name", "grafana")
    env = dict(admin_env, CREDCTL_STATE_DIR=str(home / "state"))

    dry = credctl(*args, "--dry-run", env=env)
    assert dry.code == 0, dry
    assert f"1. create IAM user {name}" in dry.out and "Policy   credctl-ssm-path-read\n" in dry.out and '"Version": "2012-10-17"' in dry.out
    assert creds.read_bytes() == before
    iam = moto.client("iam")
    assert name not in [u["UserName"] for u in iam.list_users()["Users"]]

    r = credctl(*args, env=env)
    assert r.code == 0, r
    keys = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
    assert len(keys) == 1
    assert creds.read_bytes().startswith(before) and stat.S_IMODE(creds.stat().st_mode) == 0o600
    doc = json.loads(iam.get_user_policy(UserName=name, PolicyName="credctl-ssm-path-read")["PolicyDocument"]) \
        if isinstance(iam.get_user_policy(UserName=name, PolicyName="credctl-ssm-path-read")["PolicyDocument"], str) \
        else iam.get_user_policy(UserName=name, PolicyName="credctl-ssm-path-read")["PolicyDocument"]
    assert doc == json.loads(credctl("policy", "show", "ssm-path-read", "--path", "/APP/STAGING").out)
    # The AWS CLI reads the profile credctl wrote.
    cli = cli_as_profile(moto, home, "grafana", "sts", "get-caller-identity")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"].endswith(f":user/{name}")
    # The key has the template's actions and no others. moto checks SSM calls against the resource
    # '*', so a path-scoped resource never matches there: widen the resources, keep the actions.
    widened = json.loads(json.dumps(doc))
    for s in widened["Statement"]:
        s["Resource"] = "*"
    iam.put_user_policy(UserName=name, PolicyName="credctl-ssm-path-read", PolicyDocument=json.dumps(widened))
    moto.client("ssm").put_parameter(Name="/APP/STAGING/DB_HOST", Value="db.internal", Type="String", Overwrite=True)
    ok = credctl("params", "get", "/APP/STAGING/DB_HOST", env={"AWS_PROFILE": "grafana", "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"})
    assert ok.code == 0 and ok.out == "db.internal\n", ok
    denied = credctl("params", "put", "/APP/STAGING/NEW", stdin="v", env={"AWS_PROFILE": "grafana", "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"})
    assert denied.code == 4 and "AccessDenied" in denied.err, denied

    # Put the template back: a rerun finds everything in place and changes nothing.
    iam.put_user_policy(UserName=name, PolicyName="credctl-ssm-path-read", PolicyDocument=json.dumps(doc))
    after_first = creds.read_bytes()
    again = credctl(*args, env=env)
    assert again.code == 0, again
    assert "already in place" in again.err and "already holds" in again.err
    assert creds.read_bytes() == after_first
    assert len(iam.list_access_keys(UserName=name)["AccessKeyMetadata"]) == 1


def test_setup_user_with_managed_policy_updates_the_version_when_the_template_changes(moto, credctl, home, admin_env):
    name = "writer-" + uuid.uuid4().hex[:8]
    env = dict(admin_env, CREDCTL_STATE_DIR=str(home / "state"))
    r = credctl("setup", "user", name, "--template", "secrets-writer", "--path", "prod/", "--managed", env=env)
    assert r.code == 0, r
    iam = moto.client("iam")
    arn = f"arn:aws:iam::123456789012:policy/credctl-secrets-writer-{name}"
    assert [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]] == [arn]
    r = credctl("setup", "user", name, "--template", "secrets-writer", "--path", "staging/", "--managed", env=env)
    assert r.code == 0, r
    assert "gave managed policy" in r.err
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert len(versions) == 2
    default = next(v for v in versions if v["IsDefaultVersion"])
    doc = iam.get_policy_version(PolicyArn=arn, VersionId=default["VersionId"])["PolicyVersion"]["Document"]
    doc = json.loads(doc) if isinstance(doc, str) else doc
    assert doc["Statement"][0]["Resource"] == "arn:aws:secretsmanager:*:*:secret:staging/*"
    # The profile already holds the user's key: kept, no second key.
    assert len(iam.list_access_keys(UserName=name)["AccessKeyMetadata"]) == 1


def test_setup_user_refuses_a_profile_holding_another_key_before_changing_anything(moto, credctl, home, admin_env):
    name = "clash-" + uuid.uuid4().hex[:8]
    write_aws_files(home, credentials=f"[{name}]\naws_access_key_id = AKIAOTHER000000000000\naws_secret_access_key = x\n")
    before = (home / ".aws" / "credentials").read_bytes()
    iam = moto.client("iam")
    iam.create_user(UserName=name)
    r = credctl("setup", "user", name, "--template", "rotate-own-key", env=dict(admin_env, CREDCTL_STATE_DIR=str(home / "state")))
    assert r.code == 2, r
    assert f"profile [{name}] in {home}/.aws/credentials holds AKIAOTHER000000000000, which is not a key of {name}; choose another --profile-name" in r.err
    assert (home / ".aws" / "credentials").read_bytes() == before
    assert iam.list_access_keys(UserName=name)["AccessKeyMetadata"] == []
    assert iam.list_user_policies(UserName=name)["PolicyNames"] == []


def test_setup_user_refuses_trust_templates_and_bad_names(credctl, admin_env):
    r = credctl("setup", "user", "x", "--template", "irsa-trust", env=admin_env)
    assert r.code == 2 and "irsa-trust is a trust policy: it belongs on a role, not a user" in r.err, r
    r = credctl("setup", "user", "bad/name", "--template", "rotate-own-key", env=admin_env)
    assert r.code == 2 and "'bad/name' is not a valid IAM user name" in r.err, r


def test_user_set_up_with_rotate_own_key_can_rotate(moto, credctl, home, admin_env):
    name = "self-" + uuid.uuid4().hex[:8]
    env = dict(admin_env, CREDCTL_STATE_DIR=str(home / "state"))
    r = credctl("setup", "user", name, "--template", "rotate-own-key", "--profile-name", "me", env=env)
    assert r.code == 0, r
    # moto checks IAM calls against the resource '*', so the template's ${aws:username} resource
    # never matches there: widen it, keeping the template's actions.
    iam = moto.client("iam")
    doc = json.loads(credctl("policy", "show", "rotate-own-key").out)
    doc["Statement"][0]["Resource"] = "*"
    iam.put_user_policy(UserName=name, PolicyName="credctl-rotate-own-key", PolicyDocument=json.dumps(doc))
    r = credctl("rotate", "--yes", env={"AWS_PROFILE": "me", "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1",
                                        "CREDCTL_STATE_DIR": str(home / "state")})
    assert r.code == 0, r
    cli = cli_as_profile(moto, home, "me", "sts", "get-caller-identity")
    assert cli.returncode == 0, cli.stderr


def test_setup_user_dry_run_says_no_where_the_run_would_stop(moto, credctl, home, admin_env):
    """Plan and run ask the same question: a credentials file that cannot be written (its folder
    is a regular file) stops the dry run too, exit 2, nothing created, nothing written."""
    name = "plan-" + uuid.uuid4().hex[:8]
    blocker = home / "not-a-folder"
    blocker.write_text("a file where a folder should be\n")
    env = dict(admin_env, CREDCTL_STATE_DIR=str(home / "state"), AWS_SHARED_CREDENTIALS_FILE=str(blocker / "credentials"))
    args = ("setup", "user", name, "--template", "ssm-path-read", "--path", "/APP/STAGING", "--profile-name", "planned")
    dry = credctl(*args, "--dry-run", env=env)
    real = credctl(*args, env=env)
    for r in (dry, real):
        assert r.code == 2, r
        assert r.err.startswith("credctl: error: cannot ") and str(blocker) in r.err, r
    assert name not in [u["UserName"] for u in moto.client("iam").list_users()["Users"]]
    assert blocker.read_text() == "a file where a folder should be\n"
