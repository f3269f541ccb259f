"""Shell completion of parameter names and secret names, with the built binary against moto.

The shells call `credctl ---completion SUBCOMMANDS -- ARG INDEX CURSOR WORDS…` on each Tab (the
generated scripts do; `complete_line` below runs the generated bash script itself, and Tab is
pressed in an interactive bash and fish on a terminal). Checked: the names offered for prefixes,
one level at a time, for every `params` and `secrets` argument that names one; the profile,
region and endpoint taken from the line or the environment; a second Tab within the minute asks
nothing of the service (the proxy counts calls) and the cache holds names only, mode 0600; no
value is ever read (only DescribeParameters and ListSecrets reach the service); credentials that
would need the user (MFA, credential_process, SSO without a token, the vault without its
passphrase variable), a stalled service and errors give nothing, quickly, with nothing on stderr
and no prompt on the terminal; a parameter, secret or profile name a shell would expand is not
offered."""
import json
import os
import pty
import re
import select
import shutil
import stat
import subprocess
import time
import uuid

import pytest

from conftest import BINARY, write_aws_files
from fault_proxy import FaultProxy

# The completion's own deadline is 2 s; a debug binary starts in well under a second.
DEADLINE = 2.0
MARGIN = 1.5

PARAMS_ARGUMENTS = [
    (["params", "get"], "positional@0"), (["params", "get-path"], "positional@0"), (["params", "list"], "positional@0"),
    (["params", "history"], "positional@0"), (["params", "put"], "positional@0"), (["params", "delete"], "positional@0"),
    (["params", "export"], "positional@0"), (["params", "exec"], "positional@0"), (["params", "import"], "positional@0"),
    (["params", "copy"], "positional@0"), (["params", "copy"], "positional@1"), (["check", "ssm"], "--path"),
]
SECRETS_ARGUMENTS = [
    (["secrets", "get"], "positional@0"), (["secrets", "describe"], "positional@0"), (["secrets", "put"], "positional@0"),
    (["secrets", "delete"], "positional@0"), (["secrets", "tag"], "positional@0"), (["secrets", "list"], "--name-prefix"),
    (["check", "secrets"], "--id"),
]
SECURE_VALUE = "s3cret-parameter-VALUE"
SECRET_VALUE = "s3cret-secret-VALUE"


@pytest.fixture
def world(moto, home, tmp_path):
    """Parameters and secrets under a name of this test's own, a proxy in front of moto, and
    profiles: `dev` (static keys), `mfa` (a role behind an MFA code), `proc` (credential_process)."""
    tag = "cmpl" + uuid.uuid4().hex[:8]
    ssm = moto.client("ssm")
    for name, kind, value in [(f"/{tag}/app/db/user", "String", "u"), (f"/{tag}/app/db/password", "SecureString", SECURE_VALUE),
                              (f"/{tag}/app/name", "String", "n"), (f"/{tag}/other", "String", "o")]:
        ssm.put_parameter(Name=name, Type=kind, Value=value)
    secrets = moto.client("secretsmanager")
    arns = {}
    for name in (f"{tag}/prod/db", f"{tag}/prod/api", f"{tag}-staging"):
        arns[name] = secrets.create_secret(Name=name, SecretString=SECRET_VALUE)["ARN"]
    marker = tmp_path / "credential-process-ran"
    write_aws_files(home, config=(
        "[profile dev]\nregion = us-east-1\n\n"
        "[profile mfa]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/r1\nsource_profile = dev\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/someone\n\n"
        f"[profile proc]\nregion = us-east-1\ncredential_process = /bin/sh -c 'touch {marker}; exit 1'\n\n"
        "[profile sso]\nregion = us-east-1\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\n"
        "[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://example.awsapps.com/start\n"),
        credentials=f"[dev]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    with FaultProxy(moto) as proxy:
        yield {"tag": tag, "proxy": proxy, "arns": arns, "marker": marker, "home": home}


def environment(world, **extra):
    return {"HOME": str(world["home"]), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL": world["proxy"].url, **extra}


class Completion:
    def __init__(self, proc, elapsed):
        self.code = proc.returncode
        self.offers = [w for w in proc.stdout.split("\n") if w]
        self.err = proc.stderr
        self.elapsed = elapsed

    def __repr__(self):
        return f"<exit {self.code} offers {self.offers!r} stderr {self.err!r} in {self.elapsed:.2f}s>"


def complete(env, command, argument, line):
    """As a shell calls credctl for the last word of `line` (a list of words, `credctl` first)."""
    index = len(line) - 1
    args = ["---completion", *command, "--", argument, str(index), str(len(line[-1])), *line]
    started = time.monotonic()
    proc = subprocess.run([str(BINARY), *args], env=env, capture_output=True, text=True, timeout=30)
    return Completion(proc, time.monotonic() - started)


def quiet(result):
    assert result.code == 0 and result.err == "", result
    return result.offers


def service_actions(world):
    return {action for action, _, _ in world["proxy"].calls}


def test_parameter_names_are_offered_one_level_at_a_time(world):
    tag = world["tag"]
    env = environment(world)

    def offers(typed, *options):
        return quiet(complete(env, ["params", "get"], "positional@0", ["credctl", "params", "get", *options, typed]))

    assert offers(f"/{tag}/", "--profile", "dev") == [f"/{tag}/app/", f"/{tag}/other"]
    assert offers(f"/{tag}/app/", "--profile", "dev") == [f"/{tag}/app/db/", f"/{tag}/app/name"]
    assert offers(f"/{tag}/app/db/p", "--profile", "dev") == [f"/{tag}/app/db/password"]
    # A lone folder is opened: the shell inserts it and shows what is in it.
    assert offers(f"/{tag}/app/d", "--profile", "dev") == [f"/{tag}/app/db/password", f"/{tag}/app/db/user"]
    assert offers(f"/{tag}/nothing", "--profile", "dev") == []
    # Relative names under --prefix/--env (or CREDCTL_PARAMS_PREFIX/_ENV), offered relative.
    assert offers("d", "--profile", "dev", "--prefix", f"/{tag}", "--env", "app") == ["db/password", "db/user"]
    assert quiet(complete(environment(world, AWS_PROFILE="dev", CREDCTL_PARAMS_PREFIX=f"/{tag}/app"), ["params", "get"], "positional@0",
                          ["credctl", "params", "get", ""])) == ["db/", "name"]
    assert service_actions(world) == {"DescribeParameters"}


@pytest.mark.parametrize("command,argument", PARAMS_ARGUMENTS, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_every_parameter_argument_is_completed(world, command, argument):
    tag = world["tag"]
    words = ["credctl", *command]
    if argument == "positional@1":
        words.append(f"/{tag}/other")
    elif argument.startswith("--"):
        words.append(argument)
    words.append(f"/{tag}/app/")
    # The profile before the command, from the environment, after the command.
    assert quiet(complete(environment(world), command, argument, ["credctl", "--profile", "dev", *words[1:]])) == \
        [f"/{tag}/app/db/", f"/{tag}/app/name"]
    assert quiet(complete(environment(world, AWS_PROFILE="dev"), command, argument, words)) == [f"/{tag}/app/db/", f"/{tag}/app/name"]
    assert quiet(complete(environment(world), command, argument, [*words[:-1], "--profile=dev", "--region", "us-east-1", words[-1]])) == \
        [f"/{tag}/app/db/", f"/{tag}/app/name"]
    assert service_actions(world) == {"DescribeParameters"}


@pytest.mark.parametrize("command,argument", SECRETS_ARGUMENTS, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_every_secret_argument_is_completed(world, command, argument):
    tag = world["tag"]
    words = ["credctl", *command, "--profile", "dev"] + ([argument] if argument.startswith("--") else [])
    assert quiet(complete(environment(world), command, argument, [*words, f"{tag}/prod/"])) == [f"{tag}/prod/api", f"{tag}/prod/db"]
    assert quiet(complete(environment(world), command, argument, [*words, tag])) == \
        sorted([f"{tag}-staging", f"{tag}/prod/api", f"{tag}/prod/db"])
    # ARNs, when the word is one.
    arn = world["arns"][f"{tag}/prod/db"]
    assert quiet(complete(environment(world), command, argument, [*words, arn[:arn.index(":secret:") + 8] + f"{tag}/prod/d"])) == [arn]
    # Names only: no secret value is read.
    assert service_actions(world) == {"ListSecrets"}


def test_a_second_tab_within_the_minute_asks_nothing_and_the_cache_holds_names_only(world):
    tag = world["tag"]
    env = environment(world, AWS_PROFILE="dev")
    line = ["credctl", "params", "get", f"/{tag}/app/"]
    first = quiet(complete(env, ["params", "get"], "positional@0", line))
    calls = len(world["proxy"].calls)
    assert calls >= 1
    assert quiet(complete(env, ["params", "get"], "positional@0", line)) == first
    assert quiet(complete(env, ["params", "get"], "positional@0", [*line[:-1], f"/{tag}/app/db/"])) == \
        [f"/{tag}/app/db/password", f"/{tag}/app/db/user"]
    assert len(world["proxy"].calls) == calls, world["proxy"].calls
    quiet(complete(env, ["secrets", "get"], "positional@0", ["credctl", "secrets", "get", f"{tag}/"]))
    folder = world["home"] / ".aws/credctl/cache/completion"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert len(files) == 2
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text()
        assert SECURE_VALUE not in text and SECRET_VALUE not in text and "Value" not in text
        assert json.loads(text)["Names"]
    # Another region is another query.
    quiet(complete(env, ["params", "get"], "positional@0", [*line[:-1], "--region", "us-west-2", line[-1]]))
    assert len(world["proxy"].calls) > calls + 1
    # An entry older than the minute is asked again.
    for path in folder.iterdir():
        entry = json.loads(path.read_text())
        entry["Written"] -= 61
        path.write_text(json.dumps(entry))
    before = len(world["proxy"].calls)
    assert quiet(complete(env, ["params", "get"], "positional@0", line)) == first
    assert len(world["proxy"].calls) == before + 1
    assert service_actions(world) == {"DescribeParameters", "ListSecrets"}


def test_credentials_that_need_the_user_complete_nothing(world, tmp_path):
    tag = world["tag"]
    # A browser, were one opened (an SSO profile with no token), would leave this file.
    browser_dir = tmp_path / "browser"
    browser_dir.mkdir()
    opened = tmp_path / "browser-opened"
    (browser_dir / "xdg-open").write_text(f"#!/bin/sh\ntouch {opened}\n")
    (browser_dir / "xdg-open").chmod(0o755)
    env = environment(world)
    env["PATH"] = f"{browser_dir}:{env['PATH']}"
    for profile in ("mfa", "proc", "sso"):
        result = complete(env, ["params", "get"], "positional@0", ["credctl", "params", "get", "--profile", profile, f"/{tag}/"])
        assert quiet(result) == [] and result.elapsed < DEADLINE + MARGIN, (profile, result)
    assert not world["marker"].exists(), "credential_process ran"
    assert not opened.exists(), "a browser was opened"
    assert world["proxy"].calls == []    # not even STS: the MFA code is wanted before AssumeRole



def test_a_vault_profile_completes_only_with_the_passphrase_variable(world, tmp_path):
    """A profile whose keys are in credctl's vault: no passphrase prompt, no passphrase command
    (it may be a pinentry), nothing offered; the vault is opened only with CREDCTL_VAULT_PASSPHRASE."""
    home = world["home"]
    added = subprocess.run([str(BINARY), "vault", "add", "p"], input="AKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMI/K7MDENG\n", capture_output=True,
                           text=True, timeout=30, env=environment(world, CREDCTL_VAULT_PASSPHRASE="correct horse battery"))
    assert added.returncode == 0, added.stderr
    config = home / ".aws/config"
    config.write_text(config.read_text() + f"\n[profile v]\nregion = us-east-1\ncredential_process = {BINARY} vault credential-process --profile p\n")
    ran = tmp_path / "passphrase-command-ran"
    line = ["credctl", "params", "get", "--profile", "v", f"/{world['tag']}/"]
    for env in (environment(world), environment(world, CREDCTL_VAULT_PASSPHRASE_COMMAND=f"/bin/sh -c 'touch {ran}; echo correct horse battery'")):
        result = complete(env, ["params", "get"], "positional@0", line)
        assert quiet(result) == [] and result.elapsed < DEADLINE + MARGIN, result
    assert not ran.exists()
    assert world["proxy"].calls == []
    # With the variable the vault opens: its keys are used (GetSessionToken, then the listing).
    complete(environment(world, CREDCTL_VAULT_PASSPHRASE="correct horse battery"), ["params", "get"], "positional@0", line)
    assert "GetSessionToken" in service_actions(world)
    # On a terminal, the passphrase is not asked for.
    code, shown, elapsed = on_terminal(["---completion", "params", "get", "--", "positional@0", "5", "1", *line[:-1], "/"], environment(world))
    assert (code, shown) == (0, "") and elapsed < DEADLINE + MARGIN

def on_terminal(args, env, wait_for=None, timeout=DEADLINE + MARGIN):
    """Runs credctl with a pseudo-terminal as its controlling terminal and stdin/stderr; returns
    (exit code or None when killed, what the terminal showed, seconds)."""
    master, slave = pty.openpty()
    started = time.monotonic()
    proc = subprocess.Popen([str(BINARY), *args], stdin=slave, stdout=subprocess.PIPE, stderr=slave, env=env, start_new_session=True,
                            preexec_fn=lambda: __import__("fcntl").ioctl(0, __import__("termios").TIOCSCTTY, 0))
    os.close(slave)
    shown = b""
    while time.monotonic() - started < timeout:
        ready, _, _ = select.select([master], [], [], 0.05)
        chunk = b""
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the last writer closed the terminal
                chunk = b""
            shown += chunk
            if wait_for and wait_for.encode() in shown:
                break
        if proc.poll() is not None and not chunk:
            break
    code = proc.poll()
    if code is None:
        proc.kill()
    proc.wait()
    proc.stdout.close()
    os.close(master)
    return code, shown.decode(errors="replace"), time.monotonic() - started


def test_no_prompt_reaches_the_terminal(world):
    """On a terminal, a command with the MFA profile asks for the code; completion does not."""
    env = environment(world)
    _, shown, _ = on_terminal(["params", "get", "--profile", "mfa", f"/{world['tag']}/other"], env, wait_for="MFA code")
    assert "Enter MFA code" in shown, shown     # the control: this terminal is asked on
    code, shown, elapsed = on_terminal(["---completion", "params", "get", "--", "positional@0", "5", "1",
                                        "credctl", "params", "get", "--profile", "mfa", "/"], env)
    assert (code, shown) == (0, "") and elapsed < DEADLINE + MARGIN


def test_a_stalled_service_completes_nothing_within_the_deadline(world):
    world["proxy"].add("DescribeParameters", "stall", times=10)
    world["proxy"].add("ListSecrets", "stall", times=10)
    env = environment(world, AWS_PROFILE="dev")
    for command, word in ((["params", "get"], f"/{world['tag']}/"), (["secrets", "get"], world["tag"])):
        result = complete(env, command, "positional@0", ["credctl", *command, word])
        assert quiet(result) == [] and result.elapsed < DEADLINE + MARGIN, result
    assert not (world["home"] / ".aws/credctl/cache/completion").exists() or \
        list((world["home"] / ".aws/credctl/cache/completion").iterdir()) == []


@pytest.mark.parametrize("mode", ["fail", "garbage", "html", "reset"])
def test_errors_complete_nothing_silently(world, mode):
    world["proxy"].add("DescribeParameters", mode, times=10, status=400, code="AccessDeniedException")
    result = complete(environment(world, AWS_PROFILE="dev"), ["params", "get"], "positional@0", ["credctl", "params", "get", "/"])
    assert quiet(result) == [] and result.elapsed < DEADLINE + MARGIN, result


def test_unknown_profile_or_no_credentials_complete_nothing(world):
    for env in (environment(world, AWS_PROFILE="nope"), {"HOME": "/nonexistent", "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true",
                                                         "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": world["proxy"].url}):
        assert quiet(complete(env, ["params", "get"], "positional@0", ["credctl", "params", "get", "/"])) == []
    assert world["proxy"].calls == []


BASH_HARNESS = r"""
set -u
source "$CREDCTL_COMPLETION"
COMP_LINE=$1
COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMPREPLY=()
_credctl credctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""


@pytest.fixture
def complete_line(world, tmp_path):
    """Runs bash's completion of a line with the script `credctl --generate-completion-script bash` writes."""
    script = tmp_path / "credctl.bash"
    script.write_text(subprocess.run([str(BINARY), "--generate-completion-script", "bash"], capture_output=True, text=True, check=True).stdout)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "credctl").symlink_to(BINARY)

    def run(line, **extra):
        env = environment(world, CREDCTL_COMPLETION=str(script), **extra)
        env["PATH"] = f"{bin_dir}:{env['PATH']}"
        proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", BASH_HARNESS, "harness", line], env=env, capture_output=True,
                              text=True, timeout=30)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        return [w for w in proc.stdout.split("\n") if w]
    return run


def test_bash_completes_names_with_the_generated_script(world, complete_line):
    tag = world["tag"]
    assert complete_line(f"credctl --profile dev params get /{tag}/app/") == [f"/{tag}/app/db/", f"/{tag}/app/name"]
    assert complete_line(f"credctl params copy --profile dev /{tag}/other /{tag}/app/n") == [f"/{tag}/app/name"]
    assert complete_line(f"credctl params export --profile dev /{tag}/o") == [f"/{tag}/other"]
    assert complete_line(f"credctl secrets describe {tag}/prod/", AWS_PROFILE="dev") == [f"{tag}/prod/api", f"{tag}/prod/db"]
    assert complete_line(f"credctl check secrets --profile dev --id {tag}-") == [f"{tag}-staging"]
    # After `params exec … --` comes a command, not a name.
    assert complete_line(f"credctl params exec --profile dev /{tag}/app -- /{tag}/") == []


def test_tab_in_an_interactive_bash(world, tmp_path):
    """Tab as a person presses it: an interactive bash on a terminal with the generated script."""
    tag = world["tag"]
    script = tmp_path / "credctl.bash"
    script.write_text(subprocess.run([str(BINARY), "--generate-completion-script", "bash"], capture_output=True, text=True, check=True).stdout)
    bin_dir = tmp_path / "tabbin"
    bin_dir.mkdir()
    (bin_dir / "credctl").symlink_to(BINARY)
    env = environment(world, TERM="dumb", PS1="$ ", AWS_PROFILE="dev")
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    master, slave = pty.openpty()
    proc = subprocess.Popen(["bash", "--norc", "--noprofile", "-i"], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                            preexec_fn=lambda: __import__("fcntl").ioctl(0, __import__("termios").TIOCSCTTY, 0))
    os.close(slave)

    def typed(text, settle=DEADLINE + MARGIN, until=lambda shown: False):
        """What the terminal shows after `text`: once `until` holds, else after `settle` seconds."""
        os.write(master, text.encode())
        shown, started = b"", time.monotonic()
        while time.monotonic() - started < settle and not until(shown.decode(errors="replace")):
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    shown += os.read(master, 65536)
                except OSError:  # the shell has exited
                    break
        return shown.decode(errors="replace")

    try:
        typed(f"source {script}\n", settle=1)
        # One name: completed, and a space after it.
        completed = typed(f"credctl params get /{tag}/app/n\t", until=lambda shown: "ame " in shown)
        assert f"/{tag}/app/name " in completed, completed
        typed("\x15", settle=0.3)   # Ctrl-U: the line cleared
        # Two: the second Tab lists them (bash shows what follows the last /).
        listing = typed(f"credctl secrets describe {tag}/prod/\t\t", until=lambda shown: re.search(r"\bapi\s+db\b", shown))
        assert re.search(r"\bapi\s+db\b", listing), listing
        typed("\x15exit\n", settle=0.5)
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    assert service_actions(world) == {"DescribeParameters", "ListSecrets"}

def test_a_name_a_shell_would_expand_is_never_offered(world, complete_line, tmp_path):
    """bash's compgen -W expands the words it is given: a hostile service answering a name with
    `$(…)` in it must not get a command run in the user's shell."""
    tag = world["tag"]
    planted = tmp_path / "planted"

    def add_hostile(body):
        answer = json.loads(body)
        for name in (f"{tag}/$(touch {planted})", f"{tag}/`touch {planted}`", f"{tag}/x;touch {planted}"):
            answer["SecretList"].append({"Name": name, "ARN": f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}"})
        return json.dumps(answer).encode()

    world["proxy"].add("ListSecrets", "rewrite", times=10, rewrite=add_hostile)
    assert complete_line(f"credctl secrets get --profile dev {tag}/") == [f"{tag}/prod/api", f"{tag}/prod/db"]
    assert not planted.exists()



def test_a_profile_name_a_shell_would_expand_is_never_offered(world, complete_line, tmp_path):
    """The same for profile names: the shared files may hold names written by others."""
    planted = tmp_path / "planted-by-profile"
    config = world["home"] / ".aws/config"
    config.write_text(config.read_text() + f"\n[profile a$(touch${{IFS}}{planted})]\n[profile b`touch${{IFS}}{planted}`]\n"
                                           "[profile c$HOME]\n[profile ~root]\n[profile team.prod-eu@acct+1]\n")
    assert complete_line("credctl whoami --profile ") == ["dev", "mfa", "proc", "sso", "team.prod-eu@acct+1"]
    assert complete_line("credctl --profile ") == ["dev", "mfa", "proc", "sso", "team.prod-eu@acct+1"]
    assert not planted.exists()

def fish_complete(world, tmp_path, lines, **extra):
    """`complete -C LINE` in an interactive fish (on a terminal of its own: fish 3's
    `commandline` needs one) with the script `credctl --generate-completion-script fish` writes."""
    script = tmp_path / "credctl.fish"
    script.write_text(subprocess.run([str(BINARY), "--generate-completion-script", "fish"], capture_output=True, text=True, check=True).stdout)
    bin_dir = tmp_path / "fishbin"
    bin_dir.mkdir(exist_ok=True)
    if not (bin_dir / "credctl").exists():
        (bin_dir / "credctl").symlink_to(BINARY)
    env = environment(world, TERM="dumb", **extra)
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    outputs = [tmp_path / f"fish-{i}.out" for i in range(len(lines))]
    commands = [f"source {script}"] + [f"complete -C '{line}' > {out}" for line, out in zip(lines, outputs)] + ["exit"]
    master, slave = pty.openpty()
    proc = subprocess.Popen(["fish", "--no-config", "-i"], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                            preexec_fn=lambda: __import__("fcntl").ioctl(0, __import__("termios").TIOCSCTTY, 0))
    os.close(slave)
    os.write(master, ("; ".join(commands) + "\n").encode())
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < 30:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    proc.wait(timeout=10)
    os.close(master)
    return [[w.split("\t")[0] for w in out.read_text().split("\n") if w] for out in outputs]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_names_with_the_generated_script(world, tmp_path):
    tag = world["tag"]
    arn = world["arns"][f"{tag}/prod/db"]
    # (fish spends about a second of its own on each line: three lines, one of each kind.)
    got = fish_complete(world, tmp_path, [
        f"credctl --profile dev params get-path /{tag}/app/d",
        f"credctl check ssm --profile dev --path /{tag}/o",
        f"credctl secrets get --profile dev {arn[:-3]}",
    ])
    assert got == [[f"/{tag}/app/db/password", f"/{tag}/app/db/user"], [f"/{tag}/other"], [arn]]
    assert service_actions(world) == {"DescribeParameters", "ListSecrets"}
