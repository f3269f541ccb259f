"""`login_session` profiles (`aws login`), side by side with botocore's LoginProvider (awscrt
installed) against the loopback sign-in fake, which verifies every DPoP proof: the same
credentials before and after a refresh, each reading the cache file the other wrote, the
refresh windows, the refusals, and what whoami, profiles and doctor say."""
import json
import os
import stat
import time

import pytest

from fake_signin import FakeSignIn, SESSION_ARN
from login_support import (LOGIN_CONFIG, botocore_credentials, cache_path, credctl_credentials, fake_signin,  # noqa: F401
                           keys, seed_session, utc, write_config)


def rewrite_expiry(home, seconds_from_now):
    """Moves the cached credentials' expiry, as time passing would."""
    path = cache_path(home)
    doc = json.loads(path.read_text())
    doc["accessToken"]["expiresAt"] = utc(time.time() + seconds_from_now)
    path.write_text(json.dumps(doc))


def test_fresh_session_same_credentials_no_call(credctl, home, fake_signin):
    write_config(home, LOGIN_CONFIG)
    doc = seed_session(home, fake_signin, expires_in=900)
    env = fake_signin.env()
    mine = credctl_credentials(credctl, "dev", env)
    boto = botocore_credentials(home, "dev", env)
    assert boto["method"] == "login" and keys(boto) == mine
    assert mine["access_key"] == doc["accessToken"]["accessKeyId"]
    assert boto["account_id"] == "123456789012"
    assert fake_signin.calls == []


def test_credctl_refreshes_and_botocore_reads_what_it_wrote(credctl, home, fake_signin):
    write_config(home, LOGIN_CONFIG)
    before = seed_session(home, fake_signin, expires_in=200)  # under botocore's 5 minutes
    env = fake_signin.env()
    mine = credctl_credentials(credctl, "dev", env)
    assert fake_signin.ops() == ["CreateOAuth2Token"]
    call = fake_signin.calls[0]
    assert call["body"] == {"clientId": before["clientId"], "grantType": "refresh_token", "refreshToken": before["refreshToken"]}
    assert "authorization" not in call["headers"]
    after = json.loads(cache_path(home).read_text())
    # botocore's dict.update: the same members in the same order; new keys and refresh token, the rest as it was.
    assert list(after) == list(before)
    assert {k: after[k] for k in ("tokenType", "clientId", "idToken", "dpopKey")} == {k: before[k] for k in ("tokenType", "clientId", "idToken", "dpopKey")}
    assert after["refreshToken"] != before["refreshToken"] and after["refreshToken"] in fake_signin.refresh_tokens
    assert after["accessToken"]["accessKeyId"] == fake_signin.issued[-1]["accessKeyId"] == mine["access_key"]
    assert after["accessToken"]["accountId"] == "123456789012"
    assert abs(time.mktime(time.strptime(after["accessToken"]["expiresAt"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone - (time.time() + 900)) < 10
    assert stat.S_IMODE(cache_path(home).stat().st_mode) == 0o600
    # botocore takes the refreshed file as it is: same credentials, no call.
    fake_signin.calls.clear()
    boto = botocore_credentials(home, "dev", env)
    assert keys(boto) == mine and fake_signin.calls == []


def test_botocore_refreshes_and_credctl_reads_what_it_wrote_then_refreshes_with_its_token(credctl, home, fake_signin):
    write_config(home, LOGIN_CONFIG)
    seed_session(home, fake_signin, expires_in=60)
    env = fake_signin.env()
    boto = botocore_credentials(home, "dev", env)
    assert "error" not in boto, boto
    assert fake_signin.ops() == ["CreateOAuth2Token"]
    written = json.loads(cache_path(home).read_text())
    fake_signin.calls.clear()
    assert credctl_credentials(credctl, "dev", env) == keys(boto)
    assert fake_signin.calls == []
    # Near expiry again: credctl refreshes with the refresh token botocore wrote (single use at the fake).
    rewrite_expiry(home, 30)
    mine = credctl_credentials(credctl, "dev", env)
    assert fake_signin.token_calls()[0]["body"]["refreshToken"] == written["refreshToken"]
    assert mine != keys(boto) and mine["access_key"] == fake_signin.issued[-1]["accessKeyId"]
    # ... and botocore refreshes with the one credctl wrote.
    rewrite_expiry(home, 30)
    fake_signin.calls.clear()
    again = botocore_credentials(home, "dev", env)
    assert "error" not in again, again
    assert fake_signin.ops() == ["CreateOAuth2Token"] and again["access_key"] == fake_signin.issued[-1]["accessKeyId"]


@pytest.mark.parametrize("remaining, refreshes", [(290, True), (330, False), (600, False), (-3600, True)])
def test_refresh_threshold_is_botocores(credctl, home, fake_signin, remaining, refreshes):
    """Refresh at 5 minutes or less (expired included); between 5 and 15 minutes botocore re-reads
    the file and takes it as it is, as credctl does."""
    write_config(home, LOGIN_CONFIG)
    seed_session(home, fake_signin, expires_in=remaining)
    env = fake_signin.env()
    credctl_credentials(credctl, "dev", env)
    assert len(fake_signin.token_calls()) == (1 if refreshes else 0)
    rewrite_expiry(home, remaining)  # botocore sees the same situation
    boto = botocore_credentials(home, "dev", env)
    assert "error" not in boto, boto
    assert len(fake_signin.token_calls()) == (2 if refreshes else 0)


def test_cache_directory_variable_is_read_by_both(credctl, home, fake_signin, tmp_path):
    write_config(home, LOGIN_CONFIG)
    folder = tmp_path / "elsewhere"
    seed_session(home, fake_signin, expires_in=900, directory=folder)
    env = fake_signin.env(AWS_LOGIN_CACHE_DIRECTORY=str(folder))
    assert credctl_credentials(credctl, "dev", env) == keys(botocore_credentials(home, "dev", env))
    r = credctl("creds", "export", "--profile", "dev", "--format", "process", env=fake_signin.env())
    assert r.code == 3 and str(cache_path(home)) in r.err


@pytest.mark.parametrize("error, code, words", [
    ("TOKEN_EXPIRED", 3, "has expired (TOKEN_EXPIRED from the sign-in service)"),
    ("USER_CREDENTIALS_CHANGED", 3, "ended because the user's credentials changed (USER_CREDENTIALS_CHANGED"),
    ("INSUFFICIENT_PERMISSIONS", 4, "lacks permission for signin:CreateOAuth2Token (INSUFFICIENT_PERMISSIONS)"),
])
def test_refusals_explained_with_the_command_and_nothing_written(credctl, home, fake_signin, error, code, words):
    write_config(home, LOGIN_CONFIG)
    seed_session(home, fake_signin, expires_in=60)
    before = cache_path(home).read_bytes()
    fake_signin.fail_next = [error]
    r = credctl("whoami", "--profile", "dev", env=fake_signin.env())
    assert r.code == code, r
    assert words in r.err and "credctl login --profile dev" in r.err
    assert r.err.count("\n") <= 2
    assert cache_path(home).read_bytes() == before
    doc = json.loads(before)
    for secret in (doc["refreshToken"], doc["accessToken"]["secretAccessKey"], doc["accessToken"]["sessionToken"]):
        assert secret not in r.err and secret not in r.out


def test_no_cached_session(credctl, home, fake_signin):
    write_config(home, LOGIN_CONFIG.replace("[profile dev]", "[default]"))
    r = credctl("creds", "show", env=fake_signin.env())
    assert r.code == 3, r
    assert f"no usable login session for {SESSION_ARN}: there is no cached login session ({cache_path(home)} does not exist). Run `credctl login`" in r.err
    assert botocore_credentials(home, "", fake_signin.env())["error"] == "LoginTokenLoadError"
    assert fake_signin.calls == []


def test_precedence_is_botocores(credctl, home, fake_signin):
    """The credentials file's keys win over login_session; login_session wins over credential_process."""
    seed_session(home, fake_signin, expires_in=900)
    write_config(home, LOGIN_CONFIG + "credential_process = /bin/false\n")
    (home / ".aws" / "credentials").write_text("[dev]\naws_access_key_id = AKIAFILE000000000001\naws_secret_access_key = s\n")
    env = fake_signin.env()
    assert credctl_credentials(credctl, "dev", env)["access_key"] == "AKIAFILE000000000001" == botocore_credentials(home, "dev", env)["access_key"]
    (home / ".aws" / "credentials").unlink()
    mine = credctl_credentials(credctl, "dev", env)
    boto = botocore_credentials(home, "dev", env)
    assert mine == keys(boto) and boto["method"] == "login"


def test_whoami_profiles_and_doctor_know_the_kind(credctl, home, moto, roles):
    def moto_credentials():
        c = moto.client("sts").assume_role(RoleArn=roles["r1"], RoleSessionName="login")["Credentials"]
        return {"accessKeyId": c["AccessKeyId"], "secretAccessKey": c["SecretAccessKey"], "sessionToken": c["SessionToken"]}

    with FakeSignIn(credentials=moto_credentials) as fake:
        write_config(home, LOGIN_CONFIG)
        seed_session(home, fake, expires_in=60)
        env = fake.env(AWS_ENDPOINT_URL_STS=moto.url)
        r = credctl("whoami", "--profile", "dev", "--output", "json", env=env)
        assert r.code == 0, r
        doc = json.loads(r.out)
        assert doc["Arn"].endswith(":assumed-role/r1/login")
        login = doc["Credentials"]["Login"]
        assert doc["Credentials"]["Provider"] == "login-session" and login["Session"] == SESSION_ARN
        assert login["AccountId"] == "123456789012" and login["CachePath"] == str(cache_path(home)) and login["Refreshed"] is True
        text = credctl("whoami", "--profile", "dev", env=env)
        assert "login-session, profile dev" in text.out and f"{SESSION_ARN} (account 123456789012), cache {cache_path(home)}" in text.out
        profiles = json.loads(credctl("profiles", "--output", "json", env=env).out)
        assert [p["Kind"] for p in profiles["Profiles"] if p["Name"] == "dev"] == ["login-session"]
        d = credctl("doctor", "--profile", "dev", env=env)
        assert "login session" in d.out and f"{cache_path(home)}: account 123456789012, credentials valid until" in d.out
        assert "sign-in endpoint" in d.out and fake.url in d.out


def test_role_with_a_login_session_source_profile(credctl, home, moto, roles):
    """botocore's profile provider builder includes LoginProvider, so a source_profile can be a login session."""
    def moto_credentials():
        c = moto.client("sts").assume_role(RoleArn=roles["r1"], RoleSessionName="login")["Credentials"]
        return {"accessKeyId": c["AccessKeyId"], "secretAccessKey": c["SecretAccessKey"], "sessionToken": c["SessionToken"]}

    with FakeSignIn(credentials=moto_credentials) as fake:
        write_config(home, LOGIN_CONFIG + f"\n[profile admin]\nrole_arn = {roles['r2']}\nsource_profile = dev\nregion = us-east-1\n")
        seed_session(home, fake, expires_in=60)
        r = credctl("whoami", "--profile", "admin", "--output", "json", env=fake.env(AWS_ENDPOINT_URL_STS=moto.url))
        assert r.code == 0, r
        doc = json.loads(r.out)
        assert ":assumed-role/r2/" in doc["Arn"]
        assert doc["Credentials"]["RoleChain"][0] == "profile dev"
        assert fake.ops() == ["CreateOAuth2Token"]


@pytest.mark.parametrize("where", ["services", "global"])
def test_sign_in_endpoint_from_the_services_section_or_the_global_variable(credctl, home, fake_signin, where):
    """Configured as botocore takes it: the profile's [services] `signin` entry, or AWS_ENDPOINT_URL."""
    if where == "services":
        write_config(home, LOGIN_CONFIG + f"services = local\n\n[services local]\nsignin =\n  endpoint_url = {fake_signin.url}\n")
        env = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
    else:
        write_config(home, LOGIN_CONFIG)
        env = {"AWS_ENDPOINT_URL": fake_signin.url, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
    seed_session(home, fake_signin, expires_in=30)
    mine = credctl_credentials(credctl, "dev", env)
    assert fake_signin.ops() == ["CreateOAuth2Token"]
    rewrite_expiry(home, 30)
    boto = botocore_credentials(home, "dev", env)
    assert "error" not in boto, boto
    assert fake_signin.ops() == ["CreateOAuth2Token", "CreateOAuth2Token"] and mine != keys(boto)
    show = credctl("creds", "show", "--profile", "dev", "--output", "json", env=env)
    assert json.loads(show.out)["Credentials"]["Login"]["Session"] == SESSION_ARN
