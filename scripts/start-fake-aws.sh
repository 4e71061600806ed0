#!/usr/bin/env bash
# `npm run start:fake-aws`: the portal with live-AWS sources pointed at the local fake AWS
# (test/fake-aws), so the Cost Explorer, EC2 and CloudWatch path runs end to end through the
# real SDK without an AWS account.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$COSTSCOPE_ROOT"
bash scripts/install.sh
node examples/billing/generate.js --if-stale

FAKE_AWS_PORT=4566
node test/fake-aws/cli.js --port "$FAKE_AWS_PORT" --billing-dir examples/billing/generated/aws &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if (echo > "/dev/tcp/127.0.0.1/$FAKE_AWS_PORT") 2>/dev/null; then break; fi
  sleep 0.1
done

# The default credential chain reads these; the fake AWS does not check signatures.
export AWS_ACCESS_KEY_ID=AKIAFAKECOSTSCOPE AWS_SECRET_ACCESS_KEY=fake-secret AWS_REGION=us-east-1
backstage-cli repo start \
  --config "$COSTSCOPE_ROOT/app-config.yaml" --config "$COSTSCOPE_ROOT/app-config.fake-aws.yaml" "$@"
