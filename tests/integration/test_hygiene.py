"""Secrets hygiene: every command run with --debug against moto. No secret (secret access keys,
session tokens, parameter and secret values) appears on stderr, nor on stdout unless printing
it is the command's job, nor in the argument list of a child process credctl starts."""
import json
import sys
import uuid

import pytest

PARAM_VALUE = "param-secret-" + uuid.uuid4().hex
SECRET_VALUE = "secret-value-" + uuid.uuid4().hex
NEW_VALUE = "new-secret-" + uuid.uuid4().hex
ARGV_PRINTER = [sys.executable, "-c", "import sys; print('ARGV', sys.argv)"]


@pytest.fixture(scope="module")
def world(moto, roles, tmp_path_factory):
    ssm = moto.client("ssm")
    ssm.put_parameter(Name="/HYGIENE/DB/PASSWORD", Value=PARAM_VALUE, Type="SecureString", Overwrite=True)
    secret = "hygiene-" + uuid.uuid4().hex[:6]
    moto.client("secretsmanager").create_secret(Name=secret, SecretString=json.dumps({"password": SECRET_VALUE}))
    table = "hygiene-" + uuid.uuid4().hex[:6]
    moto.client("dynamodb").create_table(TableName=table, AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    envfile = tmp_path_factory.mktemp("hygiene") / "import.env"
    envfile.write_text(f"TOKEN='{PARAM_VALUE}'\n")
    return {"role": roles["r1"], "secret": secret, "table": table, "envfile": str(envfile), "uniq": uuid.uuid4().hex[:8]}


# (arguments, stdin, may stdout show secrets?)
COMMANDS = [
    (["whoami"], None, False),
    (["creds", "show"], None, False),
    (["creds", "export", "--format", "env"], None, True),
    (["creds", "exec", "--", *ARGV_PRINTER], None, False),
    (["assume", "{role}", "--format", "json"], None, True),
    (["assume", "{role}", "--", *ARGV_PRINTER], None, False),
    (["request", "--service", "sts", "-d", "Action=GetCallerIdentity&Version=2011-06-15", "{url}/"], None, False),
    (["params", "get", "/HYGIENE/DB/PASSWORD"], None, True),
    (["params", "get-path", "/HYGIENE", "--recursive"], None, True),
    (["params", "list", "/HYGIENE"], None, False),
    (["params", "history", "/HYGIENE/DB/PASSWORD"], None, False),
    (["params", "export", "/HYGIENE", "--recursive", "--format", "dotenv"], None, True),
    (["params", "exec", "/HYGIENE/DB", "--", *ARGV_PRINTER], None, False),
    (["params", "put", "/HYGIENE/NEW/{uniq}"], NEW_VALUE, False),
    (["params", "import", "/HYGIENE/IMP/{uniq}", "{envfile}"], None, False),
    (["params", "copy", "/HYGIENE/DB", "/HYGIENE/COPY/{uniq}"], None, False),
    (["secrets", "get", "{secret}", "--json-key", "password"], None, True),
    (["secrets", "describe", "{secret}"], None, False),
    (["secrets", "list"], None, False),
    (["secrets", "put", "{secret}"], json.dumps({"password": NEW_VALUE}), False),
    (["secrets", "create", "hygiene-new-{uniq}"], NEW_VALUE, False),
    (["keys", "list"], None, False),
    (["keys", "audit"], None, False),
    (["keys", "validate", "--require", "long-term"], None, False),
    (["dynamodb", "check", "--table", "{table}"], None, False),
    (["dynamodb", "scan", "{table}"], None, False),
    (["check", "ssm", "--path", "/HYGIENE"], None, False),
    (["check", "secrets", "--id", "{secret}"], None, False),
    (["check", "iam-self"], None, False),
    (["doctor", "--check", "ssm:/HYGIENE", "--check", "secrets:{secret}"], None, False),
    (["setup", "user", "hygiene-{uniq}", "--template", "ssm-path-read", "--path", "/HYGIENE", "--profile-name", "h-{uniq}"], None, False),
]


@pytest.mark.parametrize("args,stdin,prints_secrets", COMMANDS, ids=[" ".join(c[0][:2]) + f"-{i}" for i, c in enumerate(COMMANDS)])
def test_debug_output_and_child_argv_hold_no_secret(credctl, moto, world, home, args, stdin, prints_secrets):
    fill = dict(world, url=moto.url)
    env = {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret, "AWS_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": moto.url, "CREDCTL_STATE_DIR": str(home / "state")}
    full = [a.format(**fill) for a in args]
    cut = full.index("--") if "--" in full else len(full)
    r = credctl(*full[:cut], "--debug", *full[cut:], env=env, stdin=stdin)
    assert r.code in (0, 1), r
    assert "debug: " in r.err
    secrets = [moto.admin_secret, PARAM_VALUE, SECRET_VALUE, NEW_VALUE]
    if full[0] == "assume" and "--format" in full:
        doc = json.loads(r.out)
        secrets += [doc["SecretAccessKey"], doc["SessionToken"]]
    for s in secrets:
        assert s not in r.err, f"secret on stderr of {full}"
    if not prints_secrets:
        for s in secrets:
            assert s not in r.out, f"secret on stdout of {full}"
    if ARGV_PRINTER[0] in full:
        assert "ARGV " in r.out, r  # the child ran and printed its argv
    for line in r.out.splitlines():
        if line.startswith("ARGV "):
            for s in secrets:
                assert s not in line, f"secret in a child's argv: {full}"
    # A profile credctl wrote holds the new key's secret only in the file, never in output.
    creds = home / ".aws" / "credentials"
    if creds.exists():
        import configparser
        cp = configparser.RawConfigParser()
        cp.read(creds)
        for section in cp.sections():
            secret = cp[section].get("aws_secret_access_key")
            assert secret and secret not in r.out + r.err
