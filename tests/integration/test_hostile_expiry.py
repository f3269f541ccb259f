"""Issue 13, finding 15: credentials that have already expired are never used.

From every provider that reports an expiry (the environment, `credential_process`, the container
endpoint, instance metadata, STS for a role or a web identity) an expired set is refused: exit 3,
naming the provider and the expiry, nothing sent with it, nothing exported or run. A cached role
entry that has expired is refreshed, never used. `doctor` reports it as a FAIL line; `whoami`
never shows a past expiry as valid."""
import json
import time

import pytest

from conftest import write_aws_files
from fake_servers import RecordingServer, STS_IDENTITY
from hostile_support import (FakeIMDS, GOOD_SECRET, PAST, RawListener, assert_not_shown, assume_role_answer,
                             credentials_json, imds_env, process_script)

TOKEN = "IQoJb3JpZ2luX2VjEXPIREDTOKEN"


def expired(origin, at=PAST):
    return f"credctl: error: the credentials from {origin} expired at {at}; refresh them at their source\n"


def iso(seconds_from_now):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + seconds_from_now))


def assert_refused_everywhere(credctl, message, env=None, home=None, tmp_path=None):
    """whoami, creds export and creds exec all refuse; doctor reports it as a FAIL."""
    for args in (["whoami"], ["creds", "export", "--format", "env"], ["creds", "show"]):
        r = credctl(*args, env=env)
        assert r.code == 3, (args, r)
        assert r.err == message and r.out == "", (args, r)
        assert_not_shown(r, GOOD_SECRET, TOKEN)
    if tmp_path is not None:
        marker = tmp_path / "started"
        ran = credctl("creds", "exec", "--", "touch", str(marker), env=env)
        assert ran.code == 3 and not marker.exists(), ran
    doctor = credctl("doctor", env=env)
    assert doctor.code == 1, doctor
    line = next(l for l in doctor.out.splitlines() if l.startswith("[FAIL] credentials"))
    assert line.split(None, 2)[-1] == message[len("credctl: error: "):-1]
    assert "get fresh credentials from the source named" in doctor.out
    assert_not_shown(doctor, GOOD_SECRET, TOKEN)


# --- each provider --------------------------------------------------------------------------

@pytest.mark.parametrize("expiration, shown", [
    (PAST, PAST),                                         # the instance
    ("2001-02-03T04:05:06.999Z", PAST),                   # fractional seconds
    ("2001-02-03T09:35:06+05:30", PAST),                  # an offset
    ("2001-02-03T04:05:06+00:00", PAST),
])
def test_credential_process_with_a_past_expiration(credctl, home, tmp_path, expiration, shown):
    script = process_script(tmp_path, {"Version": 1, "AccessKeyId": "ASIAPROCESS000000001", "SecretAccessKey": GOOD_SECRET,
                                       "SessionToken": TOKEN, "Expiration": expiration})
    aws = write_aws_files(home, config=f"[default]\nregion = us-east-1\ncredential_process = {script}\n")
    with RawListener() as wire:
        env = {"AWS_ENDPOINT_URL": wire.url}
        assert_refused_everywhere(credctl, expired(f"credential-process, profile default ({aws}/config:3)", shown), env,
                                  tmp_path=tmp_path)
        assert wire.received() == b"", "nothing signed with expired credentials reached the wire"


def test_credential_process_expired_a_second_ago(credctl, home, tmp_path):
    at = iso(-1)
    script = process_script(tmp_path, {"Version": 1, "AccessKeyId": "ASIAPROCESS000000001", "SecretAccessKey": GOOD_SECRET,
                                       "SessionToken": TOKEN, "Expiration": at})
    aws = write_aws_files(home, config=f"[default]\nregion = us-east-1\ncredential_process = {script}\n")
    r = credctl("whoami", env={"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert r.code == 3 and r.err == expired(f"credential-process, profile default ({aws}/config:3)", at), r


def test_environment_with_a_past_credential_expiration(credctl, tmp_path):
    env = {"AWS_ACCESS_KEY_ID": "ASIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": GOOD_SECRET, "AWS_SESSION_TOKEN": TOKEN,
           "AWS_CREDENTIAL_EXPIRATION": "2001-02-03T04:05:06Z", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    assert_refused_everywhere(credctl, expired("environment (AWS_ACCESS_KEY_ID)"), env, tmp_path=tmp_path)


def test_a_future_expiry_is_shown_and_used(credctl, tmp_path):
    at = iso(3600)
    with RecordingServer(lambda h, i: (200, {"Content-Type": "text/xml"}, STS_IDENTITY)) as sts:
        env = {"AWS_ACCESS_KEY_ID": "ASIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": GOOD_SECRET, "AWS_SESSION_TOKEN": TOKEN,
               "AWS_CREDENTIAL_EXPIRATION": at, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": sts.url}
        r = credctl("whoami", "--output", "json", env=env)
    assert r.code == 0, r
    assert json.loads(r.out)["Credentials"]["Expiration"] == at


def test_container_endpoint_answer_with_a_past_expiration(credctl, tmp_path):
    doc = credentials_json(secret=GOOD_SECRET, token=TOKEN, expiration=PAST)
    with RecordingServer(lambda h, i: (200, {}, json.dumps(doc).encode())) as endpoint:
        uri = endpoint.url + "/v2/credentials/task"
        env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": uri, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
        assert_refused_everywhere(credctl, expired(f"container ({uri})"), env, tmp_path=tmp_path)


def test_instance_metadata_answer_with_a_past_expiration(credctl, tmp_path):
    doc = credentials_json(secret=GOOD_SECRET, token=TOKEN, expiration=PAST)
    with RecordingServer(FakeIMDS(doc)) as imds:
        env = dict(imds_env(imds), AWS_REGION="us-east-1", AWS_ENDPOINT_URL="http://127.0.0.1:9")
        r = credctl("whoami", env=env)
        assert r.code == 3, r
        assert r.err.startswith("credctl: error: the credentials from instance-metadata") and r.err.endswith(
            f" expired at {PAST}; refresh them at their source\n"), r
        assert_refused_everywhere(credctl, r.err, env, tmp_path=tmp_path)


def test_web_identity_answer_with_a_past_expiration(credctl, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("eyJhbGciOi.web.identity")
    answer = assume_role_answer(secret=GOOD_SECRET, token=TOKEN, expiration=PAST, action="AssumeRoleWithWebIdentity")
    with RecordingServer(lambda h, i: answer) as sts:
        env = {"AWS_WEB_IDENTITY_TOKEN_FILE": str(token_file), "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/web",
               "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": sts.url}
        r = credctl("whoami", env=env)
        assert r.code == 3, r
        assert r.err.startswith("credctl: error: the credentials from web-identity") and r.err.endswith(
            f" expired at {PAST}; refresh them at their source\n"), r
        assert all(b"Action=AssumeRoleWithWebIdentity" in q["body"] for q in sts.requests), "nothing else was called"


def test_assume_role_answer_with_a_past_expiration(credctl, home):
    aws = write_aws_files(home, config="[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = src\n"
                                       "region = us-east-1\n",
                          credentials=f"[src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {GOOD_SECRET}\n")
    with RecordingServer(lambda h, i: assume_role_answer(token=TOKEN, expiration=PAST)) as sts:
        r = credctl("whoami", "--profile", "r", env={"AWS_ENDPOINT_URL": sts.url})
        assert r.code == 3, r
        assert r.err == expired(f"assume-role, profile r ({aws}/config:2)")
        assert len(sts.requests) == 1
    assert not list(aws.rglob("*.json")), "an expired answer is not cached"


# --- the role cache ---------------------------------------------------------------------------

def role_setup(home):
    return write_aws_files(home, config="[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = src\n"
                                        "region = us-east-1\n",
                           credentials=f"[src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {GOOD_SECRET}\n")


class STS:
    """AssumeRole answers a fresh token each time; GetCallerIdentity records the key it was signed with."""

    def __init__(self, fail_assume=False):
        self.fail_assume = fail_assume
        self.calls = []

    def __call__(self, h, i):
        req = h.server_ref.requests[-1]
        action = req["body"].split(b"&")[0].decode()
        token = dict(req["headers"]).get("X-Amz-Security-Token")
        self.calls.append((action, token))
        if action == "Action=AssumeRole":
            if self.fail_assume:
                return 503, {"Content-Type": "text/xml"}, b"<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>"
            return assume_role_answer(token=f"fresh-token-{len(self.calls)}", expiration=iso(3600))
        return 200, {"Content-Type": "text/xml"}, STS_IDENTITY


def expire_cache_entry(aws, expiration):
    [entry_file] = list((aws / "credctl" / "cache").glob("*.json"))
    entry = json.loads(entry_file.read_text())
    entry["Expiration"] = expiration
    entry["SessionToken"] = "stale-cached-token"
    entry_file.write_text(json.dumps(entry))
    return entry_file


@pytest.mark.parametrize("left", [-3600, -1, 60])   # expired an hour ago, a second ago; one minute left
def test_an_expired_or_expiring_cache_entry_is_refreshed_not_used(credctl, home, left):
    aws = role_setup(home)
    sts = STS()
    with RecordingServer(sts) as server:
        env = {"AWS_ENDPOINT_URL": server.url}
        assert credctl("whoami", "--profile", "r", env=env).code == 0
        entry_file = expire_cache_entry(aws, iso(left))
        sts.calls.clear()
        r = credctl("whoami", "--profile", "r", "--output", "json", env=env)
        assert r.code == 0, r
    assert [a for a, _ in sts.calls] == ["Action=AssumeRole", "Action=GetCallerIdentity"]
    assert "stale-cached-token" not in [t for _, t in sts.calls]
    refreshed = json.loads(entry_file.read_text())
    assert refreshed["SessionToken"].startswith("fresh-token-") and refreshed["Expiration"] > iso(3000)
    assert json.loads(r.out)["Credentials"]["Expiration"] == refreshed["Expiration"]


def test_an_expired_cache_entry_is_not_used_when_sts_cannot_refresh_it(credctl, home):
    aws = role_setup(home)
    with RecordingServer(STS()) as server:
        assert credctl("whoami", "--profile", "r", env={"AWS_ENDPOINT_URL": server.url}).code == 0
    expire_cache_entry(aws, iso(-60))
    failing = STS(fail_assume=True)
    with RecordingServer(failing) as server:
        r = credctl("whoami", "--profile", "r", env={"AWS_ENDPOINT_URL": server.url, "AWS_MAX_ATTEMPTS": "1"})
    assert r.code == 4, r
    assert "ServiceUnavailable" in r.err
    assert [a for a, _ in failing.calls] == ["Action=AssumeRole"], "GetCallerIdentity never signed with the expired entry"


def test_assume_does_not_hand_out_an_expired_answer(credctl, tmp_path):
    marker = tmp_path / "started"
    with RecordingServer(lambda h, i: assume_role_answer(token=TOKEN, expiration=PAST)) as sts:
        env = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": GOOD_SECRET, "AWS_REGION": "us-east-1",
               "AWS_ENDPOINT_URL": sts.url}
        for extra in ([], ["--format", "process"], ["--", "touch", str(marker)]):
            r = credctl("assume", "arn:aws:iam::123456789012:role/r", *extra, env=env)
            assert r.code == 3, (extra, r)
            assert r.out == "" and r.err == expired("assume-role (credctl assume)"), r
            assert_not_shown(r, TOKEN)
    assert not marker.exists()


def test_sso_role_credentials_already_expired_are_refused(credctl, home):
    from fake_sso import FakeSSO
    from sso_support import SESSION_CONFIG, seed_token, write_config

    def role_credentials(account_id, role_name):
        return {"accessKeyId": "ASIASSOROLE000000001", "secretAccessKey": GOOD_SECRET, "sessionToken": TOKEN,
                "expiration": 981173106000}   # 2001-02-03T04:05:06Z in milliseconds

    write_config(home, SESSION_CONFIG)
    with FakeSSO(role_credentials=role_credentials) as fake, RawListener() as wire:
        seed_token(home, fake)
        r = credctl("whoami", "--profile", "dev", env=fake.env(AWS_ENDPOINT_URL_STS=wire.url))
        assert r.code == 3, r
        assert r.err.startswith("credctl: error: the credentials from sso") and r.err.endswith(
            f" expired at {PAST}; refresh them at their source\n"), r
        assert wire.received() == b""
    assert_not_shown(r, GOOD_SECRET, TOKEN)
