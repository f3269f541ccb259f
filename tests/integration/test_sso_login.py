"""`credctl sso login` (the device flow against the fake) and `credctl sso logout`: the shared
cache written as the AWS CLI v2 writes it, read by botocore; polling until approved; every
failure with its exit code; logout as `aws sso logout`. The fake asks to be polled every 0 s: the
waits (the interval, `slow_down`'s 5 s, the device code's own expiry) are tested on the same wire
answers with an injected clock, in `Tests/WorkflowsTests/SSODevicePollingTests.swift`."""
import json
import os
import stat
from pathlib import Path

import pytest

from output_world import wait_until
from sso_support import (LEGACY_CONFIG, SESSION_CONFIG, START_URL, botocore_credentials, fake_sso,  # noqa: F401
                         registration_path, secrets_of, seed_token, token_path, write_config)

TOKEN_FIELDS = ["startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"]


def login(credctl, fake, *args, env=None):
    return credctl("sso", "login", "--use-device-code", "--no-browser", *args, env=dict(fake.env(), **(env or {})), timeout=60)


def test_login_writes_the_shared_cache_and_botocore_uses_it(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    r = login(credctl, fake_sso, "--profile", "dev")
    assert r.code == 0, r
    assert fake_sso.ops() == ["RegisterClient", "StartDeviceAuthorization"] + ["CreateToken"] * 4
    register = fake_sso.calls[0]["body"]
    assert register == {"clientName": "credctl-client-corp", "clientType": "public", "scopes": ["sso:account:access"]}
    assert f"{fake_sso.url}/device\n" in r.err and f"check that it is this one:\n\n    {fake_sso.user_codes[0]}\n" in r.err
    assert "A browser was opened" not in r.err
    assert "Signed in" in r.out and START_URL in r.out and "refreshable" in r.out
    token = json.loads(token_path(home, "corp").read_text())
    assert list(token) == TOKEN_FIELDS
    assert token["startUrl"] == START_URL and token["region"] == "us-east-1" and token["accessToken"] in fake_sso.valid_tokens()
    registration = registration_path(home, "corp", ["sso:account:access"])
    assert list(json.loads(registration.read_text())) == ["clientId", "clientSecret", "expiresAt", "scopes"]
    for f in (token_path(home, "corp"), registration):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_path(home, "corp").parent.stat().st_mode) == 0o700
    for secret in secrets_of(fake_sso, home):
        assert secret not in r.out and secret not in r.err
    # botocore reads the token credctl wrote.
    fake_sso.calls.clear()
    assert botocore_credentials(home, "dev", fake_sso.env())["method"] == "sso"
    assert fake_sso.ops() == ["GetRoleCredentials"]
    assert fake_sso.calls[0]["headers"]["x-amz-sso_bearer_token"] == token["accessToken"]


def test_second_login_reuses_the_registration_and_a_preauthorized_client_sees_no_prompt(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    fake_sso.device_script = []
    assert login(credctl, fake_sso, "--profile", "dev").code == 0
    first = json.loads(token_path(home, "corp").read_text())
    fake_sso.calls.clear()
    r = login(credctl, fake_sso, "--sso-session", "corp")
    assert r.code == 0, r
    assert fake_sso.ops() == ["StartDeviceAuthorization", "CreateToken"]
    assert r.err == ""  # approved at the first poll: nothing to show
    second = json.loads(token_path(home, "corp").read_text())
    assert second["clientId"] == first["clientId"] and second["accessToken"] != first["accessToken"]


def test_a_registration_the_service_forgot_is_replaced(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    fake_sso.device_script = []
    assert login(credctl, fake_sso, "--profile", "dev").code == 0
    fake_sso.clients.clear()
    fake_sso.calls.clear()
    r = login(credctl, fake_sso, "--profile", "dev")
    assert r.code == 0, r
    assert fake_sso.ops() == ["StartDeviceAuthorization", "RegisterClient", "StartDeviceAuthorization", "CreateToken"]
    assert fake_sso.calls[0]["error"] == "InvalidClientException"
    cached = json.loads(registration_path(home, "corp", ["sso:account:access"]).read_text())
    assert cached["clientId"] in fake_sso.clients


@pytest.mark.parametrize("script,expires_in,what", [
    (["authorization_pending", "expired_token"], 600, "expired before it was approved"),
    (["access_denied"], 600, "was denied in the browser (AccessDeniedException)"),
])
def test_login_that_is_not_approved(credctl, home, fake_sso, script, expires_in, what):
    write_config(home, SESSION_CONFIG)
    fake_sso.device_script = script
    fake_sso.device_expires_in = expires_in
    r = login(credctl, fake_sso, "--profile", "dev")
    assert r.code == 3, r
    message = "credctl: error: the device authorization for sso-session corp expired before it was approved; nothing was written. " \
              "Run `credctl sso login --profile dev` again\n" if "expired" in what else \
              "credctl: error: the sign-in for sso-session corp was denied in the browser (AccessDeniedException); nothing was written. " \
              "Run `credctl sso login --profile dev` to try again\n"
    assert r.err.endswith(message)
    assert not token_path(home, "corp").exists()


def test_legacy_login_uses_the_start_url_as_the_cache_key(credctl, home, fake_sso):
    write_config(home, LEGACY_CONFIG)
    fake_sso.device_script = []
    r = login(credctl, fake_sso, "--profile", "old")
    assert r.code == 0, r
    assert fake_sso.calls[0]["body"]["clientName"].startswith("credctl-client-") and "scopes" not in fake_sso.calls[0]["body"]
    assert registration_path(home, None, None).exists()
    assert json.loads(token_path(home, START_URL).read_text())["accessToken"] in fake_sso.valid_tokens()
    fake_sso.calls.clear()
    assert botocore_credentials(home, "old", fake_sso.env())["method"] == "sso"


def fake_opener(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "opened"
    opener = bin_dir / "xdg-open"
    opener.write_text(f"#!/bin/sh\necho \"$@\" >> {log}\n")
    opener.chmod(0o755)
    return bin_dir, log


@pytest.mark.parametrize("display,no_browser,opened", [(":0", False, True), (":0", True, False), ("", False, False)])
def test_browser_only_on_a_desktop_and_without_no_browser(credctl, home, fake_sso, tmp_path, display, no_browser, opened):
    write_config(home, SESSION_CONFIG)
    fake_sso.device_script = ["authorization_pending"]
    bin_dir, log = fake_opener(tmp_path)
    env = dict(fake_sso.env(), PATH=f"{bin_dir}:{os.environ['PATH']}", DISPLAY=display)
    r = credctl("sso", "login", "--profile", "dev", "--use-device-code", *(["--no-browser"] if no_browser else []), env=env, timeout=60)
    assert r.code == 0, r
    if opened:
        # The opener runs detached and may write after credctl is done (nothing is waited for).
        expected = f"{fake_sso.url}/device?user_code={fake_sso.user_codes[0]}\n"
        assert wait_until(lambda: log.exists() and log.read_text() == expected), log.read_text() if log.exists() else "not opened"
        assert "A browser was opened" in r.err
    else:
        assert not log.exists() and "Open this page in a browser" in r.err


def test_logout_signs_out_and_removes_what_aws_sso_logout_removes(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG + "\n" + LEGACY_CONFIG)
    corp = seed_token(home, fake_sso)
    legacy = seed_token(home, fake_sso, source=START_URL)
    r = credctl("creds", "export", "--profile", "dev", env=fake_sso.env())
    assert r.code == 0, r
    sso_role_cache = list((home / ".aws" / "credctl" / "cache" / "sso").glob("*.json"))
    assert len(sso_role_cache) == 1
    other_role = home / ".aws" / "credctl" / "cache" / "assume-role-entry.json"
    other_role.write_text('{"Version": 1}')
    registration = registration_path(home, "corp", ["sso:account:access"])
    registration.write_text('{"clientId": "c", "clientSecret": "s", "expiresAt": "2099-01-01T00:00:00Z"}')
    cli = home / ".aws" / "cli" / "cache"
    cli.mkdir(parents=True)
    (cli / "sso-role.json").write_text('{"ProviderType": "sso", "Credentials": {}}')
    (cli / "assumed.json").write_text('{"ProviderType": "assume-role", "Credentials": {}}')
    fake_sso.calls.clear()
    r = credctl("sso", "logout", "--output", "json", env=fake_sso.env())
    assert r.code == 0, r
    assert sorted(c["headers"]["x-amz-sso_bearer_token"] for c in fake_sso.calls) == sorted([corp["accessToken"], legacy["accessToken"]])
    assert fake_sso.ops() == ["Logout", "Logout"]
    assert corp["accessToken"] not in fake_sso.tokens and legacy["accessToken"] not in fake_sso.tokens
    report = json.loads(r.out)
    assert sorted(report["TokensRemoved"]) == sorted([str(token_path(home, "corp")), str(token_path(home, START_URL))])
    assert report["SignedOut"] == 2 and report["LogoutFailures"] == []
    assert sorted(report["CredentialsRemoved"]) == sorted([str(sso_role_cache[0]), str(cli / "sso-role.json")])
    assert not token_path(home, "corp").exists() and not token_path(home, START_URL).exists() and not sso_role_cache[0].exists()
    assert registration.exists() and other_role.exists() and (cli / "assumed.json").exists() and not (cli / "sso-role.json").exists()
    r = credctl("creds", "export", "--profile", "dev", env=fake_sso.env())
    assert r.code == 3 and "there is no cached token" in r.err


def test_logout_of_a_token_the_portal_already_forgot(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    fake_sso.tokens.clear()
    r = credctl("sso", "logout", env=fake_sso.env())
    assert r.code == 0, r
    assert f"Logout failed        {token_path(home, 'corp')}: UnauthorizedException (HTTP 401)" in r.out
    assert not token_path(home, "corp").exists()
    assert Path(token_path(home, "corp")).parent.exists()
