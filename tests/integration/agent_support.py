"""A real `credctl agent` per test, on a private runtime folder, and what the tests ask of it."""
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from conftest import BINARY


class Agent:
    def __init__(self, home, env):
        # A short folder under /tmp: a socket path must fit in 107 bytes.
        self.runtime = Path(tempfile.mkdtemp(prefix="agent-", dir="/tmp"))
        self.runtime.chmod(0o700)
        self.home = home
        self.env = {"HOME": str(home), "PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true",
                    "XDG_RUNTIME_DIR": str(self.runtime), **env}
        self.pid = None

    @property
    def socket(self):
        return self.runtime / "credctl" / "agent.sock"

    def run(self, *args, env=None, timeout=30):
        return subprocess.run([str(BINARY), *args], env={**self.env, **(env or {})}, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)

    def start(self, *flags):
        r = self.run("agent", "start", "--output", "json", *flags)
        assert r.returncode == 0, r
        import json
        self.pid = json.loads(r.stdout)["Pid"]
        return r

    def kill(self):
        os.kill(self.pid, signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)

    def stop(self):
        if self.pid is None:
            return
        self.run("agent", "stop")
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.pid = None

    def client_env(self, **extra):
        return {"XDG_RUNTIME_DIR": str(self.runtime), **extra}
