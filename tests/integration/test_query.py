"""`--query EXPR`: JMESPath over the JSON credctl prints, as the AWS CLI applies it.

Differential: expressions generated from the members and values of credctl's real outputs
(`whoami`, `profiles`, `keys list`, `creds export` against moto) are evaluated by credctl and by
the `jmespath` Python package (the reference implementation) on the same document, in batches
(one multi-select list per run). `--output text` is compared with the AWS CLI's own text formatter
(`awscli.text.format_text`) on the same result."""
import io
import json
import random
import uuid

import jmespath
import jmespath.exceptions
import pytest
from awscli.text import format_text

from conftest import write_aws_files


# ---- the documents: credctl's real outputs ----

@pytest.fixture
def world(moto, admin_env, home):
    """A user with two keys in moto, and a few profiles (one of them that user)."""
    iam = moto.client("iam")
    user = f"q-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=user, Tags=[{"Key": "team", "Value": "data"}])
    iam.put_user_policy(UserName=user, PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    keys = [iam.create_access_key(UserName=user)["AccessKey"] for _ in range(2)]
    write_aws_files(home, config=(
        "[default]\nregion = eu-west-1\noutput = json\n\n"
        "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = default\nregion = us-east-2\n\n"
        f"[profile {user}]\nregion = us-east-1\n"),
        credentials=(f"[default]\naws_access_key_id = {moto.admin_key_id}\naws_secret_access_key = {moto.admin_secret}\n\n"
                     f"[{user}]\naws_access_key_id = {keys[0]['AccessKeyId']}\naws_secret_access_key = {keys[0]['SecretAccessKey']}\n"))
    env = {"AWS_ENDPOINT_URL": moto.url}
    return {"user": user, "env": env}


COMMANDS = {
    "whoami": lambda w: ["whoami", "--profile", w["user"]],
    "profiles": lambda w: ["profiles"],
    "keys-list": lambda w: ["keys", "list", "--profile", "default", "--user", w["user"]],
    "creds-export": lambda w: ["creds", "export", "--profile", w["user"], "--format", "json"],
}


def document(credctl, w, name):
    r = credctl(*COMMANDS[name](w), "--output", "json", env=w["env"])
    assert r.code == 0, r
    return json.loads(r.out)


# ---- the generator ----

def walk(value, names, scalars):
    if isinstance(value, dict):
        for k, v in value.items():
            names.add(k)
            walk(v, names, scalars)
    elif isinstance(value, list):
        for v in value:
            walk(v, names, scalars)
    else:
        scalars.append(value)


def identifier(name):
    plain = name.replace("_", "a").isalnum() and name.isascii() and not name[0].isdigit()
    return name if plain else json.dumps(name)


def paths(value, prefix, out, filters, depth=0):
    """Expressions that reach real values of the document (`Keys[0].Status`, `Keys[*].Status`),
    and for each list of objects, its members and values (for filters)."""
    if depth > 4:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            p = identifier(k) if not prefix else f"{prefix}.{identifier(k)}"
            out.append(p)
            paths(v, p, out, filters, depth + 1)
    elif isinstance(value, list) and value:
        if all(isinstance(v, dict) for v in value):
            members = [(k, v) for item in value for k, v in item.items() if not isinstance(v, (dict, list))]
            if members:
                filters.append((prefix or "@", members))
        for p in [f"{prefix}[0]", f"{prefix}[-1]", f"{prefix}[*]", f"{prefix}[]"]:
            out.append(p)
            paths(value[0], p, out, filters, depth + 1)


class Generator:
    """Random expressions over a document's own paths, member names and values (seeded:
    reproducible), most of them reaching real values."""

    def __init__(self, doc, seed):
        self.rng = random.Random(seed)
        names, scalars = set(), []
        walk(doc, names, scalars)
        self.names = sorted(names) + ["missing"]
        self.scalars = scalars or ["x"]
        self.paths, self.filters = [], []
        paths(doc, "", self.paths, self.filters)
        self.paths = self.paths or ["@"]

    def path(self):
        if self.filters and self.rng.random() < 0.3:
            base, members = self.rng.choice(self.filters)
            key, value = self.rng.choice(members)
            op = self.rng.choice(["==", "!=", "<", ">="]) if isinstance(value, (int, float)) else self.rng.choice(["==", "!="])
            lit = "`" + json.dumps(value).replace("`", "\\`") + "`"
            tail = self.rng.choice(["", "." + identifier(self.rng.choice(members)[0]), " | [0]", " | length(@)"])
            return f"{base}[?{identifier(key)} {op} {lit}]{tail}"
        return self.rng.choice(self.paths)

    def name(self):
        n = self.rng.choice(self.names)
        return identifier(n) if self.rng.random() < 0.8 else json.dumps(n)

    def literal(self):
        v = self.rng.choice(self.scalars + [0, 1, -1, "", True, None, [], {}])
        if isinstance(v, str) and "'" not in v and "\\" not in v and self.rng.random() < 0.5:
            return f"'{v}'"
        return "`" + json.dumps(v).replace("`", "\\`") + "`"

    def condition(self, depth):
        r = self.rng.random()
        if r < 0.5:
            op = self.rng.choice(["==", "!=", "<", "<=", ">", ">="])
            return f"{self.expr(depth)} {op} {self.literal()}"
        if r < 0.65:
            return f"contains({self.expr(depth)}, {self.literal()})"
        if r < 0.8:
            return f"starts_with({self.name()}, {self.literal()})"
        return self.rng.choice([f"!{self.expr(depth)}", f"{self.expr(depth)} && {self.expr(depth)}",
                                f"{self.expr(depth)} || {self.expr(depth)}"])

    def function(self, depth):
        e = lambda: self.expr(depth)
        return self.rng.choice([
            f"length({e()})", f"keys({e()})", f"values({e()})", f"type({e()})", f"to_string({e()})",
            f"to_array({e()})", f"to_number({e()})", f"reverse({e()})", f"sort({e()})", f"not_null({e()}, {e()})",
            f"join(', ', {e()})", f"sort_by({e()}, &{self.name()})", f"max_by({e()}, &{self.name()})",
            f"min_by({e()}, &{self.name()})", f"map(&{self.name()}, {e()})", f"contains({e()}, {self.literal()})",
            f"ends_with({e()}, {self.literal()})", f"merge({e()}, {{a: {e()}}})", f"sum({e()})", f"avg({e()})",
            f"abs({e()})", f"floor({e()})", f"max({e()})", f"min({e()})",
        ])

    def expr(self, depth=3):
        if depth <= 0 or self.rng.random() < 0.3:
            return self.rng.choice([self.path(), self.path(), self.path(), self.name(), "@", self.literal()])
        d = depth - 1
        r = self.rng.randrange(16)
        if r < 3: return f"{self.expr(d)}.{self.name()}"
        if r == 3: return f"{self.expr(d)}[{self.rng.randint(-3, 3)}]"
        if r == 4:
            a, b, c = (self.rng.choice(["", str(self.rng.randint(-3, 3))]) for _ in range(3))
            return f"{self.expr(d)}[{a}:{b}:{c if c not in ('0', '') else '1'}]"
        if r == 5: return f"{self.expr(d)}[*].{self.name()}"
        if r == 6: return f"{self.expr(d)}[]"
        if r == 7: return f"{self.expr(d)}.*"
        if r == 8: return f"{self.expr(d)}[?{self.condition(d)}]"
        if r == 9: return f"{self.expr(d)} | {self.expr(d)}"
        if r == 10: return f"{self.expr(d)}.[{self.name()}, {self.expr(d)}]"
        if r == 11: return f"{{first: {self.expr(d)}, second: {self.expr(d)}}}"
        if r == 12: return self.condition(d)
        if r in (13, 14): return self.function(d)
        return f"({self.expr(d)})"


def reference(expr, doc):
    """The reference's answer, or the kind of failure: ('ok', v), ('error', kind) or ('python', …)
    for a failure of Python's own (comparing a string with a number raises TypeError there)."""
    try:
        return "ok", jmespath.search(expr, doc)
    except jmespath.exceptions.JMESPathError as e:
        return "error", type(e).__name__
    except Exception as e:  # noqa: BLE001 - Python's own comparison failures, not JMESPath's
        return "python", type(e).__name__


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_generated_expressions_agree_with_the_reference(credctl, world, name):
    doc = document(credctl, world, name)
    gen = Generator(doc, seed=f"credctl-{name}")
    agreed, errors, skipped = [], [], 0
    while len(agreed) < 300:
        expr = gen.expr(3)
        kind, value = reference(expr, doc)
        if kind == "ok":
            agreed.append((expr, value))
        elif kind == "error" and len(errors) < 5:
            errors.append(expr)
        elif kind == "python":
            skipped += 1
    assert skipped < 60, f"{skipped} expressions only Python could not evaluate"
    reached = [v for _, v in agreed if v not in (None, [], {})]
    assert len(reached) > 80, f"only {len(reached)} of {len(agreed)} expressions reach a value: the generator needs the document's paths"
    # Evaluated in batches: one multi-select list of 50 expressions per run.
    for start in range(0, len(agreed), 50):
        batch = agreed[start:start + 50]
        query = "[" + ", ".join(e for e, _ in batch) + "]"
        r = credctl(*COMMANDS[name](world), "--output", "json", "--query", query, env=world["env"])
        assert r.code == 0, (r, query)
        got = json.loads(r.out)
        assert len(got) == len(batch)
        for (expr, want), have in zip(batch, got):
            assert have == want, f"{expr!r} on {name}: credctl {have!r}, jmespath {want!r}"
    # What the reference refuses at run time, credctl refuses too: exit 2, nothing printed.
    for expr in errors:
        r = credctl(*COMMANDS[name](world), "--output", "json", "--query", expr, env=world["env"])
        assert r.code == 2 and r.out == "", (expr, r)
        assert r.err.startswith("credctl: error: "), r


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_text_output_is_the_aws_clis_text_output(credctl, world, name):
    doc = document(credctl, world, name)
    gen = Generator(doc, seed=f"text-{name}")
    exprs = ["@"] + [e for e in (gen.expr(2) for _ in range(400)) if reference(e, doc)[0] == "ok"][:14]
    for expr in exprs:
        out = io.StringIO()
        format_text(jmespath.search(expr, doc), out)
        r = credctl(*COMMANDS[name](world), "--output", "text", "--query", expr, env=world["env"])
        assert r.code == 0, (expr, r)
        assert r.out == out.getvalue(), f"{expr!r} on {name}"


# ---- exact messages ----

def test_a_syntax_error_is_a_usage_error_before_anything_runs(credctl, home):
    r = credctl("profiles", "--query", "Users[?Name == 'x'")
    assert (r.code, r.out) == (2, "")
    assert r.err == "credctl: error: bad value for --query Users[?Name == 'x': expected ']', got the end of the expression at column 18\n" \
        or r.err == "credctl: error: bad value for --query Users[?Name == 'x': incomplete expression at column 18\n", r.err
    r = credctl("--query", "a.&b", "profiles")
    assert (r.code, r.out) == (2, "")
    assert r.err == "credctl: error: bad value for --query a.&b: expected an identifier, '[' or '{', got '&' at column 2\n", r.err
    r = credctl("profiles", "--query", "")
    assert (r.code, r.err) == (2, "credctl: error: bad value for --query : empty expression\n"), r


def test_query_is_not_taken_for_quiet(credctl, home):
    write_aws_files(home, config="[profile a]\nregion = eu-west-1\n")
    r = credctl("profiles", "--query", "keys(@)", "--output", "json")
    assert r.code == 0, r
    assert isinstance(json.loads(r.out), list)


def test_a_failure_at_run_time_exits_2_and_prints_nothing(credctl, home):
    write_aws_files(home, config="[profile a]\nregion = eu-west-1\n")
    r = credctl("profiles", "--query", "abs(@)")
    assert (r.code, r.out) == (2, ""), r
    assert r.err == "credctl: error: --query abs(@) failed: abs() expects number, got object\n"


def test_where_there_is_no_json_query_is_refused(credctl, home):
    r = credctl("profiles", "--output", "csv", "--query", "@")
    assert (r.code, r.out, r.err) == (2, "", "credctl: error: --query does not apply to --output csv: choose json, text or table\n")
    r = credctl("request", "--query", "@", "https://sts.amazonaws.com/?Action=GetCallerIdentity")
    assert (r.code, r.out) == (2, ""), r
    assert r.err.startswith("credctl: error: --query does not apply here: request prints the answer as it came"), r.err


def test_json_result_forms(credctl, home):
    write_aws_files(home, config="[profile a]\nregion = eu-west-1\n")
    assert credctl("profiles", "--query", "nothing_here", "--output", "json").out == "null\n"
    assert credctl("profiles", "--query", "`{}`", "--output", "json").out == ""          # the AWS CLI prints nothing for {}
    assert credctl("profiles", "--query", "`[1, 2.50]`", "--output", "json").out == "[\n  1,\n  2.50\n]\n"
    assert credctl("profiles", "--query", "`[true, null, \"a\\tb\"]`", "--output", "text").out == "True\tNone\ta\\tb\n"


def test_an_export_gives_its_json_form_to_query(credctl, home):
    env = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
    for args in (["--query", "AccessKeyId", "--output", "text"], ["--format", "json", "--query", "AccessKeyId", "--output", "text"]):
        r = credctl("creds", "export", *args, env=env)
        assert (r.code, r.out, r.err) == (0, "AKIAIOSFODNN7EXAMPLE\n", ""), r
    r = credctl("creds", "export", "--query", "[AccessKeyId]", env=env)
    assert (r.code, r.out) == (0, '[\n  "AKIAIOSFODNN7EXAMPLE"\n]\n'), r
    r = credctl("creds", "export", "--format", "env", "--query", "AccessKeyId", env=env)
    assert (r.code, r.out, r.err) == (2, "", "credctl: error: --query applies to JSON output, not --format env: pass --format json or no --format\n")
    r = credctl("creds", "export", "--query", "@", "--output", "csv", env=env)
    assert (r.code, r.out) == (2, ""), r
    assert r.err.startswith("credctl: error: --output csv does not apply here: "), r.err
