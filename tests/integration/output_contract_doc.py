"""docs/output.md read as a contract: the member tables (path, type, may be null, may be
absent), the sections that print no JSON, each command's CSV header; and the checks of a JSON
document against them (test_output_contract.py)."""
import functools
import re

from conftest import ROOT

DOC = ROOT / "docs" / "output.md"


# ---- docs/output.md, read as the contract ----

HEADING = re.compile(r"^### `credctl ([^`]+)`")
TYPES = {"string", "number", "boolean", "date", "object", "string[]", "object[]", "document", "array"}


@functools.cache
def doc_contracts():
    """{section: [(path segments, {types}, nullable, optional member)]} from the member tables."""
    contracts, section, rows = {}, None, None
    for line in DOC.read_text().splitlines():
        m = HEADING.match(line)
        if m:
            section = m.group(1)
            rows = None
            continue
        if section is None:
            continue
        if line.startswith("| member |"):
            rows = contracts.setdefault(section, [])
            continue
        if rows is not None and line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            path = cells[0].strip("`")
            optional = path.endswith("?")
            path = path.rstrip("?")
            types = cells[1].replace("`", "")
            nullable = types.endswith("?")
            alternatives = {t.strip() for t in types.rstrip("?").split(" or ")}
            assert alternatives <= TYPES, f"docs/output.md, {section}: unknown type {types!r}"
            rows.append((segments(path), alternatives, nullable, optional))
        elif rows is not None and line and not line.startswith("|"):
            rows = None
    return contracts


@functools.cache
def doc_without_json():
    """Sections that say the command prints no JSON (`**No JSON.**`)."""
    out, section = set(), None
    for line in DOC.read_text().splitlines():
        m = HEADING.match(line)
        if m:
            section = m.group(1)
        elif section and line.startswith("**No JSON"):
            out.add(section)
    return out


def segments(path):
    """`Profiles[].Settings.*.Value` -> ('Profiles', '[]', 'Settings', '*', 'Value'); `(root)` -> ()."""
    if path == "(root)":
        return ()
    out = []
    for part in path.split("."):
        while part.endswith("[]"):
            part = part[:-2]
            if part:
                out.append(part)
            out.append("[]")
            part = ""
        if part:
            out.append(part)
    return tuple(out)


ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}(T|\s|$)")


def observed(value, path=()):
    """Every (path, type) in a JSON value; documents are not entered (their rows say `document`)."""
    if value is None:
        yield path, "null", value
    elif isinstance(value, bool):
        yield path, "boolean", value
    elif isinstance(value, (int, float)):
        yield path, "number", value
    elif isinstance(value, str):
        yield path, "date" if ISO_UTC.match(value) else "string", value
    elif isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            yield path, "string[]", value
        elif value and all(isinstance(v, dict) for v in value):
            yield path, "object[]", value
            for v in value:
                yield from observed(v, path + ("[]",))
        else:
            yield path, "array", value
    else:
        yield path, "object", value
        for k, v in value.items():
            yield from observed(v, path + (k,))


def matches(pattern, path):
    return len(pattern) == len(path) and all(p == q or (p == "*" and q != "[]") for p, q in zip(pattern, path))


def inside_document(rows, path):
    return any("document" in types and len(path) > len(p) and matches(p, path[:len(p)]) for p, types, _, _ in rows)


def check_against_doc(section, doc):
    """Every member is documented, with its type; every member always present is there."""
    rows = doc_contracts()[section]
    problems, seen = [], set()
    for path, kind, value in observed(doc):
        if inside_document(rows, path):
            continue  # the user's data (a policy, DynamoDB items)
        name = ".".join(path) or "(root)"
        row = next((r for r in rows if matches(r[0], path)), None)
        if row is None and kind == "object" and (path == () or path[-1] == "[]"):
            continue  # a record, or an item of an object[]: its members are the rows
        if row is None:
            problems.append(f"{name}: not documented ({kind} {value!r:.60})")
            continue
        seen.add(row[0])
        _, types, nullable, _ = row
        empty_list = kind == "array" and value == [] and bool(types & {"string[]", "object[]", "array"})
        if not ((kind == "null" and nullable) or kind in types or "document" in types or empty_list):
            problems.append(f"{name}: {kind} {value!r:.60}, documented as {' or '.join(sorted(types))}{'?' if nullable else ''}")
    nullable_paths = {p for p, _, nullable, _ in rows if nullable}
    for path, _, _, optional in rows:
        under_nullable = any(path[:i] in nullable_paths for i in range(len(path)))
        if not optional and not under_nullable and "[]" not in path and "*" not in path and path not in seen:
            problems.append(f"{'.'.join(path) or '(root)'}: documented but missing")
    return problems


def dates_are_iso(value, rows=()):
    """No epoch number where a date could be, and every date-like string ISO 8601 UTC (the
    user's own documents aside: a policy's `"Version": "2012-10-17"` is theirs)."""
    problems = []
    for path, kind, v in observed(value):
        if inside_document(rows, path) or any("document" in r[1] and matches(r[0], path) for r in rows):
            continue
        name = ".".join(path) or "(root)"
        if kind == "number" and not isinstance(v, bool) and 10**9 <= abs(v) < 10**14:
            problems.append(f"{name}: {v} looks like an epoch time")
        if kind == "string" and DATE_LIKE.match(v):
            problems.append(f"{name}: {v!r} is a date but not ISO 8601 UTC (YYYY-MM-DDTHH:MM:SSZ)")
    return problems



@functools.cache
def doc_csv_headers():
    """{section: [[header], …] or None}: each section's `**CSV:**` line (the headers it may have
    in backticks, or only words for a header that depends on the data)."""
    out, section = {}, None
    for line in DOC.read_text().splitlines():
        m = HEADING.match(line)
        if m:
            section = m.group(1)
        elif section and line.startswith("**CSV:**"):
            headers = [h.split(",") for h in re.findall(r"`([^`]+)`", line)]
            out[section] = headers or None
    return out
