#!/usr/bin/env bash
# CI: build the real image with podman, smoke-test it, then run one real action through the
# running container (against the simulator the image carries), feed one message to `run` on
# stdin of a fresh container, and check that the container stops cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."

SHARED=${SHARED_DIR:-}
if [ -z "$SHARED" ]; then
  for d in ../shared /work/shared; do [ -d "$d/tools/container" ] && SHARED=$(cd "$d" && pwd) && break; done
fi
[ -n "$SHARED" ] || { echo "FAIL: shared/tools/container not found (set SHARED_DIR)"; exit 1; }
TAG=${IMAGE_TAG:-localhost/ivanti-plugin:ci}
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

bash "$SHARED/tools/container/ci-container-smoke.sh" . "$TAG" "$(free_port)"

export CONTAINERS_CONF=$SHARED/tools/container/containers.conf
NAME=ivanti-ci-$$
PORT=$(free_port)
KEY=CI$(node -e "console.log(require('crypto').randomBytes(15).toString('hex').toUpperCase())")
WORK=$(mktemp -d)
cleanup() { podman rm -f -t 2 --ignore "$NAME" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

size=$(podman image inspect "$TAG" --format '{{.Size}}')
echo "image size: $(( size / 1024 / 1024 )) MiB ($size bytes)"
[ "$size" -le $(( 250 * 1024 * 1024 )) ] || { echo "FAIL: image larger than 250 MB"; exit 1; }
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
# In the foreground of a background job: `podman run -d` would not pass stdin on.
podman run -i --name "$TRIGGER" --network "container:$NAME" -v "$VOLUME:/var/lib/ivanti-plugin" \
  -e TRIGGER_STATE_FILE=/var/lib/ivanti-plugin/new_incident.json "$TAG" run < "$WORK/trigger_start.json" > "$WORK/trigger.out" 2> "$WORK/trigger.log" &
trigger_job=$!
for i in $(seq 1 40); do podman exec "$TRIGGER" test -s /var/lib/ivanti-plugin/new_incident.json 2>/dev/null && break; sleep 0.5; done
podman exec "$TRIGGER" test -s /var/lib/ivanti-plugin/new_incident.json || { echo "FAIL: the trigger did not start"; tail -5 "$WORK/trigger.log" "$WORK/trigger.out"; exit 1; }
message trigger > "$WORK/trigger-create.json"
curl -sS -o "$WORK/trigger-create-answer.json" -X POST "http://127.0.0.1:$PORT/actions/create_incident" -H 'Content-Type: application/json' --data-binary "@$WORK/trigger-create.json"
created=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$WORK/trigger-create-answer.json','utf8')).body.output.incident.IncidentNumber)")
for i in $(seq 1 40); do podman exec "$NAME" grep -q "\"IncidentNumber\":$created" /tmp/events.jsonl 2>/dev/null && break; sleep 0.5; done
podman exec "$NAME" grep -q "\"IncidentNumber\":$created" /tmp/events.jsonl || { echo "FAIL: the trigger did not deliver incident $created"; tail -5 "$WORK/trigger.log"; exit 1; }
podman stop -t 10 "$TRIGGER" >/dev/null
wait "$trigger_job" || { echo "FAIL: the trigger did not stop cleanly (exit $?)"; tail -5 "$WORK/trigger.log"; exit 1; }
[ ! -s "$WORK/trigger.out" ] || { echo "FAIL: the trigger wrote to stdout without --debug"; exit 1; }
saved=$(podman run --rm -v "$VOLUME:/var/lib/ivanti-plugin" --entrypoint cat "$TAG" /var/lib/ivanti-plugin/new_incident.json)
echo "$saved" | grep -q "\"last\": $created" || { echo "FAIL: the trigger's checkpoint is not $created: $saved"; exit 1; }
echo "trigger: delivered incident $created, stopped cleanly, checkpoint kept in the volume"

# SIGTERM: the container must stop by itself, quickly, with exit code 0.
start=$(date +%s%N)
podman stop -t 10 "$NAME" >/dev/null
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
code=$(podman inspect "$NAME" --format '{{.State.ExitCode}}')
echo "container stopped in ${elapsed_ms} ms with exit code $code"
[ "$code" = 0 ] || { echo "FAIL: the container did not exit cleanly on SIGTERM (exit code $code)"; podman logs "$NAME" 2>&1 | tail -5; exit 1; }
[ "$elapsed_ms" -lt 5000 ] || { echo "FAIL: stopping took ${elapsed_ms} ms"; exit 1; }
echo "container checks: 5 passed, 0 failed"
