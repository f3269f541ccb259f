"""moto_server whose GetSessionToken issues credentials that work.

moto 5 answers GetSessionToken with fixed example keys (AKIAIOSFODNN7EXAMPLE…) that its own
signature checking then refuses, so nothing signed with a session could be tested against it.
This launcher wraps three moto functions, nothing else:

- GetSessionToken, called with an IAM user's key, returns fresh ASIA credentials tied to that
  user (random id, secret and token; the requested duration);
- moto's access-key lookup for signature checking knows those credentials: the request must be
  signed with the session's secret and carry its token, and it acts as the user (the user's
  policies apply);
- GetCallerIdentity with them names the user, as AWS does.

    [MOTO_SESSIONS_LOG=/tmp/calls.jsonl] python3 moto_sessions.py -H 127.0.0.1 -p PORT

With MOTO_SESSIONS_LOG set, each GetSessionToken call appends one JSON line (caller key id,
DurationSeconds, SerialNumber, TokenCode), so tests can count calls and see MFA parameters.
"""
import datetime
import json
import os
import secrets
import string
import sys

import moto.iam.access_control as access_control
import moto.sts.models as sts_models
import moto.sts.responses as sts_responses
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.iam.models import iam_backends

SESSIONS = {}  # session key id -> {"user", "secret", "token"}
LOG = os.environ.get("MOTO_SESSIONS_LOG")


def random_text(alphabet, n):
    return "".join(secrets.choice(alphabet) for _ in range(n))


class SessionAccessKey(access_control.IAMUserAccessKey):
    """A GetSessionToken key: signs as its user, with its own secret, only with its token."""

    def __init__(self, account_id, partition, access_key_id, headers):
        session = SESSIONS[access_key_id]
        self.account_id = account_id
        self.partition = partition
        self._owner_user_name = session["user"]
        self._access_key_id = access_key_id
        self._secret_access_key = session["secret"]
        self._session_token = session["token"]
        if headers.get("X-Amz-Security-Token") != session["token"]:
            raise access_control.CreateAccessKeyFailure(reason="InvalidToken")

    def create_credentials(self):
        return access_control.Credentials(self._access_key_id, self._secret_access_key, self._session_token)


real_create_access_key = access_control.create_access_key


def create_access_key(account_id, partition, access_key_id, headers):
    if access_key_id in SESSIONS:
        return SessionAccessKey(account_id, partition, access_key_id, headers)
    return real_create_access_key(account_id=account_id, partition=partition, access_key_id=access_key_id, headers=headers)


access_control.create_access_key = create_access_key

real_get_session_token = sts_responses.TokenResponse.get_session_token


def get_session_token(self):
    caller = self.get_access_key()
    user = iam_backends[self.current_account][self.partition].get_user_from_access_key_id(caller)
    if user is None:
        return real_get_session_token(self)
    duration = self._get_int_param("DurationSeconds", 43200)
    key_id = "ASIA" + random_text(string.ascii_uppercase + string.digits, 16)
    SESSIONS[key_id] = {"user": user.name, "secret": random_text(string.ascii_letters + string.digits + "/+", 40),
                        "token": random_text(string.ascii_letters + string.digits, 120)}
    if LOG:
        with open(LOG, "a") as f:
            f.write(json.dumps({"Caller": caller, "DurationSeconds": duration, "SerialNumber": self._get_param("SerialNumber"),
                                "TokenCode": self._get_param("TokenCode"), "AccessKeyId": key_id}) + "\n")
    return ActionResult({"Credentials": {
        "AccessKeyId": key_id, "SecretAccessKey": SESSIONS[key_id]["secret"], "SessionToken": SESSIONS[key_id]["token"],
        "Expiration": utcnow() + datetime.timedelta(seconds=duration)}})


sts_responses.TokenResponse.get_session_token = get_session_token

real_get_caller_identity = sts_models.STSBackend.get_caller_identity


def get_caller_identity(self, access_key_id, region):
    session = SESSIONS.get(access_key_id)
    if session:
        user = iam_backends[self.account_id][self.partition].get_user(session["user"])
        return user.id, user.arn, user.account_id
    return real_get_caller_identity(self, access_key_id, region)


sts_models.STSBackend.get_caller_identity = get_caller_identity

if __name__ == "__main__":
    from moto.server import main
    sys.exit(main())
