"""The endpoint of each service, as botocore's client chooses it: `--endpoint-url`,
`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `[services NAME]` section, the
profile's `endpoint_url`, under `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` /
`ignore_configured_endpoint_urls`: every combination for STS, a matrix for SSM, Secrets Manager
and DynamoDB, each side by side with botocore (cli_v2_reference.py) on loopback servers."""
import concurrent.futures
import itertools
import json
import re

import pytest

from cli_v2_reference import cli_v2_answers
from fake_servers import STS_IDENTITY, RecordingServer


def sts(h, i):
    return 200, {"Content-Type": "text/xml"}, STS_IDENTITY


SOURCES = ["flag", "env_service", "env_global", "services", "profile"]
IGNORE_MODES = [(None, None), ("true", None), (None, "true"), ("false", "true"), ("TRUE", "false"), (None, "false"), ("", "true")]


def endpoint_world(home, servers, sources, ignore_env, ignore_profile, service_env="STS", section_key="sts"):
    aws = home / ".aws"
    aws.mkdir(exist_ok=True)
    profile = ["[profile p]", "aws_access_key_id = AKIAENDPOINTS0000001", "aws_secret_access_key = s", "region = us-west-2"]
    if "profile" in sources:
        profile.append(f"endpoint_url = {servers['profile'].url}")
    if "services" in sources:
        profile.append("services = local")
    if ignore_profile is not None:
        profile.append(f"ignore_configured_endpoint_urls = {ignore_profile}")
    section = ["[services local]", f"{section_key} =", f"  endpoint_url = {servers['services'].url}",
               "other_service =", "  endpoint_url = http://127.0.0.1:9"]
    (aws / "config").write_text("\n".join(profile + section) + "\n")
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1"}
    if "env_service" in sources:
        env[f"AWS_ENDPOINT_URL_{service_env}"] = servers["env_service"].url
    if "env_global" in sources:
        env["AWS_ENDPOINT_URL"] = servers["env_global"].url
    if ignore_env is not None:
        env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = ignore_env
    flag = servers["flag"].url if "flag" in sources else None
    return env, flag


def called(r):
    """The URL credctl sent its first request to, from --debug."""
    m = re.search(r"^debug: > POST (\S+) \(attempt 1\)$", r.err, re.M)
    assert m, r
    return m.group(1).rstrip("/")


def endpoint_matrix(credctl, home, command, botocore_service, service_env, section_key, combos):
    with RecordingServer(sts) as a, RecordingServer(sts) as b, RecordingServer(sts) as c, \
            RecordingServer(sts) as d, RecordingServer(sts) as e:
        servers = dict(zip(SOURCES, [a, b, c, d, e]))
        # Both read each case's own copy of the config file.
        cases = []
        for i, (sources, ie, ip) in enumerate(combos):
            env, flag = endpoint_world(home, servers, sources, ie, ip, service_env, section_key)
            path = home / ".aws" / f"config-{i}"
            path.write_text((home / ".aws" / "config").read_text())
            cases.append({"env": dict(env, AWS_CONFIG_FILE=str(path)), "profile": "p", "endpoint_flag": flag,
                          "ask": [f"endpoint:{botocore_service}"]})
        by_url = {s.url: name for name, s in servers.items()}

        def credctl_url(case):
            args = ["--endpoint-url", case["endpoint_flag"]] if case["endpoint_flag"] else []
            return called(credctl(*command, "--profile", "p", "--debug", *args, env=case["env"]))

        # botocore (one child for every case) and credctl (one run per case) side by side.
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            references = pool.submit(cli_v2_answers, cases)
            urls = list(pool.map(credctl_url, cases))
        for url, (sources, ie, ip), reference in zip(urls, combos, references.result()):
            expected = reference[f"endpoint:{botocore_service}"]
            assert url == expected, (sources, ie, ip, by_url.get(url, url), by_url.get(expected, expected))


def all_combos():
    subsets = [tuple(s for s, keep in zip(SOURCES, mask) if keep) for mask in itertools.product([0, 1], repeat=len(SOURCES))]
    return [(s, ie, ip) for s in subsets for ie, ip in IGNORE_MODES]


def test_sts_endpoint_in_every_combination_as_botocore(credctl, home):
    combos = all_combos()
    assert len(combos) == 224
    endpoint_matrix(credctl, home, ["whoami"], "sts", "STS", "sts", combos)


@pytest.mark.parametrize("command, botocore_service, service_env, section_key", [
    (["params", "get", "/x"], "ssm", "SSM", "ssm"),
    (["secrets", "list"], "secretsmanager", "SECRETS_MANAGER", "secrets_manager"),
    (["dynamodb", "check"], "dynamodb", "DYNAMODB", "dynamodb"),
])
def test_other_services_use_their_own_names(credctl, home, command, botocore_service, service_env, section_key):
    subsets = [(), ("env_service",), ("env_global",), ("services",), ("profile",), ("services", "profile"),
               ("env_global", "services"), ("env_service", "env_global", "services", "profile"), ("flag", "env_service")]
    combos = [(s, ie, ip) for s in subsets for ie, ip in [(None, None), ("true", None), (None, "true")]]
    endpoint_matrix(credctl, home, command, botocore_service, service_env, section_key, combos)


def test_a_service_section_for_another_service_is_not_used(credctl, home):
    with RecordingServer(sts) as a, RecordingServer(sts) as b, RecordingServer(sts) as c, \
            RecordingServer(sts) as d, RecordingServer(sts) as e:
        servers = dict(zip(SOURCES, [a, b, c, d, e]))
        env, _ = endpoint_world(home, servers, ("services", "profile"), None, None, section_key="ssm")
        reference = cli_v2_answers([{"env": env, "profile": "p", "ask": ["endpoint:sts"]}])[0]
        assert reference == {"endpoint:sts": e.url}
        assert called(credctl("whoami", "--profile", "p", "--debug", env=env)) == e.url


def test_a_missing_services_section(credctl, home):
    """botocore fails when it looks for an endpoint there; credctl whenever the profile is used
    (a deliberate difference: docs/credentials.md)."""
    aws = home / ".aws"
    aws.mkdir()
    (aws / "config").write_text("[profile p]\naws_access_key_id = AKIAENDPOINTS0000001\naws_secret_access_key = s\n"
                                "region = us-west-2\nservices = nowhere\n")
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"}
    reference = cli_v2_answers([{"env": env, "profile": "p", "ask": ["endpoint:sts"]},
                                {"env": dict(env, AWS_ENDPOINT_URL_STS="http://127.0.0.1:9"), "profile": "p", "ask": ["endpoint:sts"]}])
    assert reference[0]["error"].startswith("InvalidConfigError")
    assert reference[1] == {"endpoint:sts": "http://127.0.0.1:9"}
    for extra in ({}, {"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"}):
        r = credctl("whoami", "--profile", "p", env=dict(env, **extra))
        assert (r.code, r.out) == (2, "")
        assert r.err == (f"credctl: error: profile p ({aws}/config:5) names services section 'nowhere', "
                         f"which {aws}/config does not have\n")


def test_empty_endpoint_values_are_no_endpoint(credctl, home):
    aws = home / ".aws"
    aws.mkdir()
    with RecordingServer(sts) as profile_server:
        (aws / "config").write_text("[profile p]\naws_access_key_id = AKIAENDPOINTS0000001\naws_secret_access_key = s\n"
                                    f"region = us-west-2\nservices = local\nendpoint_url = {profile_server.url}\n"
                                    "[services local]\nsts =\n  endpoint_url =\n")
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true",
               "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_STS": ""}
        reference = cli_v2_answers([{"env": env, "profile": "p", "ask": ["endpoint:sts"]}])[0]
        assert reference == {"endpoint:sts": profile_server.url}
        r = credctl("whoami", "--profile", "p", "--output", "json", env=env)
        assert r.code == 0, r
        assert json.loads(r.out)["Endpoint"] == {"Url": profile_server.url + "/", "Source": f"endpoint_url of profile p ({aws}/config:6)"}
