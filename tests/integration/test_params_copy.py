"""`params copy` keeps what Parameter Store keeps beside a value (issue 23 #19): the tier (an
Advanced parameter of 6 KB copies), a SecureString's KMS key, the description, the data type,
and with `--tags` the tags; what it cannot keep (parameter policies) is named in `NotKept`.
Checked against moto with boto3's DescribeParameters and ListTagsForResource on the destination."""
import json
import uuid

import pytest


@pytest.fixture
def root():
    return f"/C{uuid.uuid4().hex[:10]}"


@pytest.fixture
def ssm(moto):
    return moto.client("ssm")


def described(ssm, path):
    pages = ssm.get_paginator("describe_parameters").paginate(
        ParameterFilters=[{"Key": "Path", "Option": "Recursive", "Values": [path]}])
    return {p["Name"][len(path):]: p for page in pages for p in page["Parameters"]}


def seed(ssm, src):
    big = "x" * 6000                 # over Standard's 4 KB: only an Advanced parameter holds it
    ssm.put_parameter(Name=f"{src}/BIG", Value=big, Type="String", Tier="Advanced", Description="the big one")
    ssm.put_parameter(Name=f"{src}/DB/PASSWORD", Value="s3cret", Type="SecureString", KeyId="alias/app-key",
                      Description="db password", Tags=[{"Key": "team", "Value": "data"}, {"Key": "env", "Value": "staging"}])
    ssm.put_parameter(Name=f"{src}/AMI", Value="ami-0123456789abcdef0", Type="String", DataType="aws:ec2:image")
    ssm.put_parameter(Name=f"{src}/PLAIN", Value="v", Type="String")
    return big


def test_copy_keeps_tier_key_description_data_type_and_tags(credctl, admin_env, ssm, root):
    src, dst = f"{root}/STAGING", f"{root}/PRODUCTION"
    big = seed(ssm, src)
    dry = credctl("params", "copy", src, dst, "--tags", "--dry-run", "--output", "json", env=admin_env)
    assert dry.code == 0, dry
    assert {i["Name"][len(dst):]: i["Action"] for i in json.loads(dry.out)} == {
        "/AMI": "would create", "/BIG": "would create", "/DB/PASSWORD": "would create", "/PLAIN": "would create"}
    assert described(ssm, dst) == {}
    r = credctl("params", "copy", src, dst, "--tags", "--output", "json", env=admin_env)
    assert r.code == 0, r
    assert all(i["NotKept"] is None for i in json.loads(r.out)), r.out
    source, copied = described(ssm, src), described(ssm, dst)
    assert set(copied) == set(source) == {"/AMI", "/BIG", "/DB/PASSWORD", "/PLAIN"}
    for name in copied:
        for field in ("Type", "Tier", "KeyId", "Description", "DataType"):
            assert copied[name].get(field) == source[name].get(field), (name, field, copied[name], source[name])
    assert copied["/BIG"]["Tier"] == "Advanced" and copied["/DB/PASSWORD"]["KeyId"] == "alias/app-key"
    assert ssm.get_parameter(Name=f"{dst}/BIG")["Parameter"]["Value"] == big
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=f"{dst}/DB/PASSWORD")["TagList"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "staging"), ("team", "data")]
    assert "s3cret" not in r.err


def test_without_tags_none_are_written_and_key_id_replaces_the_key(credctl, admin_env, ssm, root):
    src, dst = f"{root}/S", f"{root}/D"
    seed(ssm, src)
    r = credctl("params", "copy", src, dst, "--key-id", "alias/prod-key", env=admin_env)
    assert r.code == 0, r
    copied = described(ssm, dst)
    assert copied["/DB/PASSWORD"]["KeyId"] == "alias/prod-key" and copied["/BIG"]["Tier"] == "Advanced"
    assert "KeyId" not in copied["/PLAIN"]
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=f"{dst}/DB/PASSWORD")["TagList"] == []


def test_an_overwrite_keeps_the_attributes_too(credctl, admin_env, ssm, root):
    """Existing destination parameters with other values, --overwrite: the new version has the
    source's tier and description (tags added with AddTagsToResource, as SSM requires)."""
    src, dst = f"{root}/S", f"{root}/D"
    seed(ssm, src)
    ssm.put_parameter(Name=f"{dst}/BIG", Value="small", Type="String")
    refused = credctl("params", "copy", src, dst, env=admin_env)
    assert refused.code == 2 and "already exist with other values" in refused.err, refused
    assert ssm.get_parameter(Name=f"{dst}/BIG")["Parameter"]["Value"] == "small"
    r = credctl("params", "copy", src, dst, "--overwrite", "--tags", env=admin_env)
    assert r.code == 0, r
    assert described(ssm, dst)["/BIG"]["Tier"] == "Advanced" and described(ssm, dst)["/BIG"]["Description"] == "the big one"
