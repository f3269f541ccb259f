"""moto_server with a settable IAM clock, so that tests can make access keys that are old or
were last used long ago (moto stamps keys, users and last uses with the time of the call), and
with SSM DescribeParameters paged as AWS pages it (`MaxResults`, up to 50; moto always gives 10).

    MOTO_CLOCK_FILE=/tmp/x python3 moto_clock.py -H 127.0.0.1 -p PORT

The file holds how many seconds in the past IAM's clock stands (0 or missing: now); it is read
on every IAM timestamp, so a test moves the clock by writing it. Only IAM's clock moves: STS
expirations, signatures and everything else use the real time. This is moto itself, with
`moto.iam.models.utcnow` wrapped and the page size of DescribeParameters taken from the request;
nothing else is changed.
"""
import datetime
import os
import sys

import moto.iam.models as iam_models
from moto.core.responses import ActionResult
from moto.core.utils import utcnow as real_utcnow
from moto.ssm.responses import SimpleSystemManagerResponse

CLOCK_FILE = os.environ["MOTO_CLOCK_FILE"]


def shifted_utcnow():
    try:
        with open(CLOCK_FILE) as f:
            offset = float(f.read().strip() or 0)
    except FileNotFoundError:
        offset = 0
    return real_utcnow() - datetime.timedelta(seconds=offset)


iam_models.utcnow = shifted_utcnow


def describe_parameters(self):
    """moto's DescribeParameters with AWS's page size: MaxResults, 1-50, default 50."""
    page_size = min(50, max(1, int(self._get_param("MaxResults") or 50)))
    token = int((self._get_param("NextToken") or "0").strip() or 0)
    result = self.ssm_backend.describe_parameters(self._get_param("Filters"), self._get_param("ParameterFilters"))
    page = result[token:token + page_size]
    response = {"Parameters": [p.describe_response_object(False) for p in page]}
    if token + page_size < len(result):
        response["NextToken"] = str(token + page_size)
    return ActionResult(response)


SimpleSystemManagerResponse.describe_parameters = describe_parameters

if __name__ == "__main__":
    from moto.server import main
    sys.exit(main())
