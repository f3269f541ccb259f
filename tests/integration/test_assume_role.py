"""Assume-role profiles against moto: chains, cache, MFA, and every configuration error."""
import json
import os
import stat

from conftest import write_aws_files


def base_credentials(moto):
    return f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n"


def chain_config(roles):
    return (f"[profile r1]\nrole_arn = {roles['r1']}\nsource_profile = base\n\n"
            f"[profile r2]\nrole_arn = {roles['r2']}\nsource_profile = r1\nrole_session_name = deploy\n")


def test_role_chain_whoami_and_cache(credctl, moto, roles, home):
    aws = write_aws_files(home, chain_config(roles), base_credentials(moto))
    env = {"AWS_ENDPOINT_URL": moto.url}
    r = credctl("whoami", "--profile", "r2", "--output", "json", env=env)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Arn"] == "arn:aws:sts::123456789012:assumed-role/r2/deploy"
    assert doc["KeyType"] == "temporary"
    c = doc["Credentials"]
    assert c["Provider"] == "assume-role"
    assert c["Profile"] == "r2"
    assert c["Location"] == f"{aws}/config:6"
    assert c["RoleChain"] == ["profile base", f"{roles['r1']} (profile r1)", f"{roles['r2']} (profile r2)"]
    assert c["FromCache"] is False
    assert c["Expiration"]

    cache = home / ".aws" / "credctl" / "cache"
    files = list(cache.iterdir())
    assert len(files) == 2, "one cache entry per role in the chain"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600

    again = credctl("whoami", "--profile", "r2", "--output", "json", env=env)
    assert again.code == 0, again
    assert json.loads(again.out)["Credentials"]["FromCache"] is True
    fresh = credctl("whoami", "--profile", "r2", "--no-cache", "--output", "json", env=env)
    assert json.loads(fresh.out)["Credentials"]["FromCache"] is False
    # Secrets never shown.
    for out in (r, again, fresh):
        assert moto.admin_secret not in out.out + out.err


def test_expired_cache_entry_is_refreshed(credctl, moto, roles, home):
    write_aws_files(home, chain_config(roles), base_credentials(moto))
    env = {"AWS_ENDPOINT_URL": moto.url}
    assert credctl("creds", "export", "--profile", "r1", "--format", "json", env=env).code == 0
    [entry] = list((home / ".aws" / "credctl" / "cache").iterdir())
    doc = json.loads(entry.read_text())
    doc["Expiration"] = "2020-01-01T00:00:00Z"
    doc["AccessKeyId"] = "ASIASTALESTALESTALE0"
    entry.write_text(json.dumps(doc))
    r = credctl("creds", "export", "--profile", "r1", "--format", "json", env=env)
    assert r.code == 0, r
    assert json.loads(r.out)["AccessKeyId"] != "ASIASTALESTALESTALE0"
    assert json.loads(entry.read_text())["AccessKeyId"] == json.loads(r.out)["AccessKeyId"]


def test_credential_source_environment(credctl, moto, roles, home):
    write_aws_files(home, f"[profile env-role]\nrole_arn = {roles['r1']}\ncredential_source = Environment\n")
    env = {"AWS_ENDPOINT_URL": moto.url, "AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret}
    r = credctl("whoami", "--profile", "env-role", "--output", "json", env=env)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Arn"].startswith("arn:aws:sts::123456789012:assumed-role/r1/credctl-")
    assert doc["Credentials"]["RoleChain"][0] == "credential_source Environment (profile env-role)"


def test_env_keys_win_over_aws_profile_role(credctl, moto, roles, home):
    write_aws_files(home, chain_config(roles), base_credentials(moto))
    env = {"AWS_ENDPOINT_URL": moto.url, "AWS_ACCESS_KEY_ID": moto.admin_key_id,
           "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_PROFILE": "r2"}
    r = credctl("whoami", "--output", "json", env=env)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Arn"] == "arn:aws:iam::123456789012:user/admin"
    assert doc["Credentials"]["Rule"] == "environment keys win over AWS_PROFILE=r2 (only --profile turns them off)"


def test_mfa_code_needed_without_terminal(credctl, moto, roles, home):
    write_aws_files(home, f"[profile mfa]\nrole_arn = {roles['r1']}\nsource_profile = base\n"
                          "mfa_serial = arn:aws:iam::123456789012:mfa/admin\n", base_credentials(moto))
    env = {"AWS_ENDPOINT_URL": moto.url}
    r = credctl("whoami", "--profile", "mfa", env=env)
    assert r.code == 3, r
    assert r.err == ("credctl: error: profile 'mfa' needs an MFA code for arn:aws:iam::123456789012:mfa/admin: "
                     "pass --mfa-code or set mfa_process in the profile (there is no terminal to ask on)\n")
    bad = credctl("whoami", "--profile", "mfa", "--mfa-code", "12ab", env=env)
    assert bad.code == 2 and "6 digits" in bad.err
    ok = credctl("whoami", "--profile", "mfa", "--mfa-code", "123456", "--output", "json", env=env)
    assert ok.code == 0, ok
    assert json.loads(ok.out)["Arn"].startswith("arn:aws:sts::123456789012:assumed-role/r1/")


def config_error(credctl, home, config, profile="a", credentials=None):
    aws = write_aws_files(home, config, credentials)
    r = credctl("creds", "show", "--profile", profile)
    assert r.code == 2, r
    assert r.out == ""
    return r.err, aws


ROLE = "arn:aws:iam::123456789012:role/r1"


def test_both_sources_is_an_error(credctl, home):
    err, aws = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\ncredential_source = Environment\n")
    assert err == f"credctl: error: profile 'a' ({aws}/config:2): sets both source_profile and credential_source; keep one\n"


def test_neither_source_is_an_error(credctl, home):
    err, aws = config_error(credctl, home, f"# roles\n[profile a]\nrole_arn = {ROLE}\n")
    assert err == (f"credctl: error: profile 'a' ({aws}/config:3): sets role_arn but neither source_profile nor "
                   "credential_source, so there are no credentials to assume it with\n")


def test_loop_is_an_error(credctl, home):
    err, _ = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\n"
                                         f"[profile b]\nrole_arn = {ROLE}\nsource_profile = c\n"
                                         f"[profile c]\nrole_arn = {ROLE}\nsource_profile = a\n")
    assert err == "credctl: error: source_profile loop: a -> b -> c -> a; a chain must end at a profile with credentials\n"


def test_self_reference_without_keys_is_a_loop(credctl, home):
    err, _ = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = a\n")
    assert "source_profile loop: a -> a" in err


def test_missing_source_profile(credctl, home):
    err, aws = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = nowhere\n")
    assert err == (f"credctl: error: source_profile 'nowhere' of profile 'a' ({aws}/config:2) does not exist in "
                   f"{aws}/config or {aws}/credentials; the profiles there: 'a'\n")


def test_unknown_credential_source(credctl, home):
    err, aws = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\ncredential_source = environment\n")
    assert err == (f"credctl: error: profile 'a' ({aws}/config:2): credential_source 'environment' is not one of "
                   "Environment, EcsContainer, Ec2InstanceMetadata\n")


def test_bad_duration_and_session_name(credctl, home):
    err, _ = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\nduration_seconds = 60\n[profile b]\n")
    assert "duration_seconds: the duration must be 900 to 43200 seconds" in err
    err, _ = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\nrole_session_name = has space\n[profile b]\n")
    assert "role_session_name: the session name may hold only letters" in err
    err, _ = config_error(credctl, home, f"[profile a]\nrole_arn = not-an-arn\nsource_profile = b\n[profile b]\n")
    assert "role_arn: 'not-an-arn' is not a role ARN" in err


def test_chained_role_duration_over_an_hour(credctl, home):
    err, _ = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\nduration_seconds = 7200\n"
                                         f"[profile b]\nrole_arn = {ROLE}\nsource_profile = c\n",
                          credentials="[c]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = x\n")
    assert "role chaining" in err


def test_source_profile_without_credentials(credctl, home):
    err, _ = config_error(credctl, home, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\n[profile b]\nregion = us-east-1\n")
    assert err.startswith("credctl: error: source profile 'b' has no credentials (web-identity: profile 'b' has no web_identity_token_file;")


def test_debug_output_never_shows_secrets(credctl, moto, roles, home):
    write_aws_files(home, chain_config(roles), base_credentials(moto))
    env = {"AWS_ENDPOINT_URL": moto.url}
    r = credctl("whoami", "--profile", "r2", "--debug", env=env)
    assert r.code == 0, r
    # The same credentials, from the cache the run above filled.
    exported = json.loads(credctl("creds", "export", "--profile", "r2", "--format", "json", env=env).out)
    assert "debug: credentials: assuming" in r.err
    for secret in (moto.admin_secret, exported["SecretAccessKey"], exported["SessionToken"]):
        assert secret not in r.out + r.err
