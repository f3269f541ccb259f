"""`credctl doctor` on IAM Identity Center profiles: the token, the registration, the region and
the fix it proposes (a login, never "set AWS_ACCESS_KEY_ID")."""
import json

from sso_support import SESSION_CONFIG, fake_sso, seed_token, token_path, write_config  # noqa: F401


def doctor(credctl, fake, *extra):
    r = credctl("doctor", "--profile", "dev", "--output", "json", *extra, env=fake.env(AWS_ENDPOINT_URL_STS="http://127.0.0.1:9"))
    return r, {c["Check"]: c for c in json.loads(r.out)["Checks"]}


def test_expired_token_without_refresh(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    doc = seed_token(home, fake_sso, expires_in=-120, refreshable=False)
    r, checks = doctor(credctl, fake_sso)
    assert r.code == 1
    assert checks["sso configuration"]["Status"] == "ok"
    assert "role Admin in account 111111111111 via sso-session corp" in checks["sso configuration"]["Detail"]
    token = checks["sso token"]
    assert token["Status"] == "fail" and token["Fix"] == "run credctl sso login --profile dev"
    assert token["Detail"] == f"expired at {doc['expiresAt']} and cannot be refreshed (the cache has no refresh token)"
    assert checks["credentials"]["Status"] == "fail" and checks["credentials"]["Fix"] == "run credctl sso login --profile dev"
    assert "AWS_ACCESS_KEY_ID" not in r.out
    assert fake_sso.calls == []


def test_missing_cache_file(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    r, checks = doctor(credctl, fake_sso)
    assert r.code == 1
    assert checks["sso token"]["Detail"] == f"sso-session corp: there is no cached token ({token_path(home, 'corp')} does not exist)"
    assert checks["sso endpoints"]["Detail"] == f"portal {fake_sso.url}/ (AWS_ENDPOINT_URL_SSO); oidc {fake_sso.url}/ (AWS_ENDPOINT_URL_SSO_OIDC)"


def test_expired_registration_and_refreshable_token(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso, expires_in=3600, registration_lifetime=-60)
    _, checks = doctor(credctl, fake_sso)
    assert checks["sso token"]["Status"] == "ok"
    reg = checks["sso client registration"]
    assert reg["Status"] == "warn" and reg["Detail"].endswith(": the token cannot be refreshed")
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso, expires_in=-60)
    _, checks = doctor(credctl, fake_sso)
    assert checks["sso token"]["Status"] == "warn" and "it will be refreshed with its refresh token on next use" in checks["sso token"]["Detail"]
    assert checks["sso client registration"]["Status"] == "ok"


def test_token_issued_in_another_region(credctl, home, fake_sso):
    config = write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso, region="eu-west-1")
    r, checks = doctor(credctl, fake_sso)
    assert r.code == 1
    region = checks["sso region"]
    assert region["Status"] == "fail"
    assert region["Detail"] == f"the cached token was issued by IAM Identity Center in eu-west-1, but sso_region is us-east-1 ({config}:7)"
    assert region["Fix"] == "set sso_region to the region of your IAM Identity Center instance, then run credctl sso login --profile dev"


def test_invalid_sso_configuration(credctl, home, fake_sso):
    config = write_config(home, SESSION_CONFIG.replace("sso_session = corp", "sso_session = other"))
    r, checks = doctor(credctl, fake_sso)
    assert r.code == 1
    c = checks["sso configuration"]
    assert c["Status"] == "fail" and c["Detail"] == f"there is no [sso-session other] section in {config} (named by profile 'dev' at {config}:2)"
    assert checks["credentials"]["Fix"] == "correct the SSO settings at the file and line named"


def test_healthy_sso_profile_table(credctl, home, fake_sso):
    write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    r = credctl("doctor", "--profile", "dev", env=fake_sso.env(AWS_ENDPOINT_URL_STS="http://127.0.0.1:9", AWS_MAX_ATTEMPTS="1"))
    assert "[ok]   sso token" in r.out and ", refreshable" in r.out
    assert "[ok]   credentials" in r.out and "sso, profile dev" in r.out
