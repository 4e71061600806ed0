# Sourced by the start scripts: `start_fake_opencost` serves the demo's shared cluster
# (k8s-platform-prod: the k8s-platform nodes in us-east-1 and the demo components' workloads) as
# OpenCost's allocation API, from the fake in test/fake-opencost, on 127.0.0.1:9003 (the port
# app-config.yaml names). It sets fake_opencost_pid; the caller stops it on exit.
start_fake_opencost() {
  local port=9003
  if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    # Another portal's fake (or a real OpenCost port-forward) already answers there.
    echo "fake OpenCost: port $port is in use, using what answers there" >&2
    fake_opencost_pid=
    return
  fi
  node test/fake-opencost/cli.js --port "$port" &
  fake_opencost_pid=$!
  for _ in $(seq 1 100); do
    if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return; fi
    sleep 0.1
  done
}
