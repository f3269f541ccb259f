"""Issue 13, finding 4: every name credctl writes into a shared file is checked first.

A profile name holding `]` and a newline would open a second section (`x]\\n[prod`); a space at
either end would be trimmed; a `[` would be read as another header. Every command that writes a
profile name — `setup user --profile-name`, `vault add` (the config line it writes), `rotate --to
profile:` — refuses such a name with exit 2, before any call: the files are byte for byte as they
were and nothing is created in IAM."""
import json
import subprocess
import uuid

import pytest

HOSTILE_NAMES = [
    "x]\n[prod",                      # the instance of the finding: a second [prod] section
    "x]\ncredential_process = /tmp/evil\n[y",
    "a]b", "[a", "a b", " lead", "trail ", "tab\tname", "new\nline", "cr\rname", "nul\0name",
    "é", "x" * 256, "", "semi;colon", "hash#name", "eq=name",
]
MESSAGE = "is not a profile name credctl writes: use 1 to 255 letters, digits and - / . % @ _ : +"

FILES = {
    "credentials": "# mine\n[default]\naws_access_key_id = AKIAEXAMPLEDEFAULT00\naws_secret_access_key = keep-me\n",
    "config": "[default]\nregion = eu-west-1\n",
}


@pytest.fixture
def aws_files(home):
    aws = home / ".aws"
    aws.mkdir()
    for name, text in FILES.items():
        (aws / name).write_text(text)
    return aws


def unchanged(aws):
    return sorted(p.name for p in aws.iterdir()) == sorted(FILES) and all((aws / n).read_text() == t for n, t in FILES.items())


def run_raw(home, args, env, stdin=b""):
    """argv may hold any byte but NUL; a NUL name is passed where the shell would cut it."""
    full = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true", **env}
    from conftest import BINARY
    return subprocess.run([str(BINARY), *args], env=full, input=stdin, capture_output=True, timeout=30)


def ids(names):
    return [repr(n)[:24] for n in names]


@pytest.mark.parametrize("name", [n for n in HOSTILE_NAMES if "\0" not in n], ids=ids([n for n in HOSTILE_NAMES if "\0" not in n]))
def test_setup_user_refuses_the_profile_name_and_creates_nothing(moto, home, aws_files, admin_env, name):
    user = "n-" + uuid.uuid4().hex[:10]
    r = run_raw(home, ["setup", "user", user, "--template", "rotate-own-key", "--profile-name", name], admin_env)
    assert r.returncode == 2, r
    err = r.stderr.decode()
    assert err.startswith("credctl: error: ") and len(err.splitlines()) <= 2, err
    assert MESSAGE in err or "Missing value" in err or "profile-name" in err, err
    assert unchanged(aws_files)
    assert user not in [u["UserName"] for u in moto.client("iam").list_users()["Users"]]


@pytest.mark.parametrize("name", [n for n in HOSTILE_NAMES if "\0" not in n and n], ids=ids([n for n in HOSTILE_NAMES if "\0" not in n and n]))
def test_vault_add_refuses_the_profile_name_and_writes_nothing(home, aws_files, name):
    r = run_raw(home, ["vault", "add", name], {"CREDCTL_VAULT_PASSPHRASE": "correct horse battery staple"},
                stdin=b"AKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    assert r.returncode == 2, r
    assert MESSAGE in r.stderr.decode(), r.stderr
    assert unchanged(aws_files)


@pytest.mark.parametrize("name", [n for n in HOSTILE_NAMES if "\0" not in n], ids=ids([n for n in HOSTILE_NAMES if "\0" not in n]))
def test_rotate_to_a_hostile_profile_name_exits_2_before_any_call(home, aws_files, name):
    r = run_raw(home, ["rotate", "--user", "u", "--to", f"profile:{name}", "--yes"],
                {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "x" * 40, "AWS_REGION": "us-east-1",
                 "AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert r.returncode == 2, r
    err = r.stderr.decode()
    assert err.startswith("credctl: error: --to profile: ") and MESSAGE in err, err
    assert unchanged(aws_files)


# `sso sync` writes names and values the portal sends: a hostile role name must not open a section.
from sso_support import SESSION_CONFIG, fake_sso, seed_token, write_config  # noqa: E402,F401 (fixture)


@pytest.mark.parametrize("role", ["Admin\n[profile evil]\ncredential_process = /tmp/evil", "Admin\r\nregion = x", " Admin"],
                         ids=["newline-section", "crlf-key", "leading-space"])
def test_sso_sync_skips_what_the_portal_sends_that_a_file_cannot_hold(credctl, home, fake_sso, role):
    """The hostile role is skipped and reported, in --dry-run and the real run alike; the other
    role is written; no section or key of the hostile value reaches the file."""
    fake_sso.accounts = [{"accountId": "111111111111", "accountName": "Production", "emailAddress": "p@example.com",
                          "roles": ["ReadOnly", role]}]
    config = write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    runs = {}
    for mode in ("--dry-run", None):
        r = credctl("sso", "sync", "--profile", "dev", "--output", "json", *([mode] if mode else []), env=fake_sso.env())
        assert r.code == 0, r
        runs[mode] = {p["RoleName"]: p["Action"] for p in json.loads(r.out)["Profiles"]}
    assert runs["--dry-run"]["ReadOnly"] == "would add" and runs[None]["ReadOnly"] == "added"
    assert runs["--dry-run"][role] == runs[None][role], runs
    assert runs[None][role].startswith("skipped: the value of sso_role_name "), runs
    text = config.read_text()
    assert text.startswith(SESSION_CONFIG) and text.count("[profile ") == SESSION_CONFIG.count("[profile ") + 1
    assert "[profile Production.ReadOnly]" in text and "evil" not in text and "region = x" not in text
