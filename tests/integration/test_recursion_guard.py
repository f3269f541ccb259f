"""A `credential_process` that runs credctl on its own profile stops (issue 23, #11), however the
environment is cleaned: the depth is the larger of `CREDCTL_CREDENTIAL_PROCESS_DEPTH` and the
number of credctl processes among the ancestors (`/proc`), which `env -u` cannot hide."""
import subprocess
import time

import pytest

from conftest import BINARY, write_aws_files


@pytest.mark.parametrize("prefix", ["", "env -u CREDCTL_CREDENTIAL_PROCESS_DEPTH ",
                                    "env -u CREDCTL_CREDENTIAL_PROCESS_DEPTH CREDCTL_CREDENTIAL_PROCESS_DEPTH=0 "],
                         ids=["plain", "env-u", "env-reset"])
def test_a_credential_process_calling_credctl_on_its_own_profile_stops(credctl, home, prefix):
    write_aws_files(home, f"[profile loop]\ncredential_process = {prefix}{BINARY} creds export --format process --profile loop\n")
    r = credctl("creds", "show", "--profile", "loop", timeout=60)
    assert r.code == 3, r
    assert "credential processes nested 4 deep; does the process call credctl on the same profile?" in r.err
    assert r.elapsed < 20, r.elapsed


def test_no_credctl_is_left_running(credctl, home):
    write_aws_files(home, f"[profile loop]\ncredential_process = env -u CREDCTL_CREDENTIAL_PROCESS_DEPTH {BINARY} creds export --format process --profile loop\n")
    r = credctl("creds", "show", "--profile", "loop", timeout=60)
    assert r.code == 3, r
    time.sleep(0.2)
    running = subprocess.run(["pgrep", "-f", f"{BINARY} creds export --format process --profile loop"], capture_output=True, text=True)
    assert running.stdout.strip() == "", running.stdout
