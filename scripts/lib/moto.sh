# Starts moto_server on a free loopback port with signature checking and IAM enforcement on
# (after the first three calls, which create an admin user, its policy and its key).
# Sets MOTO_PORT, MOTO_URL, ADMIN_KEY_ID, ADMIN_SECRET; stop_moto stops it. Sourced.
start_moto() {
    MOTO_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    MOTO_URL="http://127.0.0.1:$MOTO_PORT"
    MOTO_LOG=$(mktemp)
    INITIAL_NO_AUTH_ACTION_COUNT=3 moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$MOTO_LOG" 2>&1 &
    MOTO_PID=$!
    trap stop_moto EXIT
    for _ in $(seq 1 100); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $MOTO_PORT), 0.2)" 2>/dev/null && break
        sleep 0.1
    done
    read -r ADMIN_KEY_ID ADMIN_SECRET < <(python3 - "$MOTO_URL" <<'PY'
import json, sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="AKIABOOTSTRAP0000000", aws_secret_access_key="bootstrap")
iam.create_user(UserName="admin")
iam.put_user_policy(UserName="admin", PolicyName="admin", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="admin")["AccessKey"]
print(key["AccessKeyId"], key["SecretAccessKey"])
PY
)
    export MOTO_PORT MOTO_URL ADMIN_KEY_ID ADMIN_SECRET
}

stop_moto() {
    if [ -n "${MOTO_PID:-}" ]; then kill "$MOTO_PID" 2>/dev/null; wait "$MOTO_PID" 2>/dev/null; MOTO_PID=""; fi
    [ -n "${MOTO_LOG:-}" ] && rm -f "$MOTO_LOG"
}
