"""Issue 13, findings 7, 8 and 12: names that would take over a launched program, policy
templates without a scope, and NUL bytes in values.

- A parameter exported as PATH, LD_PRELOAD, BASH_ENV, … is refused by `params export` and
  `params exec` (exit 2, naming the parameter; the command is not started) unless that name is
  allowed with `--allow-variable`.
- A policy template whose scope is missing or malformed exits 2 (nothing created in IAM by
  `setup user`); the wide forms need their explicit flag.
- A value holding NUL is refused on the way in (exit 2, nothing written) and, when it is already
  stored, on the way out (exit 2, naming the parameter)."""
import json
import re
import uuid
from pathlib import Path

import pytest

from conftest import ROOT
from hostile_support import assert_not_shown, credctl_raw  # noqa: F401 (fixture)

SECRET_VALUE = "s3cr3t-value-of-a-dangerous-name"
NUL_IN_PARAMETER = "the value contains a NUL byte, which no environment variable or shell can hold"


@pytest.fixture
def root():
    return f"/HN{uuid.uuid4().hex[:10]}"


@pytest.fixture
def ssm(moto):
    return moto.client("ssm")


def names_under(ssm, path):
    pages = ssm.get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=True)
    return sorted(p["Name"] for page in pages for p in page["Parameters"])


# --- finding 7: dangerous variable names ------------------------------------------------------

# (parameter name relative to the path, the variable it becomes): lower case and '-', '.', '/'
# are mapped first, so the check sees the final name.
DANGEROUS = [
    ("PATH", "PATH"), ("ld-preload", "LD_PRELOAD"), ("bash_env", "BASH_ENV"), ("python.path", "PYTHON_PATH"),
    ("PYTHONPATH", "PYTHONPATH"), ("node-options", "NODE_OPTIONS"), ("aws/secret-access-key", "AWS_SECRET_ACCESS_KEY"),
    ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL"), ("https_proxy", "HTTPS_PROXY"), ("ld.library.path", "LD_LIBRARY_PATH"),
    ("IFS", "IFS"), ("glibc.tunables", "GLIBC_TUNABLES"), ("credctl-cache-dir", "CREDCTL_CACHE_DIR"),
]


def refusal(parameter, variable):
    return (f"credctl: error: {parameter} would be exported as {variable}, which is refused: {variable} changes how a "
            f"program, its shell or its AWS SDK behaves. Nothing was exported or run; rename the parameter, or pass "
            f"--allow-variable {variable} if it is meant\n")


@pytest.mark.parametrize("relative, variable", DANGEROUS, ids=[v for _, v in DANGEROUS])
def test_export_and_exec_refuse_a_dangerous_variable(credctl, admin_env, ssm, root, tmp_path, relative, variable):
    ssm.put_parameter(Name=f"{root}/USER", Value="app", Type="String")
    ssm.put_parameter(Name=f"{root}/{relative}", Value=SECRET_VALUE, Type="SecureString")
    marker = tmp_path / "started"
    for fmt in ("dotenv", "env", "json", "yaml"):
        r = credctl("params", "export", root, "--recursive", "--format", fmt, env=admin_env)
        assert r.code == 2, r
        assert r.out == ""
        assert r.err == refusal(f"{root}/{relative}", variable)
        assert_not_shown(r, SECRET_VALUE)
    ran = credctl("params", "exec", root, "--recursive", "--", "touch", str(marker), env=admin_env)
    assert ran.code == 2, ran
    assert ran.err == refusal(f"{root}/{relative}", variable)
    assert not marker.exists(), "the command was not started"
    assert_not_shown(ran, SECRET_VALUE)


def test_allow_variable_lets_exactly_that_name_through(credctl, admin_env, ssm, root, tmp_path):
    ssm.put_parameter(Name=f"{root}/PATH", Value="/opt/app/bin", Type="String")
    ssm.put_parameter(Name=f"{root}/NODE_OPTIONS", Value="--max-old-space-size=64", Type="String")
    ssm.put_parameter(Name=f"{root}/PASSWORD", Value="hunter2", Type="SecureString")
    # One allowed name does not allow the other.
    one = credctl("params", "export", root, "--allow-variable", "PATH", env=admin_env)
    assert one.code == 2 and one.err == refusal(f"{root}/NODE_OPTIONS", "NODE_OPTIONS"), one
    both = credctl("params", "export", root, "--format", "json", "--allow-variable", "PATH", "--allow-variable", "NODE_OPTIONS",
                   env=admin_env)
    assert both.code == 0, both
    assert json.loads(both.out) == {"NODE_OPTIONS": "--max-old-space-size=64", "PASSWORD": "hunter2", "PATH": "/opt/app/bin"}
    # The allow flag matches the variable name exactly: not a prefix, not another case.
    lower = credctl("params", "export", root, "--allow-variable", "path", "--allow-variable", "NODE_OPTIONS", env=admin_env)
    assert lower.code == 2 and lower.err == refusal(f"{root}/PATH", "PATH")
    out = tmp_path / "env.json"
    ran = credctl("params", "exec", root, "--allow-variable", "PATH", "--allow-variable", "NODE_OPTIONS", "--", "/usr/bin/python3",
                  "-c", f"import os, json; open({str(out)!r}, 'w').write(json.dumps([os.environ['PATH'], os.environ['PASSWORD']]))",
                  env=admin_env)
    assert ran.code == 0, ran
    assert json.loads(out.read_text()) == ["/opt/app/bin", "hunter2"]


def test_harmless_names_are_exported(credctl, admin_env, ssm, root):
    for name, value in (("USER", "app"), ("PASSWORD", "pw"), ("DB_HOST", "h"), ("PATHNAME", "not PATH"), ("MY_PATH", "x"),
                        ("AWSOME", "not AWS_"), ("LDAP_URL", "not LD_")):
        ssm.put_parameter(Name=f"{root}/{name}", Value=value, Type="String")
    r = credctl("params", "export", root, "--format", "json", env=admin_env)
    assert r.code == 0, r
    assert json.loads(r.out) == {"AWSOME": "not AWS_", "DB_HOST": "h", "LDAP_URL": "not LD_", "MY_PATH": "x",
                                 "PASSWORD": "pw", "PATHNAME": "not PATH", "USER": "app"}


def refused_names_in_code():
    source = (ROOT / "Sources/Workflows/Parameters/EnvironmentNameRules.swift").read_text()
    exact = source.split("public static let exact: Set<String> = [")[1].split("]")[0]
    prefixes = source.split("public static let prefixes = [")[1].split("]")[0]
    return re.findall(r'"([^"]+)"', exact), re.findall(r'"([^"]+)"', prefixes)


def test_docs_list_every_refused_name_of_the_code():
    exact, prefixes = refused_names_in_code()
    assert len(exact) > 40 and "LD_" in prefixes
    doc = (ROOT / "docs/params.md").read_text()
    section = doc.split("**Refused variable names.**")[1].split("\n\n")[0]
    for name in exact:
        assert f"`{name}`" in section, name
    for prefix in prefixes:
        assert f"`{prefix}*`" in section, prefix


# --- finding 12: NUL bytes ------------------------------------------------------------------

def test_put_of_a_value_with_nul_is_refused_and_writes_nothing(credctl_raw, admin_env, ssm, root):
    for args in (["params", "put", f"{root}/A"], ["params", "put", f"{root}/A", "--type", "String"]):
        r = credctl_raw(*args, env=admin_env, stdin=b"a\x00b")
        assert r.code == 2, r
        assert r.err == f"credctl: error: {root}/A: {NUL_IN_PARAMETER}\n".encode()
    assert names_under(ssm, root) == []


def test_put_overwrite_with_nul_keeps_the_old_value(credctl_raw, admin_env, ssm, root, tmp_path):
    ssm.put_parameter(Name=f"{root}/KEEP", Value="old", Type="SecureString")
    f = tmp_path / "value"
    f.write_bytes(b"new\x00value\n")
    r = credctl_raw("params", "put", f"{root}/KEEP", "--overwrite", "--value-file", str(f), env=admin_env)
    assert r.code == 2, r
    assert r.err == f"credctl: error: {root}/KEEP: {NUL_IN_PARAMETER}\n".encode()
    got = ssm.get_parameter(Name=f"{root}/KEEP", WithDecryption=True)["Parameter"]
    assert (got["Value"], got["Version"]) == ("old", 1)


def test_secrets_create_and_put_with_nul_are_refused(credctl_raw, admin_env, moto):
    sm = moto.client("secretsmanager")
    name = f"hostile/nul-{uuid.uuid4().hex[:8]}"
    r = credctl_raw("secrets", "create", name, env=admin_env, stdin=b"pass\x00word")
    assert r.code == 2, r
    assert r.err == b"credctl: error: the secret value contains a NUL byte, which no environment variable or shell can hold\n"
    assert not sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]
    sm.create_secret(Name=name, SecretString="v1")
    p = credctl_raw("secrets", "put", name, env=admin_env, stdin=b"v2\x00")
    assert p.code == 2, p
    assert p.err == r.err
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "v1"
    assert len(sm.list_secret_version_ids(SecretId=name)["Versions"]) == 1


@pytest.mark.parametrize("file_format, content", [
    ("json", '{"GOOD": "x", "BAD": "a\\u0000b"}'),
    ("json", '{"NESTED": {"BAD": "\\u0000"}}'),
    ("dotenv", 'GOOD=x\nBAD="a\\u0000b"\n'),   # not an escape python-dotenv knows: stays text, fine
    ("dotenv", "GOOD=x\nBAD=a\x00b\n"),
])
def test_import_of_a_value_with_nul_writes_nothing(credctl_raw, admin_env, ssm, root, tmp_path, file_format, content):
    f = tmp_path / "in"
    f.write_bytes(content.encode())
    r = credctl_raw("params", "import", root, str(f), "--file-format", file_format, env=admin_env)
    if "\\u0000" in content and file_format == "dotenv":
        # python-dotenv has no \u escape: the six characters are the value, and they are written.
        assert r.code == 0, r
        assert ssm.get_parameter(Name=f"{root}/BAD", WithDecryption=True)["Parameter"]["Value"] == "a\\u0000b"
        return
    assert r.code == 2, r
    bad = f"{root}/NESTED/BAD" if "NESTED" in content else f"{root}/BAD"
    assert r.err == f"credctl: error: {bad}: {NUL_IN_PARAMETER}\n".encode()
    assert names_under(ssm, root) == [], "GOOD is not written either"


def test_a_nul_already_stored_is_refused_on_the_way_out(credctl, admin_env, ssm, root, tmp_path):
    ssm.put_parameter(Name=f"{root}/OK", Value="fine", Type="String")
    ssm.put_parameter(Name=f"{root}/TOKEN", Value="abc\x00def", Type="SecureString")
    message = f"credctl: error: {root}/TOKEN holds a NUL byte, which no environment variable can hold; nothing was exported or run\n"
    for fmt in ("dotenv", "env", "json", "yaml"):
        r = credctl("params", "export", root, "--format", fmt, env=admin_env)
        assert r.code == 2, (fmt, r)
        assert r.err == message and r.out == ""
    marker = tmp_path / "started"
    ran = credctl("params", "exec", root, "--", "touch", str(marker), env=admin_env)
    assert ran.code == 2 and ran.err == message, ran
    assert not marker.exists()


# --- finding 8: policy templates need their scope --------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["dynamodb-read"], "dynamodb-read needs --table NAME (repeatable), or --all-tables for every table"),
    (["dynamodb-read", "--table", "orders", "--all-tables"], "give --table or --all-tables, not both"),
    (["dynamodb-read", "--table", "ord*"], "--table 'ord*' is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' and '.')"),
    (["dynamodb-read", "--table", "ab"], "--table 'ab' is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' and '.')"),
    (["dynamodb-read", "--table", ""], "--table '' is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' and '.')"),
    (["dynamodb-read", "--table", "orders", "--account", "12"], "--account '12' is not an account id: 12 digits, such as 123456789012"),
    (["dynamodb-read", "--table", "orders", "--account", "*"], "--account '*' is not an account id: 12 digits, such as 123456789012"),
    (["dynamodb-read", "--table", "orders", "--account", "1234567890123"],
     "--account '1234567890123' is not an account id: 12 digits, such as 123456789012"),
    (["dynamodb-read", "--table", "orders", "--policy-region", "eu west"], "--policy-region 'eu west' is not a region name such as eu-west-1"),
    (["dynamodb-read", "--table", "orders", "--policy-region", "*"], "--policy-region '*' is not a region name such as eu-west-1"),
    (["secrets-writer"], "secrets-writer needs --path PREFIX, the secret-name prefix it may write, or --all-secrets"),
    (["secrets-writer", "--path", "app/", "--all-secrets"], "give --path or --all-secrets, not both"),
    (["secrets-writer", "--path", "*"], "--path for secrets-writer is a non-empty name prefix of letters, digits and /_+=.@- (no '*' or '?')"),
    (["secrets-writer", "--path", "app/?"], "--path for secrets-writer is a non-empty name prefix of letters, digits and /_+=.@- (no '*' or '?')"),
    (["secrets-writer", "--path", ""], "--path for secrets-writer is a non-empty name prefix of letters, digits and /_+=.@- (no '*' or '?')"),
    (["ssm-path-read", "--path", "/"], "--path '/' is not a parameter path such as /APP/STAGING: '/' and levels of letters, digits, '_', '.' and '-' (no wildcard, not the root)"),
    (["ssm-path-read", "--path", "///"], "--path '///' is not a parameter path such as /APP/STAGING: '/' and levels of letters, digits, '_', '.' and '-' (no wildcard, not the root)"),
    (["ssm-path-write", "--path", "/app/*"], "--path '/app/*' is not a parameter path such as /APP/STAGING: '/' and levels of letters, digits, '_', '.' and '-' (no wildcard, not the root)"),
    (["ssm-path-write", "--path", "/a?p"], "--path '/a?p' is not a parameter path such as /APP/STAGING: '/' and levels of letters, digits, '_', '.' and '-' (no wildcard, not the root)"),
    (["ssm-path-read", "--path", "/app//x"], "--path '/app//x' is not a parameter path such as /APP/STAGING: '/' and levels of letters, digits, '_', '.' and '-' (no wildcard, not the root)"),
    (["s3-sink-writer", "--resource", "logs?"], "--resource for s3-sink-writer is a bucket name such as my-logs, not 'logs?'"),
    (["s3-sink-writer", "--resource", "logs", "--path", "a/*"], "--path for s3-sink-writer is a key prefix such as logs/, without '*' or '?'"),
    (["cross-account-trust", "--account", "12", "--external-id", "abc"], "--account '12' is not an account id: 12 digits, such as 123456789012"),
    (["cross-account-trust", "--external-id", "abc"], "cross-account-trust needs --account, the 12-digit id of the account that may assume the role"),
    (["rotate-user-key-to-secret", "--path", "s"], "rotate-user-key-to-secret needs --resource USER, the IAM user whose key is rotated"),
    (["rotate-user-key-to-secret", "--resource", "a/b", "--path", "s"],
     "--resource for rotate-user-key-to-secret is an IAM user name (1-64 letters, digits and +=,.@_-), not 'a/b'"),
    (["rotate-user-key-to-secret", "--resource", "u", "--path", "s*"],
     "rotate-user-key-to-secret needs --path SECRET_NAME: the secret's name (letters, digits and /_+=.@-)"),
    (["rotate-user-key-to-ssm", "--resource", "u"], "this template needs --path, a parameter path such as /APP/STAGING (it covers the path and everything below it)"),
    (["nope"], "The value 'nope' is invalid for '<template>'. Please provide one of the following: dynamodb-read, ssm-path-read, "
               "ssm-path-write, secrets-writer, rotate-own-key, rotate-user-key-to-secret, rotate-user-key-to-ssm, s3-sink-writer, "
               "cross-account-trust, irsa-trust"),
])
def test_policy_template_without_a_proper_scope_exits_2(credctl, args, message):
    r = credctl("policy", "show", *args)
    assert r.code == 2, r
    assert r.err == f"credctl: error: {message}\n"
    assert r.out == ""


def test_the_wide_forms_need_their_flag_and_work(credctl):
    tables = json.loads(credctl("policy", "show", "dynamodb-read", "--all-tables").out)
    assert any(s["Resource"] == "arn:aws:dynamodb:*:*:table/*" or "arn:aws:dynamodb:*:*:table/*" in s["Resource"]
               for s in tables["Statement"])
    one = json.loads(credctl("policy", "show", "dynamodb-read", "--table", "orders", "--account", "123456789012",
                             "--policy-region", "eu-west-1").out)
    resources = json.dumps([s["Resource"] for s in one["Statement"]])
    assert "arn:aws:dynamodb:eu-west-1:123456789012:table/orders" in resources and "table/*" not in resources
    secrets = json.loads(credctl("policy", "show", "secrets-writer", "--all-secrets").out)
    assert secrets["Statement"][0]["Resource"] == "arn:aws:secretsmanager:*:*:secret:*"
    scoped = json.loads(credctl("policy", "show", "secrets-writer", "--path", "prod/app+1=x@y.z-").out)
    assert scoped["Statement"][0]["Resource"] == "arn:aws:secretsmanager:*:*:secret:prod/app+1=x@y.z-*"
    ssm = json.loads(credctl("policy", "show", "ssm-path-read", "--path", "/App_1/stage.x-y//").out)
    assert ssm["Statement"][0]["Resource"] == ["arn:aws:ssm:*:*:parameter/App_1/stage.x-y", "arn:aws:ssm:*:*:parameter/App_1/stage.x-y/*"]


@pytest.mark.parametrize("args, message", [
    (["--template", "dynamodb-read"], "dynamodb-read needs --table NAME (repeatable), or --all-tables for every table"),
    (["--template", "secrets-writer"], "secrets-writer needs --path PREFIX, the secret-name prefix it may write, or --all-secrets"),
    (["--template", "ssm-path-read", "--path", "/"],
     "--path '/' is not a parameter path such as /APP/STAGING: '/' and levels of letters, digits, '_', '.' and '-' (no wildcard, not the root)"),
    (["--template", "dynamodb-read", "--table", "orders", "--account", "12"], "--account '12' is not an account id: 12 digits, such as 123456789012"),
])
def test_setup_user_without_a_scope_creates_nothing(credctl, admin_env, moto, home, args, message):
    name = f"hostile-{uuid.uuid4().hex[:8]}"
    iam = moto.client("iam")
    policies_before = {p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]}
    r = credctl("setup", "user", name, *args, env=dict(admin_env, CREDCTL_STATE_DIR=str(home / "state")))
    assert r.code == 2, r
    assert r.err == f"credctl: error: {message}\n"
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_user(UserName=name)
    assert {p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]} == policies_before
    assert not (home / ".aws").exists()
