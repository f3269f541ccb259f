"""Standard-mode retries and clock-skew correction against loopback servers.

The waits themselves (random × 2^(n−1) s, capped; the 2026 behaviour's 50 ms base) are unit
tests on the injected clock (ErrorBodyParserTests, Retry2026Tests, AWSClientTests): here the
attempt counts run with AWS_NEW_RETRIES_2026=true, whose waits after a 5xx or a dropped
connection are milliseconds, so no test sleeps a second on a retry."""
import time

from fake_servers import STS_IDENTITY, RecordingServer, http_date, query_error

ENV = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}


def env_for(server, **extra):
    return dict(ENV, AWS_ENDPOINT_URL=server.url, **extra)


def test_throttled_then_answered_succeeds(credctl):
    def respond(handler, i):
        return query_error("Throttling", "Rate exceeded") if i < 1 else (200, {"Content-Type": "text/xml"}, STS_IDENTITY)
    with RecordingServer(respond) as server:
        r = credctl("whoami", "--output", "json", env=env_for(server))   # one wait of at most 1 s
        assert r.code == 0, r
        assert len(server.requests) == 2
        assert '"Account": "111122223333"' in r.out


def test_always_failing_server_gives_up_after_the_attempt_limit(credctl):
    with RecordingServer(lambda h, i: (503, {}, b"Service Unavailable")) as server:
        r = credctl("whoami", env=env_for(server, AWS_NEW_RETRIES_2026="true"))
        assert r.code == 4, r
        assert len(server.requests) == 3
        assert "ServiceUnavailable" in r.err
    with RecordingServer(lambda h, i: (503, {}, b"")) as server:
        r = credctl("whoami", env=env_for(server, AWS_MAX_ATTEMPTS="5", AWS_NEW_RETRIES_2026="true"))
        assert r.code == 4, r
        assert len(server.requests) == 5


def test_client_errors_are_not_retried(credctl):
    with RecordingServer(lambda h, i: query_error("AccessDenied", "no", 403)) as server:
        r = credctl("whoami", env=env_for(server))
        assert r.code == 4, r
        assert len(server.requests) == 1
        assert "AccessDenied: no" in r.err


def test_dropped_connections_are_retried_then_reported_as_network_errors(credctl):
    with RecordingServer(lambda h, i: (None, {}, b"")) as server:
        r = credctl("whoami", env=env_for(server, AWS_NEW_RETRIES_2026="true"))
        assert r.code == 5, r
        assert len(server.requests) == 3


def test_a_stalled_server_hits_the_read_timeout(credctl):
    def stall(handler, i):
        time.sleep(5)
        return 200, {}, STS_IDENTITY
    with RecordingServer(stall) as server:
        r = credctl("whoami", "--cli-read-timeout", "1", env=env_for(server, AWS_MAX_ATTEMPTS="1"))
        assert r.code == 5, r
        assert "timed out" in r.err
        assert r.elapsed < 4


def test_invalid_retry_settings_exit_2(credctl):
    r = credctl("whoami", env=dict(ENV, AWS_MAX_ATTEMPTS="zero"))
    assert r.code == 2, r
    assert r.err == "credctl: error: AWS_MAX_ATTEMPTS must be a whole number from 1 to 100, not 'zero'\n"
    r = credctl("whoami", env=dict(ENV, AWS_RETRY_MODE="eager"))
    assert r.code == 2, r


def skewed_server(offset, code):
    """Refuses requests signed more than five minutes away from its own clock (an hour off)."""
    def respond(handler, i):
        amz = dict(handler.server_ref.requests[-1]["headers"]).get("X-Amz-Date", "")
        signed = time.mktime(time.strptime(amz, "%Y%m%dT%H%M%SZ")) - time.timezone
        headers = {"Date": http_date(offset)}
        if abs(signed - (time.time() + offset)) > 300:
            status, h, body = query_error(code, "Signature expired or clock skewed", 403)
            return status, dict(h, **headers), body
        return 200, dict(headers, **{"Content-Type": "text/xml"}), STS_IDENTITY
    return respond


def test_clock_skew_is_corrected_from_the_date_header(credctl):
    for code in ["RequestTimeTooSkewed", "SignatureDoesNotMatch", "InvalidSignatureException"]:
        with RecordingServer(skewed_server(3600, code)) as server:
            r = credctl("whoami", "--debug", env=env_for(server))
            assert r.code == 0, (code, r)
            assert len(server.requests) == 2
            assert "clock corrected by 3600 s" in r.err or "clock corrected by 3599 s" in r.err or "clock corrected by 3601 s" in r.err


def test_small_skew_with_a_signature_error_is_not_retried(credctl):
    def respond(handler, i):
        status, h, body = query_error("SignatureDoesNotMatch", "bad signature", 403)
        return status, dict(h, Date=http_date(30)), body
    with RecordingServer(respond) as server:
        r = credctl("whoami", env=env_for(server))
        assert r.code == 3, r
        assert len(server.requests) == 1


def test_new_retries_2026_honour_retry_after_and_give_dynamodb_four_attempts(credctl):
    """AWS_NEW_RETRIES_2026=true (botocore 1.43's switch): a 503 with x-amz-retry-after: 400
    waits at least 0.4 s (the computed wait is at most 50 ms, the header may add up to 5 s);
    DynamoDB gets 4 attempts by default, STS 3 (without the switch DynamoDB gets 3: Retry2026Tests,
    as waiting a default-mode backoff here would take seconds)."""
    def retry_after(handler, i):
        return (503, {"x-amz-retry-after": "400"}, b"") if i < 1 else (200, {"Content-Type": "text/xml"}, STS_IDENTITY)
    with RecordingServer(retry_after) as server:
        r = credctl("whoami", env=env_for(server, AWS_NEW_RETRIES_2026="true"))
        assert r.code == 0, r
        gap = server.requests[1]["time"] - server.requests[0]["time"]
        assert 0.4 <= gap < 1.5, gap
    with RecordingServer(lambda h, i: (500, {"Content-Type": "application/x-amz-json-1.0"},
                                       b'{"__type": "InternalServerError", "message": "x"}')) as server:
        r = credctl("dynamodb", "tables", env=env_for(server, AWS_NEW_RETRIES_2026="TRUE", AWS_REGION="us-east-1"))
        assert r.code == 4, r
        assert len(server.requests) == 4
    with RecordingServer(lambda h, i: (503, {}, b"")) as server:
        r = credctl("whoami", env=env_for(server, AWS_NEW_RETRIES_2026="true"))
        assert r.code == 4 and len(server.requests) == 3, r
