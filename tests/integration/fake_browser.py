"""A browser for `sso login` tests, run as `xdg-open URL` (see `install`): it records the URL,
loads it from the fake's sign-in page without following redirects itself, and then loads the
page the 302 points to (the loopback redirect), as a browser would. What it does is chosen by
FAKE_BROWSER_MODE in the environment credctl gives it:

- `follow` (default): exactly that;
- `stray-first`: first asks the loopback listener for /favicon.ico and for the callback path
  without parameters (both must be ignored), then follows;
- `tamper-state`: follows, with another `state` in the redirect;
- `none`: only records the URL.
"""
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(url):
    with open(os.environ["FAKE_BROWSER_LOG"], "a") as log:
        log.write(url + "\n")
    mode = os.environ.get("FAKE_BROWSER_MODE", "follow")
    if mode == "none":
        return
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url, timeout=10)
        raise SystemExit("the sign-in page did not redirect")
    except urllib.error.HTTPError as e:
        if e.code != 302:
            raise SystemExit(f"the sign-in page answered {e.code}: {e.read()!r}")
        location = e.headers["Location"]
    target = urllib.parse.urlsplit(location)
    if mode == "stray-first":
        for path in ("/favicon.ico", target.path):
            try:
                urllib.request.urlopen(f"{target.scheme}://{target.netloc}{path}", timeout=10).read()
            except urllib.error.HTTPError:
                pass
    if mode == "tamper-state":
        query = urllib.parse.parse_qs(target.query)
        query["state"] = ["not-the-state-credctl-sent"]
        location = urllib.parse.urlunsplit(target._replace(query=urllib.parse.urlencode(query, doseq=True)))
    with urllib.request.urlopen(location, timeout=10) as page:
        with open(os.environ["FAKE_BROWSER_LOG"] + ".page", "wb") as out:
            out.write(page.read())


def install(tmp_path, log_name="opened"):
    """A folder holding `xdg-open` (this browser) to put first on PATH; returns (folder, log path)."""
    bin_dir = tmp_path / "browser-bin"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(f"#!/bin/sh\nexec {sys.executable} {os.path.abspath(__file__)} \"$@\"\n")
    opener.chmod(0o755)
    return bin_dir, tmp_path / log_name


if __name__ == "__main__":
    main(sys.argv[1])
