"""The AWS CLI v2's answers to "which region, which output format, which endpoint", computed with
the installed botocore in one child process for many cases.

botocore alone never reads the region from instance metadata: `session.get_config_variable('region')`
stops at the profile, and its `IMDSRegionProvider` serves only `defaults_mode = auto`. The AWS
CLI v2 puts that provider last in its region chain (`awscli/clidriver.py`,
`CLIDriver._construct_cli_region_chain`: the `--region` instance variable, `AWS_REGION`,
`AWS_DEFAULT_REGION`, the profile's `region`, `IMDSRegionProvider`), and its output chain is
`--output`, `AWS_DEFAULT_OUTPUT`, the profile's `output`, `json`. The child builds both chains
the same way on a botocore session, so the answers are the AWS CLI v2's (whose `awscli/utils.py`
`InstanceMetadataRegionFetcher` is the same code as botocore's).

A case is a dict: `env` (the whole environment), optional `profile`, `region_flag`, `output_flag`,
`endpoint_flag` and `ask`, a list of `region`, `output` and `endpoint:SERVICE` (the client's endpoint URL, as
`boto3.Session(...).client(SERVICE)._endpoint.host`). The answer is a dict of those, or `error`.
"""
import json
import subprocess
import sys

CHILD = r'''
import json, os, sys
from unittest import mock
import botocore.session
from botocore.configprovider import (ChainProvider, ConstantProvider, EnvironmentProvider, InstanceVarProvider,
                                     ScopedConfigProvider)
from botocore.utils import IMDSRegionProvider


def cli_session(case):
    s = botocore.session.Session(profile=case.get("profile"))
    # The AWS CLI sets --region and --output as the session's instance variables.
    if case.get("region_flag"):
        s.set_config_variable("region", case["region_flag"])
    if case.get("output_flag"):
        s.set_config_variable("output", case["output_flag"])
    store = s.get_component("config_store")
    store.set_config_provider("region", ChainProvider(providers=[
        InstanceVarProvider(instance_var="region", session=s),
        EnvironmentProvider(name="AWS_REGION", env=os.environ),
        EnvironmentProvider(name="AWS_DEFAULT_REGION", env=os.environ),
        ScopedConfigProvider(config_var_name="region", session=s),
        IMDSRegionProvider(s),
    ]))
    store.set_config_provider("output", ChainProvider(providers=[
        InstanceVarProvider(instance_var="output", session=s),
        EnvironmentProvider(name="AWS_DEFAULT_OUTPUT", env=os.environ),
        ScopedConfigProvider(config_var_name="output", session=s),
        ConstantProvider(value="json"),
    ]))
    return s


def answer(case):
    with mock.patch.dict(os.environ, case["env"], clear=True):
        try:
            s = cli_session(case)
            out = {}
            for question in case.get("ask", ["region"]):
                if question in ("region", "output"):
                    out[question] = s.get_config_variable(question)
                elif question.startswith("endpoint:"):
                    client = s.create_client(question.split(":", 1)[1], endpoint_url=case.get("endpoint_flag"),
                                             aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x")
                    out[question] = client._endpoint.host
            return out
        except Exception as e:
            return {"error": f"{type(e).__name__}: {e}"}


print(json.dumps([answer(c) for c in json.load(sys.stdin)]))
'''


def cli_v2_answers(cases, timeout=120):
    proc = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(cases), capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def cli_v2_answer(case):
    return cli_v2_answers([case])[0]
