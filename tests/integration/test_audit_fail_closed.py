"""An audit never passes what it could not read (issue 23 #16): a `CreateDate` or `LastUsedDate`
that is there but is not a date, an active key without `CreateDate`, a credential report row
credctl cannot read. Single-account commands exit 4 naming the field (docs/exit-codes.md: a 2xx
answer that cannot be read); `keys audit --org` marks the account `Incomplete` (or reads it per
user when only the report is unreadable) and never exits 0 for it."""
import base64
import json
import re
import urllib.parse

import pytest

from fake_servers import RecordingServer
from fault_proxy import FaultProxy
from test_keys import DAY, KEYS, FakeIAM, iso
from test_org_audit import audit, org, statuses  # noqa: F401  (the organisation fixture)

SECRET = "auditSECRETauditSECRETauditSECRET0000000"


class HostileIAM(FakeIAM):
    """FakeIAM whose answers carry `create` (key id -> raw CreateDate, None: no element) and
    `used` (key id -> raw LastUsedDate) as given."""

    def __init__(self, users, create=None, used=None):
        super().__init__(users)
        self.create, self.used = create or {}, used or {}

    def respond(self, handler, index):
        status, headers, body = super().respond(handler, index)
        text = body.decode()
        for key, raw in self.create.items():
            text = re.sub(rf"(<AccessKeyId>{key}</AccessKeyId><Status>\w+</Status>)<CreateDate>[^<]*</CreateDate>",
                          (rf"\1<CreateDate>{raw}</CreateDate>" if raw is not None else r"\1"), text)
        form = {k: v[0] for k, v in urllib.parse.parse_qs(handler.server_ref.requests[index]["body"].decode()).items()}
        if form.get("Action") == "GetAccessKeyLastUsed" and form["AccessKeyId"] in self.used:
            text = re.sub(r"<LastUsedDate>[^<]*</LastUsedDate>", f"<LastUsedDate>{self.used[form['AccessKeyId']]}</LastUsedDate>", text)
        return status, headers, text.encode()


def run(credctl, iam, *args):
    with RecordingServer(iam.respond) as server:
        env = {"AWS_ACCESS_KEY_ID": "AKIAQALICEOLD0000001", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_REGION": "us-east-1",
               "AWS_ENDPOINT_URL": server.url}
        return credctl(*args, env=env)


AUDIT = ["keys", "audit", "--all-users", "--max-age", "90d", "--unused", "30d"]
UNREADABLE = [
    ({"create": {"AKIAQBOBFRESH0000001": "yesterday"}}, AUDIT,
     "iam:ListAccessKeys: unreadable response: CreateDate 'yesterday' is not a date"),
    ({"create": {"AKIAQBOBFRESH0000001": "2024-13-45T99:00:00Z"}}, AUDIT,
     "iam:ListAccessKeys: unreadable response: CreateDate '2024-13-45T99:00:00Z' is not a date"),
    ({"create": {"AKIAQBOBFRESH0000001": "\x1b[2J"}}, AUDIT,
     "iam:ListAccessKeys: unreadable response: CreateDate '\\u{1b}[2J' is not a date"),
    ({"create": {"AKIAQBOBFRESH0000001": None}}, AUDIT,
     "iam:ListAccessKeys: unreadable response: no CreateDate for the active key AKIAQBOBFRESH0000001: its age cannot be judged"),
    ({"used": {"AKIAQCAROLUNUSED0001": "last tuesday"}}, AUDIT,
     "iam:GetAccessKeyLastUsed: unreadable response: LastUsedDate 'last tuesday' is not a date"),
    ({"create": {"AKIAQBOBFRESH0000001": "soon"}}, ["keys", "list", "--user", "bob"],
     "iam:ListAccessKeys: unreadable response: CreateDate 'soon' is not a date"),
    ({"create": {"AKIAQALICEOLD0000001": "soon"}}, ["keys", "validate", "--max-age", "90d"],
     "iam:ListAccessKeys: unreadable response: CreateDate 'soon' is not a date"),
]


@pytest.mark.parametrize("hostile, args, message", UNREADABLE, ids=[m.split(": ")[-1][:40] for _, _, m in UNREADABLE])
def test_a_field_that_cannot_be_read_is_never_a_clean_pass(credctl, hostile, args, message):
    r = run(credctl, HostileIAM(KEYS, **hostile), *args)
    assert r.code == 4, r
    assert r.out == "", r
    assert r.err.splitlines()[0] == f"credctl: error: {message}", r
    assert SECRET not in r.err + r.out


def test_an_inactive_key_without_a_date_is_still_audited(credctl):
    """No age is needed for a key the audit does not judge; the rest are judged as before."""
    r = run(credctl, HostileIAM(KEYS, create={"AKIAQALICEIDLE000002": None}), *AUDIT, "--output", "json")
    assert r.code == 1, r
    findings = {(f["AccessKeyId"], f["Finding"]) for f in json.loads(r.out)["Findings"]}
    assert findings == {("AKIAQALICEOLD0000001", "too-old"), ("AKIAQCAROLUNUSED0001", "unused"), ("AKIAQCAROLNEVER00002", "unused")}


def rewrite_xml_dates(body):
    return re.sub(rb"<CreateDate>[^<]*</CreateDate>", b"<CreateDate>not-a-date</CreateDate>", body)


def test_org_account_with_an_unreadable_create_date_is_incomplete_and_not_a_pass(credctl, org):
    member = next(a for a in org.accounts if a not in (org.no_role, org.denied, org.closed))
    with FaultProxy(type("M", (), {"port": org.moto.port})()) as proxy:
        proxy.add("ListAccessKeys", "rewrite", times=1000, rewrite=rewrite_xml_dates)
        r = audit(credctl, org, "--accounts", member, "--output", "json", env=org.env(AWS_ENDPOINT_URL=proxy.url))
    assert r.code == 1, r
    doc = json.loads(r.out)
    assert statuses(doc) == {member: "Incomplete"}, doc["Accounts"]
    error = doc["Accounts"][0]["Error"]
    assert "users could not be read: iam:ListAccessKeys: unreadable response: CreateDate 'not-a-date' is not a date" in error, error
    assert all(k["AccountId"] != member or k["CreateDate"] for k in doc["Keys"])


def garble_report(body):
    """The credential report's CSV with every data row's first key slot made unreadable."""
    content = re.search(rb"<Content>([^<]*)</Content>", body).group(1)
    lines = base64.b64decode(content).decode().split("\n")
    header = lines[0].split(",")
    rotated = header.index("access_key_1_last_rotated")
    rows = [lines[0]]
    for line in lines[1:]:
        fields = line.split(",")
        if len(fields) == len(header) and fields[0] != "<root_account>":
            fields[rotated] = "whenever"
        rows.append(",".join(fields))
    garbled = base64.b64encode("\n".join(rows).encode())
    return body.replace(content, garbled)


def test_an_unreadable_credential_report_is_not_taken_as_no_keys(credctl, org):
    """Every user's first key slot unreadable: the report is not used (it would have shown no
    keys), the account is read per user instead and its findings are the same as without it."""
    member = next(a for a in org.accounts if a not in (org.no_role, org.denied, org.closed))
    plain = audit(credctl, org, "--accounts", member, "--output", "json")
    with FaultProxy(type("M", (), {"port": org.moto.port})()) as proxy:
        proxy.add("GetCredentialReport", "rewrite", times=1000, rewrite=garble_report)
        r = audit(credctl, org, "--accounts", member, "--output", "json", env=org.env(AWS_ENDPOINT_URL=proxy.url))
    assert r.code == plain.code, r
    doc, expected = json.loads(r.out), json.loads(plain.out)
    account = doc["Accounts"][0]
    assert account["Status"] == "Audited" and account["Method"] == "per-user", account
    assert "access_key_1_last_rotated is not a date" in account["MethodNote"], account
    assert {(f["UserName"], f["AccessKeyId"], f["Finding"]) for f in doc["Findings"]} == \
        {(f["UserName"], f["AccessKeyId"], f["Finding"]) for f in expected["Findings"]}
    assert doc["UsersChecked"] == expected["UsersChecked"] and len(doc["Keys"]) == len(expected["Keys"])
