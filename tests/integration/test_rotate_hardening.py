"""Rotation under attack (issue 23, #1-#3, #5): an interrupted run's journal is a hint checked
against IAM, never proof — a key is blamed on that run only when it could be its; a damaged
journal is refused with nothing changed; every command a rotation runs has a time limit, is
read only while it lives and only as much as is kept; `--abandon` is the way out of a journal
whose command can never succeed; what a command prints never shows a secret credctl knows.

Through the binary against moto, with the World of test_rotate_destinations (a user whose key
is in a JSON secret and held by a loopback consumer)."""
import json
import subprocess
import sys
import time

import pytest

from conftest import BINARY
from test_rotate_destinations import World


@pytest.fixture
def world(moto, home, tmp_path):
    w = World(moto, home, tmp_path)
    yield w
    w.consumer.close()


def journal_path(w):
    return w.home / "state" / "rotation" / f"123456789012-{w.user}.json"


def write_journal(w, step="creating", started=None, new_key=None, keys_before=None, state="pending", requested=None, **fields):
    path = journal_path(w)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    requested = requested if requested is not None else [w.to_secret]
    doc = {"Version": 2, "Account": "123456789012", "User": w.user, "CredentialsFile": str(w.home / ".aws" / "credentials"),
           "Requested": requested, "VerifyCommand": False,
           "Destinations": [{"Destination": d, "State": state, "SecretVersionBefore": None,
                             "SecretVersionWritten": "11111111-2222-4333-8444-555555555555" if state != "pending" else None,
                             "ParameterVersionsBefore": None} for d in requested],
           "OldKeyId": w.old["AccessKeyId"], "KeysBefore": keys_before if keys_before is not None else [w.old["AccessKeyId"]],
           "NewKeyId": new_key, "KeepOldInactive": False, "Step": step,
           "Started": started or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 7200))}
    doc.update(fields)
    path.write_text(json.dumps(doc))
    path.chmod(0o600)
    return path.read_text()


# --- #1: a stale journal is not proof of authorship -------------------------------------------

def test_a_key_made_for_ci_after_the_run_died_is_not_deleted(credctl, world, moto):
    """The issue's instance: killed inside CreateAccessKey (journal at `creating`), then an
    administrator makes a key for CI, which CI uses. The next rotate refuses, names the key,
    deletes nothing; `--abandon` drops the journal and keeps the key."""
    w = world
    before = write_journal(w)
    ci = w.iam.create_access_key(UserName=w.user)["AccessKey"]
    assert w.works(ci["AccessKeyId"], ci["SecretAccessKey"])
    secret_before = w.secret_doc()
    r = credctl(*w.argv("--to", w.to_secret), env=w.env())
    assert r.code == 1, r
    assert f"credctl: error: the interrupted rotation of {w.user} did not make key {ci['AccessKeyId']} (it was created " in r.err
    assert "after the interrupted rotation (begun " in r.err and "it is not deleted. Nothing was changed." in r.err
    assert f"run credctl rotate --user {w.user} --abandon to drop the interrupted rotation" in r.err
    assert w.keys() == sorted([w.old["AccessKeyId"], ci["AccessKeyId"]]) and w.works(ci["AccessKeyId"], ci["SecretAccessKey"])
    assert journal_path(w).read_text() == before and w.secret_doc() == secret_before

    r = credctl("rotate", "--user", w.user, "--abandon", "--output", "json", env=w.env())
    assert r.code == 0, r
    assert json.loads(r.out) == {"User": w.user, "OldKeyId": w.old["AccessKeyId"], "DeletedKeys": [], "KeptKeys": [ci["AccessKeyId"]],
                                 "CommandsNotRun": []}
    assert w.keys() == sorted([w.old["AccessKeyId"], ci["AccessKeyId"]]) and not journal_path(w).exists()


def test_an_unused_key_made_while_the_run_could_have_made_it_is_the_runs_orphan(credctl, world):
    w = world
    write_journal(w, started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 5)))
    orphan = w.iam.create_access_key(UserName=w.user)["AccessKey"]
    r = credctl(*w.argv("--to", w.to_secret, "--to", w.to_exec), env=w.env(), timeout=60)
    assert r.code == 1 and "must be finished first" in r.err, r      # the journal asked for the secret only
    r = credctl(*w.argv("--to", w.to_secret), env=w.env(), timeout=60)
    assert r.code == 0, r
    assert f"deleted {orphan['AccessKeyId']}: created by the interrupted rotation" in r.err
    (only,) = w.keys()
    assert only not in (w.old["AccessKeyId"], orphan["AccessKeyId"]) and w.held_by_secret()[0] == only


# --- #2: a damaged journal is refused, nothing changed -----------------------------------------

DAMAGED = [
    ("no keys before, the old key as the new (the issue's)", dict(step="created", keys_before=[], state="writing"), "new_is_old",
     "the old key {old} is not among the keys it lists as existing before"),
    ("a new key at step creating", dict(step="creating"), "new_is_other", "it names a new key {other} at step 'creating'"),
    ("step written with a destination never written", dict(step="written", state="pending"), "new_is_other",
     "{secret}: state 'pending' at step 'written'"),
    ("a version no number can be", dict(Version=1e30), None, "is not a rotation journal credctl can read"),
    ("another user's journal", dict(User="someone-else"), None, "it is for user someone-else of account 123456789012"),
    ("a destination that was not asked for", dict(requested=["secretsmanager:other"]), None, None),
]


@pytest.mark.parametrize("fields,new_key,message", [d[1:] for d in DAMAGED], ids=[d[0] for d in DAMAGED])
def test_a_damaged_journal_is_refused_and_nothing_changes(credctl, world, fields, new_key, message):
    w = world
    other = w.iam.create_access_key(UserName=w.user)["AccessKey"]["AccessKeyId"]
    new = {"new_is_old": w.old["AccessKeyId"], "new_is_other": other, None: None}[new_key]
    text = write_journal(w, new_key=new, **fields)
    secret_before = w.secret_doc()
    r = credctl(*w.argv("--to", w.to_secret), env=w.env())
    assert r.code in (1, 2), r
    if message:
        assert message.format(old=w.old["AccessKeyId"], other=other, secret=w.to_secret) in r.err, r
        assert f"credctl: error: {journal_path(w)} is not a rotation journal credctl can" in r.err
    assert w.keys() == sorted([w.old["AccessKeyId"], other]), "no key was deleted or made"
    assert w.secret_doc() == secret_before and journal_path(w).read_text() == text


# --- #3: commands with no end ------------------------------------------------------------------

def hanging_script(tmp_path, hang_with_old_key_too=False):
    """An exec: command that hangs when given the new key (or any key), counting its runs."""
    script = tmp_path / "hang.py"
    script.write_text(
        "import json, os, sys, time\n"
        f"open({str(tmp_path / 'runs')!r}, 'a').write('run\\n')\n"
        "key = json.load(sys.stdin)\n"
        f"if {hang_with_old_key_too!r} or key['AccessKeyId'] != os.environ['OLD_KEY_ID']:\n"
        "    time.sleep(60)\n")
    return f"exec:python3 {script}", tmp_path / "runs"


def test_a_command_past_the_time_limit_is_ended_and_the_rotation_rolled_back(credctl, world, tmp_path):
    w = world
    to_hang, runs = hanging_script(tmp_path)
    r = credctl(*w.argv("--to", w.to_secret, "--to", to_hang, "--command-timeout", "1"), env=w.env(OLD_KEY_ID=w.old["AccessKeyId"]),
                timeout=60)
    assert r.code == 1, r
    assert f"credctl: error: could not deliver the new key to {to_hang[:45]}…: did not finish within 1 s (--command-timeout) and was ended" in r.err
    assert r.elapsed < 20, r.elapsed
    assert w.keys() == [w.old["AccessKeyId"]] and w.held_by_secret() == (w.old["AccessKeyId"], w.old["SecretAccessKey"])
    assert runs.read_text() == "run\nrun\n", "delivered once, then given the old key back"
    assert w.journals() == []


def test_abandon_is_the_way_out_of_a_command_that_never_ends(credctl, world, tmp_path):
    w = world
    to_hang, runs = hanging_script(tmp_path, hang_with_old_key_too=True)
    args = ("--to", w.to_secret, "--to", to_hang, "--command-timeout", "1")
    r = credctl(*w.argv(*args), env=w.env(OLD_KEY_ID=w.old["AccessKeyId"]), timeout=60)
    assert r.code != 0 and "did not finish within 1 s" in r.err, r
    assert len(w.keys()) == 2 and len(w.journals()) == 1, "the rollback could not give the command the old key: both keys kept"
    new_key = next(k for k in w.keys() if k != w.old["AccessKeyId"])
    assert r.elapsed < 30, r.elapsed
    # The rerun must name the same command, and it hangs again: --abandon does not run it.
    runs_before = runs.read_text()
    r = credctl("rotate", "--user", w.user, "--abandon", env=w.env(OLD_KEY_ID=w.old["AccessKeyId"]), timeout=60)
    assert r.code == 0, r
    assert f"not running {to_hang[:45]}… again: it may hold {new_key}; give it the old key {w.old['AccessKeyId']} yourself" in r.err
    assert f"deleted {new_key}: created by the abandoned rotation" in r.err
    assert runs.read_text() == runs_before
    assert w.keys() == [w.old["AccessKeyId"]] and w.held_by_secret() == (w.old["AccessKeyId"], w.old["SecretAccessKey"])
    assert w.journals() == []


def test_abandon_takes_only_the_user(credctl, world):
    r = credctl(*world.argv("--abandon", "--to", world.to_secret), env=world.env())
    assert r.code == 2 and "--abandon undoes the interrupted rotation its journal describes: give only --user" in r.err, r
    r = credctl("rotate", "--user", world.user, "--abandon", env=world.env())
    assert r.code == 1 and f"there is no interrupted rotation of {world.user} to abandon; nothing was changed" in r.err, r


def test_a_background_child_holding_the_output_does_not_hold_the_rotation(credctl, world):
    w = world
    r = credctl(*w.argv("--to", w.to_secret, "--to", "exec:(sleep 30 &); echo delivered"), env=w.env(), timeout=60)
    assert r.code == 0, r
    assert "exec:(sleep 30 &); echo delivered: delivered" in r.err
    assert r.elapsed < 20, r.elapsed


def test_sixty_four_megabytes_of_output_keep_memory_bounded(world, tmp_path):
    """The last lines are shown; credctl's peak memory stays far below the output's size."""
    w = world
    measure = ("import resource, subprocess, sys, json, time\n"
               "t = time.monotonic()\n"
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "print(json.dumps({'code': p.returncode, 'err': p.stderr, 'rss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
               " 'seconds': time.monotonic() - t}))\n")
    env = {"HOME": str(w.home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true", **w.env()}
    verify = "head -c 67108864 /dev/zero | tr '\\0' a; echo; echo the consumer works"
    proc = subprocess.run([sys.executable, "-c", measure, str(BINARY), *w.argv("--to", w.to_secret, "--verify-cmd", verify)],
                          env=env, capture_output=True, text=True, timeout=120)
    result = json.loads(proc.stdout)
    assert result["code"] == 0, result["err"][-2000:]
    assert "--verify-cmd: (only its last lines are shown)" in result["err"] and "--verify-cmd: the consumer works" in result["err"]
    assert len(result["err"]) < 200_000
    assert result["rss_kb"] < 150_000, result["rss_kb"]
    assert result["seconds"] < 30


# --- #5: what a command prints never shows a secret ---------------------------------------------

def test_verify_cmd_cat_does_not_print_the_new_secret(credctl, world):
    w = world
    r = credctl(*w.argv("--to", w.to_secret, "--to", "exec:cat", "--verify-cmd", "cat"), env=w.env(), timeout=60)
    assert r.code == 0, r
    new_id, new_secret = w.held_by_secret()
    assert new_secret not in r.err and new_secret.replace("/", "\\/") not in r.err and new_secret not in r.out
    assert f'--verify-cmd: {{"AccessKeyId":"{new_id}","SecretAccessKey":"***","UserName":"{w.user}"}}' in r.err
    assert w.moto.admin_secret not in r.err


def test_a_rollback_does_not_print_the_old_secret(credctl, world):
    w = world
    r = credctl(*w.argv("--to", w.to_secret, "--to", "exec:cat", "--verify-cmd", "cat; exit 3"), env=w.env(), timeout=60)
    assert r.code == 1, r
    assert f'exec:cat: {{"AccessKeyId":"{w.old["AccessKeyId"]}","SecretAccessKey":"***"' in r.err
    assert w.old["SecretAccessKey"] not in r.err and w.old["SecretAccessKey"].replace("/", "\\/") not in r.err
