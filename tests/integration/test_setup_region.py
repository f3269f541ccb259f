"""Profiles credctl makes work end to end: `setup user` and `assume --export-profile` write the
region in use into the profile's config section (as `aws configure set region` would), so that
the AWS CLI and `credctl doctor` need no region of their own; `setup user` says when the policy
does not let the user rotate its own key, and templates combine (`dynamodb-read,rotate-own-key`)."""
import json
import os
import subprocess
import uuid

from conftest import write_aws_files


def aws_cli(home, moto, *args):
    """The AWS CLI as a user runs it: only HOME, no region, no keys in the environment."""
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true"}
    return subprocess.run(["aws", *args, "--endpoint-url", moto.url, "--output", "json"],
                          env=env, capture_output=True, text=True, timeout=60)


def admin(moto, home, **extra):
    env = {"AWS_ACCESS_KEY_ID": moto.admin_key_id, "AWS_SECRET_ACCESS_KEY": moto.admin_secret,
           "AWS_ENDPOINT_URL": moto.url, "CREDCTL_STATE_DIR": str(home / "state")}
    env.update(extra)
    return env


def test_setup_user_writes_the_region_and_the_profile_works_alone(credctl, home, moto):
    name = "reg-" + uuid.uuid4().hex[:8]
    write_aws_files(home, config="# mine\n[default]\noutput = json\n")
    config = home / ".aws" / "config"
    config.chmod(0o644)
    before = config.read_text()
    r = credctl("setup", "user", name, "--template", "rotate-own-key", "--profile-name", "svc", "--output", "json",
                env=admin(moto, home, AWS_REGION="eu-west-2"))
    assert r.code == 0, r
    report = json.loads(r.out)
    assert report["Region"] == "eu-west-2"
    assert f"wrote region eu-west-2 to profile svc in {config}" in report["Steps"]
    assert config.read_text() == before + "\n[profile svc]\nregion = eu-west-2\n"
    assert (config.stat().st_mode & 0o777) == 0o644  # the file's own mode kept
    # The AWS CLI reads the profile with no region given anywhere else.
    cli = aws_cli(home, moto, "sts", "get-caller-identity", "--profile", "svc")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"].endswith(f":user/{name}")
    # doctor's region check passes for the profile.
    d = credctl("doctor", "--profile", "svc", "--output", "json", env={"AWS_ENDPOINT_URL": moto.url})
    region = [c for c in json.loads(d.out)["Checks"] if c["Check"] == "region"]
    assert region and region[0]["Status"] == "ok" and "eu-west-2" in region[0]["Detail"], d.out
    # A rerun keeps the region the profile has.
    again = credctl("setup", "user", name, "--template", "rotate-own-key", "--profile-name", "svc", "--output", "json",
                    env=admin(moto, home, AWS_REGION="us-west-1"))
    assert again.code == 0, again
    assert json.loads(again.out)["Region"] == "eu-west-2"
    assert f"profile svc has region eu-west-2 in {config}: kept" in json.loads(again.out)["Steps"]
    assert config.read_text() == before + "\n[profile svc]\nregion = eu-west-2\n"


def test_setup_user_without_a_region_says_so_and_writes_no_config(credctl, home, moto):
    name = "noreg-" + uuid.uuid4().hex[:8]
    r = credctl("setup", "user", name, "--template", "rotate-own-key", "--output", "json", env=admin(moto, home))
    assert r.code == 0, r
    report = json.loads(r.out)
    assert report["Region"] is None
    assert (f"no region in use: profile [{name}] has none in {home}/.aws/config (run again with --region, "
            f"or aws configure set region REGION --profile {name})") in report["Steps"]
    assert not (home / ".aws" / "config").exists()


def test_a_template_that_cannot_rotate_says_how_and_templates_combine(credctl, home, moto):
    name = "grafana-" + uuid.uuid4().hex[:8]
    env = admin(moto, home, AWS_REGION="us-east-1")
    r = credctl("setup", "user", name, "--template", "dynamodb-read", "--all-tables", "--profile-name", "grafana", env=env)
    assert r.code == 0, r
    note = (f"note: dynamodb-read does not let {name} rotate its own key (credctl rotate --profile grafana needs "
            "iam:ListAccessKeys, CreateAccessKey, UpdateAccessKey and DeleteAccessKey on itself); to allow it: "
            f"credctl setup user {name} --template dynamodb-read,rotate-own-key …")
    assert note in r.err and note in r.out, r
    # Combined: one policy with both templates' statements; no note.
    r = credctl("setup", "user", name, "--template", "dynamodb-read,rotate-own-key", "--all-tables", "--profile-name", "grafana",
                "--output", "json", env=env)
    assert r.code == 0, r
    report = json.loads(r.out)
    assert report["PolicyName"] == "credctl-dynamodb-read+rotate-own-key"
    assert not any(s.startswith("note:") for s in report["Steps"])
    read = json.loads(credctl("policy", "show", "dynamodb-read", "--all-tables").out)["Statement"]
    own = json.loads(credctl("policy", "show", "rotate-own-key").out)["Statement"]
    assert report["Policy"]["Statement"] == read + own
    policy = moto.client("iam").get_user_policy(UserName=name, PolicyName="credctl-dynamodb-read+rotate-own-key")["PolicyDocument"]
    assert (json.loads(policy) if isinstance(policy, str) else policy) == report["Policy"]
    # Then the walk-through's next step: the user rotates its own key, with no region or keys in the
    # environment (the profile has both). moto checks IAM calls against the resource '*', so the
    # template's ${aws:username} resource is widened, keeping its actions.
    widened = json.loads(json.dumps(report["Policy"]))
    for s in widened["Statement"]:
        s["Resource"] = "*"
    moto.client("iam").put_user_policy(UserName=name, PolicyName="credctl-dynamodb-read+rotate-own-key", PolicyDocument=json.dumps(widened))
    old = report["AccessKeyId"]
    rotated = credctl("rotate", "--profile", "grafana", "--yes", env={"AWS_ENDPOINT_URL": moto.url, "CREDCTL_STATE_DIR": str(home / "state")})
    assert rotated.code == 0, rotated
    assert old not in (home / ".aws" / "credentials").read_text()
    cli = aws_cli(home, moto, "sts", "get-caller-identity", "--profile", "grafana")
    assert cli.returncode == 0 and json.loads(cli.stdout)["Arn"].endswith(f":user/{name}"), cli.stderr
    # A bad combination is refused.
    bad = credctl("setup", "user", name, "--template", "dynamodb-read,nope", env=env)
    assert bad.code == 2 and bad.out == "", bad
    assert bad.err.startswith("credctl: error: The value 'dynamodb-read,nope' is invalid for '--template <template>'"), bad.err
    twice = credctl("setup", "user", name, "--template", "rotate-own-key,rotate-own-key", env=env)
    assert twice.code == 2, twice


def test_export_profile_writes_the_region_the_aws_cli_then_uses(credctl, home, moto, roles):
    write_aws_files(home, config=f"[profile r1]\nrole_arn = {roles['r1']}\nsource_profile = base\nregion = ap-southeast-2\n",
                    credentials=f"[base]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n")
    config = home / ".aws" / "config"
    before = config.read_text()
    r = credctl("assume", "r1", "--export-profile", "r1-tmp", "--output", "json", env={"AWS_ENDPOINT_URL": moto.url})
    assert r.code == 0, r
    assert json.loads(r.out)["Region"] == "ap-southeast-2"
    assert config.read_text() == before + "\n[profile r1-tmp]\nregion = ap-southeast-2\n"
    cli = aws_cli(home, moto, "sts", "get-caller-identity", "--profile", "r1-tmp")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"].endswith(":assumed-role/r1/" + json.loads(cli.stdout)["Arn"].split("/")[-1])
    # --region wins over the profile's, as for every call; a profile that has a region keeps it.
    r = credctl("assume", "r1", "--export-profile", "r1-tmp", "--region", "eu-central-1", "--output", "json",
                env={"AWS_ENDPOINT_URL": moto.url})
    assert r.code == 0, r
    assert json.loads(r.out)["Region"] == "ap-southeast-2"
    assert config.read_text() == before + "\n[profile r1-tmp]\nregion = ap-southeast-2\n"
