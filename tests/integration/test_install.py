"""scripts/install.sh and scripts/package.sh, run as a user would, on fresh temporary prefixes.

The release build happens once per test session (the `installed` fixture runs install.sh; every
later install.sh and package.sh run finds it built). What is checked: the installed binary runs with
a bare PATH and an empty environment and loads no library of the Swift toolchain; `man -l` renders
every installed page and there is one page per command, listing that command's options; bash,
loading the installed completion as bash-completion does, offers the profile names of ~/.aws/config
after --profile, template names after --template, formats after --format; --uninstall removes
exactly what was installed; the tarball and the .deb unpack and their binary runs."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from conftest import BINARY, ROOT

# One release build serves every test here: keep them in one worker.
pytestmark = pytest.mark.xdist_group("install")

BARE_ENV = {"PATH": "/usr/bin:/bin"}
SWIFT_LIB_DIR = Path(shutil.which("swift")).resolve().parent.parent / "lib"
VERSION = re.search(r'current = "([^"]+)"', (ROOT / "Sources/Workflows/Session/CredctlVersion.swift").read_text()).group(1)
MANIFEST = "share/credctl/install-manifest"


def expected_commit():
    """What scripts/lib/release.sh's build_commit gives (or CREDCTL_COMMIT, as scripts/test.sh sets it)."""
    if os.environ.get("CREDCTL_COMMIT"):
        return os.environ["CREDCTL_COMMIT"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--"], cwd=ROOT).returncode != 0
    return commit + ("-dirty" if dirty else "")


def script(*args, timeout=1800):
    started = time.monotonic()
    proc = subprocess.run(["bash", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    proc.elapsed = time.monotonic() - started
    return proc


def install(prefix):
    proc = script("scripts/install.sh", "--prefix", str(prefix))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def tree(root):
    """Every path under root, folders marked with a trailing slash, and each file's SHA-256."""
    found = {}
    for path in sorted(Path(root).rglob("*")):
        rel = str(path.relative_to(root))
        found[rel + "/" if path.is_dir() else rel] = None if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run_bare(binary, *args, env=None):
    """The binary with nothing but a bare PATH (and what the test adds), as `env -i` would run it."""
    return subprocess.run([str(binary), *args], env={**BARE_ENV, **(env or {})}, capture_output=True, text=True, timeout=60)


def assert_runs_standalone(binary):
    version = run_bare(binary, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout == f"credctl {VERSION} (commit {expected_commit()})\n"
    policy = run_bare(binary, "policy", "show", "rotate-own-key")
    assert policy.returncode == 0, policy.stderr
    assert policy.stdout == subprocess.run([str(BINARY), "policy", "show", "rotate-own-key"], capture_output=True, text=True).stdout
    assert json.loads(policy.stdout)["Statement"][0]["Sid"] == "ManageOwnAccessKeys"


def commands(info, path=()):
    """Each command of `credctl --experimental-dump-help`, with its path and options."""
    name = path + (info["commandName"],)
    yield name, [n["name"] for a in info.get("arguments", []) if a.get("shouldDisplay", True)
                 for n in a.get("names", []) if n["kind"] == "long"]
    for sub in info.get("subcommands", []):
        yield from commands(sub, name)


@pytest.fixture(scope="session")
def installed(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    proc = install(prefix)
    print(f"install.sh took {proc.elapsed:.1f} s")
    return prefix, proc


# --- install.sh ------------------------------------------------------------------------------

def test_install_lays_out_the_binary_man_pages_and_completions(installed):
    prefix, proc = installed
    assert (prefix / "bin/credctl").stat().st_mode & 0o777 == 0o755
    for path in ("share/bash-completion/completions/credctl", "share/zsh/site-functions/_credctl",
                 "share/fish/vendor_completions.d/credctl.fish", "share/man/man1/credctl.1", MANIFEST,
                 "share/doc/credctl/README.md", "share/doc/credctl/rotation.md"):
        assert (prefix / path).is_file(), path
        assert (prefix / path).stat().st_mode & 0o777 == 0o644, path
    assert f"==> installed credctl {VERSION} (commit {expected_commit()}) into {prefix}:" in proc.stderr
    # The manifest lists every file installed with its checksum, and only those.
    listed = {line.split(" ", 2)[2]: line.split(" ", 2)[1] for line in (prefix / MANIFEST).read_text().splitlines() if line.startswith("file ")}
    on_disk = {rel: sha for rel, sha in tree(prefix).items() if sha is not None and rel != MANIFEST}
    assert listed == on_disk
    # Every page of docs/ is installed where --help sends the reader ("See rotation.md in share/doc/credctl").
    assert sorted(p.name for p in (prefix / "share/doc/credctl").iterdir()) == sorted(["README.md", *(p.name for p in (ROOT / "docs").glob("*.md"))])


def test_installed_binary_runs_with_a_bare_path_and_no_swift_toolchain(installed):
    binary = installed[0] / "bin/credctl"
    assert_runs_standalone(binary)
    # Linked: system libraries only (libcurl is opened at run time); no run path next to the binary.
    ldd = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    linked = re.findall(r"=> (\S+)", ldd)
    assert linked and all(p.startswith(("/lib/", "/lib64/", "/usr/lib/")) for p in linked), ldd
    assert "swift" not in ldd.lower() and "libcurl" not in ldd and "libcrypto.so.3" in ldd
    dynamic = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True, check=True).stdout
    assert "RPATH" not in dynamic and "RUNPATH" not in dynamic, dynamic
    sections = subprocess.run(["readelf", "-S", str(binary)], capture_output=True, text=True, check=True).stdout
    assert ".symtab" not in sections and ".debug_info" not in sections  # stripped
    # What the loader actually opens, for a run that makes a request (libcurl loaded on first use;
    # the request fails on a closed loopback port): nothing from the toolchain.
    env = {"LD_DEBUG": "libs", "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "x" * 40,
           "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_MAX_ATTEMPTS": "1", "HOME": "/nonexistent"}
    proc = run_bare(binary, "whoami", env=env)
    assert proc.returncode == 5, proc.stderr[-2000:]
    opened = re.findall(r"calling init: (\S+)", proc.stderr)
    assert any("libcurl.so.4" in p for p in opened), opened
    assert not [p for p in opened if str(SWIFT_LIB_DIR) in p or "swift" in p.lower()], opened


def test_man_renders_one_page_per_command_with_its_options(installed):
    man1 = installed[0] / "share/man/man1"
    info = json.loads(subprocess.run([str(installed[0] / "bin/credctl"), "--experimental-dump-help"],
                                     capture_output=True, text=True, check=True).stdout)["command"]
    expected = {".".join(path) + ".1": options for path, options in commands(info)}
    assert sorted(p.name for p in man1.iterdir()) == sorted(expected)
    for page, options in expected.items():
        proc = subprocess.run(["man", "-l", str(man1 / page)], env={**os.environ, "MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat"},
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and proc.stderr == "", (page, proc.stderr)
        text = re.sub(r"‐\n\s*", "", proc.stdout)  # undo hyphenation at line ends
        assert "NAME" in text and "SYNOPSIS" in text, page
        assert " ".join(page[:-2].split(".")) in text, page
        for option in options:
            assert f"--{option}" in text, (page, option)
    # Examples keep their lines (a literal display), prose is filled: rotate's page shows each example
    # as it would be typed, and no line of the description runs past the page.
    proc = subprocess.run(["man", "-l", str(man1 / "credctl.rotate.1")], env={**os.environ, "MANWIDTH": "80", "MANPAGER": "cat"},
                          capture_output=True, text=True, timeout=60)
    lines = [l.strip() for l in proc.stdout.splitlines()]
    assert "credctl rotate --profile grafana        # the key held by profile grafana" in lines
    assert "--verify-cmd './grafana-health.sh'" in lines
    # man finds them by name under the prefix.
    where = subprocess.run(["man", "-M", str(installed[0] / "share/man"), "-w", "credctl.creds.export"], capture_output=True, text=True)
    assert where.stdout.strip() == str(man1 / "credctl.creds.export.1"), where.stderr


BASH_HARNESS = r"""
set -u
# As an interactive bash with bash-completion does: the loader finds credctl's completion in
# $XDG_DATA_DIRS/bash-completion/completions on the first Tab.
source /usr/share/bash-completion/bash_completion
_completion_loader credctl
spec=$(complete -p credctl) || { echo "no completion registered for credctl" >&2; exit 1; }
func=$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"$spec")
COMP_LINE=$1
COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMPREPLY=()
"$func" credctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""


@pytest.fixture
def complete(installed, home):
    prefix = installed[0]

    def run(line, env=None):
        env = {"PATH": f"{prefix}/bin:/usr/bin:/bin", "HOME": str(home), "XDG_DATA_DIRS": f"{prefix}/share", **(env or {})}
        proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", BASH_HARNESS, "harness", line],
                              env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == "", proc.stderr
        return [w for w in proc.stdout.split("\n") if w]
    return run


def test_bash_completion_offers_profile_names(complete, home):
    aws = home / ".aws"
    aws.mkdir()
    (aws / "config").write_text("[default]\nregion = eu-west-1\n\n[profile dev-admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\n"
                                "source_profile = default\n\n[profile prod]\nregion = us-east-1\n\n[sso-session corp]\nsso_region = eu-west-1\n")
    (aws / "credentials").write_text("[ci]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n")
    assert complete("credctl whoami --profile ") == ["default", "dev-admin", "prod", "ci"]
    assert complete("credctl rotate --profile d") == ["default", "dev-admin"]
    assert complete("credctl params get --profile p") == ["prod"]
    assert complete("credctl creds show --profile c") == ["ci"]
    assert complete("credctl assume p") == ["prod"]   # assume takes a profile (or a role ARN)
    # AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are honoured, as by every command.
    (home / "other-config").write_text("[profile staging]\nregion = eu-west-1\n")
    (home / "other-credentials").write_text("[build]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
    assert complete("credctl whoami --profile ", env={"AWS_CONFIG_FILE": str(home / "other-config")}) == ["staging", "ci"]
    assert complete("credctl whoami --profile ", env={"AWS_SHARED_CREDENTIALS_FILE": str(home / "other-credentials")}) == \
        ["default", "dev-admin", "prod", "build"]


def test_bash_completion_offers_nothing_when_the_config_cannot_be_read(complete, home):
    (home / ".aws").mkdir()
    (home / ".aws/config").write_text("[profile broken\nregion = x\n")
    assert complete("credctl whoami --profile ") == []
    shutil.rmtree(home / ".aws")
    assert complete("credctl whoami --profile ") == []


def test_bash_completion_offers_templates_and_formats(complete):
    templates = ["dynamodb-read", "ssm-path-read", "ssm-path-write", "secrets-writer", "rotate-own-key",
                 "rotate-user-key-to-secret", "rotate-user-key-to-ssm", "s3-sink-writer", "cross-account-trust", "irsa-trust"]
    assert complete("credctl setup user bob --template ") == templates
    assert complete("credctl setup user bob --template s") == ["ssm-path-read", "ssm-path-write", "secrets-writer", "s3-sink-writer"]
    assert complete("credctl policy show ") == templates
    assert complete("credctl creds export --format ") == ["process", "env", "dotenv", "json", "fish", "powershell", "env-no-export",
                                                          "windows-cmd"]
    assert complete("credctl assume arn:aws:iam::123456789012:role/r --format p") == ["process", "powershell"]
    assert complete("credctl params export /app --format ") == ["dotenv", "env", "json", "yaml"]
    assert complete("credctl params import /app f.env --file-format ") == ["dotenv", "json"]
    assert complete("credctl whoami --output ") == ["json", "text", "table", "csv"]


# --- --uninstall -----------------------------------------------------------------------------

def test_uninstall_removes_exactly_what_was_installed(installed, tmp_path):
    prefix = tmp_path / "usr-local"
    # A prefix already in use: folders and files of other tools stay as they are.
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin/other-tool").write_text("#!/bin/sh\n")
    (prefix / "share/man/man1").mkdir(parents=True)
    (prefix / "share/man/man1/other-tool.1").write_text(".TH OTHER 1\n")
    before = tree(prefix)
    install(prefix)
    first = (prefix / MANIFEST).read_text()
    assert "dir - bin\n" not in first and "dir - share/man/man1\n" not in first  # they existed
    assert "dir - share/credctl\n" in first and "dir - share/zsh/site-functions\n" in first
    # Installing again (an upgrade) replaces the install: same files, same manifest, nothing left over.
    installed_tree = tree(prefix)
    install(prefix)
    assert (prefix / MANIFEST).read_text() == first
    assert tree(prefix) == installed_tree
    proc = script("scripts/install.sh", "--prefix", str(prefix), "--uninstall")
    assert proc.returncode == 0, proc.stderr
    files = sum(1 for line in first.splitlines() if line.startswith("file "))
    assert proc.stderr == f"==> removed credctl from {prefix} ({files} files)\n"
    assert tree(prefix) == before
    # A second --uninstall finds nothing to remove.
    again = script("scripts/install.sh", "--prefix", str(prefix), "--uninstall")
    assert again.returncode == 2
    assert again.stderr == f"install.sh: error: no credctl installed in {prefix} (no {prefix}/{MANIFEST})\n"
    assert tree(prefix) == before


def test_a_prefix_the_install_created_goes_with_uninstall_but_a_changed_file_stays(installed, tmp_path):
    """A relative --prefix is relative to where you are; missing folders above it are created and
    recorded. --uninstall removes them again, except where a file changed since install is kept."""
    def run(*args):
        return subprocess.run(["bash", str(ROOT / "scripts/install.sh"), "--prefix", "new/prefix", *args],
                              cwd=tmp_path, capture_output=True, text=True, timeout=1800)
    proc = run()
    assert proc.returncode == 0, proc.stderr[-3000:]
    prefix = tmp_path / "new/prefix"
    manifest = (prefix / MANIFEST).read_text().splitlines()
    assert manifest[1:4] == ["dir - ..", "dir - .", "dir - bin"]
    assert run_bare(prefix / "bin/credctl", "--version").returncode == 0
    changed = prefix / "share/zsh/site-functions/_credctl"
    changed.write_text("# my own zsh completion\n")
    proc = run("--uninstall")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith(f"kept {changed}: changed since it was installed\n")
    assert tree(tmp_path) == {"new/": None, "new/prefix/": None, "new/prefix/share/": None, "new/prefix/share/zsh/": None,
                              "new/prefix/share/zsh/site-functions/": None,
                              "new/prefix/share/zsh/site-functions/_credctl": hashlib.sha256(b"# my own zsh completion\n").hexdigest()}
    # Once that file is gone too, nothing of the install is left.
    changed.unlink()
    for folder in ("share/zsh/site-functions", "share/zsh", "share", ""):
        (prefix / folder).rmdir()
    (tmp_path / "new").rmdir()
    assert list(tmp_path.iterdir()) == []


def test_uninstall_refuses_a_manifest_it_did_not_write(tmp_path):
    prefix = tmp_path / "p"
    (prefix / "share/credctl").mkdir(parents=True)
    outside = tmp_path / "precious"
    outside.write_text("keep me\n")
    sha = hashlib.sha256(b"keep me\n").hexdigest()
    (prefix / MANIFEST).write_text(f"# credctl\nfile {sha} bin/credctl\nfile {sha} ../precious\n")
    before = tree(tmp_path)
    proc = script("scripts/install.sh", "--prefix", str(prefix), "--uninstall")
    assert proc.returncode == 2
    assert proc.stderr == f"install.sh: error: {prefix}/{MANIFEST}:3: not a line install.sh writes\n"
    assert tree(tmp_path) == before


def test_default_prefix_is_local_for_a_user(tmp_path):
    """Not root: ~/.local (root's default, /usr/local, is not touched by the tests)."""
    home = tmp_path / "user-home"
    home.mkdir()
    command = ["bash", "scripts/install.sh", "--uninstall"]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    proc = subprocess.run(command, cwd=ROOT, env={"PATH": os.environ["PATH"], "HOME": str(home)},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == f"install.sh: error: no credctl installed in {home}/.local (no {home}/.local/{MANIFEST})\n"
    assert list(home.iterdir()) == []


def test_install_refuses_bad_arguments(tmp_path):
    for args, message in ((["--bogus"], "unknown argument '--bogus' (usage: bash scripts/install.sh [--prefix DIR] [--uninstall])"),
                          (["--prefix"], "--prefix needs a folder")):
        proc = script("scripts/install.sh", *args)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == f"install.sh: error: {message}\n"
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    proc = script("scripts/install.sh", "--prefix", str(not_a_folder))
    assert proc.returncode == 2
    assert proc.stderr == f"install.sh: error: --prefix {not_a_folder} is not a folder\n"
    assert not_a_folder.read_text() == ""


# --- package.sh ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def packaged(installed, tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    proc = script("scripts/package.sh", "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    print(f"package.sh took {proc.elapsed:.1f} s")
    return out


def test_tarball_unpacks_and_runs(installed, packaged, tmp_path):
    arch = os.uname().machine
    top = f"credctl-{VERSION}-linux-{arch}"
    assert sorted(p.name for p in packaged.iterdir()) == sorted([f"{top}.tar.gz", f"credctl_{VERSION}_{deb_arch()}.deb"])
    tarball = packaged / f"{top}.tar.gz"
    with tarfile.open(tarball) as tar:
        members = tar.getmembers()
    assert all(m.name == top or m.name.startswith(top + "/") for m in members)
    assert all(m.uid == 0 and m.gid == 0 for m in members)
    subprocess.run(["tar", "-xzf", str(tarball), "-C", str(tmp_path)], check=True)
    root = tmp_path / top
    assert_runs_standalone(root / "bin/credctl")
    for path in ("share/bash-completion/completions/credctl", "share/zsh/site-functions/_credctl",
                 "share/fish/vendor_completions.d/credctl.fish", "share/man/man1/credctl.creds.export.1",
                 "share/doc/credctl/README.md", "share/doc/credctl/LICENSE.swift-argument-parser.txt",
                 "share/doc/credctl/LICENSE.swift.txt"):
        assert (root / path).is_file(), path
    assert (root / "share/doc/credctl/README.md").read_text() == (ROOT / "README.md").read_text()
    assert "swift-argument-parser 1.8.2" in (root / "share/doc/credctl/NOTICE").read_text()
    assert "Apache License" in (root / "share/doc/credctl/LICENSE.swift-argument-parser.txt").read_text()
    # The same pages and completions as install.sh gives.
    for folder in ("share/man", "share/bash-completion", "share/zsh", "share/fish"):
        assert tree(root / folder) == tree(installed[0] / folder), folder


def deb_arch():
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def test_deb_unpacks_and_runs_and_depends_on_what_it_loads(packaged, tmp_path):
    deb = packaged / f"credctl_{VERSION}_{deb_arch()}.deb"
    field = lambda name: subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()
    assert (field("Package"), field("Version"), field("Architecture")) == ("credctl", VERSION, deb_arch())
    depends = {d.split(" ")[0] for d in field("Depends").split(", ")}
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True)
    binary = tmp_path / "usr/bin/credctl"
    assert_runs_standalone(binary)
    # Every library the binary links comes from a package it depends on, and libcurl4 (opened
    # with dlopen, so not in the binary's NEEDED list) is there too.
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True, check=True).stdout)
    assert "libcrypto.so.3" in needed
    for soname in needed:
        owners = subprocess.run(["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True).stdout
        packages = {line.split(":")[0] for line in owners.splitlines()}
        assert packages & depends, (soname, packages, depends)
    assert "libcurl4" in depends and "libssl3" in depends
    curl_owner = subprocess.run(["dpkg", "-S", "*/libcurl.so.4"], capture_output=True, text=True).stdout
    assert "libcurl4:" in curl_owner
    # Debian's places: compressed man pages that render, completions where bash, zsh and fish look.
    page = tmp_path / "usr/share/man/man1/credctl.creds.export.1.gz"
    proc = subprocess.run(["man", "-l", str(page)], env={**os.environ, "MANPAGER": "cat"}, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "" and "--format" in proc.stdout
    for path in ("usr/share/bash-completion/completions/credctl", "usr/share/zsh/vendor-completions/_credctl",
                 "usr/share/fish/vendor_completions.d/credctl.fish", "usr/share/doc/credctl/copyright"):
        assert (tmp_path / path).is_file(), path
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    assert all(" root/root " in line for line in listing.splitlines())


# --- the figures the docs give -----------------------------------------------------------------

def test_docs_figures_are_those_of_the_build(installed):
    """Sizes, counts and lists the docs state are checked against what was built, not typed once."""
    prefix = installed[0]
    size_mb = (prefix / "bin/credctl").stat().st_size / 1e6
    for doc in ("README.md", "docs/install.md"):
        stated = re.search(r"stripped: about (\d+) MB", (ROOT / doc).read_text())
        assert stated, f"{doc} states the binary's size as 'stripped: about N MB'"
        assert abs(size_mb - int(stated.group(1))) <= 0.15 * int(stated.group(1)), \
            f"{doc} says about {stated.group(1)} MB; the stripped binary is {size_mb:.1f} MB"
    pages = len(list((prefix / "share/man/man1").iterdir()))
    stated = re.search(r"\((\d+) today\)", (ROOT / "docs/install.md").read_text())
    assert stated and int(stated.group(1)) == pages, f"docs/install.md counts {stated and stated.group(1)} man pages; {pages} are installed"
    # The export formats: the README's list and creds.md's table are the command's own values.
    info = json.loads(subprocess.run([str(prefix / "bin/credctl"), "creds", "export", "--experimental-dump-help"],
                                     capture_output=True, text=True, check=True).stdout)["command"]
    formats = next(a["allValues"] for a in info["arguments"] if a.get("valueName") == "format")
    listed = re.search(r"`credctl creds export --format ([a-z|\\-]+)`", (ROOT / "README.md").read_text()).group(1)
    assert sorted(listed.replace("\\", "").split("|")) == sorted(formats)
    creds = (ROOT / "docs/creds.md").read_text()
    table = creds[creds.index("| format | output |"):].split("\n\n")[0]
    assert sorted(re.findall(r"^\| `([a-z-]+)`", table, re.M)) == sorted(formats)
