"""--help as a reader sees it at 80 columns: prose wrapped once (by the argument parser, at the
terminal's width), examples and tables on lines of their own that fit, no pointer to a file that
is not installed."""
import json
import os
import re
import subprocess

import pytest

from conftest import BINARY


def run(*args, columns=80):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=30,
                          env={"PATH": os.environ["PATH"], "HOME": "/nonexistent", "COLUMNS": str(columns)})


def command_paths():
    info = json.loads(run("--experimental-dump-help").stdout)["command"]

    def walk(node, path):
        yield path, node
        for sub in node.get("subcommands", []):
            yield from walk(sub, path + [sub["commandName"]])
    return list(walk(info, []))


PATHS = command_paths()


@pytest.mark.parametrize("path", [p for p, _ in PATHS], ids=lambda p: " ".join(p) or "credctl")
def test_help_prose_is_wrapped_once_at_the_terminal_width(path):
    text = run(*path, "--help").stdout
    description = text.split("USAGE:")[0]
    for paragraph in description.split("\n\n"):
        lines = paragraph.splitlines()
        assert all(len(l) <= 80 for l in lines), ("a line runs past 80 columns", paragraph)
        prose = [l for l in lines if l and not l[0].isspace() and not l.startswith(("credctl ", "OVERVIEW", "EXIT", "PASSWORD=", "DB_"))]
        # A wrapped prose line is never cut short: only the last line of a sentence run may be.
        for line, following in zip(prose, prose[1:]):
            if following and not following[0].isspace() and not line.endswith((":", ".")):
                assert len(line) + 1 + len(following.split(" ")[0]) >= 80, ("wrapped twice", line, following)


def test_help_is_the_same_text_at_any_width():
    """Wider terminals get longer lines of the same words, not the source's line breaks."""
    narrow = " ".join(run("rotate", "--help", columns=80).stdout.split())
    wide = " ".join(run("rotate", "--help", columns=200).stdout.split())
    assert narrow == wide


@pytest.mark.parametrize("path,node", PATHS, ids=lambda p: " ".join(p) if isinstance(p, list) else "")
def test_help_points_only_to_installed_docs(path, node):
    text = (node.get("discussion") or "") + json.dumps(node.get("arguments", []))
    assert not re.search(r"\bdocs/[a-z-]+\.md", text), f"credctl {' '.join(path)} names a file of the source tree"
