"""Typos get the nearest names: unknown commands and subcommands (before parsing, exit 2),
`credctl help UNKNOWN` (exit 2, not the top-level help), and unknown profiles (the closest names
the files define, or the names there are). Nothing is printed on stdout for any of them."""
import json
import subprocess

import pytest

from conftest import BINARY, write_aws_files


def command_names():
    """The top-level commands in the order the binary declares them, then `help`."""
    info = json.loads(subprocess.run([str(BINARY), "--experimental-dump-help"], capture_output=True, text=True,
                                     check=True).stdout)["command"]
    return ", ".join([sub["commandName"] for sub in info["subcommands"] if sub["commandName"] != "help"] + ["help"])


COMMANDS = command_names()


@pytest.mark.parametrize("args, message, hint", [
    (["whoamy"], "unknown command 'whoamy'", "did you mean `whoami`? (`credctl help` lists every command)"),
    (["param", "get", "/x"], "unknown command 'param'", "did you mean `params`? (`credctl help` lists every command)"),
    (["--profile", "p", "rotat"], "unknown command 'rotat'", "did you mean `rotate`? (`credctl help` lists every command)"),
    (["sercets", "get", "x"], "unknown command 'sercets'", "did you mean `secrets`? (`credctl help` lists every command)"),
    (["keys", "lst"], "unknown subcommand 'lst' of 'credctl keys'",
     "did you mean `list`? (`credctl help keys` lists its subcommands)"),
    (["params", "gte", "/x"], "unknown subcommand 'gte' of 'credctl params'",
     "did you mean `get`? (`credctl help params` lists its subcommands)"),
    (["xyzzy"], "unknown command 'xyzzy'", f"the commands are {COMMANDS}; `credctl help` lists every command"),
    (["help", "whoamy"], "no help for 'whoamy': there is no such command",
     "did you mean `whoami`? (`credctl help` lists every command)"),
    (["help", "keys", "audti"], "no help for 'audti': there is no such subcommand of 'credctl keys'",
     "did you mean `audit`? (`credctl help keys` lists its subcommands)"),
])
def test_unknown_commands_name_the_nearest(credctl, home, args, message, hint):
    r = credctl(*args)
    assert (r.code, r.out) == (2, ""), r
    assert r.err == f"credctl: error: {message}\nhint: {hint}\n"


def test_known_commands_and_help_still_work(credctl, home):
    assert credctl("help", "keys", "list").code == 0
    assert "USAGE: credctl keys list" in credctl("help", "keys", "list").out
    assert credctl("keys", "--help").code == 0
    r = credctl("profiles")
    assert r.code == 0, r
    # A command's own arguments are not taken for subcommands.
    r = credctl("policy", "show", "no-such-template")
    assert r.code == 2 and "unknown command" not in r.err and "unknown subcommand" not in r.err, r


CONFIG = "[default]\nregion = eu-west-1\n[profile prod]\nregion = us-east-1\n[profile prod-eu]\nregion = eu-west-1\n[profile staging]\nregion = eu-west-1\n"


@pytest.mark.parametrize("args, env, near", [
    (["--profile", "prdo"], {}, "did you mean 'prod'?"),
    (["--profile", "prod-e"], {}, "did you mean 'prod-eu' or 'prod'?"),
    ([], {"AWS_PROFILE": "stagin"}, "did you mean 'staging'?"),
    (["--profile", "zzzzzz"], {}, "the profiles there: 'default', 'prod', 'prod-eu', 'staging'"),
])
def test_an_unknown_profile_lists_the_closest_names(credctl, home, args, env, near):
    write_aws_files(home, config=CONFIG)
    r = credctl("whoami", *args, env=env)
    assert (r.code, r.out) == (2, ""), r
    name = args[1] if args else env["AWS_PROFILE"]
    source = "--profile" if args else "AWS_PROFILE"
    assert r.err == (f"credctl: error: profile '{name}' (from {source}) is not in {home}/.aws/config or "
                     f"{home}/.aws/credentials; {near}\n")


def test_an_unknown_profile_without_files_says_there_is_none(credctl, home):
    r = credctl("whoami", "--profile", "x")
    assert (r.code, r.out) == (2, ""), r
    assert r.err == (f"credctl: error: profile 'x' (from --profile) is not in {home}/.aws/config or "
                     f"{home}/.aws/credentials; neither file defines a profile\n")


def test_a_missing_source_profile_names_the_closest(credctl, home):
    write_aws_files(home, config=CONFIG + "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = stagin\n")
    r = credctl("whoami", "--profile", "ops", env={"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert r.code == 2, r
    assert r.err.endswith("does not exist in " f"{home}/.aws/config or {home}/.aws/credentials; did you mean 'staging'?\n"), r.err


def test_doctor_shows_the_suggestion_in_its_check(credctl, home):
    write_aws_files(home, config=CONFIG)
    r = credctl("doctor", "--profile", "prdo")
    assert r.code == 1, r
    assert "is not in" in r.out and "did you mean 'prod'?" in r.out, r.out
