"""What the IAM Identity Center tests share: the fake's fixture, config files, the shared token
cache as the AWS CLI v2 writes it, and botocore run in its own process (its SSO cache folder is
fixed when botocore is imported, from HOME, so it cannot run inside pytest's process)."""
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_sso import FakeSSO

START_URL = "https://example.awsapps.com/start"
SSO_REGION = "us-east-1"

SESSION_CONFIG = f"""[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
region = us-east-1

[sso-session corp]
sso_start_url = {START_URL}
sso_region = {SSO_REGION}
sso_registration_scopes = sso:account:access
"""

LEGACY_CONFIG = f"""[profile old]
sso_start_url = {START_URL}
sso_region = {SSO_REGION}
sso_account_id = 222222222222
sso_role_name = Admin
region = us-east-1
"""


@pytest.fixture
def fake_sso():
    with FakeSSO() as fake:
        yield fake


def utc(seconds):
    """A time as botocore and the AWS CLI v2 write it: %Y-%m-%dT%H:%M:%SZ."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def token_path(home, source):
    """~/.aws/sso/cache/<sha1 of the session name (or legacy start URL)>.json"""
    return Path(home) / ".aws" / "sso" / "cache" / (hashlib.sha1(source.encode()).hexdigest() + ".json")


def registration_path(home, session_name, scopes, start_url=START_URL, region=SSO_REGION):
    """The AWS CLI v2's registration cache file for a session."""
    args = {"tool": "botocore", "startUrl": start_url, "region": region, "scopes": scopes, "session_name": session_name}
    return Path(home) / ".aws" / "sso" / "cache" / (hashlib.sha1(json.dumps(args, sort_keys=True).encode()).hexdigest() + ".json")


def seed_token(home, fake, source="corp", expires_in=3600, refreshable=True, registration_lifetime=None, start_url=START_URL,
               region=SSO_REGION, server_lifetime=None):
    """A token in the shared cache as `aws sso login` leaves it, valid at the fake (for
    `server_lifetime` seconds, default `expires_in`, at least a minute so an expired one can still
    be told apart from an unknown one). Returns the token document."""
    client_id, secret, reg_expires = fake.register(lifetime=registration_lifetime)
    access, refresh = fake.issue(start_url, client_id, lifetime=server_lifetime or max(expires_in, 60), refresh=refreshable)
    doc = {"startUrl": start_url, "region": region, "accessToken": access, "expiresAt": utc(time.time() + expires_in)}
    if refreshable:
        doc.update({"clientId": client_id, "clientSecret": secret, "registrationExpiresAt": utc(reg_expires), "refreshToken": refresh})
    path = token_path(home, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    path.chmod(0o600)
    return doc


def write_config(home, text):
    aws = Path(home) / ".aws"
    aws.mkdir(exist_ok=True)
    (aws / "config").write_text(text)
    return aws / "config"


BOTOCORE_CREDENTIALS = """
import json, sys
import botocore.session
try:
    c = botocore.session.Session(profile=sys.argv[1] or None).get_credentials()
    if c is None:
        print(json.dumps({"method": None}))
        sys.exit(0)
    f = c.get_frozen_credentials()
    print(json.dumps({"method": c.method, "access_key": f.access_key, "secret_key": f.secret_key, "token": f.token}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
"""


def botocore_credentials(home, profile, env=None):
    """botocore's credentials for `profile` (given explicitly, as --profile; "" to leave the choice
    to AWS_PROFILE), resolved in a fresh process with HOME = `home`."""
    full = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}
    full.update(env or {})
    proc = subprocess.run([sys.executable, "-c", BOTOCORE_CREDENTIALS, profile], env=full, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def moto_role_credentials(moto, role_arn):
    """A role-credentials function for the fake that hands out real moto credentials (an
    assumed role), one set per account and role."""
    issued = {}

    def credentials(account_id, role_name):
        key = (account_id, role_name)
        if key not in issued:
            c = moto.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=f"sso-{role_name}")["Credentials"]
            issued[key] = {"accessKeyId": c["AccessKeyId"], "secretAccessKey": c["SecretAccessKey"], "sessionToken": c["SessionToken"],
                           "expiration": int(c["Expiration"].timestamp() * 1000)}
        return issued[key]
    credentials.issued = issued
    return credentials


def secrets_of(fake, home):
    """Every secret the fake handed out and every secret in the shared token cache: none may
    appear in credctl's output."""
    found = set(fake.tokens) | set(fake.refresh_tokens) | {c["secret"] for c in fake.clients.values()}
    cache = Path(home) / ".aws" / "sso" / "cache"
    for f in cache.glob("*.json") if cache.exists() else []:
        doc = json.loads(f.read_text())
        for k in ("accessToken", "refreshToken", "clientSecret"):
            if doc.get(k):
                found.add(doc[k])
    return found
