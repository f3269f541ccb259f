"""moto_server with a settable IAM clock, so that tests can make access keys that are old or
were last used long ago (moto stamps keys, users and last uses with the time of the call).

    MOTO_CLOCK_FILE=/tmp/x python3 moto_clock.py -H 127.0.0.1 -p PORT

The file holds how many seconds in the past IAM's clock stands (0 or missing: now); it is read
on every IAM timestamp, so a test moves the clock by writing it. Only IAM's clock moves: STS
expirations, signatures and everything else use the real time. This is moto itself, with
`moto.iam.models.utcnow` wrapped; nothing else is changed.
"""
import datetime
import os
import sys

import moto.iam.models as iam_models
from moto.core.utils import utcnow as real_utcnow

CLOCK_FILE = os.environ["MOTO_CLOCK_FILE"]


def shifted_utcnow():
    try:
        with open(CLOCK_FILE) as f:
            offset = float(f.read().strip() or 0)
    except FileNotFoundError:
        offset = 0
    return real_utcnow() - datetime.timedelta(seconds=offset)


iam_models.utcnow = shifted_utcnow

if __name__ == "__main__":
    from moto.server import main
    sys.exit(main())
