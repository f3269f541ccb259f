"""An AWS Organization in moto for `keys audit --org`, and the ground truth an independent boto3
walk computes for it. Used by test_org_audit.py and scripts/bench_org.py.

moto decides the account from the credentials: credentials assumed into
`arn:aws:iam::ACCOUNT:role/...` act in ACCOUNT. So the organisation is built the way a real one
is used: the management account creates the member accounts (Organizations CreateAccount, which
in moto also creates `OrganizationAccountAccessRole` in each), then everything inside an account
is made with credentials assumed into it. Key ages and last uses come from moto itself, with
its IAM clock set back while a key is made or used (moto_clock.py).

The layout (seeded, the same every run):
- the management account: the caller (`admin`) and 3 users;
- `members` accounts with `users` users each, each user with 0-2 keys of assorted ages, states
  and last uses; in 5 of them the role may not read the credential report (per-user calls);
- `no-role`: created with another role name (`SomeOtherRole`, allowed everything), so
  `OrganizationAccountAccessRole` is missing (moto lets AssumeRole succeed anyway, as it does not
  check roles; the first IAM call then fails);
- `denied`: the role exists but its policy denies everything (AccessDenied);
- `closed`: populated with old keys, then closed (SUSPENDED): skipped, its keys never read.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import botocore.config
import requests

HERE = Path(__file__).resolve().parent
ROLE = "OrganizationAccountAccessRole"
OTHER_ROLE = "SomeOtherRole"
DAY = 86400
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
NO_REPORT = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": ["iam:GenerateCredentialReport", "iam:GetCredentialReport"], "Resource": "*"}]})
DENY_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]})

# (days since the key was made, Active?, days since it was last used or None for never)
KEY_KINDS = [(200, True, 1), (120, True, 100), (95, True, None), (60, True, 40), (60, True, None), (45, True, 31),
             (10, True, 2), (10, True, None), (3, True, 0), (150, False, 120), (40, False, None), (0, True, None)]


class ClockMoto:
    """moto_server (moto_clock.py) on a free port, authentication off until `enable_auth`."""

    def __init__(self, workdir):
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.clock_file = Path(workdir) / "iam-clock"
        self.clock_file.write_text("0")
        self.log = open(Path(workdir) / "moto.log", "w")
        env = dict(os.environ, MOTO_CLOCK_FILE=str(self.clock_file), INITIAL_NO_AUTH_ACTION_COUNT="inf",
                   MOTO_ALLOW_NONEXISTENT_REGION="true")
        self.proc = subprocess.Popen([sys.executable, str(HERE / "moto_clock.py"), "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                requests.get(self.url + "/moto-api/", timeout=0.5)
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("moto_clock.py did not start")

    def days_ago(self, days):
        """Sets IAM's clock `days` back (0: now)."""
        self.clock_file.write_text(str(days * DAY))

    def enable_auth(self):
        """From now on every call must be signed by known credentials and allowed by IAM policy."""
        requests.post(self.url + "/moto-api/reset-auth", data="0").raise_for_status()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def client(url, service, key_id="AKIAIOSFODNN7EXAMPLE", secret="x" * 40, token=None, retries=None):
    cfg = botocore.config.Config(retries=retries or {"mode": "standard", "max_attempts": 3}, max_pool_connections=32)
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id=key_id,
                        aws_secret_access_key=secret, aws_session_token=token, config=cfg)


def assumed(url, sts, account, service="iam", role=ROLE):
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="setup")["Credentials"]
    return client(url, service, c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


class Org:
    """What build_org made: the caller's key, the accounts by kind, every key planned."""

    def __init__(self, moto):
        self.moto = moto
        self.url = moto.url
        self.admin_key_id = self.admin_secret = None
        self.management = None
        self.accounts = {}        # id -> name
        self.no_report = set()    # ids whose role may not read the credential report
        self.no_role = self.denied = self.closed = None
        self.keys = {}            # key id -> (account, user, created days, active, used days)
        self.users = {}           # account -> [user names]

    def env(self, **extra):
        return dict({"AWS_ACCESS_KEY_ID": self.admin_key_id, "AWS_SECRET_ACCESS_KEY": self.admin_secret,
                     "AWS_ENDPOINT_URL": self.url, "AWS_REGION": "us-east-1"}, **extra)


def build_org(moto, members=40, users=10, seed=20, broken=True):
    """Builds the organisation described above in `moto` (a fresh ClockMoto); returns an Org.
    `broken=False` leaves out the `no-role`, `denied` and `closed` accounts (for benchmarks)."""
    rng = random.Random(seed)
    org = Org(moto)
    url = moto.url
    orgs = client(url, "organizations")
    org.management = orgs.create_organization(FeatureSet="ALL")["Organization"]["MasterAccountId"]
    iam0 = client(url, "iam")
    iam0.create_user(UserName="admin")
    iam0.put_user_policy(UserName="admin", PolicyName="admin", PolicyDocument=ALLOW_ALL)
    key = iam0.create_access_key(UserName="admin")["AccessKey"]
    org.admin_key_id, org.admin_secret = key["AccessKeyId"], key["SecretAccessKey"]
    org.accounts[org.management] = "master"

    def create(name, role=None):
        status = orgs.create_account(AccountName=name, Email=f"{name}@example.com", **({"RoleName": role} if role else {}))
        account = status["CreateAccountStatus"]["AccountId"]
        org.accounts[account] = name
        return account

    member_ids = [create(f"member-{i:02d}") for i in range(members)]
    if broken:
        org.no_role = create("no-role", role=OTHER_ROLE)
        org.denied = create("denied")
        org.closed = create("closed")
    org.no_report = set(member_ids[3:8])

    sts = client(url, "sts", org.admin_key_id, org.admin_secret)
    iam_of = {org.management: iam0}
    if broken:
        assumed(url, sts, org.no_role, role=OTHER_ROLE).put_role_policy(RoleName=OTHER_ROLE, PolicyName="access", PolicyDocument=ALLOW_ALL)
    for account in member_ids + ([org.denied, org.closed] if broken else []):
        iam_of[account] = assumed(url, sts, account)
        iam_of[account].put_role_policy(RoleName=ROLE, PolicyName="access",
                                        PolicyDocument=NO_REPORT if account in org.no_report else ALLOW_ALL)

    # Users and their keys, planned first so that each clock setting is visited once.
    plan = []   # (account, user, created days, active, used days)
    populated = [(org.management, 3)] + [(a, users) for a in member_ids] + ([(org.closed, 3)] if broken else [])
    for account, count in populated:
        org.users[account] = []
        for u in range(count):
            name = f"user-{u:02d}"
            org.users[account].append(name)
            n = rng.choice([0, 1, 1, 2, 2])
            kinds = sorted(rng.sample(KEY_KINDS, n), key=lambda k: -k[0])  # older key first, as it was made
            if account == org.closed:
                kinds = [(300, True, None)]
            plan += [(account, name) + k for k in kinds]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda au: iam_of[au[0]].create_user(UserName=au[1]),
                      [(a, u) for a, names in org.users.items() for u in names]))
        made = {}
        for days in sorted({p[2] for p in plan}, reverse=True):
            moto.days_ago(days)
            batch = [p for p in plan if p[2] == days]
            keys = list(pool.map(lambda p: iam_of[p[0]].create_access_key(UserName=p[1])["AccessKey"], batch))
            for p, k in zip(batch, keys):
                made[k["AccessKeyId"]] = (p, k["SecretAccessKey"])
        moto.days_ago(0)
        inactive = [(k, p) for k, (p, _) in made.items() if not p[3]]
        list(pool.map(lambda kp: iam_of[kp[1][0]].update_access_key(UserName=kp[1][1], AccessKeyId=kp[0], Status="Inactive"), inactive))
        for days in sorted({p[4] for p, _ in made.values() if p[4] is not None}, reverse=True):
            moto.days_ago(days)
            used = [(k, s) for k, (p, s) in made.items() if p[4] == days]
            # Any call signed with a key marks it used (service "sts" here), before moto checks permissions.
            list(pool.map(lambda ks: client(url, "sts", ks[0], ks[1]).get_caller_identity(), used))
        moto.days_ago(0)
    for k, (p, _) in made.items():
        org.keys[k] = p
    if broken:
        iam_of[org.denied].put_role_policy(RoleName=ROLE, PolicyName="access", PolicyDocument=DENY_ALL)
        orgs.close_account(AccountId=org.closed)
    moto.enable_auth()
    return org


def ground_truth(org, max_age_days=90, unused_days=30, url=None, now=None):
    """The findings of an independent, sequential boto3 walk: every active account, entered as
    credctl would (the caller's own account with its credentials), users from ListUsers, keys
    from ListAccessKeys, last use from GetAccessKeyLastUsed. Returns a dict."""
    url = url or org.url
    now = now or time.time()
    orgs = client(url, "organizations", org.admin_key_id, org.admin_secret)
    sts = client(url, "sts", org.admin_key_id, org.admin_secret)
    caller = sts.get_caller_identity()["Account"]
    truth = {"findings": set(), "keys": set(), "users": 0, "failed": set(), "skipped": set(), "audited": set()}
    accounts = [a for page in orgs.get_paginator("list_accounts").paginate() for a in page["Accounts"]]
    for account in accounts:
        if account["Status"] != "ACTIVE":
            truth["skipped"].add(account["Id"])
            continue
        try:
            if account["Id"] == caller:
                iam = client(url, "iam", org.admin_key_id, org.admin_secret)
            else:
                iam = assumed(url, sts, account["Id"])
            findings, keys, count = set(), set(), 0
            for page in iam.get_paginator("list_users").paginate():
                for user in page["Users"]:
                    count += 1
                    for key in iam.list_access_keys(UserName=user["UserName"])["AccessKeyMetadata"]:
                        keys.add(key["AccessKeyId"])
                        last = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"].get("LastUsedDate")
                        if key["Status"] != "Active":
                            continue
                        created = int(key["CreateDate"].timestamp())
                        ident = (account["Id"], user["UserName"], key["AccessKeyId"])
                        if int(now) - created > max_age_days * DAY:
                            findings.add(ident + ("too-old", f"{(int(now) - created) // DAY} days old (limit {max_age_days})"))
                        if last is not None:
                            used = int(last.timestamp())
                            if int(now) - used > unused_days * DAY:
                                findings.add(ident + ("unused", f"last used {(int(now) - used) // DAY} days ago (limit {unused_days})"))
                        elif int(now) - created > unused_days * DAY:
                            findings.add(ident + ("unused", f"never used in the {(int(now) - created) // DAY} days since it was created (limit {unused_days})"))
            truth["findings"] |= findings
            truth["keys"] |= keys
            truth["users"] += count
            truth["audited"].add(account["Id"])
        except Exception as e:  # noqa: BLE001 - an account that cannot be entered is reported, as credctl does
            truth["failed"].add(account["Id"])
    return truth


if __name__ == "__main__":
    # python3 tests/integration/moto_org.py: builds the organisation once and prints its size.
    work = tempfile.mkdtemp()
    m = ClockMoto(work)
    try:
        started = time.time()
        o = build_org(m)
        print(f"built {len(o.accounts)} accounts, {len(o.keys)} keys in {time.time() - started:.1f} s")
        started = time.time()
        t = ground_truth(o)
        print(f"ground truth: {len(t['findings'])} findings, {t['users']} users, {len(t['keys'])} keys, "
              f"failed {sorted(t['failed'])}, skipped {sorted(t['skipped'])} in {time.time() - started:.1f} s")
    finally:
        m.stop()
        shutil.rmtree(work)
