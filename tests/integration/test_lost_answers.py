"""Every call credctl makes that is not safe to repeat, with its answer lost 1, 2 and 3 times in
a row after the server acted: by a 500 (`lost`) or by the connection dropping with no answer
(`dropped`, the fault under which libcurl itself would re-send a request on a reused
connection). The end state is checked each time: exactly one key, the one in the file; one
parameter version; one secret version; nothing left over. A call is never sent again before
credctl has looked at what the lost one did, and every run that stops says what is left.
"""
import json
import uuid

import pytest

from fault_proxy import FaultProxy
from test_rotate import (credentials_text, ends_with_one_working_key, journals, key_ids, make_user, profile_keys,  # noqa: F401
                         rotate_env, user_in_profile)

MODES = ["lost", "dropped"]


@pytest.fixture
def credctl(credctl):
    """Every run with AWS_NEW_RETRIES_2026=true: its waits after a 5xx or a dropped connection
    are milliseconds (a lost answer three times in a row would otherwise wait up to 7 s). What
    is tested here — never sending again before looking — is the same in both behaviours."""
    def run(*args, env=None, **kwargs):
        return credctl(*args, env=dict(env or {}, AWS_NEW_RETRIES_2026="true"), **kwargs)
    return run
COUNTS = [1, 2, 3]


def calls(proxy, *actions):
    return [a for a, _, _ in proxy.calls if a in actions]


def never_twice_without_looking(proxy, write, look):
    """Between two sends of `write` there is always a `look` call: no layer re-sent it blindly."""
    sequence = calls(proxy, write, *look)
    for first, second in zip(sequence, sequence[1:]):
        assert not (first == write and second == write), sequence


def admin(moto, proxy):
    return {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": proxy.url}


def no_secrets(r, *secrets):
    for s in secrets:
        assert s not in r.out and s not in r.err


# Rotation: CreateAccessKey, then DeleteAccessKey of the old key.

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count", COUNTS)
def test_rotate_create_access_key_lost(moto, credctl, home, make_user, mode, count):
    user, old, creds = user_in_profile(home, make_user)
    with FaultProxy(moto) as proxy:
        proxy.add("CreateAccessKey", mode, times=count)
        r = credctl("rotate", "--yes", env=rotate_env(moto, home, endpoint=proxy.url))
        never_twice_without_looking(proxy, "CreateAccessKey", ("ListAccessKeys",))
        sent = len(calls(proxy, "CreateAccessKey"))
    no_secrets(r, old["SecretAccessKey"])
    if count < 3:
        assert r.code == 0, r
        assert sent == count + 1
        assert ends_with_one_working_key(moto, user, creds) != old["AccessKeyId"]
    else:
        # Every attempt's answer was lost: each orphan was found and deleted; the old key is untouched.
        assert r.code in (4, 5), r
        assert sent == 3
        assert r.err.count("\n") >= 2 and "\nhint: " in r.err and "still holds the old key" in r.err, r
        assert key_ids(moto, user) == [old["AccessKeyId"]]
        assert profile_keys(creds, "ci")[0] == old["AccessKeyId"]
        again = credctl("rotate", "--yes", env=rotate_env(moto, home))
        assert again.code == 0, again
        ends_with_one_working_key(moto, user, creds)
    assert journals(home) == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count", COUNTS)
def test_rotate_delete_old_key_lost(moto, credctl, home, make_user, mode, count):
    user, old, creds = user_in_profile(home, make_user)
    with FaultProxy(moto) as proxy:
        proxy.add("DeleteAccessKey", mode, times=count)
        r = credctl("rotate", "--yes", env=rotate_env(moto, home, endpoint=proxy.url))
        sent = len(calls(proxy, "DeleteAccessKey"))
    assert r.code == 0, r
    # The first lost answer is followed by a look at the keys: the key is gone, so it is not sent again.
    assert sent == 1
    assert ends_with_one_working_key(moto, user, creds) != old["AccessKeyId"]
    assert journals(home) == []


@pytest.mark.parametrize("mode", MODES)
def test_rotate_delete_of_the_other_inactive_key_lost(moto, credctl, home, make_user, mode):
    user, (old, other) = make_user(keys=2)
    moto.client("iam").update_access_key(UserName=user, AccessKeyId=other["AccessKeyId"], Status="Inactive")
    creds = home / ".aws" / "credentials"
    creds.parent.mkdir()
    creds.write_text(credentials_text(old))
    with FaultProxy(moto) as proxy:
        proxy.add("DeleteAccessKey", mode, times=1)
        r = credctl("rotate", "--yes", env=rotate_env(moto, home, endpoint=proxy.url))
        sent = len(calls(proxy, "DeleteAccessKey"))
    assert r.code == 0, r
    assert f"deleted the other key {other['AccessKeyId']} (Inactive)" in r.err
    assert sent == 2  # the other key once, then the old key once
    ends_with_one_working_key(moto, user, creds)


# Setup: CreateUser, CreatePolicy, CreatePolicyVersion, DeletePolicyVersion, CreateAccessKey.

def setup_env(moto, home, proxy):
    return dict(admin(moto, proxy), CREDCTL_STATE_DIR=str(home / "state"))


def user_state(moto, name):
    iam = moto.client("iam")
    users = [u["UserName"] for u in iam.list_users()["Users"]]
    if name not in users:
        return None
    return {"keys": len(iam.list_access_keys(UserName=name)["AccessKeyMetadata"]),
            "attached": [p["PolicyName"] for p in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]]}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("action", ["CreateUser", "CreatePolicy"])
@pytest.mark.parametrize("count", COUNTS)
def test_setup_creates_lost(moto, credctl, home, mode, action, count):
    name = "lost-" + uuid.uuid4().hex[:8]
    with FaultProxy(moto) as proxy:
        proxy.add(action, mode, times=count)
        r = credctl("setup", "user", name, "--template", "rotate-own-key", "--managed", env=setup_env(moto, home, proxy))
        sent = len(calls(proxy, action))
    assert r.code == 0, r
    assert sent == 1, (action, proxy.calls)  # found by looking (GetUser, GetPolicy), never sent again
    assert user_state(moto, name) == {"keys": 1, "attached": [f"credctl-rotate-own-key-{name}"]}
    key_id, secret = profile_keys(home / ".aws" / "credentials", name)
    no_secrets(r, secret)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count", COUNTS)
def test_setup_create_access_key_lost(moto, credctl, home, mode, count):
    name = "lost-" + uuid.uuid4().hex[:8]
    with FaultProxy(moto) as proxy:
        proxy.add("CreateAccessKey", mode, times=count)
        r = credctl("setup", "user", name, "--template", "rotate-own-key", env=setup_env(moto, home, proxy))
        never_twice_without_looking(proxy, "CreateAccessKey", ("ListAccessKeys",))
    creds = home / ".aws" / "credentials"
    if count < 3:
        assert r.code == 0, r
        assert user_state(moto, name)["keys"] == 1
        key_id, _ = profile_keys(creds, name)
        assert key_ids(moto, name) == [key_id]
    else:
        # The key could not be made: what this run created is removed, and the error says so.
        assert r.code in (4, 5), r
        assert "\nhint: removed what this run created" in r.err and "nothing is left over" in r.err, r
        assert user_state(moto, name) is None
        assert not creds.exists()
        again = credctl("setup", "user", name, "--template", "rotate-own-key",
                        env=dict(setup_env(moto, home, proxy), AWS_ENDPOINT_URL=moto.url))
        assert again.code == 0, again
        assert user_state(moto, name)["keys"] == 1


@pytest.mark.parametrize("mode", MODES)
def test_setup_new_policy_version_and_version_delete_lost(moto, credctl, home, mode):
    name = "lost-" + uuid.uuid4().hex[:8]
    iam = moto.client("iam")
    base = ("setup", "user", name, "--template", "ssm-path-read", "--managed")
    with FaultProxy(moto) as proxy:
        env = setup_env(moto, home, proxy)
        assert credctl(*base, "--path", "/A", env=env).code == 0
        arn = next(p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"].endswith(name))
        for i in range(3):  # five versions in all: the next new one makes credctl delete the oldest
            iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": f"arn:aws:ssm:*:*:parameter/X{i}"}]}))
        before = [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]]
        assert len(before) == 4
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:*:*:parameter/X9"}]}))
        proxy.add("CreatePolicyVersion", mode, times=3)
        proxy.add("DeletePolicyVersion", mode, times=3)
        r = credctl(*base, "--path", "/B", env=env)
        sent = (len(calls(proxy, "CreatePolicyVersion")), len(calls(proxy, "DeletePolicyVersion")))
    assert r.code == 0, r
    assert sent == (1, 1)
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert len(versions) == 5
    default = next(v for v in versions if v["IsDefaultVersion"])
    doc = iam.get_policy_version(PolicyArn=arn, VersionId=default["VersionId"])["PolicyVersion"]["Document"]
    doc = json.loads(doc) if isinstance(doc, str) else doc
    assert "parameter/B" in json.dumps(doc)


# Parameter Store: PutParameter (new and overwrite), DeleteParameters; import and copy.

def versions(ssm, name):
    return [v["Version"] for v in ssm.get_parameter_history(Name=name)["Parameters"]]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count", COUNTS)
def test_params_put_lost_writes_one_version(moto, credctl, mode, count):
    ssm = moto.client("ssm")
    name = f"/lost/{uuid.uuid4().hex[:8]}/V"
    with FaultProxy(moto) as proxy:
        proxy.add("PutParameter", mode, times=count)
        r = credctl("params", "put", name, stdin="first", env=admin(moto, proxy))
        assert r.code == 0, r
        r2 = credctl("params", "put", name, "--overwrite", stdin="second value", env=admin(moto, proxy))
        sent = len(calls(proxy, "PutParameter"))
    assert r2.code == 0, r2
    assert sent == 2
    assert versions(ssm, name) == [1, 2]
    assert ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"] == "second value"
    no_secrets(r2, "second value")


@pytest.mark.parametrize("mode", MODES)
def test_params_import_and_copy_lost_write_one_version_each(moto, credctl, tmp_path, mode):
    ssm = moto.client("ssm")
    root = f"/lost/{uuid.uuid4().hex[:8]}"
    envfile = tmp_path / "in.env"
    envfile.write_text("A=1\nB=2\nC=3\n")
    with FaultProxy(moto) as proxy:
        proxy.add("PutParameter", mode, times=3)
        r = credctl("params", "import", f"{root}/SRC", str(envfile), env=admin(moto, proxy))
        assert r.code == 0, r
        proxy.add("PutParameter", mode, times=3)
        c = credctl("params", "copy", f"{root}/SRC", f"{root}/DST", env=admin(moto, proxy))
        sent = len(calls(proxy, "PutParameter"))
    assert c.code == 0, c
    assert sent == 6
    for leaf in "ABC":
        assert versions(ssm, f"{root}/SRC/{leaf}") == [1] and versions(ssm, f"{root}/DST/{leaf}") == [1]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count", COUNTS)
def test_params_delete_lost_reports_what_it_deleted(moto, credctl, mode, count):
    ssm = moto.client("ssm")
    root = f"/lost/{uuid.uuid4().hex[:8]}"
    names = [f"{root}/{n}" for n in ("X", "Y")]
    for n in names:
        ssm.put_parameter(Name=n, Value="v", Type="String")
    with FaultProxy(moto) as proxy:
        proxy.add("DeleteParameters", mode, times=count)
        r = credctl("params", "delete", *names, "--output", "json", env=admin(moto, proxy))
        sent = len(calls(proxy, "DeleteParameters"))
    assert r.code == 0, r
    assert sent == 1
    doc = json.loads(r.out)
    assert sorted(doc["Deleted"]) == sorted(names) and doc["NotFound"] == []
    assert ssm.get_parameters(Names=names)["Parameters"] == []


# Secrets Manager: CreateSecret and PutSecretValue carry a token; DeleteSecret is looked at.

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("count", COUNTS)
def test_secrets_writes_lost_make_one_version_and_delete_is_looked_at(moto, credctl, mode, count):
    sm = moto.client("secretsmanager")
    name = "lost/" + uuid.uuid4().hex[:8]
    with FaultProxy(moto) as proxy:
        proxy.add("CreateSecret", mode, times=count)
        proxy.add("PutSecretValue", mode, times=count)
        proxy.add("DeleteSecret", mode, times=count)
        env = admin(moto, proxy)
        created = credctl("secrets", "create", name, stdin="s3cret-one", env=env)
        put = credctl("secrets", "put", name, stdin="s3cret-two", env=env)
        d = credctl("secrets", "delete", name, "--recovery-window-days", "7", env=env)
        sent = {a: len(calls(proxy, a)) for a in ("CreateSecret", "PutSecretValue", "DeleteSecret")}
    # Create and put carry one ClientRequestToken on every retry: retried, one version each.
    # With every one of the 3 attempts' answers lost the command fails, yet wrote one version.
    expected = 0 if count < 3 else None
    for r in (created, put):
        assert (r.code == 0) if expected == 0 else (r.code in (4, 5)), r
        no_secrets(r, "s3cret-one", "s3cret-two")
    assert sent["CreateSecret"] == min(count + 1, 3) and sent["PutSecretValue"] == min(count + 1, 3)
    # DeleteSecret has no token: after the lost answer the secret is described, never deleted twice.
    assert d.code == 0, d
    assert sent["DeleteSecret"] == 1
    listed = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
    assert len(listed) == 2
    assert sm.describe_secret(SecretId=name).get("DeletedDate") is not None
