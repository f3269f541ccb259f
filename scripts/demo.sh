#!/usr/bin/env bash
# credctl's main job on a local AWS emulator: installs what the demo needs and is missing (it
# says what first: the C headers for the build, moto and boto3), builds, starts moto (signature
# checking on) on a free loopback port, runs a short tour, stops moto.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh
. scripts/lib/moto.sh
install_demo_deps
echo "==> swift build (the first build takes a minute or two)" >&2
BUILD_LOG=$(mktemp)
if ! swift build --product credctl >"$BUILD_LOG" 2>&1; then
    grep -E 'error:' "$BUILD_LOG" >&2 || cat "$BUILD_LOG" >&2
    rm -f "$BUILD_LOG"; echo "build failed" >&2; exit 1
fi
rm -f "$BUILD_LOG"
CREDCTL=.build/debug/credctl
start_moto
echo "==> moto on $MOTO_URL" >&2

# A throwaway home with a profile, as a user would have it.
DEMO_HOME=$(mktemp -d)
mkdir -p "$DEMO_HOME/.aws"
cat >"$DEMO_HOME/.aws/credentials" <<CREDS
# written by scripts/demo.sh
[demo]
aws_access_key_id = $ADMIN_KEY_ID
aws_secret_access_key = $ADMIN_SECRET
CREDS
chmod 600 "$DEMO_HOME/.aws/credentials"
printf '[profile demo]\nregion = eu-west-1\n' >"$DEMO_HOME/.aws/config"
run() { echo; echo "\$ credctl $*"; env -i HOME="$DEMO_HOME" PATH="$PATH" AWS_ENDPOINT_URL="$MOTO_URL" AWS_EC2_METADATA_DISABLED=true "$CREDCTL" "$@"; }

run whoami --profile demo
run whoami --profile demo --output json
run request --profile demo --service sts -d 'Action=GetCallerIdentity&Version=2011-06-15' "$MOTO_URL/"
run request --profile demo --service sts --dry-run --signing-time 20261123T000000Z "$MOTO_URL/?Action=GetCallerIdentity&Version=2011-06-15"
printf 's3cret pass #1' | run params put /ELASMETRICS/STAGING/MYSQL/PASSWORD --profile demo
printf 'elasmetrics' | run params put MYSQL/USER --type String --prefix /ELASMETRICS --env STAGING --profile demo
run params get /ELASMETRICS/STAGING/MYSQL/PASSWORD --profile demo
run params export /ELASMETRICS/STAGING --recursive --profile demo
run params exec /ELASMETRICS/STAGING/MYSQL --profile demo -- sh -c 'echo "user $USER, password of ${#PASSWORD} characters"'
echo
echo "\$ credctl whoami   # with a wrong secret: exit 3, the secret never printed"
env -i HOME="$DEMO_HOME" PATH="$PATH" AWS_ENDPOINT_URL="$MOTO_URL" AWS_ACCESS_KEY_ID="$ADMIN_KEY_ID" \
    AWS_SECRET_ACCESS_KEY=not-the-secret "$CREDCTL" whoami || echo "(exit $?)"

# Key lifecycle: a least-privilege user with a key in a profile, then safe rotations.
run setup user grafana-dynamodb-user --template dynamodb-read --table metrics --profile-name grafana --profile demo
run rotate --user grafana-dynamodb-user --yes --profile demo
run rotate --profile demo --yes
run whoami --profile demo

# A key that lives elsewhere: a Grafana data source's key kept in Secrets Manager and pushed to the
# consumer by a command (here a file stands in for Grafana); --verify-cmd checks the consumer.
umask 077   # the stand-in consumer file holds a secret
CONSUMER="$DEMO_HOME/grafana-datasource.json"
run setup user grafana-reader --template dynamodb-read --table metrics --profile-name grafana-reader --profile demo
READER_ID=$(sed -n '/^\[grafana-reader\]/,/^\[/s/^aws_access_key_id = //p' "$DEMO_HOME/.aws/credentials")
READER_SECRET=$(sed -n '/^\[grafana-reader\]/,/^\[/s/^aws_secret_access_key = //p' "$DEMO_HOME/.aws/credentials")
printf '{"url":"http://grafana:3000","AccessKeyId":"%s","SecretAccessKey":"%s"}' "$READER_ID" "$READER_SECRET" \
    | run secrets create grafana/datasource --profile demo
printf '{"AccessKeyId":"%s","SecretAccessKey":"%s"}' "$READER_ID" "$READER_SECRET" >"$CONSUMER"
run rotate --user grafana-reader --profile demo --yes \
    --to profile:grafana-reader --to secretsmanager:grafana/datasource --to "exec:cat > $CONSUMER" \
    --verify-cmd "grep -q \"\$CREDCTL_NEW_ACCESS_KEY_ID\" $CONSUMER"
run secrets describe grafana/datasource --profile demo
echo
echo "\$ grep -o '\"AccessKeyId\":\"[A-Z0-9]*\"' grafana-datasource.json   # the consumer holds the new key"
grep -o '"AccessKeyId":"[A-Z0-9]*"' "$CONSUMER"
run keys list --profile demo
run keys validate --require long-term --max-age 90d --profile demo
run keys audit --all-users --max-age 90d --profile demo
run keys inspect ASIAY34FZKBOKMUTVV7A
run doctor --profile demo --check iam-self
echo
echo "\$ cat ~/.aws/credentials   # secrets masked for the demo; every other byte as it was"
sed -E 's/(aws_secret_access_key = ).*/\1****/' "$DEMO_HOME/.aws/credentials"
rm -rf "$DEMO_HOME"
