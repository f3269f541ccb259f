"""A seeded differential fuzzer of how the shared config and credentials files and the
environment are read: botocore (in-process) against the credctl binary.

A case is two files (lists of lines, each with its own line end) and an environment. Both
sides answer three questions: which profiles exist, with which settings (`credctl profiles
--settings`); which static credentials resolve, or that none or an error does (`creds export`
and `creds show`); which region. The reference is botocore with credctl's documented
deviations applied (docs/credentials.md, "How the files are read").
"""
import json
import os
import random
import re
import subprocess
from dataclasses import dataclass, replace
from unittest import mock

import botocore.session

NAMES = ["default", "dev", "prod", "a b", "ünï", "日本", "x!y", "p.q/r@s", "Dev", "😀", "DEFAULT", "tab\tname", "Σ"]
KEY_IDS = ["AKIAFUZZ000000000001", "AKIAFUZZ000000000002", "ASIAFUZZ000000000003", "", "AKIA ÜNÏ"]
SECRETS = ["fuzz/secret+1", "wJalrXUtnFEMIK7MDENG/bPxRfiCYFUZZKEY", "", "s p a c e", "ünïcödé✓", "x#y"]
TOKENS = ["FwoGZXIvYXdzEFUZZ==", "tok", "", "t#1"]
REGIONS = ["eu-west-1", "us-east-2", "ap-south-1", "eu-west-1", "", "EU-WEST-1", "eu-west-1 # dublin"]
FILLER = [("output", ["json", "text", "", "table ; c"]), ("cli_pager", ["", "less -R"]), ("x-custom", ["1", "a=b", "ü", "a\x00b", "x\x0cy\u2028z"]),
          ("Région", ["x"]), ("in valid", ["v"]), ("[odd", ["1"])]
EOLS = ["\n", "\n", "\n", "\r\n", "\r"]
AWS_DIR_VAR = "CREDCTL_FUZZ_AWS_DIR"
VALID_REGION = re.compile(r"^[a-z0-9-]{1,64}$")
BOTOCORE_METHOD = {"env": "environment", "shared-credentials-file": "shared-credentials-file", "config-file": "config-file"}
SECRET_SETTINGS = {"aws_secret_access_key", "aws_session_token", "aws_security_token"}


@dataclass
class Case:
    config: list          # [(line, eol)]
    credentials: list
    env: dict
    flag: str = None
    config_path: str = "default"       # how AWS_CONFIG_FILE is given (see PATH_MODES)
    credentials_path: str = "default"
    bom: bool = False
    invalid_utf8: str = None      # "config" or "credentials": a byte that is not UTF-8 at the end

    def data(self, which):
        lines = self.config if which == "config" else self.credentials
        body = "".join(line + eol for line, eol in lines)
        data = (("\ufeff" if self.bom and which == "config" else "") + body).encode()
        return data + (b"\xff\n" if self.invalid_utf8 == which else b"")

    def text(self, which):
        return self.data(which).decode(errors="replace")

    def describe(self):
        out = [f"flag={self.flag!r} env={self.env!r}",
               f"AWS_CONFIG_FILE mode={self.config_path} AWS_SHARED_CREDENTIALS_FILE mode={self.credentials_path} "
               f"bom={self.bom} invalid_utf8={self.invalid_utf8}"]
        for which in ("config", "credentials"):
            out.append(f"--- {which} ---")
            out.append(repr(self.text(which)))
        return "\n".join(out)


PATH_MODES = ["default", "default", "default", "absolute", "$HOME", "${HOME}", "~", "$VAR", "empty", "unset-var", "same-file",
              "directory", "/dev/null"]


def file_locations(case, home):
    """The variables naming the files, and where each file's text is written (None: nowhere,
    because the variable names the other file: one file read as both)."""
    modes = {"config": case.config_path, "credentials": case.credentials_path}
    if modes["config"] == modes["credentials"] == "same-file":
        modes["credentials"] = "default"
    env, written = {}, {}
    for which, var, default in (("config", "AWS_CONFIG_FILE", ".aws/config"),
                                ("credentials", "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")):
        mode = modes[which]
        alt = os.path.join(home, "alt", which)
        given = {"absolute": alt, "$HOME": f"$HOME/alt/{which}", "${HOME}": f"${{HOME}}/alt/{which}", "~": f"~/alt/{which}",
                 "$VAR": f"${AWS_DIR_VAR}/{which}", "empty": "", "unset-var": f"$CREDCTL_FUZZ_UNSET/{which}",
                 "directory": os.path.join(home, "alt"), "/dev/null": "/dev/null"}
        if mode in given:
            env[var] = given[mode]
        written[which] = {"absolute": alt, "$HOME": alt, "${HOME}": alt, "~": alt,
                          "$VAR": os.path.join(home, "vardir", which)}.get(mode, os.path.join(home, default))
        if mode == "$VAR":
            env[AWS_DIR_VAR] = os.path.join(home, "vardir")
    for which, var, other in (("config", "AWS_CONFIG_FILE", "credentials"), ("credentials", "AWS_SHARED_CREDENTIALS_FILE", "config")):
        if modes[which] == "same-file":
            env[var] = written[other]
            written[which] = None
    return env, written


def write_case(case, home):
    """Writes the files into a fresh `home`; returns the full environment both sides use."""
    for sub in (".aws", "alt", "vardir"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
    path_env, written = file_locations(case, home)
    for which in ("config", "credentials"):
        if written[which] is not None:
            with open(written[which], "wb") as f:
                f.write(case.data(which))
    env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_EC2_METADATA_DISABLED": "true"}
    env.update(path_env)
    env.update(case.env)
    return env


# ---------------------------------------------------------------- generation

def header(rng, name, config):
    if not config:
        form = rng.choice(["[{n}]"] * 8 + ["[ {n} ]", "[profile {n}]", "[{n}] # c", "[{n}];c", "[{n}]junk", " [{n}]", "[{n}] [x]",
                           "\u3000[{n}]"])
        return form.format(n=name)
    if name == "default" and rng.random() < 0.6:
        return rng.choice(["[default]", "[default]", "[default] # personal", "[default ]", "[ default]", "[profile default]"])
    quoted = f'"{name}"' if rng.random() < 0.5 else f"'{name}'"
    plain = name if not any(c in name for c in " \t") else quoted
    return rng.choice([f"[profile {plain}]"] * 6 + [f"[profile {quoted}]", f"[profile  {plain} ]", f"[profile\t{plain}]",
                       f"[ profile {plain}]", f"[profile{plain}]", f"[profile {plain} extra]", f"[profiles {plain}]",
                       f"[{plain}]", f"[profile {plain}]; work", f"  [profile {plain}]"])


def value_for(rng, key):
    k = key.lower()
    if k == "aws_access_key_id":
        return rng.choice(KEY_IDS)
    if k == "aws_secret_access_key":
        return rng.choice(SECRETS)
    if k in ("aws_session_token", "aws_security_token"):
        return rng.choice(TOKENS)
    if k == "region":
        return rng.choice(REGIONS)
    return rng.choice(dict(FILLER).get(key, ["v"]))


def entry_lines(rng, dirty=False):
    """One key's lines: the key line, then any continuation or sub-section lines."""
    r = rng.random()
    if r < 0.55:
        key = rng.choice(["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"])
    elif r < 0.75:
        key = "region"
    elif r < 0.85:
        key = "s3"
    else:
        key = rng.choice(FILLER)[0]
    if rng.random() < 0.15:
        key = rng.choice([key.upper(), key.capitalize()])
    delim = rng.choice(["=", " = ", " = ", ": ", " :", "\t=\t", "=  "])
    indent = rng.choice([""] * 12 + ["  ", "\t", "\u3000", "\x0c"])
    if key == "s3":
        lines = [f"{indent}s3{delim}".rstrip()]
        for _ in range(rng.randint(1, 3)):
            sub = rng.choice(["addressing_style = path", "max_concurrent_requests=20", "  Signature_Version = s3v4",
                              "", "= nameless", "a = b = c", "x = 1\x0by = 2"]
                             + (["# not a comment here", "addressing_style: path", "x\x0by = 1"] if dirty else []))
            lines.append(indent + "    " + sub if sub else "")
        return lines
    value = value_for(rng, key)
    suffix = rng.choice([""] * 8 + [" # comment", " ;c", "  ", "\t"])
    lines = [f"{indent}{key}{delim}{value}{suffix}"]
    if (value or dirty) and key.lower() not in ("aws_access_key_id", "aws_secret_access_key", "region") and rng.random() < 0.15:
        lines.append(indent + rng.choice(["  more", "\tmore # c", "   [profile dev]"]))
    return lines


def noise(rng, dirty):
    return rng.choice(["# comment", "; comment", "   # indented comment", "", "   ", "\t", "\u00a0", "[x = 1"]
                      + (["garbage line", "= nameless", "[]", "[odd", "  continued"] if dirty else []))


def file_lines(rng, config, names_used):
    dirty = rng.random() < 0.1
    lines = []
    if dirty and rng.random() < 0.2:
        lines.append(rng.choice(["aws_secret_access_key = outside", "# only a comment", "region = eu-west-1"]))
    sections = rng.randint(0, 4)
    names = rng.sample(NAMES, k=min(len(NAMES), sections))
    if sections and "default" not in names and rng.random() < 0.5:
        names[0] = "default"
    names_used.update(names)
    for name in names:
        if rng.random() < 0.08:
            lines.append(rng.choice(["[DEFAULT]", "[sso-session s]", "[services svc]", "[preview]", "[plugins]"]))
        elif name == "DEFAULT":
            lines.append("[DEFAULT]")
        else:
            lines.append(header(rng, name, config))
        keys_done = set()
        if rng.random() < 0.5:                # a whole key pair, the common case
            lines += [f"aws_access_key_id = {rng.choice(KEY_IDS[:3])}", f"aws_secret_access_key = {rng.choice(SECRETS)}"]
            keys_done |= {"aws_access_key_id", "aws_secret_access_key"}
        for _ in range(rng.randint(0, 4)):
            entry = entry_lines(rng, dirty)
            key = entry[0].strip().split("=")[0].split(":")[0].strip().lower()
            if key in keys_done and not (dirty and rng.random() < 0.2):
                continue                      # a repeated key refuses the file: keep it rare
            keys_done.add(key)
            lines += entry
            if rng.random() < 0.12:
                lines.append(noise(rng, dirty))
        if rng.random() < 0.3:
            lines.append("")
    if rng.random() < 0.1 and names:          # the same profile again, maybe in another spelling
        again = header(rng, rng.choice(names), config)
        if dirty or again not in lines:
            lines.append(again)
            lines += entry_lines(rng, dirty)
    return lines


def with_eols(rng, lines):
    if not lines:
        return []
    style = rng.choice(["\n", "\n", "\r\n", "\r", "mixed"])
    out = [(line, rng.choice(EOLS) if style == "mixed" else style) for line in lines]
    if rng.random() < 0.2:
        out[-1] = (out[-1][0], "")            # no line end at the end of the file
    return out


def environment(rng, names_used):
    env = {}
    e = rng.choice(["none"] * 5 + ["full", "id-only", "secret-only", "empty-id", "empty-secret"])
    if e in ("full", "id-only", "empty-secret"):
        env["AWS_ACCESS_KEY_ID"] = "AKIAENV0000000000001"
    if e in ("full", "secret-only", "empty-id"):
        env["AWS_SECRET_ACCESS_KEY"] = "env/secret"
    if e == "empty-id":
        env["AWS_ACCESS_KEY_ID"] = ""
    if e == "empty-secret":
        env["AWS_SECRET_ACCESS_KEY"] = ""
    if e == "full" and rng.random() < 0.4:
        env[rng.choice(["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"])] = rng.choice(["envtoken", ""])
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        if rng.random() < 0.2:
            env[var] = rng.choice(sorted(names_used) * 4 + NAMES + ["", "ghost", " prod ", "profile dev"])
    for var in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if rng.random() < 0.25:
            env[var] = rng.choice(["us-west-2", "eu-central-1", ""])
    return env


def generate(rng):
    names_used = set()
    config = with_eols(rng, file_lines(rng, True, names_used))
    credentials = with_eols(rng, file_lines(rng, False, names_used))
    flag = rng.choice(sorted(names_used) * 4 + NAMES + ["ghost"]) if rng.random() < 0.2 else None
    return Case(config=config, credentials=credentials, env=environment(rng, names_used), flag=flag,
                config_path=rng.choice(PATH_MODES), credentials_path=rng.choice(PATH_MODES), bom=rng.random() < 0.02,
                invalid_utf8=rng.choice(["config", "credentials"]) if rng.random() < 0.02 else None)
# ---------------------------------------------------------------- the two sides

def selected_profile(env, flag):
    if flag:
        return flag
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        if var in env:
            return env[var]
    return None


def botocore_answer(env, flag):
    """botocore's reading, with credctl's documented deviations applied."""
    env = dict(env)
    if "AWS_PROFILE" in env:          # deviation: AWS_PROFILE before AWS_DEFAULT_PROFILE (AWS CLI v2)
        env.pop("AWS_DEFAULT_PROFILE", None)
    with mock.patch.dict(os.environ, env, clear=True):
        session = botocore.session.Session(profile=flag or None)
        try:
            names = session.available_profiles
            settings = {n: session.full_config["profiles"][n] for n in names}
        except Exception as error:
            return {"files": ("error", type(error).__name__)}
        answer = {"files": ("ok", names, settings)}
        if selected_profile(env, flag) == "":
            # deviation: an empty profile name is never a profile (botocore would mix the
            # settings of [profile ""] with the credentials of the default profile).
            answer["credentials"] = ("error", "empty profile name")
            return answer
        try:
            c = session.get_credentials()
        except Exception as error:
            answer["credentials"] = ("error", type(error).__name__)
            return answer
        # deviation: AWS_REGION before AWS_DEFAULT_REGION (AWS CLI v2); empty means none.
        region = env["AWS_REGION"] if "AWS_REGION" in env else session.get_config_variable("region")
        region = region or None
        if region is not None and not (isinstance(region, str) and VALID_REGION.match(region)):
            answer["credentials"] = ("error", "invalid region")   # deviation: refused up front
            return answer
        if c is None:
            answer["credentials"] = ("none",)
        elif any(isinstance(v, dict) for v in (c.access_key, c.secret_key, c.token)):
            answer["credentials"] = ("error", "sub-section as a credential")   # deviation: refused up front
        elif any(isinstance(v, str) and any(ord(ch) < 0x20 and ch != "\t" or ord(ch) == 0x7F for ch in v)
                 for v in (c.access_key, c.secret_key, c.token)):
            # deviation: credentials holding a control character (a value continued on the next
            # line) are refused when resolved (exit 3); botocore refuses them only when a request
            # is sent (http.client rejects the header, or the signature does not match).
            answer["credentials"] = ("error", "control character in credentials")
        else:
            answer["credentials"] = ("found", BOTOCORE_METHOD.get(c.method, c.method), c.access_key, c.secret_key, c.token or None)
            answer["region"] = region
    return answer


def credctl_answer(binary, env, flag, cwd):
    def run(*args):
        argv = [str(binary), *args] + (["--profile", flag] if flag else [])
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30, cwd=cwd)
    answer = {"runs": []}
    r = run("profiles", "--settings", "--output", "json")
    answer["runs"].append(r)
    if r.returncode == 0:
        doc = json.loads(r.stdout)
        answer["files"] = ("ok", [p["Name"] for p in doc["Profiles"]], {p["Name"]: p["Settings"] for p in doc["Profiles"]})
    else:
        answer["files"] = ("error", r.returncode)
        return answer
    e = run("creds", "export", "--format", "json")
    answer["runs"].append(e)
    if e.returncode == 0:
        s = run("creds", "show", "--output", "json")
        answer["runs"].append(s)
        doc, shown = json.loads(e.stdout), json.loads(s.stdout)
        answer["credentials"] = ("found", shown["Credentials"]["Provider"], doc["AccessKeyId"], doc["SecretAccessKey"], doc["SessionToken"])
        answer["region"] = doc["Region"]
        answer["shown_region"] = shown["Region"]["Name"]
    elif e.returncode == 3 and "no AWS credentials found" in e.stderr:
        answer["credentials"] = ("none",)
    else:
        answer["credentials"] = ("error", e.returncode)
    return answer


def mask(secret):
    return "*" * len(secret) if len(secret) <= 4 else "*" * 16 + secret[-4:]


def settings_differences(name, expected, actual):
    out = []
    if set(expected) != set(actual):
        out.append(f"profile {name!r}: keys {sorted(expected)} vs credctl {sorted(actual)}")
        return out
    for key, value in expected.items():
        shown = actual[key]["Value"]
        if key in SECRET_SETTINGS and isinstance(value, str):
            if value.isascii() and shown != mask(value):
                out.append(f"profile {name!r} {key}: masked {mask(value)!r} vs credctl {shown!r}")
        elif shown != value:
            out.append(f"profile {name!r} {key}: {value!r} vs credctl {shown!r}")
    return out


def differences(expected, actual):
    """What credctl got wrong, as readable lines (empty: it agrees)."""
    e_files, a_files = expected["files"], actual["files"]
    if e_files[0] != a_files[0]:
        return [f"files: botocore {e_files} vs credctl {a_files}"]
    if e_files[0] == "error":
        return []
    out = []
    if e_files[1] != a_files[1]:
        out.append(f"profiles: botocore {e_files[1]!r} vs credctl {a_files[1]!r}")
    else:
        for name in e_files[1]:
            out += settings_differences(name, e_files[2][name], a_files[2][name])
    ec, ac = expected["credentials"], actual["credentials"]
    if ec[0] != ac[0] or (ec[0] == "found" and ec[1:] != ac[1:]):
        out.append(f"credentials: botocore {ec!r} vs credctl {ac!r}")
    elif ec[0] == "found":
        if expected["region"] != actual["region"] or actual["region"] != actual["shown_region"]:
            out.append(f"region: botocore {expected['region']!r} vs credctl {actual['region']!r} (shown {actual['shown_region']!r})")
    return out


def compare(binary, case, home):
    """Writes the case into the empty folder `home` and returns (differences, expected, actual)."""
    env = write_case(case, home)
    expected = botocore_answer(env, case.flag)
    actual = credctl_answer(binary, env, case.flag, home)
    return differences(expected, actual), expected, actual


# ---------------------------------------------------------------- shrinking

def smaller_cases(case):
    """Each case one step smaller: one line, one variable, the flag or an option dropped."""
    for which in ("config", "credentials"):
        lines = getattr(case, which)
        for i in range(len(lines)):
            yield replace(case, **{which: lines[:i] + lines[i + 1:]})
    for var in case.env:
        yield replace(case, env={k: v for k, v in case.env.items() if k != var})
    if case.flag is not None:
        yield replace(case, flag=None)
    if case.config_path != "default":
        yield replace(case, config_path="default")
    if case.credentials_path != "default":
        yield replace(case, credentials_path="default")
    if case.bom:
        yield replace(case, bom=False)
    if case.invalid_utf8:
        yield replace(case, invalid_utf8=None)


def shrink(binary, case, fresh_home, budget=400):
    """The smallest case found (dropping lines, variables and options) that still disagrees."""
    progress = True
    while progress and budget > 0:
        progress = False
        for smaller in smaller_cases(case):
            budget -= 1
            if compare(binary, smaller, fresh_home())[0]:
                case = smaller
                progress = True
                break
            if budget <= 0:
                break
    return case
