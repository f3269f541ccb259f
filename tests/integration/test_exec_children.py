"""A child that credctl gives credentials uses exactly those, whichever SDK it runs, or credctl
refuses to start it and names what would win (issue 23 #14).

With `--server` the child reaches credctl through the container endpoint, which botocore (boto3,
the AWS CLI) and the Go SDK try late: the environment's keys, `[default]`'s keys, role, web
identity, SSO, `login_session` or `credential_process`, `AWS_CREDENTIAL_FILE` and the boto files
all come first. With keys in the environment only Java system properties (`JAVA_TOOL_OPTIONS`)
come first. Each source is checked here twice: credctl refuses (exit 2, the source named, the
child not started, no secret shown), and botocore itself, given the child's environment, indeed
takes that source instead of the container endpoint (so the list is botocore's, not a guess)."""
import json
import os
import subprocess
import sys

import pytest

from conftest import write_aws_files

DEFAULT_KEY = "AKIADEFAULTUSER00001"
DEFAULT_SECRET = "default-user-secret-0123456789abcdefABCD"

WHO = r"""
import boto3, json, os, sys
s = boto3.session.Session()
arn = s.client("sts", endpoint_url=sys.argv[1]).get_caller_identity()["Arn"]
print(json.dumps({"arn": arn, "method": s.get_credentials().method}))
"""


def role_files(home, moto, roles, default_config="", default_credentials=""):
    write_aws_files(home, f"[default]\nregion = us-east-1\n{default_config}"
                          f"[profile r1]\nrole_arn = {roles['r1']}\nsource_profile = base\nrole_session_name = served\n",
                    f"{default_credentials}[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")


# Each source that would win over the container endpoint: (id, config of [default], credentials
# of [default], extra environment, files to write (relative to home), what credctl names).
SOURCES = [
    ("credentials-file keys", "", f"[default]\naws_access_key_id = {DEFAULT_KEY}\naws_secret_access_key = {DEFAULT_SECRET}\n", {}, {},
     "profile default sets aws_access_key_id ({home}/.aws/credentials:2), which AWS SDKs use before the credentials server"),
    ("config-file keys", f"aws_access_key_id = {DEFAULT_KEY}\naws_secret_access_key = {DEFAULT_SECRET}\n", "", {}, {},
     "profile default sets aws_access_key_id ({home}/.aws/config:3), which AWS SDKs use before the credentials server"),
    ("role", "role_arn = arn:aws:iam::123456789012:role/other\nsource_profile = base\n", "", {}, {},
     "profile default sets role_arn ({home}/.aws/config:3), which AWS SDKs use before the credentials server"),
    ("web identity", "role_arn = arn:aws:iam::123456789012:role/other\nweb_identity_token_file = {home}/token\n", "", {},
     {"token": "eyJ.token"}, "profile default sets role_arn ({home}/.aws/config:3), which AWS SDKs use before the credentials server"),
    ("sso", "sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n", "", {}, {},
     "profile default sets sso_session ({home}/.aws/config:3), which AWS SDKs use before the credentials server"),
    ("credential_process", "credential_process = /bin/false\n", "", {}, {},
     "profile default sets credential_process ({home}/.aws/config:3), which AWS SDKs use before the credentials server"),
    ("login_session", "login_session = arn:aws:iam::123456789012:user/me\n", "", {}, {},
     "profile default sets login_session ({home}/.aws/config:3), which AWS SDKs use before the credentials server"),
    ("AWS_CREDENTIAL_FILE", "", "", {"AWS_CREDENTIAL_FILE": "{home}/ec2creds"},
     {"ec2creds": f"AWSAccessKeyId={DEFAULT_KEY}\nAWSSecretKey={DEFAULT_SECRET}\n"},
     "AWS_CREDENTIAL_FILE names {home}/ec2creds, whose AWSAccessKeyId botocore uses before the credentials server"),
    ("~/.boto", "", "", {}, {".boto": f"[Credentials]\naws_access_key_id = {DEFAULT_KEY}\naws_secret_access_key = {DEFAULT_SECRET}\n"},
     "{home}/.boto:2 sets aws_access_key_id in [Credentials], which botocore uses before the credentials server"),
    ("BOTO_CONFIG", "", "", {"BOTO_CONFIG": "{home}/boto.cfg"},
     {"boto.cfg": f"[Credentials]\naws_access_key_id = {DEFAULT_KEY}\naws_secret_access_key = {DEFAULT_SECRET}\n"},
     "{home}/boto.cfg:2 sets aws_access_key_id in [Credentials], which botocore uses before the credentials server"),
]


def setup_source(home, moto, roles, case):
    _, config, credentials, env, files, named = case
    role_files(home, moto, roles, config.format(home=home), credentials)
    for name, text in files.items():
        (home / name).write_text(text)
    return {k: v.format(home=home) for k, v in env.items()}, named.format(home=home)


@pytest.mark.parametrize("case", SOURCES, ids=[c[0] for c in SOURCES])
@pytest.mark.parametrize("command", [["creds", "exec", "--profile", "r1", "--server"], ["assume", "r1", "--server"]],
                         ids=["creds exec", "assume"])
def test_the_server_is_not_started_for_a_child_that_would_use_other_credentials(credctl, home, moto, roles, case, command):
    extra, named = setup_source(home, moto, roles, case)
    marker = home / "child-ran"
    r = credctl(*command, "--", "touch", str(marker), env={"AWS_ENDPOINT_URL": moto.url, **extra})
    assert r.code == 2, r
    assert r.out == "" and not marker.exists(), r
    assert r.err == (f"credctl: error: not starting the command: {named}; the command would run with those credentials, not credctl's: "
                     "move those credentials out of it (or into a named profile), or run without --server, with the keys in the environment\n"), r
    for secret in (DEFAULT_SECRET, moto.admin_secret):
        assert secret not in r.err


@pytest.mark.parametrize("case", SOURCES, ids=[c[0] for c in SOURCES])
def test_botocore_itself_takes_each_refused_source_before_the_container_endpoint(home, moto, roles, case):
    """The reference: botocore with the child's environment (the container variables set, no
    AWS_PROFILE) does not reach the container endpoint."""
    extra, _ = setup_source(home, moto, roles, case)
    probe = ("import botocore.session, json\n"
             "try:\n    c = botocore.session.Session().get_credentials(); print(json.dumps(c and c.method))\n"
             "except Exception as e:\n    print(json.dumps('raised ' + type(e).__name__))\n")
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "t",
           "AWS_ENDPOINT_URL": "http://127.0.0.1:9", **extra}
    method = json.loads(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60).stdout)
    assert method != "container-role", method
    # And without the source, botocore does take the container endpoint (it then fails to reach it).
    role_files(home, moto, roles)
    for name in ("ec2creds", ".boto", "boto.cfg"):
        (home / name).unlink(missing_ok=True)
    bare = {k: v for k, v in env.items() if k not in extra}
    method = json.loads(subprocess.run([sys.executable, "-c", probe], env=bare, capture_output=True, text=True, timeout=60).stdout)
    assert method in ("container-role", "raised CredentialRetrievalError"), method


def test_java_system_properties_are_named_in_both_modes(credctl, home, moto, roles):
    role_files(home, moto, roles)
    marker = home / "child-ran"
    java = {"JAVA_TOOL_OPTIONS": f"-Xmx1g -Daws.accessKeyId={DEFAULT_KEY} -Daws.secretAccessKey={DEFAULT_SECRET}"}
    for command, before in ((["creds", "exec", "--profile", "r1"], "the environment's keys"),
                            (["assume", "r1"], "the environment's keys"),
                            (["creds", "exec", "--profile", "r1", "--server"], "the credentials server")):
        r = credctl(*command, "--", "touch", str(marker), env={"AWS_ENDPOINT_URL": moto.url, **java})
        assert r.code == 2 and not marker.exists(), r
        assert r.err.startswith(f"credctl: error: not starting the command: JAVA_TOOL_OPTIONS sets aws.accessKeyId, "
                                f"which the AWS SDK for Java reads before {before}; "), r
        assert DEFAULT_SECRET not in r.err
    # With the server, a profile chosen by a property would win too; with keys, it would not.
    profile = {"JDK_JAVA_OPTIONS": "-Daws.profile=base"}
    r = credctl("assume", "r1", "--server", "--", "touch", str(marker), env={"AWS_ENDPOINT_URL": moto.url, **profile})
    assert r.code == 2 and "JDK_JAVA_OPTIONS sets aws.profile" in r.err, r
    r = credctl("assume", "r1", "--", "touch", str(marker), env={"AWS_ENDPOINT_URL": moto.url, **profile})
    assert r.code == 0 and marker.exists(), r


@pytest.mark.parametrize("server", [False, True], ids=["keys", "server"])
def test_boto3_and_the_aws_cli_run_as_the_role_credctl_gives(credctl, home, moto, roles, server):
    """With keys in the environment, `[default]` may hold keys (the environment comes first in
    every SDK); AWS_PROFILE and AWS_DEFAULT_PROFILE from the parent are removed. With the server,
    `[default]` holds only settings. Either way both SDKs run as assumed-role/r1."""
    role_files(home, moto, roles, default_credentials="" if server else
               f"[default]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    env = {"AWS_ENDPOINT_URL": moto.url, "AWS_PROFILE": "base", "AWS_DEFAULT_PROFILE": "base"}
    flag = ["--server"] if server else []
    expected = "arn:aws:sts::123456789012:assumed-role/r1/served"
    for command in (["creds", "exec", "--profile", "r1", *flag], ["assume", "r1", *flag]):
        r = credctl(*command, "--", sys.executable, "-c", WHO, moto.url, env=env, timeout=60)
        assert r.code == 0, r
        assert json.loads(r.out) == {"arn": expected, "method": "container-role" if server else "env"}
        r = credctl(*command, "--", "aws", "--endpoint-url", moto.url, "sts", "get-caller-identity", "--output", "json",
                    env=env, timeout=60)
        assert r.code == 0, r
        assert json.loads(r.out)["Arn"] == expected


def test_serving_the_default_profile_itself_is_not_refused(credctl, home, moto):
    """`creds exec --server` without --profile serves [default]: its keys are what the child gets either way."""
    write_aws_files(home, "[default]\nregion = us-east-1\n",
                    f"[default]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    r = credctl("creds", "exec", "--server", "--", sys.executable, "-c", WHO, moto.url, env={"AWS_ENDPOINT_URL": moto.url}, timeout=60)
    assert r.code == 0, r
    assert json.loads(r.out)["arn"].endswith(":user/admin")
