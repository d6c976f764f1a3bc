#!/usr/bin/env bash
# make demo — a short tour of awssim with the real AWS CLI, then (when the scenario library is
# built in) a replay of the migration scenarios with their HTML report.
set -euo pipefail
AWSSIM=${1:-build/release/awssim}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AWS="$ROOT/.venv/bin/aws"
TMP=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT

"$AWSSIM" serve --port 0 --ready-file "$TMP/url" --start 2026-01-01T00:00:00Z --log-level warn >"$TMP/log" 2>&1 &
PID=$!
for _ in $(seq 200); do [ -s "$TMP/url" ] && break; sleep 0.01; done
URL=$(cat "$TMP/url")
export AWS_DEFAULT_REGION=us-east-1 AWS_SECRET_ACCESS_KEY=demo AWS_PAGER="" AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
aws_as() { local acct=$1; shift; AWS_ACCESS_KEY_ID=$acct "$AWS" --endpoint-url "$URL" --output json "$@"; }

echo "awssim is listening on $URL (virtual clock, seed 1)"
step "Who am I? The access key 111111111111 is that account (legacy account)"
aws_as 111111111111 sts get-caller-identity

step "The production account (222222222222) creates a migration role trusting the legacy account, 1 h max"
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"migration-2026"}}}]}'
aws_as 222222222222 iam create-role --role-name migration-deployer --assume-role-policy-document "$TRUST" \
  --max-session-duration 3600 --query 'Role.[Arn,MaxSessionDuration]'

step "Assuming it without the external id is refused, as AWS would"
aws_as 111111111111 sts assume-role --role-arn arn:aws:iam::222222222222:role/migration-deployer \
  --role-session-name demo 2>&1 || true

step "A 2-hour session is refused: the role allows 1 hour"
aws_as 111111111111 sts assume-role --role-arn arn:aws:iam::222222222222:role/migration-deployer \
  --role-session-name demo --external-id migration-2026 --duration-seconds 7200 2>&1 || true

step "A 15-minute session works"
CREDS=$(aws_as 111111111111 sts assume-role --role-arn arn:aws:iam::222222222222:role/migration-deployer \
  --role-session-name demo --external-id migration-2026 --duration-seconds 900 --query Credentials)
echo "$CREDS" | python3 -c 'import json,sys; c=json.load(sys.stdin); print("AccessKeyId", c["AccessKeyId"], "expires", c["Expiration"])'
export_creds() {
  AWS_ACCESS_KEY_ID=$(echo "$CREDS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKeyId"])') \
  AWS_SECRET_ACCESS_KEY=$(echo "$CREDS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["SecretAccessKey"])') \
  AWS_SESSION_TOKEN=$(echo "$CREDS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["SessionToken"])') \
  "$AWS" --endpoint-url "$URL" --output json "$@"
}
step "Calling as the assumed role"
export_creds sts get-caller-identity

step "Advance the virtual clock by 15 minutes (no waiting)"
curl -s -X POST "$URL/_awssim/clock" -d '{"advance": 900}'; echo

step "The session has expired on the virtual clock"
export_creds sts get-caller-identity 2>&1 || true

step "What awssim saw (GET /_awssim/requests)"
curl -s "$URL/_awssim/requests" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["requests"]:
    print("%s  %s  %4s.%-16s %d %s" % (r["time"], r["account"], r["service"], r["operation"], r["status"], r.get("errorCode", "")))'

if "$AWSSIM" replay --help >/dev/null 2>&1 && [ -d "$ROOT/scenarios" ] && ls "$ROOT"/scenarios/*.json >/dev/null 2>&1; then
  step "Replaying the migration scenario library (report in reports/index.html)"
  (cd "$ROOT" && "$AWSSIM" replay scenarios --report reports --junit reports/junit.xml) || true
  echo "Open $ROOT/reports/index.html in a browser."
fi
