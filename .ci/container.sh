#!/usr/bin/env bash
# CI: build the real image with podman, smoke-test it, build it again as a release would
# (labels from build arguments) and check its size and contents, then run one real action through the
# running container (against the simulator the image carries), feed one message to `run` on
# stdin of a fresh container, and check that the container stops cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."

. .ci/shared.sh
TAG=${IMAGE_TAG:-localhost/ivanti-plugin:ci}

# The smoke test installs podman where it is missing and builds the stand-in base image.
bash "$SHARED/tools/container/ci-container-smoke.sh" . "$TAG" "$(free_port)"

export CONTAINERS_CONF=$SHARED/tools/container/containers.conf
# The build a release makes: the commit, the build time and the version as build arguments.
# --no-cache: this podman (buildah 1.28) reuses a cached LABEL layer whatever the arguments.
# The build's npm needs the machine's CA bundle, as in the smoke test.
REVISION=$(git rev-parse HEAD)
CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
VERSION=$(node -p "require('./package.json').version")
NPMRC=$(mktemp); echo "cafile=/etc/ssl/certs/ca-certificates.crt" > "$NPMRC"
podman build --pull=never --no-cache --format docker --network host -q \
  -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro -v "$NPMRC":/usr/local/etc/npmrc:ro \
  --build-arg REVISION="$REVISION" --build-arg CREATED="$CREATED" --build-arg VERSION="$VERSION" -t "$TAG" . >/dev/null
rm -f "$NPMRC"
label() { podman image inspect "$TAG" --format "{{index .Config.Labels \"org.opencontainers.image.$1\"}}"; }
[ "$(label revision)" = "$REVISION" ] || { echo "FAIL: revision label is '$(label revision)', not $REVISION"; exit 1; }
[ "$(label created)" = "$CREATED" ] || { echo "FAIL: created label is '$(label created)', not $CREATED"; exit 1; }
[ "$(label version)" = "$VERSION" ] || { echo "FAIL: version label is '$(label version)', not $VERSION"; exit 1; }
node -e "const u = new URL(process.argv[1]); if (!/^https?:$/.test(u.protocol)) process.exit(1)" "$(label source)" \
  || { echo "FAIL: source label '$(label source)' is not a URL"; exit 1; }
echo "labels: source $(label source), revision $REVISION, created $CREATED, version $VERSION"


NAME=ivanti-ci-$$
PORT=$(free_port)
KEY=CI$(node -e "console.log(require('crypto').randomBytes(15).toString('hex').toUpperCase())")
WORK=$(mktemp -d)
cleanup() { podman rm -f -t 2 --ignore "$NAME" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

# Lean: within 10% of the base image, no npm or corepack, no node_modules, no demo, no tests.
BASE=$(sed -nE 's/^FROM[[:space:]]+(node:[0-9]+-bookworm-slim).*/\1/Ip' Dockerfile | tail -n1)
size=$(podman image inspect "$TAG" --format '{{.Size}}')
base=$(podman image inspect "docker.io/library/$BASE" --format '{{.Size}}')
echo "image size: $(( size / 1024 / 1024 )) MiB ($size bytes); $BASE: $(( base / 1024 / 1024 )) MiB ($base bytes); +$(( (size - base) * 1000 / base / 10 )).$(( (size - base) * 1000 / base % 10 ))%"
[ "$size" -le $(( base + base / 10 )) ] || { echo "FAIL: the image is more than 10% larger than $BASE"; exit 1; }
contents=$(podman run --rm --entrypoint sh "$TAG" -c 'command -v npm npx corepack; ls -A /usr/local/lib/node_modules 2>/dev/null; find /app \( -name node_modules -o -name demo -o -name test -o -name "*.test.*" \) -print')
[ -z "$contents" ] || { echo "FAIL: the image carries what it should not: $contents"; exit 1; }
echo "image contents: no npm, corepack, node_modules, demo or tests"
podman run --rm --entrypoint cat "$TAG" /plugin.spec.yaml | cmp -s - plugin.spec.yaml \
  || { echo "FAIL: the image does not hold the spec at /plugin.spec.yaml"; exit 1; }

podman run -d --name "$NAME" -p "127.0.0.1:$PORT:10001" "$TAG" >/dev/null
for i in $(seq 1 60); do curl -fsS "http://127.0.0.1:$PORT/api/v1/status" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$PORT/api/v1/status" >/dev/null || { echo "FAIL: plugin server not ready"; exit 1; }

# The simulator the image carries, started inside the same container.
podman exec -d "$NAME" node dist/simulator/cli.js --port 10080 --host 127.0.0.1 --api-key "$KEY"
for i in $(seq 1 40); do
  podman exec "$NAME" node -e "fetch('http://127.0.0.1:10080/HEAT/api/odata/businessobject/employees?\$top=1',{headers:{authorization:'rest_api_key=$KEY'}}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break
  sleep 0.5
done

message() { # $1 = action_start message for create_incident against the in-container simulator
  node -e "
    const m = {version:'v1',type:'action_start',body:{action:'create_incident',meta:{ci:'$1'},
      connection:{credentials:{secretKey:'$KEY'},url:'http://127.0.0.1:10080/HEAT',ssl_verify:true},
      input:{summary:'Container check $1',description:'Created by CI through the container',customer:'user@example.com',
             type:'Failure',status:'Logged',assignee:'jdoe'}}};
    process.stdout.write(JSON.stringify(m));"
}
check_envelope() { # $1 = file with the answer, $2 = what it came from
  node -e "
    const e = JSON.parse(require('fs').readFileSync('$1','utf8'));
    const n = e.body && e.body.output && e.body.output.incident && e.body.output.incident.IncidentNumber;
    if (e.version !== 'v1' || e.type !== 'action_event' || e.body.status !== 'ok' || !Number.isInteger(n)) {
      console.error('FAIL: $2 answered', JSON.stringify(e).slice(0, 500)); process.exit(1);
    }
    if (JSON.stringify(e).includes('$KEY')) { console.error('FAIL: $2 leaked the API key'); process.exit(1); }
    console.log('$2: ok envelope, incident', n);"
}

message http > "$WORK/http.json"
status=$(curl -sS -o "$WORK/http-answer.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/actions/create_incident" \
  -H 'Content-Type: application/json' --data-binary "@$WORK/http.json")
[ "$status" = 200 ] || { echo "FAIL: create_incident over HTTP answered $status: $(head -c 500 "$WORK/http-answer.json")"; exit 1; }
check_envelope "$WORK/http-answer.json" "POST /actions/create_incident"

# A fresh container running one step from stdin, sharing the first container's network to reach its simulator.
message stdin > "$WORK/stdin.json"
podman run -i --rm --network "container:$NAME" "$TAG" run < "$WORK/stdin.json" > "$WORK/stdin-answer.json" 2> "$WORK/stdin-log.txt" \
  || { echo "FAIL: run over stdin exited non-zero: $(head -c 500 "$WORK/stdin-answer.json") $(tail -3 "$WORK/stdin-log.txt")"; exit 1; }
[ "$(wc -l < "$WORK/stdin-answer.json")" -eq 1 ] || { echo "FAIL: stdout of run is not exactly one envelope"; exit 1; }
check_envelope "$WORK/stdin-answer.json" "run on stdin"

# The New Incident trigger in a fresh container, as the README runs it (a named volume for its
# checkpoint), posting its events to a small dispatcher in the first container.
VOLUME=ivanti-trigger-state-$$
TRIGGER=ivanti-ci-trigger-$$
cleanup() { podman rm -f -t 2 --ignore "$NAME" "$TRIGGER" >/dev/null 2>&1 || true; podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
podman exec -d "$NAME" node -e "require('http').createServer((q,s)=>{let b='';q.on('data',c=>b+=c);q.on('end',()=>{require('fs').appendFileSync('/tmp/events.jsonl',b.replace(/\n/g,' ')+'\n');s.end('{}')})}).listen(10090,'127.0.0.1')"
node -e "
  process.stdout.write(JSON.stringify({version:'v1',type:'trigger_start',body:{trigger:'new_incident',meta:{ci:'trigger'},
    connection:{credentials:{secretKey:'$KEY'},url:'http://127.0.0.1:10080/HEAT'},
    dispatcher:{url:'http://127.0.0.1:10090/events',webhook_url:''},input:{frequency:1}}}));" > "$WORK/trigger_start.json"
# Detached, as a service runs: the start message mounted read-only as a file (PLUGIN_MESSAGE_FILE),
# and an arbitrary uid in group 0, as OpenShift runs containers, writing the state volume.
podman run -d --name "$TRIGGER" --user 4242:0 --network "container:$NAME" -v "$VOLUME:/var/lib/ivanti-plugin" \
  -v "$WORK/trigger_start.json:/run/secrets/trigger_start.json:ro" -e PLUGIN_MESSAGE_FILE=/run/secrets/trigger_start.json \
  -e TRIGGER_STATE_FILE=/var/lib/ivanti-plugin/new_incident.json "$TAG" run >/dev/null
for i in $(seq 1 40); do podman exec "$TRIGGER" test -s /var/lib/ivanti-plugin/new_incident.json 2>/dev/null && break; sleep 0.5; done
podman exec "$TRIGGER" test -s /var/lib/ivanti-plugin/new_incident.json || { echo "FAIL: the trigger did not start"; podman logs "$TRIGGER" 2>&1 | tail -5; exit 1; }
message trigger > "$WORK/trigger-create.json"
curl -sS -o "$WORK/trigger-create-answer.json" -X POST "http://127.0.0.1:$PORT/actions/create_incident" -H 'Content-Type: application/json' --data-binary "@$WORK/trigger-create.json"
created=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$WORK/trigger-create-answer.json','utf8')).body.output.incident.IncidentNumber)")
for i in $(seq 1 40); do podman exec "$NAME" grep -q "\"IncidentNumber\":$created" /tmp/events.jsonl 2>/dev/null && break; sleep 0.5; done
podman exec "$NAME" grep -q "\"IncidentNumber\":$created" /tmp/events.jsonl || { echo "FAIL: the trigger did not deliver incident $created"; podman logs "$TRIGGER" 2>&1 | tail -5; exit 1; }
podman stop -t 10 "$TRIGGER" >/dev/null
trigger_code=$(podman inspect "$TRIGGER" --format '{{.State.ExitCode}}')
[ "$trigger_code" = 0 ] || { echo "FAIL: the trigger did not stop cleanly (exit $trigger_code)"; podman logs "$TRIGGER" 2>&1 | tail -5; exit 1; }
podman logs "$TRIGGER" > "$WORK/trigger.out" 2> "$WORK/trigger.log"
[ ! -s "$WORK/trigger.out" ] || { echo "FAIL: the trigger wrote to stdout without --debug"; exit 1; }
saved=$(podman run --rm -v "$VOLUME:/var/lib/ivanti-plugin" --entrypoint cat "$TAG" /var/lib/ivanti-plugin/new_incident.json)
echo "$saved" | grep -q "\"last\": $created" || { echo "FAIL: the trigger's checkpoint is not $created: $saved"; exit 1; }
echo "trigger (detached, message from a mounted file, uid 4242 in group 0): delivered incident $created, stopped cleanly, checkpoint kept in the volume"

# SIGTERM: the container must stop by itself, quickly, with exit code 0.
start=$(date +%s%N)
podman stop -t 10 "$NAME" >/dev/null
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
code=$(podman inspect "$NAME" --format '{{.State.ExitCode}}')
echo "container stopped in ${elapsed_ms} ms with exit code $code"
[ "$code" = 0 ] || { echo "FAIL: the container did not exit cleanly on SIGTERM (exit code $code)"; podman logs "$NAME" 2>&1 | tail -5; exit 1; }
[ "$elapsed_ms" -lt 5000 ] || { echo "FAIL: stopping took ${elapsed_ms} ms"; exit 1; }
echo "container checks: 7 passed, 0 failed"
