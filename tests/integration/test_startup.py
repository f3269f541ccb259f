"""What a run that makes no request loads: libcurl (and the ~30 libraries behind it) is opened
only when the first request is made."""
import os
import subprocess

from conftest import BINARY


def loaded_libraries(*args, env=None):
    full = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "LD_DEBUG": "libs", **(env or {})}
    proc = subprocess.run([str(BINARY), *args], env=full, capture_output=True, text=True, timeout=30)
    return proc, proc.stderr


def test_offline_commands_do_not_load_libcurl():
    for args in (["--version"], ["--help"], ["policy", "show", "rotate-own-key"], ["keys", "inspect", "ASIAY34FZKBOKMUTVV7A"]):
        proc, trace = loaded_libraries(*args)
        assert proc.returncode == 0, proc.stderr[-500:]
        assert "libcrypto" in trace or args != ["--version"]  # the trace is real: linked libraries show up
        assert "libcurl" not in trace, args


def test_a_request_loads_libcurl_on_first_use(moto, admin_env):
    proc, trace = loaded_libraries("whoami", env=admin_env)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "libcurl.so" in trace
