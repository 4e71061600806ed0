#!/usr/bin/env bash
# `npm run start:fake-aws`: the portal with live-AWS sources pointed at the local fake AWS
# (test/fake-aws), so the Cost Explorer, EC2 and CloudWatch path runs end to end through the
# real SDK without an AWS account. With --cost-from-s3 (`npm run start:fake-s3`) the AWS bill
# comes instead from the fake S3, as AWS Data Exports writes it there (FOCUS in Parquet).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$COSTSCOPE_ROOT"
bash scripts/install.sh
node examples/billing/generate.js --if-stale

overlay=app-config.fake-aws.yaml
if [ "${1:-}" = "--cost-from-s3" ]; then
  overlay=app-config.fake-s3.yaml
  shift
fi
# The demo's AWS bill as an S3 export (Parquet and manifests), served as the bucket costscope-billing.
export_dir=.cache/fake-s3/costscope-billing
rm -rf "$export_dir"
node test/fake-aws/demoExport.js examples/billing/generated/aws "$export_dir"

FAKE_AWS_PORT=4566
node test/fake-aws/cli.js --port "$FAKE_AWS_PORT" --billing-dir examples/billing/generated/aws \
  --s3-bucket "costscope-billing=$export_dir" &
fake_pid=$!
source scripts/fake-opencost.sh
start_fake_opencost
trap 'kill "$fake_pid" $fake_opencost_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if (echo > "/dev/tcp/127.0.0.1/$FAKE_AWS_PORT") 2>/dev/null; then break; fi
  sleep 0.1
done

# The default credential chain reads these; the fake AWS does not check signatures.
export AWS_ACCESS_KEY_ID=AKIAFAKECOSTSCOPE AWS_SECRET_ACCESS_KEY=fake-secret AWS_REGION=us-east-1
backstage-cli repo start \
  --config "$COSTSCOPE_ROOT/app-config.yaml" --config "$COSTSCOPE_ROOT/$overlay" "$@"
