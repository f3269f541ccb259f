"""Large parameter trees read in parallel (DescribeParameters, then GetParameters ten names a
call, at once) where the permissions allow, else page after page with GetParametersByPath; the
same values either way, SecureStrings decrypted; the plan said on stderr. Against moto, with
policies that deny one call or the other."""
import json
import uuid

import pytest

from rate_proxy import RateLimitProxy

TYPES = ["SecureString", "String", "StringList"]


@pytest.fixture(scope="module")
def tree(moto):
    """137 parameters under /BULKxxxx, three levels deep, every type; 55 directly under /BULKxxxx/FLAT."""
    ssm = moto.client("ssm")
    root = f"/BULK{uuid.uuid4().hex[:8]}"
    names = [f"{root}/APP{a}/{kind}/P{n:02d}" for a in range(3) for kind in ("DB", "API") for n in range(12)]
    names += [f"{root}/FLAT/V{n:02d}" for n in range(55)] + [f"{root}/FLAT/DEEPER/X"] + [f"{root}/TOP"]
    for i, name in enumerate(names):
        type_ = TYPES[i % 3]
        value = f"secret ü '{i}' = \"{name}\"\nline2" if type_ == "SecureString" else (f"a,b,{i}" if type_ == "StringList" else f"v{i}")
        ssm.put_parameter(Name=name, Value=value, Type=type_)
    return root


def sequential(moto, path, recursive):
    """What boto3 reads page after page, with names relative to the path."""
    ssm = moto.client("ssm")
    pages = ssm.get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=recursive, WithDecryption=True)
    return {p["Name"][len(path) + 1:]: p["Value"] for page in pages for p in page["Parameters"]}


def user_env(moto, policy):
    iam = moto.client("iam")
    name = "bulk-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": policy}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
            "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": "us-east-1"}


def counted(credctl, moto, env, *args):
    """Runs credctl through a proxy that counts the calls by action."""
    with RateLimitProxy(moto.port) as proxy:
        r = credctl(*args, env=dict(env, AWS_ENDPOINT_URL=proxy.url))
    return r, proxy.actions


def test_large_tree_read_in_parallel_equals_the_sequential_read(credctl, moto, admin_env, tree):
    r, calls = counted(credctl, moto, admin_env, "params", "get-path", tree, "--recursive", "--output", "json")
    assert r.code == 0, r
    got = json.loads(r.out)
    assert got == sequential(moto, tree, True) and len(got) == 129
    assert any("secret ü" in v for v in got.values())
    assert r.err == f"credctl: note: read {tree}: 129 parameters with DescribeParameters, then GetParameters in parallel\n"
    # 5 pages (50 parameters), the names (moto pages DescribeParameters 10 at a time where AWS
    # gives 50: 13 pages), then the 79 others ten a call.
    assert calls == {"GetParametersByPath": 5, "DescribeParameters": 13, "GetParameters": 8}


def test_one_level_and_export(credctl, moto, admin_env, tree):
    r = credctl("params", "get-path", f"{tree}/FLAT", "--output", "json", env=admin_env)
    assert r.code == 0, r
    assert json.loads(r.out) == sequential(moto, f"{tree}/FLAT", False) and len(json.loads(r.out)) == 55
    assert "GetParameters in parallel" in r.err
    r = credctl("params", "export", f"{tree}/FLAT", "--format", "json", env=admin_env)
    assert r.code == 0, r
    assert json.loads(r.out) == {k: v for k, v in sequential(moto, f"{tree}/FLAT", False).items()}


def test_small_trees_are_read_page_after_page_without_a_note(credctl, moto, admin_env, tree):
    r, calls = counted(credctl, moto, admin_env, "params", "get-path", f"{tree}/APP0", "--recursive", "--output", "json")
    assert r.code == 0, r
    assert json.loads(r.out) == sequential(moto, f"{tree}/APP0", True) and len(json.loads(r.out)) == 24
    assert r.err == "" and calls == {"GetParametersByPath": 3}


@pytest.mark.parametrize("denied", ["ssm:DescribeParameters", "ssm:GetParameters"])
def test_refused_parallel_plan_falls_back_to_get_parameters_by_path(credctl, moto, tree, denied):
    env = user_env(moto, [{"Effect": "Allow", "Action": ["ssm:*", "kms:Decrypt"], "Resource": "*"},
                          {"Effect": "Deny", "Action": denied, "Resource": "*"}])
    r, calls = counted(credctl, moto, env, "params", "get-path", tree, "--recursive", "--output", "json")
    assert r.code == 0, r
    assert json.loads(r.out) == sequential(moto, tree, True)
    assert r.err.startswith(f"credctl: note: read {tree}: 129 parameters with GetParametersByPath, page after page "
                            f"(the parallel plan was refused: {denied}: AccessDenied"), r.err
    assert env["AWS_SECRET_ACCESS_KEY"] not in r.err
    # The five first pages are not read again: 13 pages in all.
    assert calls["GetParametersByPath"] == 13
    assert calls.get("GetParameters", 0) <= 8 and calls.get("DescribeParameters", 0) <= 13

