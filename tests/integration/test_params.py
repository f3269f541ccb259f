"""`credctl params …` against moto (signature checking on) and loopback fakes: values read back
exactly by the AWS CLI, boto3, bash and python-dotenv; every bad input refused before a call."""
import io
import json
import subprocess
import threading
import time
import uuid

import pytest
import yaml
from dotenv import dotenv_values

from conftest import aws_cli
from fake_servers import RecordingServer, fake_server_env

TRICKY = "p@ss word = # 'single' \"double\" $HOME `tick` \\ back\nsecond line\ttab ünï"


@pytest.fixture
def root():
    """A path of this test's own in the shared moto server."""
    return f"/T{uuid.uuid4().hex[:10]}"


@pytest.fixture
def ssm(moto):
    return moto.client("ssm")


def put(ssm, name, value, type_="SecureString"):
    ssm.put_parameter(Name=name, Value=value, Type=type_)


def names_under(ssm, path):
    pages = ssm.get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=True)
    return sorted(p["Name"] for page in pages for p in page["Parameters"])


# --- get / put and the AWS CLI reading each other's values ---------------------------------

def test_put_from_stdin_is_read_back_byte_for_byte_by_the_aws_cli(credctl, admin_env, moto, root):
    name = f"{root}/APP/PASSWORD"
    r = credctl("params", "put", name, env=admin_env, stdin=TRICKY + "\n")
    assert r.code == 0, r
    assert TRICKY not in r.out + r.err
    out = json.loads(aws_cli(moto, "ssm", "get-parameter", "--name", name, "--with-decryption", "--output", "json"))
    assert out["Parameter"]["Value"] == TRICKY   # the one trailing newline of the input is dropped
    assert out["Parameter"]["Type"] == "SecureString"


def test_value_file_and_keep_trailing_newline(credctl, admin_env, ssm, root, tmp_path):
    f = tmp_path / "value"
    f.write_bytes(b"-----BEGIN KEY-----\nabc\n-----END KEY-----\n")
    r = credctl("params", "put", f"{root}/K", "--value-file", str(f), "--keep-trailing-newline", "--type", "String", env=admin_env)
    assert r.code == 0, r
    assert ssm.get_parameter(Name=f"{root}/K")["Parameter"]["Value"] == f.read_text()


def test_get_prints_the_bare_value_written_by_the_aws_cli(credctl, admin_env, moto, root):
    aws_cli(moto, "ssm", "put-parameter", "--name", f"{root}/DB/PASSWORD", "--type", "SecureString", "--value", TRICKY)
    r = credctl("params", "get", f"{root}/DB/PASSWORD", env=admin_env)
    assert r.code == 0, r
    assert r.out == TRICKY + "\n"
    assert r.err == ""


def test_get_json_versions_and_labels(credctl, admin_env, ssm, root):
    name = f"{root}/V"
    put(ssm, name, "one", "String")
    ssm.put_parameter(Name=name, Value="two", Overwrite=True)
    ssm.label_parameter_version(Name=name, ParameterVersion=1, Labels=["golden"])
    r = credctl("params", "get", name, "--output", "json", env=admin_env)
    doc = json.loads(r.out)
    assert doc["Value"] == "two" and doc["Version"] == 2 and doc["Type"] == "String" and doc["Name"] == name
    assert doc["LastModifiedDate"].endswith("Z") and doc["ARN"].endswith(f"parameter{name}")
    assert credctl("params", "get", name, "--version", "1", env=admin_env).out == "one\n"
    assert credctl("params", "get", name, "--label", "golden", env=admin_env).out == "one\n"


def test_relative_names_from_flags_and_environment(credctl, admin_env, ssm, root):
    put(ssm, f"{root}/STAGING/MYSQL/PASSWORD", "s3cret")
    r = credctl("params", "get", "MYSQL/PASSWORD", "--prefix", root, "--env", "STAGING", env=admin_env)
    assert r.out == "s3cret\n", r
    env = dict(admin_env, CREDCTL_PARAMS_PREFIX=root, CREDCTL_PARAMS_ENV="STAGING")
    assert credctl("params", "get", "MYSQL/PASSWORD", env=env).out == "s3cret\n"
    # a full name ignores the root
    assert credctl("params", "get", f"{root}/STAGING/MYSQL/PASSWORD", env=env).out == "s3cret\n"


def test_missing_parameter_exits_4(credctl, admin_env, root):
    r = credctl("params", "get", f"{root}/NOPE", env=admin_env)
    assert r.code == 4, r
    assert r.out == ""
    assert f"ssm:GetParameter: ParameterNotFound: Parameter {root}/NOPE not found." in r.err


def test_put_without_overwrite_keeps_the_old_value(credctl, admin_env, ssm, root):
    put(ssm, f"{root}/X", "old")
    r = credctl("params", "put", f"{root}/X", env=admin_env, stdin="new")
    assert r.code == 4, r
    assert "ParameterAlreadyExists" in r.err
    assert ssm.get_parameter(Name=f"{root}/X", WithDecryption=True)["Parameter"]["Value"] == "old"


def test_overwrite_keeps_the_type_and_adds_tags(credctl, admin_env, ssm, root):
    put(ssm, f"{root}/X", "old", "String")
    r = credctl("params", "put", f"{root}/X", "--overwrite", "--tags", "team=data", "env=staging", env=admin_env, stdin="new")
    assert r.code == 0, r
    p = ssm.get_parameter(Name=f"{root}/X")["Parameter"]
    assert (p["Value"], p["Type"], p["Version"]) == ("new", "String", 2)
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=f"{root}/X")["TagList"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "data", "env": "staging"}


BAD_PUTS = [
    (["{root}/bad name"], "x", "'{root}/bad name' holds ' ': parameter names may hold only letters, digits, '_', '.', '-' and '/'"),
    (["NO/LEADING"], "x", "'NO/LEADING' contains '/' so must start with '/' (a fully qualified name)"),
    (["{root}/trailing/"], "x", "'{root}/trailing/' ends with '/': that is a path, not a parameter name"),
    (["{root}//empty"], "x", "'{root}//empty' has an empty level ('//')"),
    (["{root}" + "/l" * 15], "x", "'{root}" + "/l" * 15 + "' has 16 levels; Parameter Store allows at most 15"),
    (["/aws/reserved"], "x", "'/aws/reserved' starts with 'aws': names prefixed with 'aws' or 'ssm' (any case) are reserved by AWS"),
    (["SSMthing"], "x", "'SSMthing' starts with 'SSM': names prefixed with 'aws' or 'ssm' (any case) are reserved by AWS"),
    (["/" + "n" * 1011], "x", "'/" + "n" * 39 + "…' is longer than 1011 characters"),
    (["{root}/big"], "v" * 4097, "{root}/big: the value is 4097 bytes; the Standard tier allows at most 4096 (use --tier Advanced for up to 8192)"),
    (["{root}/big", "--tier", "Advanced"], "v" * 8193, "{root}/big: the value is 8193 bytes; the Advanced tier allows at most 8192"),
    (["{root}/empty"], "", "{root}/empty: the value is empty; Parameter Store needs at least one character"),
    (["{root}/t", "--type", "Secure"], "x", "'Secure' is not a parameter type: use String, StringList or SecureString"),
    (["{root}/t", "--tier", "Gold"], "x", "'Gold' is not a tier: use Standard, Advanced or Intelligent-Tiering"),
    (["{root}/t", "--type", "String", "--key-id", "alias/k"], "x", "--key-id applies only to SecureString parameters"),
    (["{root}/t", "--description", "d" * 1025], "x", "the description is 1025 characters; at most 1024"),
    (["{root}/t", "--tags", "=v"], "x", None),
]


@pytest.mark.parametrize("args,value,message", BAD_PUTS)
def test_bad_input_exits_2_and_writes_nothing(credctl, admin_env, ssm, root, args, value, message):
    args = [a.replace("{root}", root) for a in args]
    r = credctl("params", "put", *args, env=admin_env, stdin=value)
    assert r.code == 2, r
    if message is not None:
        assert r.err == f"credctl: error: {message.replace('{root}', root)}\n"
    assert names_under(ssm, root) == []


def test_non_utf8_value_is_refused(credctl, admin_env, ssm, root, tmp_path):
    f = tmp_path / "v"
    f.write_bytes(b"\xff\xfe")
    r = credctl("params", "put", f"{root}/B", "--value-file", str(f), env=admin_env)
    assert r.code == 2 and f"the value for {root}/B is not UTF-8 text" in r.err, r
    assert names_under(ssm, root) == []


def test_missing_value_and_import_files_exit_2_and_write_nothing(credctl, admin_env, ssm, root, tmp_path):
    absent = tmp_path / "absent"
    r = credctl("params", "put", f"{root}/B", "--value-file", str(absent), env=admin_env)
    assert r.code == 2 and r.err == f"credctl: error: --value-file {absent}: no such file\n", r
    i = credctl("params", "import", f"{root}/I", str(absent), env=admin_env)
    assert i.code == 2 and i.err == f"credctl: error: {absent}: no such file\n", i
    assert names_under(ssm, root) == []


def test_no_value_argument_exists(credctl, admin_env):
    r = credctl("params", "put", "/x", "--value", "secret", env=admin_env)
    assert r.code == 2 and "Unknown option '--value'" in r.err, r


# --- hierarchies ---------------------------------------------------------------------------

def test_get_path_names_are_relative_and_pages_are_followed(credctl, admin_env, ssm, root):
    for i in range(230):
        put(ssm, f"{root}/APP/N{i:03d}", f"v{i}", "String")
    put(ssm, f"{root}/APP/DEEP/ER", "deep", "String")
    one_level = credctl("params", "get-path", f"{root}/APP", "--output", "json", env=admin_env)
    assert one_level.code == 0, one_level
    doc = json.loads(one_level.out)
    assert len(doc) == 230 and doc["N007"] == "v7" and "DEEP/ER" not in doc
    recursive = json.loads(credctl("params", "get-path", f"{root}/APP", "--recursive", "--output", "json", env=admin_env).out)
    assert len(recursive) == 231 and recursive["DEEP/ER"] == "deep"
    table = credctl("params", "get-path", f"{root}/APP/DEEP", env=admin_env).out
    assert table == "NAME  VALUE\nER    deep\n"


def test_list_shows_no_values_and_history_only_on_request(credctl, admin_env, ssm, root):
    put(ssm, f"{root}/A/SECRET", "hunter2")
    ssm.put_parameter(Name=f"{root}/A/SECRET", Value="hunter3", Overwrite=True)
    r = credctl("params", "list", f"{root}/A", "--output", "json", env=admin_env)
    assert r.code == 0, r
    [item] = json.loads(r.out)
    assert item["Name"] == f"{root}/A/SECRET" and item["Type"] == "SecureString" and item["Version"] == 2
    assert "hunter" not in r.out
    h = credctl("params", "history", f"{root}/A/SECRET", env=admin_env)
    assert h.code == 0 and "hunter" not in h.out, h
    assert [line.split()[0] for line in h.out.splitlines()] == ["VERSION", "1", "2"]
    hv = json.loads(credctl("params", "history", f"{root}/A/SECRET", "--values", "--output", "json", env=admin_env).out)
    assert [v["Value"] for v in hv] == ["hunter2", "hunter3"]


def test_delete_in_batches_and_missing_names_exit_4(credctl, admin_env, ssm, root):
    names = [f"{root}/D/P{i}" for i in range(23)]
    for n in names:
        put(ssm, n, "x", "String")
    r = credctl("params", "delete", *names, f"{root}/D/ABSENT", "--output", "json", env=admin_env)
    assert r.code == 4, r
    doc = json.loads(r.out)
    assert sorted(doc["Deleted"]) == sorted(names) and doc["NotFound"] == [f"{root}/D/ABSENT"]
    assert f"credctl: error: not found: {root}/D/ABSENT" in r.err
    assert names_under(ssm, root) == []


def test_delete_with_one_bad_name_deletes_nothing(credctl, admin_env, ssm, root):
    put(ssm, f"{root}/KEEP", "x", "String")
    r = credctl("params", "delete", f"{root}/KEEP", f"{root}//bad", env=admin_env)
    assert r.code == 2, r
    assert r.err == f"credctl: error: '{root}//bad' has an empty level ('//')\n"
    assert names_under(ssm, root) == [f"{root}/KEEP"]


# --- export and exec ---------------------------------------------------------------------

@pytest.fixture
def hierarchy(ssm, root):
    put(ssm, f"{root}/STAGING/MYSQL/PASSWORD", TRICKY)
    put(ssm, f"{root}/STAGING/MYSQL/USER", "app", "String")
    put(ssm, f"{root}/STAGING/DEEP/NESTED", "n=1", "String")
    put(ssm, f"{root}/STAGING/app.db-url", "mysql://h/db", "String")
    return f"{root}/STAGING"


def test_export_dotenv_is_read_back_exactly_by_python_dotenv(credctl, admin_env, hierarchy):
    r = credctl("params", "export", f"{hierarchy}/MYSQL", env=admin_env)
    assert r.code == 0, r
    assert dotenv_values(stream=io.StringIO(r.out)) == {"PASSWORD": TRICKY, "USER": "app"}
    nested = credctl("params", "export", hierarchy, "--recursive", env=admin_env)
    assert dotenv_values(stream=io.StringIO(nested.out)) == {
        "APP_DB_URL": "mysql://h/db", "DEEP_NESTED": "n=1", "MYSQL_PASSWORD": TRICKY, "MYSQL_USER": "app"}


def test_export_env_is_read_back_exactly_by_bash(credctl, admin_env, hierarchy):
    r = credctl("params", "export", f"{hierarchy}/MYSQL", "--format", "env", env=admin_env)
    script = r.out + 'printf "%s" "$PASSWORD"'
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True).stdout
    assert out == TRICKY


def test_export_json_and_yaml(credctl, admin_env, hierarchy):
    j = json.loads(credctl("params", "export", f"{hierarchy}/MYSQL", "--format", "json", env=admin_env).out)
    assert j == {"PASSWORD": TRICKY, "USER": "app"}
    y = yaml.safe_load(credctl("params", "export", hierarchy, "--recursive", "--format", "yaml", env=admin_env).out)
    assert y == {"APP_DB_URL": "mysql://h/db", "DEEP_NESTED": "n=1", "MYSQL_PASSWORD": TRICKY, "MYSQL_USER": "app"}


def test_export_later_paths_override_and_collisions_are_errors(credctl, admin_env, ssm, root):
    put(ssm, f"{root}/BASE/USER", "base", "String")
    put(ssm, f"{root}/BASE/HOST", "h", "String")
    put(ssm, f"{root}/OVER/USER", "over", "String")
    r = credctl("params", "export", f"{root}/BASE", f"{root}/OVER", "--format", "json", env=admin_env)
    assert json.loads(r.out) == {"HOST": "h", "USER": "over"}
    put(ssm, f"{root}/C/db-url", "a", "String")
    put(ssm, f"{root}/C/DB_URL", "b", "String")
    c = credctl("params", "export", f"{root}/C", env=admin_env)
    assert c.code == 2, c
    assert c.err == f"credctl: error: {root}/C/DB_URL and {root}/C/db-url both become DB_URL; export their paths separately or rename one\n"


def test_export_of_an_empty_path_exits_4(credctl, admin_env, root):
    r = credctl("params", "export", f"{root}/NOTHING", env=admin_env)
    assert r.code == 4 and r.out == "", r
    assert "no parameters under" in r.err and "add --recursive" in r.err


def test_exec_injects_variables_and_passes_the_exit_code(credctl, admin_env, ssm, hierarchy, root):
    put(ssm, f"{root}/PROD/MYSQL/USER", "prod-user", "String")
    r = credctl("params", "exec", f"{hierarchy}/MYSQL", f"{root}/PROD/MYSQL", "--",
                "python3", "-c", "import os,sys; print(repr(os.environ['PASSWORD'])); print(os.environ['USER']); sys.exit(7)",
                env=admin_env)
    assert r.code == 7, r
    assert r.out == repr(TRICKY) + "\nprod-user\n"
    bad = credctl("params", "exec", f"{hierarchy}/MYSQL", "--", "/no/such/program", env=admin_env)
    assert bad.code == 127 and "cannot run /no/such/program" in bad.err


def test_debug_output_never_shows_values(credctl, admin_env, hierarchy):
    r = credctl("params", "export", hierarchy, "--recursive", "--debug", env=admin_env)
    assert r.code == 0 and "debug: >" in r.err
    for secret in (TRICKY.splitlines()[0], "mysql://h/db", admin_env["AWS_SECRET_ACCESS_KEY"]):
        assert secret not in r.err
    p = credctl("params", "put", f"{hierarchy}/NEW", "--debug", env=admin_env, stdin="brand-new-secret")
    assert p.code == 0 and "brand-new-secret" not in p.err + p.out


def test_paths_are_read_concurrently(credctl):
    """Each page takes 0.3 s; four paths read one after another would take 1.2 s."""
    lock = threading.Lock()
    state = {"in_flight": 0, "max": 0}

    def respond(handler, i):
        with lock:
            state["in_flight"] += 1
            state["max"] = max(state["max"], state["in_flight"])
        time.sleep(0.3)
        with lock:
            state["in_flight"] -= 1
        path = json.loads(server.requests[i]["body"])["Path"]
        body = json.dumps({"Parameters": [{"Name": f"{path}/V", "Type": "String", "Value": path, "Version": 1}]})
        return 200, {"Content-Type": "application/x-amz-json-1.1"}, body.encode()

    with RecordingServer(respond) as server:
        env = fake_server_env(server)
        r = credctl("params", "export", "/a", "/b", "/c", "/d", "--format", "json", env=env)
        assert r.code == 0, r
        assert json.loads(r.out) == {"V": "/d"}
        assert state["max"] == 4
        assert r.elapsed < 1.0


def test_short_and_empty_pages_with_a_token_are_followed(credctl):
    pages = [(["A", "B", "C"], "t1"), ([], "t2"), (["D"], "t3"), ([], None)]

    def respond(handler, i):
        body = json.loads(server.requests[i]["body"])
        assert body.get("NextToken") == (pages[i - 1][1] if i else None)
        assert body["MaxResults"] == 10 and body["WithDecryption"] is True
        names, token = pages[i]
        doc = {"Parameters": [{"Name": f"/p/{n}", "Type": "SecureString", "Value": n.lower(), "Version": 1} for n in names]}
        if token:
            doc["NextToken"] = token
        return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(doc).encode()

    with RecordingServer(respond) as server:
        env = fake_server_env(server)
        r = credctl("params", "get-path", "/p", "--output", "json", env=env)
        assert r.code == 0, r
        assert json.loads(r.out) == {"A": "a", "B": "b", "C": "c", "D": "d"}
        assert len(server.requests) == 4
        assert all(dict(q["headers"])["X-Amz-Target"] == "AmazonSSM.GetParametersByPath" for q in server.requests)


def test_throttled_page_is_retried(credctl):
    def respond(handler, i):
        if i == 0:
            return 400, {"Content-Type": "application/x-amz-json-1.1"}, b'{"__type":"ThrottlingException","message":"Rate exceeded"}'
        return 200, {}, json.dumps({"Parameters": [{"Name": "/p/A", "Type": "String", "Value": "a", "Version": 1}]}).encode()

    with RecordingServer(respond) as server:
        env = fake_server_env(server)
        r = credctl("params", "export", "/p", env=env)
        assert r.code == 0, r
        assert r.out == 'A="a"\n' and len(server.requests) == 2


# --- import and copy ---------------------------------------------------------------------

def test_import_dotenv_round_trips_an_export(credctl, admin_env, ssm, hierarchy, root, tmp_path):
    exported = credctl("params", "export", f"{hierarchy}/MYSQL", env=admin_env).out
    f = tmp_path / "mysql.env"
    f.write_text("# exported\n" + exported)
    dry = credctl("params", "import", f"{root}/COPY", str(f), "--dry-run", env=admin_env)
    assert dry.code == 0, dry
    assert dry.out.splitlines()[1:] == [f"{root}/COPY/PASSWORD  SecureString  would create",
                                        f"{root}/COPY/USER      SecureString  would create"]
    assert names_under(ssm, f"{root}/COPY") == []
    r = credctl("params", "import", f"{root}/COPY", str(f), env=admin_env)
    assert r.code == 0, r
    assert ssm.get_parameter(Name=f"{root}/COPY/PASSWORD", WithDecryption=True)["Parameter"]["Value"] == TRICKY
    # again: everything unchanged, nothing written
    again = credctl("params", "import", f"{root}/COPY", str(f), "--output", "json", env=admin_env)
    assert {i["Action"] for i in json.loads(again.out)} == {"unchanged"}
    assert ssm.get_parameter(Name=f"{root}/COPY/USER")["Parameter"]["Version"] == 1


def test_import_json_with_nesting_and_conflicts(credctl, admin_env, ssm, root, tmp_path):
    put(ssm, f"{root}/J/MYSQL/USER", "old", "String")
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"MYSQL": {"USER": "new", "PORT": 3306}, "DEBUG": False}))
    r = credctl("params", "import", f"{root}/J", str(f), "--type", "String", env=admin_env)
    assert r.code == 2, r
    assert r.err == (f"credctl: error: 1 parameter(s) already exist with other values ({root}/J/MYSQL/USER); "
                     "nothing was written. Add --overwrite to replace them\n")
    assert names_under(ssm, f"{root}/J") == [f"{root}/J/MYSQL/USER"]
    ok = credctl("params", "import", f"{root}/J", str(f), "--type", "String", "--overwrite", env=admin_env)
    assert ok.code == 0, ok
    values = {p["Name"]: p["Value"] for p in ssm.get_parameters_by_path(Path=f"{root}/J", Recursive=True)["Parameters"]}
    assert values == {f"{root}/J/MYSQL/USER": "new", f"{root}/J/MYSQL/PORT": "3306", f"{root}/J/DEBUG": "false"}


@pytest.mark.parametrize("content,message", [
    ("A='unterminated\n", "line 1: the value's single quote is never closed"),
    ("OK=1\nNOEQUALS\n", "line 2: expected NAME=value (the line's text is not shown: it may be a secret)"),
    ('{"A": [1, 2]}', "'A' is an array; only strings, numbers, booleans and objects can be imported"),
    ('{"A": null}', "'A' is null; give it a value or leave it out"),
    ('{"A": ', "malformed JSON at byte 6: unexpected end"),
    ("OK=1\nhunter2-a-bare-secret\n", "line 2: expected NAME=value (the line's text is not shown: it may be a secret)"),
    ("BAD NAME=1\n", "line 1: expected NAME=value (the line's text is not shown: it may be a secret)"),
    ('{"a b": "1"}', None),
    ("BIG=" + "v" * 4097 + "\n", None),
])
def test_import_bad_files_exit_2_and_write_nothing(credctl, admin_env, ssm, root, tmp_path, content, message):
    f = tmp_path / "in"
    f.write_text(content)
    r = credctl("params", "import", f"{root}/I", str(f), env=admin_env)
    assert r.code == 2, r
    if message:
        assert r.err == f"credctl: error: {f}: {message}\n"
    assert names_under(ssm, root) == []


def test_copy_promotes_a_tree_keeping_types(credctl, admin_env, ssm, hierarchy, root):
    dry = credctl("params", "copy", hierarchy, f"{root}/PRODUCTION", "--dry-run", env=admin_env)
    assert dry.code == 0 and names_under(ssm, f"{root}/PRODUCTION") == [], dry
    r = credctl("params", "copy", hierarchy, f"{root}/PRODUCTION", env=admin_env)
    assert r.code == 0, r
    got = {p["Name"]: (p["Type"], p["Value"]) for p in
           ssm.get_parameters_by_path(Path=f"{root}/PRODUCTION", Recursive=True, WithDecryption=True)["Parameters"]}
    assert got == {f"{root}/PRODUCTION/MYSQL/PASSWORD": ("SecureString", TRICKY),
                   f"{root}/PRODUCTION/MYSQL/USER": ("String", "app"),
                   f"{root}/PRODUCTION/DEEP/NESTED": ("String", "n=1"),
                   f"{root}/PRODUCTION/app.db-url": ("String", "mysql://h/db")}
    same = credctl("params", "copy", hierarchy, hierarchy + "/", env=admin_env)
    assert same.code == 2 and "the source and destination are the same path" in same.err
