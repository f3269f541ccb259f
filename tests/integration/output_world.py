"""One small AWS world for the output-contract walk (test_output_contract.py): moto with an
organisation (moto_org.py: two member accounts, a few users with keys of assorted ages), a role
to assume, parameters, a secret, a DynamoDB table with an item, and a fake IAM Identity Center
with a signed-in session. Every command of `credctl --experimental-dump-help` can run in it.
"""
import json
import time
import uuid
from pathlib import Path

from fake_sso import FakeSSO
from moto_org import ALLOW_ALL, ClockMoto, build_org, client
from sso_support import SESSION_CONFIG, seed_token

TRUST_ANYONE = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
PARAMS = "/contract/app"
SECRET = "contract/db"
TABLE = "contract-table"
PASSPHRASE = "contract passphrase"


class World:
    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.moto = ClockMoto(self.workdir)
        try:
            self.org = build_org(self.moto, members=2, users=2, seed=7, broken=False)
            self.url = self.moto.url
            self.sso = FakeSSO().__enter__()
            self._populate()
        except BaseException:
            self.moto.stop()
            raise

    def stop(self):
        self.sso.__exit__(None, None, None)
        self.moto.stop()

    def client(self, service):
        return client(self.url, service, self.org.admin_key_id, self.org.admin_secret)

    def env(self, **extra):
        return dict(self.org.env(), **extra)

    def _populate(self):
        iam = self.client("iam")
        self.role_arn = iam.create_role(RoleName="contract-role", AssumeRolePolicyDocument=TRUST_ANYONE)["Role"]["Arn"]
        iam.put_role_policy(RoleName="contract-role", PolicyName="all", PolicyDocument=ALLOW_ALL)
        ssm = self.client("ssm")
        ssm.put_parameter(Name=f"{PARAMS}/DB/USER", Value="app", Type="String", Description="the user")
        ssm.put_parameter(Name=f"{PARAMS}/DB/PASSWORD", Value="s3cret v1", Type="SecureString")
        ssm.put_parameter(Name=f"{PARAMS}/DB/PASSWORD", Value="s3cret v2", Type="SecureString", Overwrite=True)
        ssm.label_parameter_version(Name=f"{PARAMS}/DB/PASSWORD", ParameterVersion=2, Labels=["current"])
        sm = self.client("secretsmanager")
        sm.create_secret(Name=SECRET, SecretString=json.dumps({"username": "app", "password": "pw"}), Description="db",
                         Tags=[{"Key": "team", "Value": "data"}])
        ddb = self.client("dynamodb")
        ddb.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
        ddb.put_item(TableName=TABLE, Item={"id": {"S": "1"}, "n": {"N": "42"}, "tags": {"SS": ["a", "b"]}})

    # ---- what cases make for themselves ----

    def user_with_key(self):
        """A new IAM user allowed everything, with one key: (name, key id, secret)."""
        iam = self.client("iam")
        name = "c-" + uuid.uuid4().hex[:10]
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=ALLOW_ALL)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return name, key["AccessKeyId"], key["SecretAccessKey"]

    def old_key_id(self):
        """An active key of the management account, made more than 30 days ago."""
        return next(k for k, p in sorted(self.org.keys.items()) if p[0] == self.org.management and p[2] > 30 and p[3])

    def parameter(self, value="v"):
        name = f"/contract/tmp/{uuid.uuid4().hex[:10]}"
        self.client("ssm").put_parameter(Name=name, Value=value, Type="String")
        return name

    def secret(self):
        name = f"contract/tmp/{uuid.uuid4().hex[:10]}"
        self.client("secretsmanager").create_secret(Name=name, SecretString="x")
        return name

    def sso_home(self, home, login=False):
        """A config with the `dev` SSO profile and `corp` session; signed in unless `login`."""
        aws = Path(home) / ".aws"
        aws.mkdir(exist_ok=True)
        (aws / "config").write_text(SESSION_CONFIG)
        if login:
            self.sso.device_script = []
        else:
            seed_token(home, self.sso)
        return dict(self.sso.env(), AWS_REGION="us-east-1")

    def vault_env(self, home):
        return {"CREDCTL_VAULT_BACKEND": "file", "CREDCTL_VAULT_FILE": str(Path(home) / "vault.json"),
                "CREDCTL_VAULT_PASSPHRASE": PASSPHRASE, "AWS_ENDPOINT_URL": self.url, "AWS_REGION": "us-east-1"}

    def credentials_file(self, home, profile, key_id, secret):
        aws = Path(home) / ".aws"
        aws.mkdir(exist_ok=True)
        (aws / "credentials").write_text(f"[{profile}]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
        (aws / "credentials").chmod(0o600)
        return aws / "credentials"


def wait_until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
