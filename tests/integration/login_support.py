"""What the `login_session` tests share: the fake sign-in service's fixture, a session cached as
`aws login` leaves it (a P-256 key made with `cryptography`, SEC1 PEM as awscrt writes it),
and botocore's LoginProvider run in its own process."""
import base64
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fake_signin import SAME_DEVICE, SESSION_ARN, FakeSignIn, b64url, jwk_thumbprint

LOGIN_CONFIG = f"""[profile dev]
login_session = {SESSION_ARN}
region = us-east-1
"""


@pytest.fixture
def fake_signin():
    with FakeSignIn() as fake:
        yield fake


def utc(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cache_dir(home):
    return Path(home) / ".aws" / "login" / "cache"


def cache_path(home, session=SESSION_ARN, directory=None):
    """<cache>/<sha256 of the session name>.json"""
    return Path(directory or cache_dir(home)) / (hashlib.sha256(session.encode()).hexdigest() + ".json")


def thumbprint_of_pem(pem):
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    numbers = key.public_key().public_numbers()
    return jwk_thumbprint({"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")), "y": b64url(numbers.y.to_bytes(32, "big"))})


def new_pem():
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


def seed_session(home, fake, expires_in=900, session=SESSION_ARN, directory=None, pem=None, **overrides):
    """A cached session as `aws login` writes it, whose refresh token the fake accepts. Returns
    the document."""
    pem = pem or new_pem()
    creds = fake.synthetic_credentials()
    fake.issued.append(creds)
    doc = {
        "accessToken": dict(creds, accountId=session.split(":")[4], expiresAt=utc(time.time() + expires_in)),
        "tokenType": "aws_sigv4",
        "clientId": SAME_DEVICE,
        "refreshToken": fake.seed(thumbprint_of_pem(pem)),
        "idToken": fake.id_token(),
        "dpopKey": pem,
    }
    doc.update(overrides)
    path = cache_path(home, session, directory)
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
    print(json.dumps({"method": c.method, "access_key": f.access_key, "secret_key": f.secret_key, "token": f.token,
                      "account_id": f.account_id}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
"""


def botocore_credentials(home, profile, env=None):
    """botocore's credentials for `profile`, resolved in a fresh process with HOME = `home`."""
    full = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}
    full.update(env or {})
    proc = subprocess.run([sys.executable, "-c", BOTOCORE_CREDENTIALS, profile], env=full, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def credctl_credentials(credctl, profile, env):
    """credctl's credentials for `profile` (creds export --format process), as a dict like botocore's."""
    r = credctl("creds", "export", "--profile", profile, "--format", "process", env=env)
    assert r.code == 0, r
    doc = json.loads(r.out)
    return {"access_key": doc["AccessKeyId"], "secret_key": doc["SecretAccessKey"], "token": doc.get("SessionToken"),
            "account_id": doc.get("AccountId")}


def keys(d):
    """The credentials and the account id they belong to (botocore reads it from the session)."""
    return {k: d[k] for k in ("access_key", "secret_key", "token", "account_id")}
