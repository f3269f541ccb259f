"""What decides a run besides the credentials, as the AWS CLI decides it:

- global options before or after the command (`credctl --profile p whoami` is `credctl whoami
  --profile p`), `--opt=value` too, after a command group, and never after `--`;
- the output format: `--output`, `AWS_DEFAULT_OUTPUT`, the profile's `output`, then table (the
  AWS CLI v2's chain, whose default is json, computed in cli_v2_reference.py); a value credctl
  cannot print is exit 2 naming its source before anything is called or written, except for
  commands that print their own bytes.

The endpoint of each service: test_endpoint_precedence.py.
"""
import itertools
import json
import re
import time
import uuid

import pytest

from cli_v2_reference import cli_v2_answers
from fake_servers import STS_IDENTITY, RecordingServer

P_KEY = "AKIAPROFILEPPPPPPPP1"
Q_KEY = "AKIAPROFILEQQQQQQQQ2"
CONFIG = f"""[profile p]
aws_access_key_id = {P_KEY}
aws_secret_access_key = p-secret
region = eu-west-2
[profile q]
aws_access_key_id = {Q_KEY}
aws_secret_access_key = q-secret
region = ap-south-1
[profile whoami]
aws_access_key_id = AKIAPROFILEWHOAMI003
aws_secret_access_key = w-secret
[profile mfa]
role_arn = arn:aws:iam::111122223333:role/r
source_profile = p
mfa_serial = arn:aws:iam::111122223333:mfa/u
"""


def sts(h, i):
    return 200, {"Content-Type": "text/xml"}, STS_IDENTITY


@pytest.fixture
def profiles(home):
    aws = home / ".aws"
    aws.mkdir()
    (aws / "config").write_text(CONFIG)
    return aws


def scope(request):
    """KEY/REGION/SERVICE of the request's signature (the date left out)."""
    auth = dict(request["headers"]).get("Authorization", "")
    key, _, region, service, _ = auth.split("Credential=")[1].split(",")[0].split("/")
    return f"{key}/{region}/{service}"


def normalized(text):
    """Timestamps, durations and ports vary between two runs; nothing else may."""
    return re.sub(r"\d+", "0", text)


def assert_same(a, b):
    assert (a.code, a.out, normalized(a.err)) == (b.code, b.out, normalized(b.err)), (a, b)


# --- global options in either position --------------------------------------------------------

@pytest.mark.parametrize("options, check", [
    # AWS_REGION (us-east-2) is over the profile's region.
    (["--profile", "p"], lambda r, q: scope(q) == f"{P_KEY}/us-east-2/sts"),
    (["--profile=q"], lambda r, q: scope(q) == f"{Q_KEY}/us-east-2/sts"),
    (["--profile", "whoami"], lambda r, q: scope(q).startswith("AKIAPROFILEWHOAMI003/")),
    (["--region", "eu-west-3"], lambda r, q: scope(q) == "AKIAENVIRONMENT00001/eu-west-3/sts"),
    (["--region=ca-central-1"], lambda r, q: scope(q).endswith("/ca-central-1/sts")),
    (["--output", "json"], lambda r, q: json.loads(r.out)["Account"] == "111122223333"),
    (["--output=text"], lambda r, q: r.out.startswith("account\t111122223333\n")),
    (["--output", "table"], lambda r, q: "Account" in r.out and not r.out.startswith("{")),
    (["--debug"], lambda r, q: "debug: > POST " in r.err and "env-secret" not in r.err),
    (["--quiet"], lambda r, q: r.err == ""),
    (["--no-color"], lambda r, q: r.code == 0),
    (["--no-cache"], lambda r, q: r.code == 0),
    (["--cli-read-timeout", "30"], lambda r, q: r.code == 0),
    (["--cli-connect-timeout=5"], lambda r, q: r.code == 0),
    (["--profile", "p", "--region", "eu-west-3", "--output", "json", "--debug"],
     lambda r, q: scope(q) == f"{P_KEY}/eu-west-3/sts" and json.loads(r.out)["Region"]["Source"] == "--region"),
])
def test_a_global_option_before_or_after_the_command(credctl, profiles, options, check):
    with RecordingServer(sts) as server:
        env = {"AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "env-secret",
               "AWS_REGION": "us-east-2", "AWS_ENDPOINT_URL": server.url}
        runs = [credctl(*options, "whoami", env=env), credctl("whoami", *options, env=env)]
        if len(options) > 2:
            runs.append(credctl(*options[:2], "whoami", *options[2:], env=env))
        assert runs[0].code == 0, runs[0]
        for other in runs[1:]:
            assert_same(runs[0], other)
        assert len(server.requests) == len(runs)
        assert len({scope(q) for q in server.requests}) == 1
        assert check(runs[0], server.requests[0])


def test_endpoint_url_before_or_after(credctl):
    with RecordingServer(sts) as configured, RecordingServer(sts) as flagged:
        env = {"AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-2",
               "AWS_ENDPOINT_URL": configured.url}
        before = credctl("--endpoint-url", flagged.url, "whoami", "--output", "json", env=env)
        after = credctl("whoami", f"--endpoint-url={flagged.url}", "--output", "json", env=env)
        assert_same(before, after)
        assert json.loads(before.out)["Endpoint"] == {"Url": flagged.url + "/", "Source": "--endpoint-url"}
        assert len(flagged.requests) == 2 and configured.requests == []


def test_timeouts_before_or_after(credctl):
    def stall(h, i):
        time.sleep(4)
        return sts(h, i)
    with RecordingServer(stall) as server:
        env = {"AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-2",
               "AWS_ENDPOINT_URL": server.url, "AWS_MAX_ATTEMPTS": "1"}
        before = credctl("--cli-read-timeout", "1", "whoami", env=env)
        after = credctl("whoami", "--cli-read-timeout=1", env=env)
    assert_same(before, after)
    assert before.code == 5 and before.elapsed < 3.5 and after.elapsed < 3.5
    bad = [credctl("--cli-connect-timeout", "soon", "whoami", env=env), credctl("whoami", "--cli-connect-timeout", "soon", env=env)]
    assert_same(*bad)
    assert bad[0].code == 2
    assert bad[0].err.startswith("credctl: error: --cli-connect-timeout")


def test_mfa_code_before_or_after(credctl, profiles):
    runs = [credctl("--mfa-code", "12", "--profile", "mfa", "whoami"), credctl("whoami", "--profile", "mfa", "--mfa-code=12"),
            credctl("--profile=mfa", "whoami", "--mfa-code", "12")]
    for r in runs:
        assert (r.code, r.out, r.err) == (2, "", "credctl: error: the MFA code must be the 6 digits your device shows\n")


def test_usage_errors_are_the_same_in_either_position(credctl, profiles):
    assert_same(credctl("--profile", "nope", "whoami"), credctl("whoami", "--profile", "nope"))
    missing = credctl("--profile", "nope", "whoami")
    assert missing.code == 2 and missing.err.startswith("credctl: error: profile 'nope' (from --profile) is not in ")
    r = credctl("whoami", "--profile")
    assert (r.code, r.err) == (2, "credctl: error: Missing value for '--profile <profile>'\n")
    r = credctl("--bogus", "whoami")
    assert (r.code, r.err) == (2, "credctl: error: Unknown option '--bogus'\n")


@pytest.fixture
def moto_profile(moto, home):
    aws = home / ".aws"
    aws.mkdir(exist_ok=True)
    (aws / "config").write_text(f"[profile admin]\naws_access_key_id = {moto.admin_key_id}\n"
                                f"aws_secret_access_key = {moto.admin_secret}\nregion = us-east-1\n"
                                f"endpoint_url = {moto.url}\n")
    root = "/PREC" + uuid.uuid4().hex[:8].upper()
    ssm = moto.client("ssm")
    ssm.put_parameter(Name=f"{root}/APP/DB_USER", Value="grafana", Type="String")
    ssm.put_parameter(Name=f"{root}/APP/DB_PASSWORD", Value="hunter2", Type="SecureString")
    return root


def test_global_options_around_a_command_group(credctl, moto_profile):
    root = moto_profile
    for group in (["params", "list", root, "--recursive"], ["params", "get", f"{root}/APP/DB_USER"],
                  ["creds", "show"]):
        runs = [credctl("--output", "json", "--profile", "admin", *group), credctl(*group, "--output", "json", "--profile", "admin"),
                credctl("--output=json", *group, "--profile=admin")]
        assert runs[0].code == 0, runs[0]
        json.loads(runs[0].out)
        for other in runs[1:]:
            assert_same(runs[0], other)


def test_after_the_terminator_everything_belongs_to_the_command(credctl, moto_profile):
    root = moto_profile
    child = ["/bin/sh", "-c", 'printf "%s|" "$DB_USER" "$DB_PASSWORD" "$@"', "sh", "--profile", "nope", "--output", "yaml",
             "--region=x", "--debug"]
    runs = [credctl("--profile", "admin", "params", "exec", f"{root}/APP", "--", *child),
            credctl("params", "exec", f"{root}/APP", "--profile", "admin", "--", *child),
            credctl("--profile=admin", "params", "exec", f"{root}/APP", "--", *child)]
    first = runs[0]
    assert first.code == 0, first
    assert first.out == "grafana|hunter2|--profile|nope|--output|yaml|--region=x|--debug|"
    assert first.err == ""
    for other in runs[1:]:
        assert_same(first, other)


def test_creds_exec_keeps_the_commands_options(credctl, profiles):
    child = ["/bin/sh", "-c", 'printf "%s|" "$AWS_ACCESS_KEY_ID" "$AWS_REGION" "$@"', "sh", "--profile", "q", "--region", "x"]
    runs = [credctl("--profile", "p", "creds", "exec", "--", *child), credctl("creds", "exec", "--profile", "p", "--", *child)]
    for r in runs:
        assert (r.code, r.out, r.err) == (0, f"{P_KEY}|eu-west-2|--profile|q|--region|x|", "")
    # Without --profile before the terminator, the child's --profile is not credctl's.
    r = credctl("creds", "exec", "--", *child, env={"AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "s"})
    assert (r.code, r.out) == (0, "AKIAENVIRONMENT00001||--profile|q|--region|x|")


# --- output format ----------------------------------------------------------------------------

def output_case(home, config, credentials, env_output):
    aws = home / ".aws"
    aws.mkdir(exist_ok=True)
    (aws / "config").write_text("[default]\nregion = us-east-1\n" + (f"output = {config}\n" if config else ""))
    (aws / "credentials").write_text("[default]\n" + (f"output = {credentials}\n" if credentials else ""))
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "s"}
    if env_output is not None:
        env["AWS_DEFAULT_OUTPUT"] = env_output
    return env


OUTPUT_CASES = list(itertools.product([None, "text", "yaml"], [None, "json"], [None, "table", "yaml"], [None, "json"]))


@pytest.mark.parametrize("command", [["keys", "inspect", "AKIAIOSFODNN7EXAMPLE"], ["creds", "show"]])
def test_output_precedence_against_the_aws_cli_v2_chain(credctl, home, command):
    envs = [output_case(home, *case[:3]) for case in OUTPUT_CASES]
    # All cases share the files' paths: the reference reads each case's files from its own copy.
    cases = []
    for i, (env, (config, credentials, env_output, flag)) in enumerate(zip(envs, OUTPUT_CASES)):
        output_case(home, config, credentials, env_output)
        copies = {}
        for name in ("config", "credentials"):
            copies[name] = home / ".aws" / f"{name}-{i}"
            copies[name].write_text((home / ".aws" / name).read_text())
        cases.append({"env": dict(env, AWS_CONFIG_FILE=str(copies["config"]), AWS_SHARED_CREDENTIALS_FILE=str(copies["credentials"])),
                      "output_flag": flag, "ask": ["output"]})
    references = cli_v2_answers(cases)
    for case, (config, credentials, env_output, flag), reference in zip(cases, OUTPUT_CASES, references):
        # The AWS CLI v2's choice, its default (json) replaced by credctl's (table).
        chosen = flag or env_output or credentials or config
        assert reference["output"] == (chosen or "json")
        expected = chosen or "table"
        args = ["--output", flag] if flag else []
        r = credctl(*command, *args, env=case["env"])
        if expected == "yaml":
            source = "AWS_DEFAULT_OUTPUT" if env_output else f"output of profile default ({case['env']['AWS_CONFIG_FILE']}:3)"
            assert (r.code, r.out) == (2, ""), r
            assert r.err == f"credctl: error: {source} is 'yaml'; credctl prints json, text, table or csv: pass --output or change it\n"
            continue
        assert r.code == 0, (config, credentials, env_output, flag, r)
        assert r.out == credctl(*command, "--output", expected, env=case["env"]).out, (config, credentials, env_output, flag)


def test_output_of_the_selected_profile(credctl, home):
    aws = home / ".aws"
    aws.mkdir()
    (aws / "config").write_text("[default]\noutput = json\n[profile dev]\noutput = text\n"
                                "aws_access_key_id = AKIAPROFILEDEV000001\naws_secret_access_key = s\n")
    base = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"}
    references = cli_v2_answers([{"env": dict(base, AWS_PROFILE="dev"), "ask": ["output"]},
                                 {"env": base, "profile": "dev", "ask": ["output"]},
                                 {"env": base, "ask": ["output"]}])
    assert [a["output"] for a in references] == ["text", "text", "json"]
    text = credctl("keys", "inspect", "AKIAIOSFODNN7EXAMPLE", "--output", "text", env=base).out
    as_json = credctl("keys", "inspect", "AKIAIOSFODNN7EXAMPLE", "--output", "json", env=base).out
    assert credctl("keys", "inspect", "AKIAIOSFODNN7EXAMPLE", env=dict(base, AWS_PROFILE="dev")).out == text
    assert credctl("--profile", "dev", "keys", "inspect", "AKIAIOSFODNN7EXAMPLE", env=base).out == text
    assert credctl("keys", "inspect", "AKIAIOSFODNN7EXAMPLE", env=base).out == as_json


def test_a_bad_output_format_stops_before_any_request(credctl, home):
    for config, env_output, message in [
        ("yaml", None, f"output of profile default ({home}/.aws/config:3) is 'yaml'"),
        (None, "YAML", "AWS_DEFAULT_OUTPUT is 'YAML'"),
        ("xml", "", f"output of profile default ({home}/.aws/config:3) is 'xml'"),
    ]:
        env = output_case(home, config, None, env_output)
        with RecordingServer(sts) as server:
            r = credctl("whoami", env=dict(env, AWS_ENDPOINT_URL=server.url))
            assert (r.code, r.out) == (2, "")
            assert r.err == f"credctl: error: {message}; credctl prints json, text, table or csv: pass --output or change it\n"
            assert server.requests == []
    r = credctl("--output", "yaml", "whoami", env=output_case(home, None, None, None))
    assert (r.code, r.out) == (2, "")
    assert r.err == "credctl: error: The value 'yaml' is invalid for '--output <output>'. Please provide one of 'json', 'text', 'table' or 'csv'.\n"
    # A good --output hides a bad AWS_DEFAULT_OUTPUT and profile output.
    assert credctl("--output", "json", "creds", "show", env=output_case(home, "yaml", None, "yaml")).code == 0


def test_a_write_with_a_bad_output_format_writes_nothing(credctl, moto, moto_profile, home):
    root = moto_profile
    config = home / ".aws" / "config"
    config.write_text(config.read_text() + "output = yaml\n")
    r = credctl("params", "put", f"{root}/APP/NEW", "--profile", "admin", stdin="value")
    assert (r.code, r.out) == (2, "")
    assert r.err == (f"credctl: error: output of profile admin ({config}:6) is 'yaml'; "
                     "credctl prints json, text, table or csv: pass --output or change it\n")
    names = [p["Name"] for p in moto.client("ssm").get_parameters_by_path(Path=f"{root}/APP")["Parameters"]]
    assert sorted(names) == [f"{root}/APP/DB_PASSWORD", f"{root}/APP/DB_USER"]
    # The same write with a format credctl prints.
    r = credctl("params", "put", f"{root}/APP/NEW", "--profile", "admin", "--output", "json", stdin="value")
    assert r.code == 0, r


def test_an_empty_output_setting_is_no_setting(credctl, home):
    """A deliberate difference: the AWS CLI v2 takes the empty string as the format and fails."""
    env = output_case(home, None, None, "")
    (home / ".aws" / "config").write_text("[default]\nregion = us-east-1\noutput =\n")
    assert cli_v2_answers([{"env": env, "ask": ["output"]}]) == [{"output": ""}]
    table = credctl("keys", "inspect", "AKIAIOSFODNN7EXAMPLE", "--output", "table", env=env)
    assert credctl("keys", "inspect", "AKIAIOSFODNN7EXAMPLE", env=env).out == table.out
    assert credctl("keys", "inspect", "AKIAIOSFODNN7EXAMPLE", env=dict(env, AWS_DEFAULT_OUTPUT="text")).out == \
        credctl("keys", "inspect", "AKIAIOSFODNN7EXAMPLE", "--output", "text", env=env).out


def test_a_profile_output_of_json_does_not_turn_a_value_into_a_document(credctl, moto_profile, home):
    """`aws configure` writes output = json for most users: `params get` still prints the value;
    only --output json asks for the record."""
    root = moto_profile
    config = home / ".aws" / "config"
    config.write_text(config.read_text() + "output = json\n")
    for extra in ({}, {"AWS_DEFAULT_OUTPUT": "json"}):
        r = credctl("params", "get", f"{root}/APP/DB_PASSWORD", "--profile", "admin", env=extra)
        assert (r.code, r.out) == (0, "hunter2\n")
    r = credctl("params", "get", f"{root}/APP/DB_PASSWORD", "--profile", "admin", "--output", "json")
    assert json.loads(r.out)["Value"] == "hunter2"


def test_commands_printing_their_own_bytes_ignore_a_bad_output(credctl, moto_profile, home):
    root = moto_profile
    config = home / ".aws" / "config"
    config.write_text(config.read_text() + "output = yaml\n")
    for extra in ({}, {"AWS_DEFAULT_OUTPUT": "yaml"}):
        r = credctl("params", "get", f"{root}/APP/DB_PASSWORD", "--profile", "admin", env=extra)
        assert (r.code, r.out, r.err) == (0, "hunter2\n", "")
        r = credctl("creds", "export", "--profile", "admin", env=extra)
        assert r.code == 0 and r.out.startswith("export AWS_ACCESS_KEY_ID=")
        r = credctl("creds", "export", "--format", "process", "--profile", "admin", env=extra)
        assert r.code == 0 and json.loads(r.out)["Version"] == 1
        r = credctl("creds", "exec", "--profile", "admin", "--", "/bin/sh", "-c", "echo ran", env=extra)
        assert (r.code, r.out) == (0, "ran\n")
    # A report still refuses it.
    r = credctl("creds", "show", "--profile", "admin")
    assert r.code == 2 and "is 'yaml'" in r.err
