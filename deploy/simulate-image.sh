#!/usr/bin/env bash
# The image's runtime stage, as far as it goes without Docker (this project's machines have no Docker engine).
#
# Does what deploy/Dockerfile does, on this machine's Debian and Node: a clone of HEAD, `npm install`, `npm run
# build`, `npm prune --omit=dev`; then only what the runtime stage copies (package.json, node_modules, dist/apps,
# dist/libs) in a folder mounted read-only, run as the unprivileged user `nobody` with the image's CMD. It checks:
#   1. the embedded default: /healthz and /readyz answer 200, a GraphQL query answers, SIGTERM ends it with 0;
#   2. `kansli keys` makes the three shared keys;
#   3. two replicas on the EventStoreDB protocol fake (libs/testing; NOT EventStoreDB, no TLS), sharing the keys:
#      both ready, a body made on one is read on the other, both end with 0 on SIGTERM.
# Needs root (mount namespaces, a read-only bind mount, runuser) and the network to the npm registry. Prints one
# line per check and exits 1 if any failed. Usage: sudo deploy/simulate-image.sh   (SIM_KEEP=1 keeps the folder)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "simulate-image: needs root (unshare -m, mount, runuser)" >&2; exit 1; }
for tool in unshare mount runuser curl git; do command -v "$tool" > /dev/null || { echo "simulate-image: needs $tool" >&2; exit 1; }; done

work=$(mktemp -d /tmp/kansli-image-XXXXXX)
chmod 755 "$work"
failed=0
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  if [ "${SIM_KEEP:-}" != 1 ] && [ "$failed" = 0 ]; then rm -rf "$work"; else echo "work folder kept: $work"; fi
}
trap cleanup EXIT
check() { if [ "$1" = 0 ]; then echo "ok   $2"; else echo "FAIL $2"; failed=1; fi; }

# ---- the build stage ------------------------------------------------------------------------------------------
git clone -q "$repo" "$work/build"
cd "$work/build"
if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi
npm install --no-audit --no-fund > "$work/install.log" 2>&1
npm run --silent build
# The protocol fake is not in the image: compiled beside it, for step 3 only.
npx swc libs/testing/src -d "$work/fake" --quiet --ignore '**/*.spec.ts'
npm prune --omit=dev --no-audit --no-fund > /dev/null 2>&1

# ---- the runtime stage: what the Dockerfile copies, read-only, as nobody --------------------------------------
set +e # from here on every check runs and says how it went
app=$work/app
mkdir -p "$app/dist"
cp package.json "$app/"
cp -r node_modules "$app/"
cp -r dist/apps dist/libs "$app/dist/"
ln -s "$app/node_modules" "$work/fake/node_modules"
mkdir -p "$work/keys" "$work/data" "$work/data-1" "$work/data-2"
chown nobody "$work/keys" "$work/data" "$work/data-1" "$work/data-2"

# run DATA PORT [VAR=value ...] -- command...: the app folder read-only in a mount namespace of its own.
run() {
  local data=$1 port=$2
  shift 2
  local vars=()
  while [ "$1" != -- ]; do vars+=("$1"); shift; done
  shift
  unshare -m sh -c 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && cd "$0" && exec "$@"' "$app" \
    runuser -u nobody -- env -i PATH=/usr/bin:/bin KANSLI_DATA_DIR="$data" PORT="$port" \
    KANSLI_LOG_LEVEL=warn "${vars[@]}" "$@"
}
ready() { for _ in $(seq 1 120); do curl -sf "localhost:$1/readyz" > /dev/null && return 0; sleep 0.5; done; return 1; }
# The server is started with a marker argument (`sim-PORT`, which it ignores) so that its process can be found.
stop() { # stop PORT LAUNCHER: SIGTERM to node itself, as docker stop sends it; its exit code in $stopped
  kill -TERM "$(pgrep -f "^node dist/apps/kansli/src/main.js sim-$1$")"
  stopped=0
  wait "$2" || stopped=$?
}
port=$((20000 + RANDOM % 20000))

# 1. The embedded default.
run "$work/data" "$port" -- node dist/apps/kansli/src/main.js "sim-$port" > "$work/embedded.log" 2>&1 &
launcher=$!
pids+=("$launcher")
ready "$port"; check $? "the embedded default answers /readyz 200 (the app folder read-only, user nobody)"
curl -sf "localhost:$port/healthz" > /dev/null; check $? "/healthz answers 200"
answer=$(curl -s "localhost:$port/graphql" -H 'content-type: application/json' -d '{"query":"{ bodies { id } }"}')
[ "$answer" = '{"data":{"bodies":[]}}' ]; check $? "a GraphQL query answers: $answer"
user=$(ps -o user= -p "$(pgrep -f "^node dist/apps/kansli/src/main.js sim-$port$")")
[ "$user" = nobody ]; check $? "the server runs as $user"
stop "$port" "$launcher"
[ "$stopped" = 0 ]; check $? "SIGTERM ends it with exit code $stopped"

# 2. The shared keys.
# The embedded run above kept its keys in its own data folder; replicas share theirs in one keys folder.
store_origin=(KANSLI_LOG_ORIGIN=kansli.example/styrelsen KANSLI_SECRETS_DIR="$work/keys")
run "$work/data" "$port" "${store_origin[@]}" -- node dist/apps/kansli/src/cli/main.js keys > "$work/keys.log" 2>&1
[ -s "$work/keys/signing-key.jwk" ] && [ -s "$work/keys/webhook-key" ] && [ -s "$work/keys/log-key" ]; check $? "kansli keys makes signing-key.jwk, webhook-key and log-key"

# 3. Two replicas on the protocol fake.
node "$work/fake/libs/testing/src/eventstoredb-fake/esdb-fake-main.js" --port 0 > "$work/fake.out" 2> "$work/fake.err" &
pids+=($!)
for _ in $(seq 1 40); do [ -s "$work/fake.out" ] && break; sleep 0.25; done
esdb=(KANSLI_EVENTSTORE="$(head -1 "$work/fake.out")" "${store_origin[@]}")
run "$work/data-1" $((port + 1)) "${esdb[@]}" -- node dist/apps/kansli/src/main.js "sim-$((port + 1))" > "$work/replica-1.log" 2>&1 &
r1=$!
pids+=("$r1")
ready $((port + 1)); check $? "replica 1 on the protocol fake answers /readyz 200"
run "$work/data-2" $((port + 2)) "${esdb[@]}" -- node dist/apps/kansli/src/main.js "sim-$((port + 2))" > "$work/replica-2.log" 2>&1 &
r2=$!
pids+=("$r2")
ready $((port + 2)); check $? "replica 2 on the protocol fake answers /readyz 200"
token=$(run "$work/data-1" "$port" "${esdb[@]}" -- node dist/apps/kansli/src/cli/main.js token --sub admin --roles ADMIN)
made=$(curl -s "localhost:$((port + 1))/graphql" -H 'content-type: application/json' -H "authorization: Bearer $token" \
  -d '{"query":"mutation { establishBody(input: { name: \"Styrelsen\", kind: STYRELSE, seats: 5 }) { name } }"}' -D "$work/headers")
position=$(grep -i '^kansli-position:' "$work/headers" | tr -d '\r' | cut -d' ' -f2)
read=$(curl -s "localhost:$((port + 2))/graphql" -H 'content-type: application/json' -H "kansli-min-position: $position" -d '{"query":"{ bodies { name } }"}')
[ "$read" = '{"data":{"bodies":[{"name":"Styrelsen"}]}}' ]; check $? "a body made on replica 1 ($made) is read on replica 2: $read"
stop $((port + 1)) "$r1"
[ "$stopped" = 0 ]; check $? "SIGTERM ends replica 1 with exit code $stopped"
stop $((port + 2)) "$r2"
[ "$stopped" = 0 ]; check $? "SIGTERM ends replica 2 with exit code $stopped"
exit "$failed"
