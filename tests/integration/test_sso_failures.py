"""Every way an IAM Identity Center profile can fail: the exit code, the exact message, nothing
written, and botocore failing on the same setup too."""
import json

import pytest

from sso_support import (LEGACY_CONFIG, SESSION_CONFIG, START_URL, botocore_credentials, fake_sso,  # noqa: F401
                         secrets_of, seed_token, token_path, write_config)

LOGIN = "Run `credctl sso login --profile dev`"


def export(credctl, home, fake, profile="dev"):
    return credctl("creds", "export", "--profile", profile, "--debug", env=fake.env())


def no_secret_in(result, fake, home):
    for s in secrets_of(fake, home):
        assert s not in result.out and s not in result.err


def test_missing_token(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    r = export(credctl, home, fake_sso)
    path = token_path(home, "corp")
    assert r.code == 3
    assert r.err.endswith(f"credctl: error: no usable SSO token for sso-session corp: there is no cached token ({path} does not exist). {LOGIN}\n")
    assert fake_sso.calls == [] and not path.parent.exists()
    assert botocore_credentials(home, "dev", fake_sso.env())["error"] == "SSOTokenLoadError"


def test_unreadable_token(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    path = token_path(home, "corp")
    path.parent.mkdir(parents=True)
    path.write_text('{"accessToken": "abc-not-shown"')
    r = export(credctl, home, fake_sso)
    assert r.code == 3
    assert r.err.endswith(f"no usable SSO token for sso-session corp: the cached token {path} is unusable: not a JSON object (31 bytes, not shown). {LOGIN}\n")
    assert "abc-not-shown" not in r.err
    path.write_text('{"accessToken": "abc-not-shown"}')
    r = export(credctl, home, fake_sso)
    assert r.code == 3 and f"the cached token {path} is unusable: it has no accessToken or expiresAt. {LOGIN}" in r.err
    assert fake_sso.calls == []


@pytest.mark.parametrize("case,why", [
    ("no-refresh-token", "the cached token has no refresh token and client registration"),
    ("registration-expired", "the client registration expired at "),
    ("refresh-refused", "CreateToken: InvalidGrantException"),
])
def test_expired_token_that_cannot_be_refreshed(credctl, home, fake_sso, case, why):
    write_config(home, SESSION_CONFIG)
    doc = seed_token(home, fake_sso, expires_in=-60, refreshable=case != "no-refresh-token",
                     registration_lifetime=-10 if case == "registration-expired" else None)
    if case == "refresh-refused":
        fake_sso.refresh_tokens.clear()
    r = export(credctl, home, fake_sso)
    assert r.code == 3, r
    assert f"credctl: error: the SSO token for sso-session corp expired at {doc['expiresAt']} and could not be refreshed ({why}" in r.err
    assert r.err.endswith(f"). {LOGIN}\n")
    assert fake_sso.ops() == (["CreateToken"] if case == "refresh-refused" else [])
    assert json.loads(token_path(home, "corp").read_text()) == doc
    no_secret_in(r, fake_sso, home)
    assert botocore_credentials(home, "dev", fake_sso.env())["error"] == "TokenRetrievalError"


def test_expired_legacy_token_is_never_refreshed(credctl, home, fake_sso):
    write_config(home, LEGACY_CONFIG)
    doc = seed_token(home, fake_sso, source=START_URL, expires_in=-5)
    r = export(credctl, home, fake_sso, profile="old")
    assert r.code == 3
    assert r.err.endswith(f"the SSO token for start URL {START_URL} expired at {doc['expiresAt']} (a legacy sso_start_url profile's token "
                          "is never refreshed). Run `credctl sso login --profile old`\n")
    assert fake_sso.calls == []
    assert botocore_credentials(home, "old", fake_sso.env())["error"] == "UnauthorizedSSOTokenError"


def test_token_the_portal_no_longer_accepts(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    fake_sso.tokens.clear()  # signed out elsewhere
    r = export(credctl, home, fake_sso)
    assert r.code == 3
    assert r.err.endswith("credctl: error: the SSO session for sso-session corp has expired or is otherwise invalid "
                          f"(UnauthorizedException from GetRoleCredentials). {LOGIN}\n")
    assert fake_sso.ops() == ["GetRoleCredentials"]
    no_secret_in(r, fake_sso, home)
    assert botocore_credentials(home, "dev", fake_sso.env())["error"] == "UnauthorizedSSOTokenError"


def test_role_not_assigned(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG.replace("sso_role_name = Admin", "sso_role_name = Billing"))
    seed_token(home, fake_sso)
    r = export(credctl, home, fake_sso)
    assert r.code == 4
    assert "credctl: error: awsssoportal:GetRoleCredentials: ForbiddenException: No access (role Billing in account 111111111111 is not " \
           "assigned to you: `credctl sso accounts --profile dev` lists what is) (HTTP 403" in r.err
    assert botocore_credentials(home, "dev", fake_sso.env())["error"] == "ClientError"


def config_error_cases():
    base = SESSION_CONFIG
    return [
        ("no-session-section", base.replace("sso_session = corp", "sso_session = nope"),
         "there is no [sso-session nope] section in {config} (named by profile 'dev' at {config}:2)"),
        ("session-without-region", base.replace("sso_region = us-east-1\nsso_registration", "sso_registration"),
         "[sso-session corp] ({config}:7) is missing sso_region; run `aws configure sso-session` or add sso_region = …"),
        ("disagreeing-start-url", base.replace("sso_session = corp\n", "sso_session = corp\nsso_start_url = https://other.awsapps.com/start\n"),
         "profile 'dev' ({config}:2): sso_start_url is 'https://other.awsapps.com/start' here ({config}:3) but "
         f"'{START_URL}' in [sso-session corp] ({{config}}:9); remove it from the profile or make them agree"),
        ("missing-role-name", base.replace("sso_role_name = Admin\n", ""),
         "profile 'dev' ({config}:2): uses IAM Identity Center but is missing sso_role_name"),
        ("legacy-without-region", LEGACY_CONFIG.replace("sso_region = us-east-1\n", "").replace("[profile old]", "[profile dev]"),
         "profile 'dev' ({config}:2): uses IAM Identity Center but is missing sso_region (set sso_session = NAME with an "
         "[sso-session NAME] section, or sso_region in the profile)"),
        ("bad-region", base.replace("sso_region = us-east-1", "sso_region = us_east_1"),
         "sso_region 'us_east_1' ({config}:9) is not a region name such as us-east-1"),
    ]


@pytest.mark.parametrize("case,config,message", config_error_cases(), ids=[c[0] for c in config_error_cases()])
def test_invalid_configuration(credctl, home, fake_sso, case, config, message):
    path = write_config(home, config)
    seed_token(home, fake_sso)
    before = sorted(p.name for p in token_path(home, "corp").parent.iterdir())
    for args in (["creds", "export"], ["whoami"], ["sso", "accounts"]):
        if case in ("disagreeing-start-url", "missing-role-name", "legacy-without-region") and args[0] == "sso":
            continue  # sso accounts needs only the session (tested below for a profile without one)
        r = credctl(*args, "--profile", "dev", env=fake_sso.env())
        assert r.code == 2, (args, r)
        assert r.err == "credctl: error: " + message.format(config=path) + "\n", args
    assert fake_sso.calls == []
    assert not (home / ".aws" / "credctl").exists()
    assert sorted(p.name for p in token_path(home, "corp").parent.iterdir()) == before
    assert "error" in botocore_credentials(home, "dev", fake_sso.env())


def test_a_profile_naming_only_a_session_is_not_an_sso_credentials_profile(credctl, home, fake_sso):
    """botocore's SSO provider needs sso_account_id or sso_role_name; with neither the chain goes on."""
    write_config(home, SESSION_CONFIG.replace("sso_account_id = 111111111111\nsso_role_name = Admin\n", ""))
    seed_token(home, fake_sso)
    r = credctl("creds", "show", "--profile", "dev", env=fake_sso.env())
    assert r.code == 3 and "sso: profile 'dev' has no sso_account_id or sso_role_name" in r.err
    assert botocore_credentials(home, "dev", fake_sso.env()) == {"method": None}


def test_sso_commands_on_a_profile_without_sso_settings(credctl, home, fake_sso):
    path = write_config(home, "[profile plain]\nregion = eu-west-1\n")
    for args in (["sso", "login", "--no-browser"], ["sso", "accounts"], ["sso", "sync", "--dry-run"]):
        r = credctl(*args, "--profile", "plain", env=fake_sso.env())
        assert r.code == 2
        assert r.err == ("credctl: error: profile 'plain' is not configured for IAM Identity Center: it has no sso_session and no "
                         "sso_start_url or sso_region. Add sso_session = NAME (with an [sso-session NAME] section), or pass --sso-session NAME\n")
    r = credctl("sso", "accounts", "--sso-session", "corp", env=fake_sso.env())
    assert r.code == 2 and r.err == f"credctl: error: there is no [sso-session corp] section in {path}\n"
    r = credctl("sso", "accounts", "--sso-session", "corp", "--profile", "plain", env=fake_sso.env())
    assert r.code == 2 and r.err == "credctl: error: give --profile or --sso-session, not both\n"
    r = credctl("sso", "accounts", "--profile", "plain", "--endpoint-url", fake_sso.url, env=fake_sso.env())
    assert r.code == 2 and "--endpoint-url does not apply to sso commands" in r.err
    assert fake_sso.calls == []
