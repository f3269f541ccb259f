"""`credctl keys list/audit/validate/inspect`: against moto, and against a loopback IAM that
answers with keys of known ages (moto stamps every key with the time it was made)."""
import json
import time
import urllib.parse
import uuid

import pytest

from fake_servers import RecordingServer, query_error

DAY = 86400


def iso(seconds_ago):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - seconds_ago))


class FakeIAM:
    """STS GetCallerIdentity plus IAM ListUsers/ListAccessKeys/GetAccessKeyLastUsed over
    `users`: {name: [(key_id, status, age_days, last_used_days_or_None)]}."""

    def __init__(self, users, caller="alice", caller_arn=None):
        self.users = users
        self.caller = caller
        self.caller_arn = caller_arn or f"arn:aws:iam::111122223333:user/{caller}"

    def respond(self, handler, index):
        req = handler.server_ref.requests[index]
        form = {k: v[0] for k, v in urllib.parse.parse_qs(req["body"].decode()).items()}
        action = form.get("Action")
        if action == "GetCallerIdentity":
            return 200, {}, (f"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>{self.caller_arn}</Arn>"
                             f"<UserId>AIDAFAKE</UserId><Account>111122223333</Account></GetCallerIdentityResult>"
                             f"</GetCallerIdentityResponse>").encode()
        if action == "ListUsers":
            members = "".join(f"<member><UserName>{u}</UserName><Arn>arn:aws:iam::111122223333:user/{u}</Arn>"
                              f"<UserId>AIDA{i}</UserId><CreateDate>{iso(400 * DAY)}</CreateDate></member>"
                              for i, u in enumerate(self.users))
            return 200, {}, f"<ListUsersResponse><ListUsersResult><IsTruncated>false</IsTruncated><Users>{members}</Users></ListUsersResult></ListUsersResponse>".encode()
        if action == "ListAccessKeys":
            user = form.get("UserName", self.caller)
            if user not in self.users:
                return query_error(404, "NoSuchEntity", f"The user with name {user} cannot be found.")
            members = "".join(f"<member><UserName>{user}</UserName><AccessKeyId>{k}</AccessKeyId><Status>{s}</Status>"
                              f"<CreateDate>{iso(age * DAY)}</CreateDate></member>" for k, s, age, _ in self.users[user])
            return 200, {}, f"<ListAccessKeysResponse><ListAccessKeysResult><IsTruncated>false</IsTruncated><AccessKeyMetadata>{members}</AccessKeyMetadata></ListAccessKeysResult></ListAccessKeysResponse>".encode()
        if action == "GetAccessKeyLastUsed":
            for user, keys in self.users.items():
                for k, _, _, used in keys:
                    if k == form["AccessKeyId"]:
                        last = (f"<LastUsedDate>{iso(used * DAY)}</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region>"
                                if used is not None else "<ServiceName>N/A</ServiceName><Region>N/A</Region>")
                        return 200, {}, f"<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>{user}</UserName><AccessKeyLastUsed>{last}</AccessKeyLastUsed></GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>".encode()
            return query_error(404, "NoSuchEntity", "no such key")
        return query_error(400, "InvalidAction", action or "none")


KEYS = {
    "alice": [("AKIAQALICEOLD0000001", "Active", 120, 2), ("AKIAQALICEIDLE000002", "Inactive", 300, None)],
    "bob": [("AKIAQBOBFRESH0000001", "Active", 10, 1)],
    "carol": [("AKIAQCAROLUNUSED0001", "Active", 45, 40), ("AKIAQCAROLNEVER00002", "Active", 35, None)],
}


@pytest.fixture
def fake_iam():
    iam = FakeIAM(KEYS)
    with RecordingServer(iam.respond) as server:
        server.env = {"AWS_ACCESS_KEY_ID": "AKIAQALICEOLD0000001", "AWS_SECRET_ACCESS_KEY": "x" * 40,
                      "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": server.url}
        yield server


def test_list_shows_status_age_and_last_use(credctl, fake_iam):
    r = credctl("keys", "list", "--output", "json", env=fake_iam.env)
    assert r.code == 0, r
    keys = {k["AccessKeyId"]: k for k in json.loads(r.out)}
    assert keys["AKIAQALICEOLD0000001"]["AgeDays"] == 120 and keys["AKIAQALICEOLD0000001"]["LastUsedService"] == "s3"
    assert keys["AKIAQALICEOLD0000001"]["LastUsedRegion"] == "eu-west-1"
    assert keys["AKIAQALICEIDLE000002"]["Status"] == "Inactive" and keys["AKIAQALICEIDLE000002"]["LastUsedDate"] is None
    r = credctl("keys", "list", "--user", "bob", env=fake_iam.env)
    assert r.code == 0, r
    assert r.out.splitlines()[0].split() == ["USER", "KEY", "ID", "STATUS", "CREATED", "AGE", "LAST", "USED", "SERVICE", "REGION"]
    assert "AKIAQBOBFRESH0000001  Active  " in r.out and "10d" in r.out


def test_audit_of_one_user_flags_the_old_active_key_only(credctl, fake_iam):
    r = credctl("keys", "audit", "--max-age", "90d", env=fake_iam.env)
    assert r.code == 1, r
    lines = r.out.splitlines()
    assert len(lines) == 2 and lines[1].split()[:3] == ["alice", "AKIAQALICEOLD0000001", "too-old"]
    assert "120 days old (limit 90)" in lines[1]


def test_audit_all_users_json_for_ci(credctl, fake_iam):
    r = credctl("keys", "audit", "--all-users", "--max-age", "90d", "--unused", "30", "--output", "json", env=fake_iam.env)
    assert r.code == 1, r
    doc = json.loads(r.out)
    found = {(f["AccessKeyId"], f["Finding"]) for f in doc["Findings"]}
    assert found == {("AKIAQALICEOLD0000001", "too-old"), ("AKIAQCAROLUNUSED0001", "unused"), ("AKIAQCAROLNEVER00002", "unused")}
    never = next(f for f in doc["Findings"] if f["AccessKeyId"] == "AKIAQCAROLNEVER00002")
    assert never["Detail"] == "never used in the 35 days since it was created (limit 30)"
    assert doc["UsersChecked"] == 3 and len(doc["Keys"]) == 5


def test_audit_passes_when_everything_is_within_limits(credctl, fake_iam):
    r = credctl("keys", "audit", "--user", "bob", "--max-age", "90d", "--unused", "30d", env=fake_iam.env)
    assert r.code == 0, r
    assert r.out == "ok: 1 key of 1 user checked, no findings\n"


def test_validate_gate_on_age(credctl, fake_iam):
    r = credctl("keys", "validate", "--require", "long-term", "--max-age", "90d", env=fake_iam.env)
    assert r.code == 1, r
    assert r.out == "FAIL: AKIAQALICEOLD0000001 is 120 days old; the limit is 90 days: rotate it (credctl rotate)\n"
    r = credctl("keys", "validate", "--require", "long-term", "--max-age", "180d", env=fake_iam.env)
    assert r.code == 0, r
    assert r.out == "ok: AKIAQALICEOLD0000001 of alice is active, 120 days old (limit 180)\n"


def test_validate_by_key_id(credctl, fake_iam):
    r = credctl("keys", "validate", "--key-id", "AKIAQALICEIDLE000002", env=fake_iam.env)
    assert r.code == 1, r
    assert r.out == "FAIL: AKIAQALICEIDLE000002 is inactive\n"
    r = credctl("keys", "validate", "--key-id", "AKIAQBOBFRESH0000001", "--max-age", "30d", "--output", "json", env=fake_iam.env)
    assert r.code == 0, r
    assert json.loads(r.out)["Result"] == "pass"


def test_validate_rejects_temporary_and_malformed_keys(credctl, moto, roles):
    admin = {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret,
             "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"}
    c = json.loads(credctl("assume", roles["r1"], "--format", "json", env=admin).out)
    temp = dict(admin, AWS_ACCESS_KEY_ID=c["AccessKeyId"], AWS_SECRET_ACCESS_KEY=c["SecretAccessKey"], AWS_SESSION_TOKEN=c["SessionToken"])
    r = credctl("keys", "validate", "--require", "long-term", env=temp)
    assert r.code == 1, r
    assert r.out.startswith(f"FAIL: {c['AccessKeyId']} is a temporary (ASIA) key from environment (AWS_ACCESS_KEY_ID); this gate requires a long-term AKIA key")
    assert c["SecretAccessKey"] not in r.out + r.err and c["SessionToken"] not in r.out + r.err
    # Without the gate, working temporary credentials pass.
    r = credctl("keys", "validate", env=temp)
    assert r.code == 0, r
    # ASIA without its token.
    r = credctl("keys", "validate", env=dict(temp, AWS_SESSION_TOKEN=""))
    assert r.code == 3, r
    assert "is a temporary (ASIA) key without its session token" in r.out
    # Malformed id and secret.
    r = credctl("keys", "validate", env=dict(admin, AWS_ACCESS_KEY_ID="AKIA-not-a-key"))
    assert r.code == 1 and r.out == "FAIL: malformed access key id: 'AKIA-not-a-key' holds characters other than A–Z and 0–9\n", r
    r = credctl("keys", "validate", env=dict(admin, AWS_SECRET_ACCESS_KEY="short-secret-value"))
    assert r.code == 1, r
    assert "the secret access key is not 40 characters" in r.out and "short-secret-value" not in r.out + r.err


def test_validate_against_moto(credctl, moto):
    iam = moto.client("iam")
    name = "v-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:ListAccessKeys", "Resource": "*"}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    env = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
           "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"}
    r = credctl("keys", "validate", "--require", "long-term", "--max-age", "90d", env=env)
    assert r.code == 0, r
    assert r.out == f"ok: {key['AccessKeyId']} of {name} is active, 0 days old (limit 90)\n"
    # A deleted key is refused by STS: exit 3 with the reason.
    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    r = credctl("keys", "validate", env=env)
    assert r.code == 3, r
    assert r.out == f"FAIL: STS refused {key['AccessKeyId']}: InvalidClientTokenId (AWS does not know this access key id (deleted, deactivated, mistyped, or from another partition such as China or GovCloud))\n"


def test_list_and_audit_against_moto(credctl, moto, admin_env):
    iam = moto.client("iam")
    name = "l-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    k1 = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
    k2 = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName=name, AccessKeyId=k2, Status="Inactive")
    r = credctl("keys", "list", "--user", name, "--output", "json", env=admin_env)
    assert r.code == 0, r
    assert {(k["AccessKeyId"], k["Status"]) for k in json.loads(r.out)} == {(k1, "Active"), (k2, "Inactive")}
    r = credctl("keys", "audit", "--user", name, "--max-age", "0d", "--output", "json", env=admin_env)
    # Keys made this second are 0 days old: within a 0-day limit only if younger than a second.
    assert r.code in (0, 1), r
    assert all(f["AccessKeyId"] == k1 for f in json.loads(r.out)["Findings"])
    r = credctl("keys", "list", "--user", "nobody-" + uuid.uuid4().hex[:6], env=admin_env)
    assert r.code == 4 and "NoSuchEntity" in r.err, r


@pytest.mark.parametrize("key_id,kind,account", [
    ("ASIAY34FZKBOKMUTVV7A", "temporary access key (from STS; needs its session token)", "609629065308"),
    ("AKIAIOSFODNN7EXAMPLE", "access key (long-term, IAM user or root)", None),
    ("AROAQNZGKIQY56JQ7WML", "IAM role", None),
])
def test_inspect_offline(credctl, key_id, kind, account):
    r = credctl("keys", "inspect", key_id, "--output", "json", env={"AWS_ENDPOINT_URL": "http://192.0.2.1:9"})
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Kind"] == kind and doc["Prefix"] == key_id[:4]
    if account:
        assert doc["Account"] == account
    elif key_id.startswith("AKIAI"):
        assert doc["Account"] is None


def test_inspect_bad_ids(credctl):
    r = credctl("keys", "inspect", "akia-lower")
    assert r.code == 2 and r.err == "credctl: error: 'akia-lower' holds characters other than A–Z and 0–9\n", r
    r = credctl("keys", "inspect", "ZZZZQNZGKIQY56JQ7WML")
    assert r.code == 2 and "prefix ZZZZ is not one IAM uses" in r.err, r
