"""The example command blocks of README.md and docs/*.md, as the doc runner reads them.

A fenced block is a command block when one of its lines runs credctl (`credctl …`, `$ credctl …`,
`VAR=$(credctl …)`, `… | credctl …`). Every command block is run by tests/integration/
test_doc_examples.py unless the line before its fence says otherwise:

    <!-- example: skip: REASON -->        not run; the reason says why (and where it is tested)
    <!-- example: synopsis -->            a usage summary: every --option it names must be in
                                          the command's --help
    <!-- example: exits=0,1 -->           each command may end with one of these codes (default 0)
    <!-- example: transcript -->          `$ COMMAND` then its output: the command is run and each
                                          output line's label (the text before two spaces) compared

Blocks of one document run in order in one world (a fresh emulator and home), so a walk-through
is tested as a newcomer follows it.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
MARK = re.compile(r"^<!--\s*example:\s*(.*?)\s*-->\s*$")
RUNS_CREDCTL = re.compile(r"(^|\$\(|\|\s*|^\$ )credctl [a-z-]")
TRAILING_COMMENT = re.compile(r"\s+#.*$")


@dataclass
class Block:
    doc: str
    line: int
    lang: str
    text: str
    marker: dict = field(default_factory=dict)

    @property
    def name(self):
        return f"{self.doc}:{self.line}"

    @property
    def runs_credctl(self):
        return any(RUNS_CREDCTL.search(l.strip()) for l in self.text.splitlines())

    @property
    def skip_reason(self):
        return self.marker.get("skip")

    @property
    def allowed_exits(self):
        return {int(c) for c in self.marker.get("exits", "0").split(",")}

    def commands(self):
        """Logical command lines: continuation lines joined, comments and blank lines dropped."""
        out, current = [], ""
        for raw in self.text.splitlines():
            line = raw.rstrip()
            if not current and (not line.strip() or line.lstrip().startswith("#")):
                continue
            current = f"{current}\n{line}" if current else line
            code = "\n".join(TRAILING_COMMENT.sub("", l) for l in current.splitlines())
            if line.endswith("\\") or line.endswith("|") or code.count("'") % 2 == 1:
                continue
            out.append(current)
            current = ""
        if current:
            out.append(current)
        return out


def parse_marker(text):
    marker = {}
    for part in re.split(r";\s*(?=\w+[:=])", text):
        if part.startswith("skip:"):
            marker["skip"] = part[len("skip:"):].strip()
        elif "=" in part:
            key, value = part.split("=", 1)
            marker[key.strip()] = value.strip()
        elif part.strip():
            marker[part.strip()] = True
    return marker


def blocks_of(path, root):
    lines = Path(path).read_text().splitlines()
    doc = str(Path(path).relative_to(root))
    found, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, lang, body = i, m.group(2), []
        i += 1
        while i < len(lines) and not FENCE.match(lines[i]):
            body.append(lines[i])
            i += 1
        i += 1
        before = next((lines[j] for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        mark = MARK.match(before.strip())
        found.append(Block(doc, start + 1, lang, "\n".join(body) + "\n", parse_marker(mark.group(1)) if mark else {}))
    return found


def documents(root):
    root = Path(root)
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def command_blocks(root):
    return [b for d in documents(root) for b in blocks_of(d, root) if b.runs_credctl]
