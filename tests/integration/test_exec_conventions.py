"""The conventions of `creds exec` and `assume … -- CMD`: the CREDCTL_PROFILE marker, no nesting
unless asked, $SHELL when no command is given, both region variables, AWS_CREDENTIAL_EXPIRATION
for temporary credentials, nothing stale left behind."""
import json
import re

import pytest

from conftest import write_aws_files

KEY = "AKIAEXAMPLECONVENT01"
SECRET = "conventions-secret-0123456789abcdef"
SHOW = ('echo "${CREDCTL_PROFILE-unset}|${AWS_ACCESS_KEY_ID-unset}|${AWS_SESSION_TOKEN-unset}|${AWS_CREDENTIAL_EXPIRATION-unset}|'
        '${AWS_REGION-unset}|${AWS_DEFAULT_REGION-unset}|${AWS_PROFILE-unset}|${AWS_CONTAINER_CREDENTIALS_FULL_URI-unset}"')
ISO8601 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def files(home, moto=None, roles=None):
    config = "[profile dev]\nregion = eu-west-1\n"
    credentials = f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    if roles:
        config += f"[profile r1]\nrole_arn = {roles['r1']}\nsource_profile = base\nregion = us-east-1\n"
        credentials += f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n"
    write_aws_files(home, config, credentials)


def test_the_shell_when_no_command_is_given(credctl, home, tmp_path):
    files(home)
    shell = tmp_path / "my-shell"
    shell.write_text("#!/bin/sh\n" + SHOW + "\necho \"args:$#\"\n")
    shell.chmod(0o755)
    r = credctl("creds", "exec", "--profile", "dev", env={"SHELL": str(shell)})
    assert r.code == 0, r
    assert r.out == f"dev|{KEY}|unset|unset|eu-west-1|eu-west-1|unset|unset\nargs:0\n"
    # No SHELL: /bin/sh, reading the commands from standard input.
    r = credctl("creds", "exec", "--profile", "dev", stdin=SHOW + "\n")
    assert r.code == 0 and r.out == f"dev|{KEY}|unset|unset|eu-west-1|eu-west-1|unset|unset\n", r


def test_stale_variables_are_removed(credctl, home):
    files(home)
    stale = {"AWS_PROFILE": "other", "AWS_SESSION_TOKEN": "stale-token", "AWS_CREDENTIAL_EXPIRATION": "2000-01-01T00:00:00Z",
             "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/x"}
    r = credctl("creds", "exec", "--profile", "dev", "--", "sh", "-c", SHOW, env=stale)
    assert r.code == 0 and r.out == f"dev|{KEY}|unset|unset|eu-west-1|eu-west-1|unset|unset\n", r
    # AWS_REGION is the resolved region (it wins over the profile's and AWS_DEFAULT_REGION): both variables carry it.
    r = credctl("creds", "exec", "--profile", "dev", "--", "sh", "-c", SHOW, env=dict(stale, AWS_REGION="ap-south-1", AWS_DEFAULT_REGION="us-west-2"))
    assert r.code == 0 and r.out == f"dev|{KEY}|unset|unset|ap-south-1|ap-south-1|unset|unset\n", r


def test_temporary_credentials_carry_their_expiry(credctl, home, moto, roles):
    files(home, moto, roles)
    env = {"AWS_ENDPOINT_URL": moto.url}
    r = credctl("creds", "exec", "--profile", "r1", "--", "sh", "-c", SHOW, env=env)
    assert r.code == 0, r
    marker, key, token, expiration, region, default_region, profile, uri = r.out.strip().split("|")
    assert (marker, region, default_region, profile, uri) == ("r1", "us-east-1", "us-east-1", "unset", "unset")
    assert key.startswith("ASIA") and token != "unset" and ISO8601.match(expiration), r.out
    exported = json.loads(credctl("creds", "export", "--profile", "r1", "--format", "json", env=env).out)
    assert (key, expiration) == (exported["AccessKeyId"], exported["Expiration"])
    # assume: the same conventions, the marker naming what was assumed.
    r = credctl("assume", "r1", "--", "sh", "-c", SHOW, env=env)
    assert r.code == 0 and r.out.startswith("r1|ASIA"), r
    r = credctl("assume", roles["r2"], "--profile", "base", "--region", "us-east-1", "--", "sh", "-c", SHOW, env=env)
    assert r.code == 0 and r.out.startswith(f"{roles['r2']}|ASIA"), r


@pytest.mark.parametrize("args", [
    ["creds", "exec", "--profile", "dev", "--"],
    ["creds", "exec", "--profile", "dev", "--server", "--"],
    ["assume", "dev", "--"],
    ["assume", "arn:aws:iam::123456789012:role/r1", "--server", "--"],
])
def test_nesting_is_refused_unless_asked(credctl, home, args):
    files(home)
    ran = home / "ran"
    r = credctl(*args, "touch", str(ran), env={"CREDCTL_PROFILE": "outer"})
    assert r.code == 2, r
    assert r.err == "credctl: error: already inside credctl exec for profile outer; unset CREDCTL_PROFILE or pass --allow-nested\n"
    assert r.out == "" and not ran.exists()


def test_allow_nested_replaces_the_marker(credctl, home):
    files(home)
    r = credctl("creds", "exec", "--profile", "dev", "--allow-nested", "--", "sh", "-c", SHOW, env={"CREDCTL_PROFILE": "outer"})
    assert r.code == 0 and r.out.startswith(f"dev|{KEY}|"), r
    # Printing credentials starts no child: nothing nests.
    r = credctl("creds", "export", "--profile", "dev", env={"CREDCTL_PROFILE": "outer"})
    assert r.code == 0 and f"export AWS_ACCESS_KEY_ID='{KEY}'" in r.out
