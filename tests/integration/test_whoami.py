"""credctl whoami against moto with signature checking and IAM enforcement on."""
import json

import pytest


def test_env_credentials(credctl, admin_env, moto):
    r = credctl("whoami", "--output", "json", env=admin_env)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Account"] == "123456789012"
    assert doc["Arn"] == "arn:aws:iam::123456789012:user/admin"
    assert doc["KeyType"] == "long-term"
    assert doc["Credentials"]["Provider"] == "environment"
    assert doc["Region"] == {"Name": "us-east-1", "Source": "AWS_REGION"}
    assert doc["Endpoint"]["Source"] == "AWS_ENDPOINT_URL"
    assert moto.admin_secret not in r.out + r.err
    assert moto.admin_key_id not in r.out, "the key id is shown masked"


def test_table_and_text_output(credctl, admin_env):
    table = credctl("whoami", env=admin_env)
    assert table.code == 0, table
    assert "ARN          arn:aws:iam::123456789012:user/admin" in table.out
    assert "Key type     long-term (AKIA)" in table.out
    text = credctl("whoami", "--output", "text", env=admin_env)
    assert "account\t123456789012\n" in text.out


def test_profile_from_credentials_file(credctl, moto, home):
    aws = home / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text(
        "# team keys\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = nope\n\n"
        f"[dev]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key={moto.admin_secret}\n")
    (aws / "config").write_text("[profile dev]\nregion = eu-west-2\n")
    r = credctl("whoami", "--profile", "dev", "--output", "json", env={"AWS_ENDPOINT_URL": moto.url})
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["Credentials"]["Provider"] == "shared-credentials-file"
    assert doc["Credentials"]["Profile"] == "dev"
    assert doc["Credentials"]["Location"] == f"{aws / 'credentials'}:7"
    assert doc["Region"]["Name"] == "eu-west-2"
    assert doc["Region"]["Source"] == f"profile dev ({aws / 'config'}:2)"


def test_static_keys_in_config_file(credctl, moto, tmp_path):
    config = tmp_path / "config"
    config.write_text(f"[profile cfg]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    r = credctl("whoami", "--output", "json",
                env={"AWS_CONFIG_FILE": str(config), "AWS_PROFILE": "cfg", "AWS_ENDPOINT_URL": moto.url})
    assert r.code == 0, r
    assert json.loads(r.out)["Credentials"]["Provider"] == "config-file"


def test_env_keys_win_over_aws_profile_but_not_over_flag(credctl, moto, home):
    aws = home / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text(f"[dev]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    env = {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret,
           "AWS_PROFILE": "dev", "AWS_ENDPOINT_URL": moto.url}
    r = credctl("whoami", "--output", "json", env=env)
    creds = json.loads(r.out)["Credentials"]
    assert creds["Provider"] == "environment"
    assert "environment keys win over AWS_PROFILE=dev" in creds["Rule"]
    r = credctl("whoami", "--profile", "dev", "--output", "json", env=env)
    creds = json.loads(r.out)["Credentials"]
    assert creds["Provider"] == "shared-credentials-file"
    assert creds["ProvidersTried"][0] == {"Provider": "environment", "Result": "skipped: --profile dev was given"}


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_wrong_secret_exits_3_and_never_prints_it(credctl, moto, debug):
    secret = "WrongSecretWrongSecretWrongSecret0123456"
    r = credctl("whoami", *debug, env={"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": secret,
                                       "AWS_ENDPOINT_URL": moto.url})
    assert r.code == 3, r
    assert "SignatureDoesNotMatch" in r.err
    assert secret not in r.out + r.err
    if debug:
        assert "Signature=<redacted>" in r.err


def test_unknown_key_exits_3(credctl, moto):
    r = credctl("whoami", env={"AWS_ACCESS_KEY_ID": "AKIAUNKNOWNUNKNOWN00", "AWS_SECRET_ACCESS_KEY": "x" * 40,
                               "AWS_ENDPOINT_URL": moto.url})
    assert r.code == 3, r
    assert "InvalidClientTokenId" in r.err


def test_debug_redacts_session_token(credctl, moto):
    token = "FQoGZXIvYXdzEXAMPLETOKEN" * 4
    r = credctl("whoami", "--debug", env={"AWS_ACCESS_KEY_ID": "ASIAUNKNOWNUNKNOWN00", "AWS_SECRET_ACCESS_KEY": "s" * 40,
                                          "AWS_SESSION_TOKEN": token, "AWS_ENDPOINT_URL": moto.url})
    assert r.code == 3, r
    assert token not in r.out + r.err
    assert "X-Amz-Security-Token: <redacted>" in r.err


def test_no_credentials_anywhere_exits_3_fast_and_says_where_it_looked(credctl, home):
    r = credctl("whoami")
    assert r.code == 3, r
    assert r.elapsed < 2.0
    assert r.out == ""
    assert "no AWS credentials found" in r.err
    for place in ["environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
                  f"{home}/.aws/credentials does not exist", f"{home}/.aws/config does not exist"]:
        assert place in r.err


def test_half_set_environment_keys_exit_3(credctl):
    r = credctl("whoami", env={"AWS_ACCESS_KEY_ID": "AKIAONLYTHEID0000000"})
    assert r.code == 3, r
    assert "AWS_SECRET_ACCESS_KEY is not" in r.err


def test_unknown_profile_exits_2(credctl, home):
    r = credctl("whoami", "--profile", "ghost")
    assert r.code == 2, r
    assert "profile 'ghost' (from --profile) is not in" in r.err


def test_malformed_config_names_file_and_line(credctl, tmp_path):
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-east-1\nthis line is wrong\n")
    r = credctl("whoami", env={"AWS_CONFIG_FILE": str(config)})
    assert r.code == 2, r
    assert f"{config}, line 3: expected 'key = value'" in r.err


def test_secret_on_malformed_line_is_not_echoed(credctl, tmp_path):
    creds = tmp_path / "credentials"
    creds.write_text("[default]\naws_access_key_id = AKIAEXAMPLE\nwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n")
    r = credctl("whoami", env={"AWS_SHARED_CREDENTIALS_FILE": str(creds)})
    assert r.code == 2, r
    assert "line 3" in r.err
    assert "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY" not in r.err


def test_unreachable_endpoint_exits_5(credctl, moto):
    from conftest import free_port
    r = credctl("whoami", "--cli-connect-timeout", "2",
                env={"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret,
                     "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}", "AWS_MAX_ATTEMPTS": "1"})
    assert r.code == 5, r
    assert "could not connect" in r.err


def test_invalid_region_exits_2(credctl, admin_env):
    r = credctl("whoami", "--region", "us east 1", env=admin_env)
    assert r.code == 2, r
    assert "is not a valid region name" in r.err


def test_usage_errors_exit_2(credctl):
    r = credctl("whoami", "--output", "xml")
    assert r.code == 2, r
    r = credctl("no-such-command")
    assert r.code == 2, r
