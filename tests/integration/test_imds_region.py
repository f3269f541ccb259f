"""The region from EC2 instance metadata, the AWS CLI v2's last region source, side by side with
the AWS CLI v2's chain (botocore's `IMDSRegionProvider`, see cli_v2_reference.py) on the same
loopback metadata server: asked only when no other source is set and a command needs a region,
once per run, with the credential provider's settings (disabled, endpoint, timeout, attempts,
IMDSv1 fallback). Deliberate differences (docs/credentials.md, "Region"): credctl reads
`placement/region` (the AZ only when that is not served, and only an AWS-shaped one), and a
metadata service that refuses gives no region rather than an error."""
import json
import time

import pytest

from cli_v2_reference import cli_v2_answer, cli_v2_answers
from conftest import free_port
from fake_servers import STS_IDENTITY, RecordingServer

KEY = {"AWS_ACCESS_KEY_ID": "AKIAIMDSREGION000001", "AWS_SECRET_ACCESS_KEY": "imds-region-secret"}
TOKEN = "region-session-token"
ZONE_PATHS = ("/latest/meta-data/placement/availability-zone", "/latest/meta-data/placement/availability-zone/")
REGION_PATH = "/latest/meta-data/placement/region"


class FakeMetadata:
    """IMDSv2 as EC2 serves it, with knobs: the token's status (or a stall), the region and zone
    answers (a status, or None for not served), and whether a token is required."""

    def __init__(self, zone="eu-central-1b", region="eu-central-1", token_status=200, stall_token=False,
                 region_status=200, zone_status=200, token_body=TOKEN):
        self.zone, self.region = zone, region
        self.token_status, self.stall_token, self.token_body = token_status, stall_token, token_body
        self.region_status, self.zone_status = region_status, zone_status

    def __call__(self, h, i):
        if h.command == "PUT" and h.path == "/latest/api/token":
            if self.stall_token:
                time.sleep(3)
                return None, {}, b""
            if h.headers.get("x-aws-ec2-metadata-token-ttl-seconds") != "21600":
                return 400, {}, b""
            return self.token_status, {}, self.token_body.encode() if self.token_status == 200 else b""
        if self.token_status == 200 and not self.stall_token and h.headers.get("x-aws-ec2-metadata-token") != self.token_body:
            return 401, {}, b""
        if h.path == REGION_PATH and self.region is not None:
            return self.region_status, {}, self.region.encode() if self.region_status == 200 else b""
        if h.path in ZONE_PATHS and self.zone is not None:
            return self.zone_status, {}, self.zone.encode() if self.zone_status == 200 else b""
        return 404, {}, b""


def metadata_env(home, server_url, **extra):
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "false",
           "AWS_EC2_METADATA_SERVICE_ENDPOINT": server_url, **KEY}
    env.update(extra)
    return env


def shown_region(credctl, env, *args):
    r = credctl("creds", "show", "--output", "json", *args, env=env)
    assert r.code == 0, r
    return json.loads(r.out)["Region"]


def requests_of(server, since=0):
    return [(q["method"], q["path"], dict((k.lower(), v) for k, v in q["headers"]).get("x-aws-ec2-metadata-token"))
            for q in server.requests[since:]]


def side_by_side(credctl, home, fake, *args, **extra):
    """botocore (the AWS CLI v2's chain) then credctl on one fake: their regions and requests."""
    with RecordingServer(fake) as server:
        env = metadata_env(home, server.url, **extra)
        reference = cli_v2_answer({"env": env})
        botocore_requests = requests_of(server)
        mark = len(server.requests)
        r = credctl("creds", "show", "--output", "json", *args, env=env)
        return reference, botocore_requests, r, requests_of(server, mark)


# --- agreement -------------------------------------------------------------------------------

def test_the_instance_region_when_nothing_else_is_set(credctl, home):
    reference, botocore_requests, r, ours = side_by_side(credctl, home, FakeMetadata())
    assert r.code == 0, r
    assert reference == {"region": "eu-central-1"}
    assert json.loads(r.out)["Region"] == {"Name": "eu-central-1", "Source": "instance metadata"}
    # The same IMDSv2 exchange, each reading its own path (botocore: the zone, minus its last letter).
    assert botocore_requests == [("PUT", "/latest/api/token", None), ("GET", ZONE_PATHS[1], TOKEN)]
    assert ours == [("PUT", "/latest/api/token", None), ("GET", REGION_PATH, TOKEN)]


NONE = {"Name": None, "Source": None}


@pytest.mark.parametrize("extra, flag, botocore_region, expected", [
    ({"AWS_REGION": "us-west-1"}, None, "us-west-1", {"Name": "us-west-1", "Source": "AWS_REGION"}),
    ({"AWS_DEFAULT_REGION": "us-west-2"}, None, "us-west-2", {"Name": "us-west-2", "Source": "AWS_DEFAULT_REGION"}),
    ({}, "ap-south-1", "ap-south-1", {"Name": "ap-south-1", "Source": "--region"}),
    # An empty variable ends the search: botocore's region is the empty string, credctl's none.
    ({"AWS_DEFAULT_REGION": ""}, None, "", NONE),
    ({"AWS_REGION": "", "AWS_DEFAULT_REGION": "us-west-2"}, None, "", NONE),
    ({"AWS_EC2_METADATA_DISABLED": "true"}, None, None, NONE),
    ({"AWS_EC2_METADATA_DISABLED": "TRUE"}, None, None, NONE),
])
def test_any_other_source_or_disabled_means_no_request(credctl, home, extra, flag, botocore_region, expected):
    with RecordingServer(FakeMetadata()) as server:
        env = metadata_env(home, server.url, **extra)
        assert cli_v2_answer({"env": env, "region_flag": flag}) == {"region": botocore_region}
        assert server.requests == []
        assert shown_region(credctl, env, *(("--region", flag) if flag else ())) == expected
        assert server.requests == []


def test_the_profile_region_wins_and_profile_metadata_settings_apply(credctl, home):
    aws = home / ".aws"
    aws.mkdir()
    with RecordingServer(FakeMetadata(region_status=500, zone_status=500)) as server:
        # Static keys in both profiles: --profile turns the environment keys off, and the credential
        # chain must stop before instance metadata (whose default address is not for tests).
        keys = "aws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = s\n"
        (aws / "config").write_text(f"[profile withregion]\nregion = ca-central-1\n{keys}"
                                    f"[profile imds]\nec2_metadata_service_endpoint = {server.url}\n"
                                    f"metadata_service_num_attempts = 2\n{keys}")
        env = metadata_env(home, "unused")
        del env["AWS_EC2_METADATA_SERVICE_ENDPOINT"]
        assert cli_v2_answer({"env": env, "profile": "withregion"}) == {"region": "ca-central-1"}
        assert shown_region(credctl, env, "--profile", "withregion") == {"Name": "ca-central-1",
                                                                               "Source": f"profile withregion ({aws}/config:2)"}
        assert server.requests == []
        # The endpoint and the number of attempts from the profile: two GETs each, then no region.
        assert cli_v2_answer({"env": env, "profile": "imds"}) == {"region": None}
        assert [p for _, p, _ in requests_of(server)] == ["/latest/api/token", ZONE_PATHS[1], ZONE_PATHS[1]]
        mark = len(server.requests)
        assert shown_region(credctl, env, "--profile", "imds") == NONE
        assert [p for _, p, _ in requests_of(server, mark)] == ["/latest/api/token", REGION_PATH, REGION_PATH]


def test_imdsv1_fallback_when_the_token_is_refused(credctl, home):
    for status in (403, 404, 405):
        reference, botocore_requests, r, ours = side_by_side(credctl, home, FakeMetadata(token_status=status))
        assert reference == {"region": "eu-central-1"}
        assert json.loads(r.out)["Region"]["Name"] == "eu-central-1"
        assert botocore_requests == [("PUT", "/latest/api/token", None), ("GET", ZONE_PATHS[1], None)]
        assert ours == [("PUT", "/latest/api/token", None), ("GET", REGION_PATH, None)]


def test_a_stalled_token_falls_back_to_imdsv1_after_one_timeout(credctl, home):
    reference, _, r, ours = side_by_side(credctl, home, FakeMetadata(stall_token=True))
    assert reference == {"region": "eu-central-1"}
    assert json.loads(r.out)["Region"]["Name"] == "eu-central-1"
    assert ours[-1] == ("GET", REGION_PATH, None)
    assert r.elapsed < 2.5, "one 1 s token timeout, then IMDSv1"


@pytest.mark.parametrize("fake, attempts", [
    (FakeMetadata(region_status=500, zone_status=500), "3"),
    (FakeMetadata(region="", zone=""), "2"),
])
def test_failing_answers_are_tried_as_often_as_botocore_then_no_region(credctl, home, fake, attempts):
    reference, botocore_requests, r, ours = side_by_side(credctl, home, fake, AWS_METADATA_SERVICE_NUM_ATTEMPTS=attempts)
    assert reference == {"region": None}
    assert json.loads(r.out)["Region"] == NONE
    assert len([q for q in botocore_requests if q[0] == "GET"]) == len([q for q in ours if q[0] == "GET"]) == int(attempts)


def test_no_metadata_server_is_no_region_at_once(credctl, home):
    env = metadata_env(home, f"http://127.0.0.1:{free_port()}")
    assert cli_v2_answer({"env": env}) == {"region": None}
    r = credctl("creds", "show", "--output", "json", env=env)
    assert r.code == 0, r
    assert json.loads(r.out)["Region"] == NONE
    assert r.elapsed < 1


def test_zone_fallback_when_placement_region_is_not_served(credctl, home):
    reference, _, r, ours = side_by_side(credctl, home, FakeMetadata(region=None, zone="us-gov-west-1a"))
    assert reference == {"region": "us-gov-west-1"}
    assert json.loads(r.out)["Region"] == {"Name": "us-gov-west-1", "Source": "instance metadata"}
    assert [p for _, p, _ in ours] == ["/latest/api/token", REGION_PATH, ZONE_PATHS[0]]


def test_bad_metadata_settings_are_errors_for_both(credctl, home):
    env = metadata_env(home, "http://127.0.0.1:9", AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE="IPv5")
    assert cli_v2_answer({"env": env})["error"].startswith("InvalidIMDSEndpointModeError")
    r = credctl("creds", "show", env=env)
    assert r.code == 2
    assert r.err == "credctl: error: the instance metadata endpoint mode must be IPv4 or IPv6, not 'ipv5'\n"
    env = metadata_env(home, "http://127.0.0.1:9", AWS_METADATA_SERVICE_TIMEOUT="soon")
    assert "error" in cli_v2_answer({"env": env})
    r = credctl("creds", "show", env=env)
    assert r.code == 2
    assert r.err == "credctl: error: AWS_METADATA_SERVICE_TIMEOUT must be a number of seconds from 0.001 to 3600, not 'soon'\n"


# --- deliberate differences ------------------------------------------------------------------

@pytest.mark.parametrize("zone, region, botocore_region, ours", [
    # A Local Zone: the AWS CLI's region is the zone minus its last letter, which is no region.
    ("us-west-2-lax-1a", "us-west-2", "us-west-2-lax-1", {"Name": "us-west-2", "Source": "instance metadata"}),
    # Another cloud's metadata service (OpenStack), no placement/region: the AWS CLI says "nov".
    ("nova", None, "nov", NONE),
])
def test_placement_region_over_the_zone(credctl, home, zone, region, botocore_region, ours):
    reference, _, r, _ = side_by_side(credctl, home, FakeMetadata(zone=zone, region=region))
    assert reference == {"region": botocore_region}
    assert json.loads(r.out)["Region"] == ours


def test_a_refusing_metadata_service_is_no_region_not_an_error(credctl, home):
    """botocore raises (the AWS CLI stops); credctl has no region and says why where one is needed."""
    cases = [(FakeMetadata(token_status=403), {"AWS_EC2_METADATA_V1_DISABLED": "true"},
              "MetadataRetrievalError", "no IMDSv2 token (token refused (HTTP 403)) and IMDSv1 is disabled"),
             (FakeMetadata(token_status=400), {}, "BadIMDSRequestError", "the token request was rejected (HTTP 400)")]
    for fake, extra, botocore_error, why in cases:
        reference, _, r, _ = side_by_side(credctl, home, fake, **extra)
        assert reference["error"].startswith(botocore_error)
        assert json.loads(r.out)["Region"] == NONE
        with RecordingServer(fake) as server:
            p = credctl("params", "get", "/x", env=metadata_env(home, server.url, **extra))
        assert p.code == 2
        assert p.err == ("credctl: error: no region: set --region, AWS_REGION or the profile's region (none from instance "
                         f"metadata: instance metadata at 127.0.0.1:{server.port}: {why})\n")


def test_a_token_with_a_control_character_is_not_sent(credctl, home):
    with RecordingServer(FakeMetadata(token_body="tok\r\nX-Injected: 1")) as server:
        r = credctl("creds", "show", "--output", "json", env=metadata_env(home, server.url))
        assert r.code == 0, r
        assert json.loads(r.out)["Region"] == NONE
        assert [q["method"] for q in server.requests] == ["PUT"]


# --- only when a command needs a region, once ------------------------------------------------

def sts_and_metadata(h, i, fake=FakeMetadata()):
    if h.path.startswith("/latest/"):
        return fake(h, i)
    return 200, {"Content-Type": "text/xml"}, STS_IDENTITY


def test_whoami_and_doctor_use_and_name_it_asking_once(credctl, home):
    with RecordingServer(sts_and_metadata) as server:
        env = metadata_env(home, server.url, AWS_ENDPOINT_URL=server.url)
        r = credctl("whoami", "--output", "json", env=env)
        assert r.code == 0, r
        doc = json.loads(r.out)
        assert doc["Region"] == {"Name": "eu-central-1", "Source": "instance metadata"}
        metadata = [q for q in server.requests if q["path"].startswith("/latest/")]
        assert [q["method"] for q in metadata] == ["PUT", "GET"]
        sts = [q for q in server.requests if not q["path"].startswith("/latest/")]
        assert "/eu-central-1/sts/aws4_request" in dict(sts[0]["headers"])["Authorization"]
        text = credctl("whoami", env=env)
        assert "eu-central-1 (from instance metadata)" in text.out
        doctor = credctl("doctor", "--output", "json", env=env)
        region = next(c for c in json.loads(doctor.out)["Checks"] if c["Check"] == "region")
        assert region == {"Check": "region", "Status": "ok", "Detail": "eu-central-1 (from instance metadata)", "Fix": None}


def test_doctor_says_why_instance_metadata_gave_none(credctl, home):
    port = free_port()
    r = credctl("doctor", "--output", "json", env=metadata_env(home, f"http://127.0.0.1:{port}", AWS_ENDPOINT_URL="http://127.0.0.1:9"))
    region = next(c for c in json.loads(r.out)["Checks"] if c["Check"] == "region")
    assert region["Status"] == "fail"
    assert region["Detail"] == f"no region is set (none from instance metadata: no instance metadata at 127.0.0.1:{port}: could not connect (not on EC2?))"


ASSUME_ROLE_ANSWER = (b'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
                      b'<Credentials><AccessKeyId>ASIAROLEFROMIMDSREG1</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey>'
                      b'<SessionToken>role-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>'
                      b'<AssumedRoleUser><AssumedRoleId>AROAX:s</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/r/s</Arn>'
                      b'</AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>')


def test_a_role_assumed_while_resolving_credentials_is_signed_for_the_instance_region(credctl, home):
    def respond(h, i):
        if h.path.startswith("/latest/"):
            return FakeMetadata()(h, i)
        return 200, {"Content-Type": "text/xml"}, ASSUME_ROLE_ANSWER
    aws = home / ".aws"
    aws.mkdir()
    (aws / "config").write_text("[profile role]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = base\n"
                                "[profile base]\naws_access_key_id = AKIABASEBASEBASE0001\naws_secret_access_key = base-secret\n")
    with RecordingServer(respond) as server:
        env = metadata_env(home, server.url, AWS_ENDPOINT_URL_STS=server.url)
        r = credctl("creds", "export", "--format", "json", "--profile", "role", "--no-cache", env=env)
        assert r.code == 0, r
        assume = next(q for q in server.requests if not q["path"].startswith("/latest/"))
        assert "/eu-central-1/sts/aws4_request" in dict(assume["headers"])["Authorization"]
        # Exported credentials carry the configured region only: none here.
        assert json.loads(r.out)["Region"] is None


@pytest.mark.parametrize("args", [
    ("creds", "export"),
    ("creds", "export", "--format", "process"),
    ("creds", "export", "--format", "json"),
    ("profiles",),
    ("keys", "inspect", "AKIAIOSFODNN7EXAMPLE"),
    ("policy", "show", "rotate-own-key"),
    ("request", "--dry-run", "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"),
])
def test_commands_that_need_no_region_never_ask(credctl, home, args):
    with RecordingServer(FakeMetadata()) as server:
        r = credctl(*args, env=metadata_env(home, server.url))
        assert r.code == 0, r
        assert server.requests == []


def test_iam_is_global_and_never_asks(credctl, home):
    """IAM's endpoint and signing region depend on the partition only (docs/credentials.md)."""
    def respond(h, i):
        if h.path.startswith("/latest/"):
            return FakeMetadata()(h, i)
        return 403, {"Content-Type": "text/xml"}, (b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                                                   b"<Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>")
    with RecordingServer(respond) as server:
        r = credctl("keys", "list", "--user", "someone", env=metadata_env(home, server.url, AWS_ENDPOINT_URL_IAM=server.url))
        assert r.code == 4, r
        assert [q["path"] for q in server.requests if q["path"].startswith("/latest/")] == []
        assert "/us-east-1/iam/aws4_request" in dict(server.requests[0]["headers"])["Authorization"]


def test_exec_passes_on_the_configured_region_only(credctl, home, tmp_path):
    with RecordingServer(FakeMetadata()) as server:
        r = credctl("creds", "exec", "--", "/usr/bin/env", env=metadata_env(home, server.url))
        assert r.code == 0, r
        assert "AWS_ACCESS_KEY_ID=AKIAIMDSREGION000001" in r.out
        assert "AWS_REGION=" not in r.out and "AWS_DEFAULT_REGION=" not in r.out
        assert server.requests == []


def test_many_cases_agree_in_one_reference_run(credctl, home):
    """Every zone shape EC2 uses, with IMDSv2 and IMDSv1: both give the zone's region."""
    zones = ["us-east-1a", "eu-west-3c", "ap-southeast-2b", "cn-north-1a", "us-gov-east-1b", "me-central-1a", "il-central-1c"]
    for v1 in (False, True):
        fakes = [FakeMetadata(zone=z, region=z[:-1], token_status=403 if v1 else 200) for z in zones]
        servers = [RecordingServer(f) for f in fakes]
        for s in servers:
            s.__enter__()
        try:
            envs = [metadata_env(home, s.url) for s in servers]
            references = cli_v2_answers([{"env": e} for e in envs])
            for zone, env, reference in zip(zones, envs, references):
                assert reference == {"region": zone[:-1]}
                assert shown_region(credctl, env) == {"Name": zone[:-1], "Source": "instance metadata"}
        finally:
            for s in servers:
                s.__exit__(None, None, None)
