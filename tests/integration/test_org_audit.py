"""`credctl keys audit --org` against an organisation of 44 accounts in moto (moto_org.py): the
findings equal an independent boto3 walk's; broken accounts are reported and the others audited;
through a proxy that limits IAM to 20 requests a second, adaptive retry mode finishes with the
same findings and no failed account.

The organisation is built once per test session in its own moto server (about 7 s; the ground
truth's sequential walk takes about as long)."""
import csv
import io
import json
import os
import time

import pytest

from fault_proxy import FaultProxy
from moto_org import OTHER_ROLE, ClockMoto, build_org, client, ground_truth
from rate_proxy import RateLimitProxy
from terminal import on_terminal


@pytest.fixture(scope="session")
def org(tmp_path_factory):
    moto = ClockMoto(tmp_path_factory.mktemp("org-moto"))
    try:
        started = time.monotonic()
        built = build_org(moto)
        built.build_seconds = time.monotonic() - started
        yield built
    finally:
        moto.stop()


@pytest.fixture(scope="session")
def truth(org):
    return ground_truth(org, max_age_days=90, unused_days=30)


def org_client(org, service):
    return client(org.url, service, org.admin_key_id, org.admin_secret)


def findings_of(doc):
    return {(f["AccountId"], f["UserName"], f["AccessKeyId"], f["Finding"], f["Detail"]) for f in doc["Findings"]}


def statuses(doc):
    return {a["AccountId"]: a["Status"] for a in doc["Accounts"]}


def audit(credctl, org, *args, env=None, timeout=120):
    return credctl("keys", "audit", "--org", "--max-age", "90d", "--unused", "30d", *args, env=env or org.env(), timeout=timeout)


def test_findings_equal_an_independent_boto3_walk(credctl, org, truth):
    r = audit(credctl, org, "--output", "json", "--concurrency", "16")
    assert r.code == 1, r
    doc = json.loads(r.out)
    assert findings_of(doc) == truth["findings"]
    assert len(truth["findings"]) > 100
    assert {k["AccessKeyId"] for k in doc["Keys"]} == truth["keys"]
    assert doc["UsersChecked"] == truth["users"] == 3 + 1 + 40 * 10
    accounts = {a["AccountId"]: a for a in doc["Accounts"]}
    assert len(accounts) == len(org.accounts) == 44
    assert {a for a, s in statuses(doc).items() if s == "Failed"} == truth["failed"] == {org.no_role, org.denied}
    assert {a for a, s in statuses(doc).items() if s == "Skipped"} == truth["skipped"] == {org.closed}
    assert {a for a, s in statuses(doc).items() if s == "Audited"} == truth["audited"]
    # The broken accounts say why; the suspended one was never entered.
    assert "AccessDenied" in accounts[org.denied]["Error"] and "iam:ListUsers" in accounts[org.denied]["Error"]
    # moto answers the first IAM call of a session in a role that does not exist with an HTML 500.
    assert accounts[org.no_role]["Error"].startswith("iam:GenerateCredentialReport: InternalFailure: HTTP 500")
    assert accounts[org.closed]["Error"] == "account is SUSPENDED" and accounts[org.closed]["EnteredAs"] is None
    assert all(k["AccountId"] != org.closed for k in doc["Keys"])
    assert {k["AccessKeyId"] for k in doc["Keys"]} == {k for k, plan in org.keys.items() if plan[0] != org.closed} | {org.admin_key_id}
    # Each account says how its keys were read.
    for account, a in accounts.items():
        if a["Status"] != "Audited":
            continue
        if account in org.no_report:
            assert a["Method"] == "per-user" and "AccessDenied" in a["MethodNote"], a
        else:
            assert a["Method"] == "credential-report" and a["MethodNote"] is None, a
    assert accounts[org.management]["EnteredAs"] == "caller credentials"
    member = next(a for a in accounts if a not in (org.management, org.no_role, org.denied, org.closed))
    assert accounts[member]["EnteredAs"] == f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
    assert org.admin_secret not in r.out + r.err


def test_table_groups_by_account_with_a_summary(credctl, org, truth):
    r = audit(credctl, org)
    assert r.code == 1, r
    lines = r.out.splitlines()
    assert lines[-1] == (f"44 accounts: 41 audited, 2 failed, 1 skipped (not active); {truth['users']} users and "
                         f"{len(truth['keys'])} keys checked; {len(truth['findings'])} findings")
    assert f"{org.closed} closed: skipped: account is SUSPENDED" in lines
    assert any(line.startswith(f"{org.denied} denied: FAILED: iam:ListUsers: AccessDenied") for line in lines)
    no_report = sorted(org.no_report)[0]
    header = next(i for i, line in enumerate(lines) if line.startswith(f"{no_report} "))
    assert "via per-user calls" in lines[header]
    assert lines[header + 1].startswith("  credential report not used: iam:GenerateCredentialReport: AccessDenied")
    # Every finding is listed under its account's line.
    listed, account = set(), None
    for line in lines:
        if line and not line.startswith(" "):
            account = line.split()[0]
        elif line.startswith("  ") and line.split()[0] != "USER" and not line.startswith("  credential report"):
            user, key, kind = line.split()[:3]
            listed.add((account, user, key, kind))
    assert listed == {f[:4] for f in truth["findings"]}


def test_csv_for_spreadsheets(credctl, org, truth):
    r = audit(credctl, org, "--output", "csv")
    assert r.code == 1, r
    rows = list(csv.DictReader(io.StringIO(r.out)))
    keys = [row for row in rows if row["AccessKeyId"]]
    assert {row["AccessKeyId"] for row in keys} == truth["keys"] and len(keys) == len(truth["keys"])
    from_csv = {(row["AccountId"], row["UserName"], row["AccessKeyId"], kind)
                for row in keys for kind in row["Findings"].split(";") if kind}
    assert from_csv == {f[:4] for f in truth["findings"]}
    others = {row["AccountId"]: (row["AccountStatus"], row["Detail"]) for row in rows if not row["AccessKeyId"]}
    assert others[org.closed] == ("Skipped", "account is SUSPENDED")
    assert others[org.denied][0] == others[org.no_role][0] == "Failed"
    # (Lines end CRLF, as RFC 4180 says; the harness reads text with universal newlines.)
    assert r.out.startswith("AccountId,AccountName,AccountStatus,UserName,AccessKeyId,KeyStatus,CreateDate,AgeDays,"
                            "LastUsedDate,LastUsedService,LastUsedRegion,Findings,Detail\n")


def test_chosen_accounts_only_and_unknown_ids_reported(credctl, org, truth):
    member = sorted(a for a in truth["audited"] if a != org.management)[0]
    r = audit(credctl, org, "--accounts", f"{member}, 999999999999", "--output", "json")
    assert r.code == 1, r
    doc = json.loads(r.out)
    assert [(a["AccountId"], a["Status"]) for a in doc["Accounts"]] == [(member, "Audited"), ("999999999999", "Failed")]
    assert doc["Accounts"][1]["Error"] == "not an account of this organisation (ListAccounts does not list it)"
    assert findings_of(doc) == {f for f in truth["findings"] if f[0] == member}


def test_exit_4_only_when_no_account_could_be_audited(credctl, org):
    r = audit(credctl, org, "--accounts", f"{org.denied},{org.closed}", "--output", "json")
    assert r.code == 4, r
    assert r.err.endswith("credctl: error: no account could be audited\n")
    assert statuses(json.loads(r.out)) == {org.denied: "Failed", org.closed: "Skipped"}
    # One account audited without findings, next to a failed one: exit 1, never a clean pass.
    r = audit(credctl, org, "--accounts", f"{org.no_role},{org.denied}", "--role-name", OTHER_ROLE, "--output", "json")
    assert r.code == 1, r
    doc = json.loads(r.out)
    assert statuses(doc) == {org.no_role: "Audited", org.denied: "Failed"}
    assert doc["Accounts"][0]["EnteredAs"] == f"arn:aws:iam::{org.no_role}:role/{OTHER_ROLE}"
    assert doc["UsersChecked"] == 0 and doc["Findings"] == []


def test_session_name_and_external_id_reach_assume_role(credctl, org):
    with FaultProxy(type("M", (), {"port": org.moto.port})()) as proxy:
        r = audit(credctl, org, "--accounts", org.denied, "--session-name", "audit-42", "--external-id", "ext-id-1234",
                  "--output", "json", env=org.env(AWS_ENDPOINT_URL=proxy.url))
        assert r.code == 4, r
        assume = [req for req in proxy.server.requests if b"Action=AssumeRole" in req["body"]]
        assert len(assume) == 1
        body = assume[0]["body"].decode()
        assert "RoleSessionName=audit-42" in body and "ExternalId=ext-id-1234" in body
        assert f"RoleArn=arn%3Aaws%3Aiam%3A%3A{org.denied}%3Arole%2FOrganizationAccountAccessRole" in body
    assert "assumed-role/OrganizationAccountAccessRole/audit-42" in json.loads(r.out)["Accounts"][0]["Error"]


@pytest.mark.parametrize("args,message", [
    (["--concurrency", "0"], "--concurrency must be from 1 to 64"),
    (["--concurrency", "65"], "--concurrency must be from 1 to 64"),
    (["--accounts", "12345"], "'12345' is not an account id (12 digits)"),
    (["--accounts", "12345678901a"], "'12345678901a' is not an account id (12 digits)"),
    (["--accounts", ","], "--accounts needs at least one account id"),
    (["--role-name", "bad role"], "--role-name 'bad role' is not a role name (1-64 letters, digits and +=,.@_-, optionally after a path)"),
    (["--role-name", "x" * 65], f"--role-name '{'x' * 24}…' is not a role name (1-64 letters, digits and +=,.@_-, optionally after a path)"),
    (["--user", "bob"], "--org audits every user of every account: leave out --user and --all-users"),
    (["--all-users"], "--org audits every user of every account: leave out --user and --all-users"),
])
def test_bad_org_options_exit_2_before_any_call(credctl, args, message):
    env = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "x" * 40,
           "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_REGION": "us-east-1"}
    r = credctl("keys", "audit", "--org", *args, env=env)
    assert r.code == 2, r
    assert r.err.startswith(f"credctl: error: {message}\n") and r.out == ""


@pytest.mark.parametrize("flag,value", [("--role-name", "R"), ("--accounts", "123456789012"), ("--concurrency", "4"),
                                        ("--external-id", "ext-id-1234"), ("--session-name", "s1")])
def test_org_options_need_org(credctl, flag, value):
    r = credctl("keys", "audit", flag, value, env={"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert r.code == 2, r
    assert r.err.startswith(f"credctl: error: {flag} applies only with --org\n") and r.out == ""


def test_concurrency_is_one_limit_across_accounts_and_users(credctl, org, truth):
    with RateLimitProxy(org.moto.port, latency=0.02) as proxy:
        r = audit(credctl, org, "--concurrency", "3", "--output", "json", env=org.env(AWS_ENDPOINT_URL=proxy.url))
        assert r.code == 1, r
        assert proxy.max_in_flight == 3
    assert findings_of(json.loads(r.out)) == truth["findings"]


def test_progress_on_a_terminal(org):
    """accounts done, users checked, rate and ETA on stderr when it is a terminal; cleared at the end."""
    with RateLimitProxy(org.moto.port, latency=0.03) as proxy:
        env = dict(org.env(AWS_ENDPOINT_URL=proxy.url), HOME="/nonexistent", PATH=os.environ["PATH"], AWS_EC2_METADATA_DISABLED="true")
        code, out, text = on_terminal(["keys", "audit", "--org", "--concurrency", "4", "--output", "json"], env)
    assert code == 1, text
    lines = [part.replace("\x1b[K", "") for part in text.split("\r") if part.startswith("accounts ")]
    assert lines, text
    assert any(" users/s · ETA " in line for line in lines), lines[-5:]
    # The 43 accounts entered (the suspended one is not), then a cleared line.
    assert lines[-1].startswith("accounts 43/43 · users 404/404 · "), lines[-1]
    assert text.endswith("\r\x1b[K")
    assert json.loads(out)["UsersChecked"] == 404


def test_adaptive_mode_finishes_under_a_20_per_second_iam_limit(credctl, org, truth):
    """IAM limited to 20 calls a second (a bucket of 20): adaptive mode backs off to the limit and
    every account is audited, with the same findings."""
    with RateLimitProxy(org.moto.port, rate=20) as proxy:
        started = time.monotonic()
        r = audit(credctl, org, "--concurrency", "16", "--output", "json", env=org.env(AWS_ENDPOINT_URL=proxy.url, AWS_RETRY_MODE="adaptive"),
                  timeout=300)
        elapsed = time.monotonic() - started
        assert r.code == 1, r
        doc = json.loads(r.out)
        assert findings_of(doc) == truth["findings"]
        assert {a for a, s in statuses(doc).items() if s != "Audited"} == {org.no_role, org.denied, org.closed}
        assert proxy.throttled["iam"] > 0, "the limit was never reached: the test proves nothing"
        calls = proxy.forwarded["iam"]
        floor = calls / 20
        print(f"\n{calls} IAM calls admitted, {proxy.throttled['iam']} throttled, {elapsed:.1f} s (floor {floor:.1f} s)")
        # The limiter backs off to the limit: few calls are refused (timing is the benchmark's
        # business, not a test's).
        assert proxy.throttled["iam"] < calls / 4


def test_debug_output_shows_no_secret(credctl, org, truth):
    member = sorted(a for a in truth["audited"] if a != org.management)[0]
    r = audit(credctl, org, "--accounts", member, "--debug", "--output", "json")
    assert r.code == 1, r
    assert "debug: > X-Amz-Security-Token: <redacted>" in r.err   # the assumed role's calls
    assert org.admin_secret not in r.out + r.err
    assert "SecretAccessKey" not in r.err and "SessionToken" not in r.err


def test_a_caller_that_may_not_list_accounts_exits_4_with_nothing_printed(credctl, org):
    iam = org_client(org, "iam")
    name = "no-org-" + str(int(time.time() * 1000))
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["sts:*", "iam:*"], "Resource": "*"}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    r = audit(credctl, org, env=org.env(AWS_ACCESS_KEY_ID=key["AccessKeyId"], AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"]))
    assert r.code == 4, r
    assert r.out == ""
    assert r.err.startswith(f"credctl: error: organizations:ListAccounts: AccessDenied: User: arn:aws:iam::{org.management}:user/{name} "
                            "is not authorized to perform: organizations:ListAccounts"), r.err
    assert key["SecretAccessKey"] not in r.err
