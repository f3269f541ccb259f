"""credctl's credential resolution against botocore's, on generated combinations of shared files,
profiles and environment variables. Both resolve the same setup; the winning provider (or the
fact of an error) must agree. Roles are assumed for real against moto.

Deliberate difference, not generated here: with both AWS_PROFILE and AWS_DEFAULT_PROFILE set,
botocore takes AWS_DEFAULT_PROFILE and credctl (like the AWS CLI v2) AWS_PROFILE.
"""
import json
import os
import random
import sys
from unittest import mock

import botocore.session
import pytest

from conftest import write_aws_files

PROFILES = ["default", "a", "b", "c"]
SCENARIOS = 120

BOTOCORE_METHOD = {"env": "environment", "assume-role": "assume-role", "shared-credentials-file": "shared-credentials-file",
                   "custom-process": "credential-process", "config-file": "config-file"}


def config_section(name):
    return "[default]" if name == "default" else f"[profile {name}]"


def generate(rng, moto, role_arn, ok_script, failing_script):
    key = f"aws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n"
    credentials, config = [], []
    for name in PROFILES:
        c = rng.choice(["none", "none", "keys", "keys", "partial"])
        if c == "keys":
            credentials.append(f"[{name}]\n{key}")
        elif c == "partial":
            credentials.append(f"[{name}]\naws_access_key_id = {moto.admin_key_id}\n")
        k = rng.choice(["none", "keys", "role", "role", "role-env", "role-both", "role-neither", "process", "process-fail", "region"])
        body = {
            "none": None,
            "keys": key,
            "role": f"role_arn = {role_arn}\nsource_profile = {rng.choice(PROFILES)}\n",
            "role-env": f"role_arn = {role_arn}\ncredential_source = Environment\n",
            "role-both": f"role_arn = {role_arn}\nsource_profile = a\ncredential_source = Environment\n",
            "role-neither": f"role_arn = {role_arn}\n",
            "process": f"credential_process = {ok_script}\n",
            "process-fail": f"credential_process = {failing_script}\n",
            "region": "region = us-east-1\n",
        }[k]
        if body is not None:
            config.append(f"{config_section(name)}\n{body}")
    env = {}
    e = rng.choice(["none", "none", "full", "id-only", "secret-only"])
    if e in ("full", "id-only"):
        env["AWS_ACCESS_KEY_ID"] = moto.admin_key_id
    if e in ("full", "secret-only"):
        env["AWS_SECRET_ACCESS_KEY"] = moto.admin_secret
    existing = [n for n in PROFILES if any(s.startswith(f"[{n}]") or s.startswith(config_section(n)) for s in credentials + config)]
    if rng.random() < 0.4:
        env["AWS_PROFILE"] = rng.choice(existing or ["default"])
    flag = rng.choice(existing) if existing and rng.random() < 0.4 else None
    return "\n".join(credentials), "\n".join(config), env, flag


def botocore_resolution(home, env, flag):
    full = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}
    full.update(env)
    with mock.patch.dict(os.environ, full, clear=True):
        try:
            session = botocore.session.Session(profile=flag)
            credentials = session.get_credentials()
        except Exception as error:  # every botocore failure counts as "an error"
            return ("error", type(error).__name__)
    if credentials is None:
        return ("none", None)
    return ("found", BOTOCORE_METHOD.get(credentials.method, credentials.method))


def credctl_resolution(credctl, env, flag, moto):
    args = ["creds", "show", "--no-cache", "--output", "json"] + (["--profile", flag] if flag else [])
    r = credctl(*args, env=dict(env, AWS_ENDPOINT_URL=moto.url))
    if r.code == 0:
        return ("found", json.loads(r.out)["Credentials"]["Provider"]), r
    if r.code == 3 and "no AWS credentials found" in r.err:
        return ("none", None), r
    assert r.code in (2, 3), r
    return ("error", r.code), r


def test_resolution_matches_botocore(credctl, moto, roles, home, tmp_path):
    ok_script = tmp_path / "ok.py"
    ok_script.write_text(f"#!{sys.executable}\nimport json\nprint(json.dumps({{'Version': 1, 'AccessKeyId': '{moto.admin_key_id}', "
                         f"'SecretAccessKey': '{moto.admin_secret}'}}))\n")
    failing_script = tmp_path / "fail.py"
    failing_script.write_text(f"#!{sys.executable}\nimport sys\nsys.stderr.write('nope')\nsys.exit(1)\n")
    for s in (ok_script, failing_script):
        s.chmod(0o755)
    rng = random.Random(20261123)
    outcomes = {}
    mismatches = []
    for i in range(SCENARIOS):
        credentials, config, env, flag = generate(rng, moto, roles["r1"], ok_script, failing_script)
        write_aws_files(home, config, credentials)
        expected = botocore_resolution(home, env, flag)
        actual, result = credctl_resolution(credctl, env, flag, moto)
        outcomes[expected[0] if expected[0] != "found" else expected[1]] = outcomes.get(expected[0] if expected[0] != "found" else expected[1], 0) + 1
        same = expected[0] == actual[0] and (expected[0] != "found" or expected[1] == actual[1])
        if not same:
            mismatches.append(f"scenario {i}: botocore {expected}, credctl {actual}\nflag={flag} env={sorted(env)}\n"
                              f"[credentials]\n{credentials}\n[config]\n{config}\n{result.err}")
    assert not mismatches, "\n\n".join(mismatches[:3]) + f"\n({len(mismatches)} of {SCENARIOS} differ)"
    # The generator must reach every kind of outcome, or the comparison proves little.
    for kind in ("environment", "assume-role", "shared-credentials-file", "credential-process", "config-file", "error", "none"):
        assert outcomes.get(kind, 0) > 0, outcomes
