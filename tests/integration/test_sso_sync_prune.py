"""`credctl sso sync --prune`: the profiles an earlier sync wrote whose account or role is gone are
removed — only those sync wrote and nobody edited, planned and shown with --dry-run — every other
byte kept; botocore still reads the file."""
import copy
import json

from fake_sso import DEFAULT_ACCOUNTS
from sso_support import SESSION_CONFIG, botocore_credentials, fake_sso, seed_token, write_config  # noqa: F401

USER = "\n# mine\n[profile mine]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = Developer\nregion = us-east-1\n"


def sync(credctl, fake, *args):
    return credctl("sso", "sync", "--profile", "dev", *args, env=fake.env())


def test_prune_removes_only_what_sync_wrote_and_is_gone(credctl, home, fake_sso):
    config = write_config(home, SESSION_CONFIG + USER)
    seed_token(home, fake_sso)
    first = sync(credctl, fake_sso)
    assert first.code == 0, first
    after_first = config.read_text()
    # dev, mine, and the 8 pairs but Production.Admin (covered by dev) and Sandbox.Developer (by mine)
    assert after_first.count("[profile ") == 2 + 8 - 2
    # Someone edits one profile sync wrote: it is theirs now.
    edited = after_first.replace("sso_role_name = Billing\nregion = us-east-1\n", "sso_role_name = Billing\nregion = us-east-1\noutput = json\n")
    assert edited != after_first
    config.write_text(edited)
    # Access changes: Sandbox is gone, Production loses ReadOnly.
    accounts = copy.deepcopy(DEFAULT_ACCOUNTS[:2])
    accounts[0]["roles"] = ["Admin"]
    fake_sso.accounts = accounts

    plain = sync(credctl, fake_sso, "--output", "json")
    assert plain.code == 0 and json.loads(plain.out)["Pruned"] == [] and config.read_text() == edited

    dry = sync(credctl, fake_sso, "--prune", "--dry-run", "--output", "json")
    assert dry.code == 0, dry
    gone = ["Production.ReadOnly", "Sandbox.Admin", "Sandbox.PowerUser", "Sandbox.ReadOnly"]
    doc = json.loads(dry.out)
    assert [p["Name"] for p in doc["Pruned"]] == gone and {p["Action"] for p in doc["Pruned"]} == {"would remove: access gone"}
    assert doc["Written"] is False and config.read_text() == edited
    table = sync(credctl, fake_sso, "--prune", "--dry-run")
    assert "4 profile(s) would be removed" in table.out and "would remove: access gone" in table.out

    r = sync(credctl, fake_sso, "--prune", "--output", "json")
    assert r.code == 0, r
    assert [p["Name"] for p in json.loads(r.out)["Pruned"]] == gone and json.loads(r.out)["Written"] is True
    text = config.read_text()
    for name in gone:
        assert f"[profile {name}]" not in text
    # What stays: the user's profiles (one points where access is gone), the edited one, the live ones.
    assert text.startswith(SESSION_CONFIG + USER)
    for name in ("Staging-Env.Admin", "Sandbox.Billing"):
        assert f"[profile {name}]" in text
    assert "output = json" in text and "\n\n\n" not in text
    assert botocore_credentials(home, "Staging-Env.Admin", fake_sso.env())["method"] == "sso"
    again = sync(credctl, fake_sso, "--prune", "--output", "json")
    assert again.code == 0 and json.loads(again.out)["Pruned"] == [] and config.read_text() == text


def test_a_block_left_empty_loses_its_comment(credctl, home, fake_sso):
    config = write_config(home, SESSION_CONFIG)
    seed_token(home, fake_sso)
    fake_sso.accounts = copy.deepcopy(DEFAULT_ACCOUNTS[1:2])  # Staging only
    assert sync(credctl, fake_sso).code == 0
    assert "# Added by credctl sso sync" in config.read_text()
    fake_sso.accounts = []
    r = sync(credctl, fake_sso, "--prune")
    assert r.code == 0, r
    assert config.read_text() == SESSION_CONFIG


def test_another_sessions_profiles_are_not_touched(credctl, home, fake_sso):
    other = SESSION_CONFIG.replace("[sso-session corp]", "[sso-session other]").replace("[profile dev]", "[profile odev]") \
        .replace("sso_session = corp", "sso_session = other")
    written_for_other = ("\n# Added by credctl sso sync from sso-session other (https://example.awsapps.com/start)\n"
                         "[profile Old.Admin]\nsso_session = other\nsso_account_id = 999999999999\nsso_role_name = Admin\nregion = us-east-1\n")
    original = SESSION_CONFIG + "\n" + other + written_for_other
    config = write_config(home, original)
    seed_token(home, fake_sso)
    fake_sso.accounts = []
    r = sync(credctl, fake_sso, "--prune", "--output", "json")
    assert r.code == 0 and json.loads(r.out)["Pruned"] == [], r
    assert config.read_text() == original
