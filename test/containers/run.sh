#!/usr/bin/env bash
# `npm run test:containers`: builds the image and runs the compose stack as users run it (Redis,
# the sandbox, the server, three workers), then checks it end to end: health, auth on /metrics and
# /admin/queues, one training cycle through the workers with one worker container killed mid-pull,
# the proposals on /proposals, `node --version` in the image, testcontainers for the integration
# tests, and that `docker-compose down -v` leaves nothing behind.
#
# Starts dockerd when it is not running (as root) and stops it again at the end; builds stand-in
# base images where no registry is reachable (test/containers/base-images.sh). When this machine
# cannot run containers at all it says why and fails, unless CONTAINERS_OPTIONAL=1 (then it skips).
set -euo pipefail
cd "$(dirname "$0")/../.."

PROJECT=agent-trainer-containers-test
APP_IMAGE=agent-trainer:containers-test
TOKEN=containers-test-token-0123456789
APPROVER=alice
APPROVER_PASSWORD=containers-test-password
export APP_IMAGE SANDBOX_SPEED=20
export SERVER_TOKENS=$TOKEN SERVER_USERS="$APPROVER:$APPROVER_PASSWORD" APPROVERS="web:$APPROVER"
export LOG_LEVEL=info

started=$SECONDS
step() { echo "--- [$((SECONDS - started)) s] $*"; }
fail() {
  echo "test:containers FAILED: $*" >&2
  exit 1
}
unavailable() {
  if [ "${CONTAINERS_OPTIONAL:-}" = 1 ]; then
    echo "test:containers skipped (CONTAINERS_OPTIONAL=1): this machine cannot run containers: $*"
    outcome=skipped
    exit 0
  fi
  echo "test:containers cannot run: $*." >&2
  echo "Set CONTAINERS_OPTIONAL=1 to skip this test where containers cannot run." >&2
  exit 1
}

# Compose v2 (`docker compose`) where installed, else the standalone docker-compose (1.29 on Debian).
if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
else
  compose_cmd=(docker-compose)
fi
compose() {
  "${compose_cmd[@]}" --ansi never -p "$PROJECT" -f docker-compose.yml -f test/containers/compose.test.yml \
    --profile sandbox "$@"
}

dockerd_pid=""
dockerd_log=""
stack_up=""
outcome=""
cleanup() {
  local status=$?
  if [ -n "$stack_up" ]; then
    if [ "$status" -ne 0 ]; then
      echo "--- logs of the stack (last 40 lines per service)"
      compose logs --no-color --tail 40 || true
    fi
    compose down -v --remove-orphans >/dev/null || true
  fi
  if [ -n "$dockerd_pid" ]; then
    echo "--- stopping the dockerd this test started"
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
    if [ "$status" -ne 0 ]; then tail -20 "$dockerd_log" >&2 || true; fi
    rm -f "$dockerd_log"
  fi
  [ -n "$outcome" ] || outcome=$([ "$status" -eq 0 ] && echo passed || echo failed)
  echo "--- test:containers $outcome in $((SECONDS - started)) s"
}
trap cleanup EXIT

step "Docker engine"
command -v docker >/dev/null 2>&1 || unavailable "no docker CLI (Debian: apt-get install docker.io)"
[ "${compose_cmd[0]}" = docker ] || command -v docker-compose >/dev/null 2>&1 ||
  unavailable "no docker compose nor docker-compose (Debian: apt-get install docker-compose)"
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null 2>&1 ||
    unavailable "no Docker engine runs and dockerd is not installed (Debian: apt-get install docker.io)"
  [ "$(id -u)" -eq 0 ] || unavailable "no Docker engine runs and only root can start dockerd"
  dockerd_log=$(mktemp)
  dockerd >"$dockerd_log" 2>&1 &
  dockerd_pid=$!
  echo "started dockerd (pid $dockerd_pid)"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    tail -20 "$dockerd_log" >&2
    unavailable "dockerd did not start (its log is above)"
  fi
fi
docker info --format 'engine {{.ServerVersion}}, storage {{.Driver}}'
# A stack left by an interrupted run would make every check below ambiguous.
compose down -v --remove-orphans >/dev/null || true

step "base images"
bash test/containers/base-images.sh

step "building $APP_IMAGE"
build_log=$(mktemp)
if ! docker build -q -t "$APP_IMAGE" . >"$build_log" 2>&1; then
  cat "$build_log" >&2
  fail "the image did not build (above)"
fi
rm -f "$build_log"
node_version=$(docker run --rm "$APP_IMAGE" node --version)
echo "docker run --rm $APP_IMAGE node --version: $node_version"
[[ "$node_version" == v24.* ]] || fail "the image runs Node $node_version, not 24"

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
SERVER_PORT=$(free_port)
SANDBOX_PORT=$(free_port)
export SERVER_PORT SANDBOX_PORT
server="http://127.0.0.1:$SERVER_PORT"

step "starting the stack: redis, sandbox, server, 3 workers (server on $SERVER_PORT)"
stack_up=1
compose up -d --no-build --scale worker=3 || fail "the stack did not start (above)"

containers() { docker ps -a -q --filter "label=com.docker.compose.project=$PROJECT"; }
health_table() {
  # shellcheck disable=SC2046
  docker inspect --format '{{index .Config.Labels "com.docker.compose.service"}} {{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}' $(containers)
}
step "waiting until every service is healthy"
for attempt in $(seq 1 90); do
  table=$(health_table)
  if ! grep -qv ' healthy$' <<<"$table"; then break; fi
  if grep -q -e ' exited ' -e ' unhealthy$' -e 'no-healthcheck' <<<"$table"; then
    echo "$table"
    fail "a service is down or unhealthy"
  fi
  [ "$attempt" -eq 90 ] && { echo "$table"; fail "not every service was healthy after 180 s"; }
  sleep 2
done
echo "$table"
[ "$(grep -c '^worker ' <<<"$table")" -eq 3 ] || fail "expected 3 worker containers"
for service in redis sandbox server; do
  grep -q "^$service " <<<"$table" || fail "no $service container"
done

status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
step "auth on the published server"
[ "$(status_of "$server/healthz")" = 200 ] || fail "/healthz does not answer 200"
for path in /metrics /admin/queues /readyz /proposals; do
  code=$(status_of "$server$path")
  [ "$code" = 401 ] || fail "$path answered $code to an anonymous request, not 401"
done
for path in /metrics /admin/queues /readyz; do
  code=$(status_of -H "Authorization: Bearer $TOKEN" "$server$path")
  [ "$code" = 200 ] || fail "$path answered $code with a token, not 200"
done
code=$(status_of -H "Authorization: Bearer wrong-$TOKEN" "$server/metrics")
[ "$code" = 401 ] || fail "/metrics answered $code to a wrong token, not 401"
# Read whole before searching: with pipefail, a grep -q that stops early fails the writer (SIGPIPE).
metrics=$(curl -sf -H "Authorization: Bearer $TOKEN" "$server/metrics") ||
  fail "/metrics could not be read with a token"
grep -q '^# TYPE' <<<"$metrics" || fail "/metrics holds no Prometheus metrics"
echo "anonymous: 401 on /metrics, /admin/queues, /readyz, /proposals; with the token: 200"

step "one cycle through the workers (sandbox's demo store, rate limits scaled ${SANDBOX_SPEED}x)"
cycle_out=$(mktemp)
cycle_err=$(mktemp)
# The server container runs the cycle with --no-worker: every job goes through the three workers.
compose exec -T server node bin/agent-trainer.js run --no-worker --json --since 31d \
  >"$cycle_out" 2>"$cycle_err" &
cycle_pid=$!

# The pull is one long job under the scaled limits; kill the worker container running it.
victim=""
for _ in $(seq 1 120); do
  for id in $(docker ps -q --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=worker"); do
    job_starts=$(docker logs "$id" 2>&1 | grep '"job started"' || true)
    if grep -q '"pull-conversations"' <<<"$job_starts"; then
      victim=$id
      break 2
    fi
  done
  kill -0 "$cycle_pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$victim" ] || fail "no worker started the pull job ($(cat "$cycle_err"))"
sleep 2
victim_name=$(docker inspect --format '{{.Name}}' "$victim")
victim_logs=$(docker logs "$victim" 2>&1)
grep -q '"pull-conversations".*"job done"\|"job done".*"pull-conversations"' <<<"$victim_logs" &&
  fail "the pull finished before the worker could be killed; lower SANDBOX_SPEED"
docker kill "$victim" >/dev/null
echo "killed worker container ${victim_name#/} while it ran the pull"

wait "$cycle_pid" || fail "the cycle failed: $(tail -5 "$cycle_err")"
summary=$(cat "$cycle_out")
echo "cycle summary: $summary"
node - "$summary" <<'JS' || fail "the cycle lost or failed work (summary above)"
const s = JSON.parse(process.argv[2]);
const problems = [];
if (s.pull.listed < 100) problems.push(`only ${s.pull.listed} conversations listed`);
if (s.pull.fetched + s.pull.unchanged + s.pull.open !== s.pull.listed)
  problems.push('pulled conversations do not add up to those listed');
// Every new or changed conversation is diagnosed, the killed worker's share included: by this
// run, or already (by the killed attempt, or by a scheduled pull that overlapped the run).
if (s.diagnosed + s.alreadyDiagnosed !== s.pull.changed)
  problems.push(`${s.diagnosed} diagnosed and ${s.alreadyDiagnosed} already diagnosed of ${s.pull.changed} changed`);
if (s.proposals.length === 0) problems.push('no proposals');
for (const p of problems) console.error(`- ${p}`);
process.exit(problems.length ? 1 : 0);
JS

# No job failed, and none is left active: the killed worker's job was taken over. A scheduled job
# (the hourly pull at :15) may be running when the cycle ends, so active ones get 30 s to finish.
for attempt in $(seq 1 15); do
  queues=$(curl -sf -H "Authorization: Bearer $TOKEN" "$server/admin/queues/api/queues") ||
    fail "/admin/queues/api/queues did not answer"
  verdict=0
  node - "$queues" "$attempt" <<'JS' || verdict=$?
const { queues } = JSON.parse(process.argv[2]);
const last = process.argv[3] === '15';
const failed = queues.filter((q) => q.counts.failed > 0);
const active = queues.filter((q) => q.counts.active > 0);
const shown = last ? [...failed, ...active] : failed;
for (const q of shown) console.error(`- ${q.name}: ${JSON.stringify(q.counts)}`);
if (failed.length > 0 || (last && active.length > 0)) process.exit(1);
if (active.length > 0) process.exit(2);
console.log(queues.map((q) => `${q.name} ${q.counts.completed} completed`).join(', '));
JS
  [ "$verdict" -eq 1 ] && fail "jobs failed, or stayed active, in the queues (above)"
  [ "$verdict" -eq 0 ] && break
  sleep 2
done

step "the cycle's proposals on /proposals, for approver $APPROVER"
page=$(curl -sf -u "$APPROVER:$APPROVER_PASSWORD" "$server/proposals") || fail "/proposals refused the approver"
missing=0
for id in $(node -e 'for (const id of JSON.parse(process.argv[1]).proposals) console.log(id)' "$summary"); do
  grep -qF "$id" <<<"$page" || { echo "missing: $id" >&2; missing=1; }
done
[ "$missing" -eq 0 ] || fail "proposals of the cycle are missing from /proposals"
echo "every proposal of the cycle is listed"

step "health checks stay out of the info logs"
server_logs=$(compose logs --no-color server)
grep -q '"url":"/metrics"' <<<"$server_logs" || fail "the server did not log requests to /metrics"
grep -q '"url":"/healthz"' <<<"$server_logs" && fail "the server logged health checks at info"
echo "requests are logged, health checks are not"

step "integration tests' Redis from testcontainers (no REDIS_URL)"
tc_out=$(env -u REDIS_URL npx vitest run test/integration/server/request-logging.test.ts 2>&1) ||
  { echo "$tc_out" >&2; fail "the integration test failed on a testcontainers Redis"; }
grep -q 'no Redis container' <<<"$tc_out" && { echo "$tc_out" >&2; fail "the setup fell back"; }
echo "passed on a testcontainers Redis"

step "docker-compose down -v"
compose down -v --remove-orphans >/dev/null
stack_up=""
left=$(
  containers
  docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT"
  docker network ls -q --filter "label=com.docker.compose.project=$PROJECT"
)
[ -z "$left" ] || fail "left behind: $left"
echo "no container, volume or network of the project is left"
rm -f "$cycle_out" "$cycle_err"
