#!/usr/bin/env bash
# Load benchmark of the agent against nginx serving the same bytes with the same certificates, both
# measured alternately in this one run (issue 7). Prints one table and writes it to
# target/benchmark/report.md (raw numbers of every repetition: target/benchmark/raw.tsv).
#
#   tests/benchmarks/load/run.sh [--quick] [--reps N] [--duration SECONDS] [--warmup SECONDS]
#
# --quick: 1 repetition of 3 s runs (development); default: 3 repetitions of 10 s, medians reported.
# --warmup: seconds of load on each server before anything is measured (default 30, quick 15): the JVM
#   compiles its hot paths in the first seconds under load, nginx is native code; both get the same load.
# Needs: JDK 17 + Maven (builds the jar when missing), curl, and the Debian packages nginx-light, wrk,
# nghttp2-client (h2load), gcc, libssl-dev — installed with apt-get when missing and running as root.
# Real scale (issue 20): the same flags on a generated stock Ubuntu server's catalogue (100,000 packages, 148 MB
#   of lists, 1,500 installed): start, first and warm listing, dry run, patches and RSS, in their own table rows.
#   --no-scale skips it.
# Every Java (issue 16): the whole run once per Java, each beside nginx; one column per Java in the table.
# The Vert.x stack's ceiling (issue 16): BareVertxServer, the agent's TLS and flags answering /health's bytes with
#   nothing else, without and with Vert.x' HTTP meters, at 10 and 100 connections beside nginx (BARE_PORT).
# Environment: MVN_ARGS (e.g. -o), AGENT_PORT (18443), NGINX_PORT (18444), SCALE_PORT (18445), BARE_PORT (18446),
#   KEEP_WORK=1 (keep the work dir),
#   JVM_OPTIONS (a flags file in the format of conf/jvm.options, to compare flags; default conf/jvm.options),
#   JAVAS ("17=/usr/lib/jvm/java-17-openjdk-amd64 25=/usr/lib/jvm/temurin-25-jdk-amd64": NAME=JAVA_HOME pairs; default
#   every one of 17, 21 and 25 found there), IDLE_SECONDS (idle CPU window, default 60, quick 30).
set -euo pipefail

REPS=3
DURATION=10
WARMUP=30
QUICK=0
SCALE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; REPS=1; DURATION=3; WARMUP=15 ;;
    --no-scale) SCALE=0 ;;
    --warmup) WARMUP=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT="$ROOT/target/benchmark"
WORK="$OUT/work"
AGENT_PORT=${AGENT_PORT:-18443}
NGINX_PORT=${NGINX_PORT:-18444}
SCALE_PORT=${SCALE_PORT:-18445}
BARE_PORT=${BARE_PORT:-18446}
JAR="$ROOT/modules/agent/target/linux-patch-api.jar"
BENCH_JAR="$ROOT/tests/benchmarks/target/benchmarks.jar"
mkdir -p "$OUT" "$WORK"
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- 1. tools ------------------------------------------------------------------------------------------
need_pkgs=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_pkgs+=(nginx-light)
command -v wrk >/dev/null || need_pkgs+=(wrk)
command -v h2load >/dev/null || need_pkgs+=(nghttp2-client)
command -v gcc >/dev/null || need_pkgs+=(gcc)
[ -f /usr/include/openssl/ssl.h ] || need_pkgs+=(libssl-dev)
command -v curl >/dev/null || need_pkgs+=(curl)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${need_pkgs[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "missing packages; install them with: sudo apt-get install -y ${need_pkgs[*]}" >&2
    exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ ! -f "$JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  log "building the agent and benchmark jars"
  (cd "$ROOT" && mvn ${MVN_ARGS:-} -q -DskipTests package)
fi

SHIM="$OUT/client_cert_shim.so"
if [ ! -f "$SHIM" ] || [ "$HERE/client_cert_shim.c" -nt "$SHIM" ]; then
  gcc -O2 -shared -fPIC -o "$SHIM" "$HERE/client_cert_shim.c" -ldl -lssl -lcrypto
fi

# --- 2. certificates, config and a sandbox of 3,000 installed packages (developer mode's code) ----------
log "preparing $WORK (certificates, config, demo sandbox + 3,000 packages)"
java -cp "$BENCH_JAR" io.linuxpatch.benchmarks.LoadSandbox "$WORK/agent" "$AGENT_PORT" 3000 >"$OUT/setup.log" 2>&1 \
  || { cat "$OUT/setup.log" >&2; exit 1; }
CERTS="$WORK/agent/certs"
CONFIG="$WORK/agent/config.yaml"
export LPA_CLIENT_CERT="$CERTS/client.pem" LPA_CLIENT_KEY="$CERTS/client.key.pem"
CURL=(curl -sS --max-time 5 --cacert "$CERTS/ca.pem" --cert "$CERTS/client.pem" --key "$CERTS/client.key.pem")
JVM_OPTIONS=${JVM_OPTIONS:-$ROOT/conf/jvm.options}
mapfile -t JVM_FLAGS < <(grep -v '^#' "$JVM_OPTIONS" | sed '/^[[:space:]]*$/d')

# The Javas to compare (issue 16): NAME=JAVA_HOME pairs; by default Debian's 17, a 21 and Temurin 25 where installed.
if [ -z "${JAVAS:-}" ]; then
  JAVAS=""
  for candidate in 17=/usr/lib/jvm/java-17-openjdk-amd64 21=/usr/lib/jvm/java-21-openjdk-amd64 \
      25=/usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -x "${candidate#*=}/bin/java" ] && JAVAS="$JAVAS $candidate"
  done
  [ -n "$JAVAS" ] || JAVAS="default=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
read -r -a JAVA_LIST <<<"$JAVAS"
if [ -z "${IDLE_SECONDS:-}" ]; then
  IDLE_SECONDS=60
  [ "$QUICK" = 1 ] && IDLE_SECONDS=30
fi

AGENT_PID=""
NGINX_PID=""
BARE_PID=""
JAVA_BIN=java
ARCHIVE_FLAG=""
cleanup() {
  if [ -n "$AGENT_PID" ]; then kill "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null || true; fi
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null || true; fi
  if [ -n "$BARE_PID" ]; then kill "$BARE_PID" 2>/dev/null; wait "$BARE_PID" 2>/dev/null || true; fi
  if [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK/agent/log" "$WORK/agent/data"; fi
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Starts the agent with $JAVA_BIN and $ARCHIVE_FLAG [on CONFIG and PORT, default the 3,000-package one];
# STARTUP_MS = milliseconds from the process start to its first /health answer.
start_agent() {
  local config=${1:-$CONFIG} port=${2:-$AGENT_PORT} t0
  rm -rf "$(dirname "$config")/log"
  t0=$(now_ms)
  # shellcheck disable=SC2086 # ARCHIVE_FLAG is one flag or empty
  "$JAVA_BIN" "${JVM_FLAGS[@]}" $ARCHIVE_FLAG -jar "$JAR" --config "$config" >"$OUT/agent.log" 2>&1 &
  AGENT_PID=$!
  until "${CURL[@]}" -o /dev/null --max-time 1 "https://127.0.0.1:$port/health" 2>/dev/null; do
    if ! kill -0 "$AGENT_PID" 2>/dev/null; then cat "$OUT/agent.log" >&2; echo "the agent died" >&2; exit 1; fi
    if [ $(( $(now_ms) - t0 )) -gt 60000 ]; then echo "the agent did not answer within 60 s" >&2; exit 1; fi
    sleep 0.02
  done
  STARTUP_MS=$(( $(now_ms) - t0 ))
}
stop_agent() { kill "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null || true; AGENT_PID=""; }
rss_mb() { awk -v k="$2" '$1 == k":" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# CPU ticks (user + system) of every thread of process $1 so far.
cpu_ticks() { cat /proc/"$1"/task/*/stat 2>/dev/null | sed 's/^.*) //' | awk '{ t += $12 + $13 } END { print t }'; }
nginx_rss_mb() {
  ps --ppid "$NGINX_PID" -o rss= | awk -v m="$(awk '/VmRSS/ {print $2}' /proc/"$NGINX_PID"/status)" \
    '{ s += $1 } END { printf "%.1f", (s + m) / 1024 }'
}

RAW="$OUT/raw.tsv"
printf 'rep\tmetric\tserver\tvalue\n' >"$RAW"
# Records one value; nginx's under the Java it was measured beside (nginx@java17), for that Java's ratios.
record() {
  local server=$3
  [ "$server" = nginx ] && server="nginx@$CURRENT_AGENT"
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$server" "$4" >>"$RAW"
}

# The launcher's start-up archive for $JAVA_BIN (packaging/src/bin/linux-patch-api: AppCDS up to Java 24, the AOT
# cache from 25), recorded from the same training start; sets ARCHIVE_FLAG, or leaves it empty when that fails.
train_archive() {
  local name=$1 feature file record use
  feature=$("$JAVA_BIN" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if [ "${feature:-17}" -ge 25 ]; then
    file="$OUT/agent-$name.aot"; record=-XX:AOTCacheOutput; use=-XX:AOTCache
  else
    file="$OUT/agent-$name.jsa"; record=-XX:ArchiveClassesAtExit; use=-XX:SharedArchiveFile
  fi
  rm -f "$file"
  if "$JAVA_BIN" "${JVM_FLAGS[@]}" "$record=$file" -jar "$JAR" train >"$OUT/train-$name.log" 2>&1 && [ -s "$file" ]; then
    ARCHIVE_FLAG="$use=$file"
  else
    log "java$name: no start-up archive ($(tail -2 "$OUT/train-$name.log" | tr '\n' ' '))"
  fi
}

# --- 4. nginx with the same certificates and the agent's bytes (fetched from the first Java's agent) ------
WWW="$WORK/www"
start_nginx() {
  mkdir -p "$WWW" "$WORK/nginx"
  "${CURL[@]}" -o "$WWW/health.json" "https://127.0.0.1:$AGENT_PORT/health"
  "${CURL[@]}" -o "$WWW/packages.json" "https://127.0.0.1:$AGENT_PORT/api/v1/packages?limit=1000"
  grep -q '"success":true' "$WWW/packages.json" || { echo "the listing failed: $(head -c 300 "$WWW/packages.json")" >&2; exit 1; }
  ROWS=$(grep -o '"name":' "$WWW/packages.json" | wc -l)
  log "health: $(wc -c <"$WWW/health.json") bytes; listing: $(wc -c <"$WWW/packages.json") bytes, $ROWS packages"
  local user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat >"$WORK/nginx/nginx.conf" <<NGINX
$user_line
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  open_file_cache max=16;
  etag off;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl http2;
    ssl_certificate $CERTS/server.pem;
    ssl_certificate_key $CERTS/server.key.pem;
    ssl_client_certificate $CERTS/ca.pem;
    ssl_verify_client on;
    ssl_protocols TLSv1.3;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_session_cache shared:SSL:10m;
    ssl_session_tickets on;
    default_type application/json;
    add_header Cache-Control no-store;
    location = /health { alias $WWW/health.json; }
    location = /api/v1/packages { alias $WWW/packages.json; }
  }
}
NGINX
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$OUT/nginx.log" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    "${CURL[@]}" -o /dev/null "https://127.0.0.1:$NGINX_PORT/health" 2>/dev/null && break
    sleep 0.05
  done
  cmp -s <("${CURL[@]}" "https://127.0.0.1:$NGINX_PORT/api/v1/packages?limit=1000") "$WWW/packages.json" \
    || { cat "$OUT/nginx.log" "$WORK/nginx/error.log" >&2; echo "nginx does not serve the agent's bytes" >&2; exit 1; }
  sleep 2
  record 1 rss_idle_mb nginx "$(nginx_rss_mb)"
}

# --- 5. load, alternating agent and nginx --------------------------------------------------------------
# Converts wrk's latency ("812.00us", "1.20ms", "1.01s") to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

# wrk NAME SERVER CONNS PATH [extra env...]: records NAME_rps (and NAME_p99_ms).
run_wrk() {
  local rep=$1 name=$2 server=$3 conns=$4 path=$5 port threads out
  shift 5
  port=$AGENT_PORT; [ "$server" = nginx ] && port=$NGINX_PORT
  port=${WRK_PORT:-$port}
  threads=2; [ "$conns" -lt 2 ] && threads=1
  out=$(env "$@" LD_PRELOAD="$SHIM" wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 5s --latency \
    ${WRK_HEADER:+-H "$WRK_HEADER"} "https://127.0.0.1:$port$path" 2>&1) || true
  echo "$out" >>"$OUT/load.log"
  local rps p99 bad
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  bad=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  if [ -n "$bad" ]; then log "WARNING: $name on $server: $bad non-2xx answers"; fi
  record "$rep" "${name}_rps" "$server" "${rps:-0}"
  if [ -n "$p99" ]; then record "$rep" "${name}_p99_ms" "$server" "$(to_ms "$p99")"; fi
  log "$name $server: ${rps:-0} req/s, p99 ${p99:-?}"
}

run_h2load() {
  local rep=$1 name=$2 server=$3 conns=$4 path=$5 port threads out rps failed
  port=$AGENT_PORT; [ "$server" = nginx ] && port=$NGINX_PORT
  threads=2; [ "$conns" -lt 2 ] && threads=1
  out=$(LD_PRELOAD="$SHIM" h2load -t"$threads" -c"$conns" -m10 -D"$DURATION" --warm-up-time=1 \
    "https://127.0.0.1:$port$path" 2>&1) || true
  echo "$out" >>"$OUT/load.log"
  rps=$(echo "$out" | awk '/^finished in/ { print $4 }' | tr -d ',')
  failed=$(echo "$out" | awk '/^requests:/ { print $10 }')
  if [ "${failed:-0}" != 0 ]; then log "WARNING: $name on $server: $failed failed requests"; fi
  record "$rep" "${name}_rps" "$server" "${rps:-0}"
  log "$name $server: ${rps:-0} req/s"
}

# Handshakes per second = requests per second with "Connection: close" (one request per connection).
run_handshakes() {
  local rep=$1 name=$2 server=$3 full=$4 stats="$OUT/shim-stats.txt" line
  rm -f "$stats"
  if [ "$full" = 1 ]; then
    WRK_HEADER="Connection: close" run_wrk "$rep" "$name" "$server" 20 /health LPA_FULL_HANDSHAKE=1 LPA_SHIM_STATS="$stats"
  else
    WRK_HEADER="Connection: close" run_wrk "$rep" "$name" "$server" 20 /health LPA_SHIM_STATS="$stats"
  fi
  line=$(cat "$stats" 2>/dev/null || true)
  log "  $name $server: $line"
  record "$rep" "${name}_resumed_share" "$server" "$(echo "$line" | awk -F'[= ]' '{ if ($2 > 0) printf "%.2f", $4 / $2; else print 0 }')"
}

LIST="/api/v1/packages?limit=1000"
# Warm-up: the same load on both servers, nothing recorded (the agent's JIT compiles its hot paths here).
warm() {
  local server=$1 port=$AGENT_PORT third=$(( WARMUP / 3 > 0 ? WARMUP / 3 : 1 ))
  [ "$server" = nginx ] && port=$NGINX_PORT
  LD_PRELOAD="$SHIM" wrk -t2 -c10 -d"${third}s" "https://127.0.0.1:$port/health" >/dev/null 2>&1 || true
  LD_PRELOAD="$SHIM" wrk -t2 -c10 -d"${third}s" "https://127.0.0.1:$port$LIST" >/dev/null 2>&1 || true
  LD_PRELOAD="$SHIM" h2load -t2 -c10 -m10 -D"$third" "https://127.0.0.1:$port/health" >/dev/null 2>&1 || true
}

# Starts and stops the agent REPS times, recording each time to the first /health answer as metric $2 of $1.
time_starts() {
  local rep
  for rep in $(seq 1 "$REPS"); do
    start_agent
    log "$1 start-up $rep${ARCHIVE_FLAG:+ with $ARCHIVE_FLAG}: $STARTUP_MS ms to the first /health answer"
    record "$rep" "$2" "$1" "$(awk -v m="$STARTUP_MS" 'BEGIN { printf "%.3f", m / 1000 }')"
    stop_agent
  done
}

# One Java's whole run, recorded as server $1: start-up without and with the start-up archive, idle RSS, CPU and
# threads, the load against nginx, RSS after it, and the real-scale rows.
bench_java() {
  local agent=$1 name=${1#java} rep t0 t1 hz
  CURRENT_AGENT=$agent
  CURL=(curl -sS --max-time 5 --cacert "$CERTS/ca.pem" --cert "$CERTS/client.pem" --key "$CERTS/client.key.pem")
  export LPA_CLIENT_CERT="$CERTS/client.pem" LPA_CLIENT_KEY="$CERTS/client.key.pem"
  # --- 3. start-up (every repetition starts the agent afresh): the README's command, then the launcher's archive
  ARCHIVE_FLAG=""
  time_starts "$agent" startup_s
  train_archive "$name"
  if [ -n "$ARCHIVE_FLAG" ]; then time_starts "$agent" startup_archive_s; fi
  # The measured agent starts as the README starts it (no archive).
  ARCHIVE_FLAG=""
  start_agent
  ENGINE=$(sed -n 's/.*TLS engine \(.*\))$/TLS engine \1/p' "$OUT/agent.log" | head -1 || true)
  [ -n "$NGINX_PID" ] || start_nginx
  sleep 2
  record 1 rss_idle_mb "$agent" "$(rss_mb "$AGENT_PID" VmRSS)"
  # Idle CPU (issue 16): every thread's ticks over IDLE_SECONDS with no request, after 30 s to settle (with 10 s the
  # window still held the tail of the start's compilations: 13 ticks a minute on Java 17 against 5 after 20 s).
  sleep 30
  hz=$(getconf CLK_TCK)
  t0=$(cpu_ticks "$AGENT_PID"); sleep "$IDLE_SECONDS"; t1=$(cpu_ticks "$AGENT_PID")
  record 1 idle_cpu_pct "$agent" "$(awk -v d=$(( t1 - t0 )) -v hz="$hz" -v s="$IDLE_SECONDS" 'BEGIN { printf "%.3f", 100 * d / hz / s }')"
  record 1 threads "$agent" "$(find /proc/"$AGENT_PID"/task -mindepth 1 -maxdepth 1 | wc -l)"
  log "$agent idle: $(( t1 - t0 )) ticks in $IDLE_SECONDS s"
  # --- 5. load ---
  if [ "$WARMUP" -gt 0 ]; then
    log "warm-up: ${WARMUP} s of load on each server, not measured"
    for s in "$agent" nginx; do warm "$s"; done
  fi
  local servers conns s
  for rep in $(seq 1 "$REPS"); do
    log "$agent repetition $rep of $REPS (${DURATION} s per run)"
    # Alternate who goes first from one repetition to the next.
    servers="$agent nginx"
    [ $(( rep % 2 )) = 0 ] && servers="nginx $agent"
    for conns in 1 10 100; do
      for s in $servers; do run_wrk "$rep" "h1_health_c$conns" "$s" "$conns" /health; done
      for s in $servers; do run_wrk "$rep" "h1_list_c$conns" "$s" "$conns" "$LIST"; done
    done
    for conns in 1 10 100; do
      for s in $servers; do run_h2load "$rep" "h2_health_c$conns" "$s" "$conns" /health; done
      for s in $servers; do run_h2load "$rep" "h2_list_c$conns" "$s" "$conns" "$LIST"; done
    done
    for s in $servers; do run_handshakes "$rep" full_handshakes "$s" 1; done
    for s in $servers; do run_handshakes "$rep" resumed_handshakes "$s" 0; done
  done
  record 1 rss_peak_mb "$agent" "$(rss_mb "$AGENT_PID" VmHWM)"
  sleep 2
  record 1 rss_after_mb "$agent" "$(rss_mb "$AGENT_PID" VmRSS)"
  record 1 rss_after_mb nginx "$(nginx_rss_mb)"
  stop_agent
  bench_bare "$agent"
  if [ "$SCALE" = 1 ]; then bench_scale "$agent"; fi
}

# --- 5b. the Vert.x stack's ceiling (issue 16): BareVertxServer, the agent's TLS and JVM flags and nothing else,
# answering the agent's /health bytes (without, then with Vert.x' HTTP meters), beside nginx in turn.
bench_bare() {
  local agent=$1 variant rep conns t0
  for variant in bare bare_metrics; do
    # shellcheck disable=SC2046 # "metrics" or nothing
    "$JAVA_BIN" "${JVM_FLAGS[@]}" -cp "$BENCH_JAR" io.linuxpatch.benchmarks.BareVertxServer "$BARE_PORT" "$CERTS" \
      "$WWW/health.json" $([ "$variant" = bare_metrics ] && echo metrics) >"$OUT/bare.log" 2>&1 &
    BARE_PID=$!
    t0=$(now_ms)
    until cmp -s <("${CURL[@]}" --max-time 1 "https://127.0.0.1:$BARE_PORT/health" 2>/dev/null) "$WWW/health.json"; do
      if ! kill -0 "$BARE_PID" 2>/dev/null || [ $(( $(now_ms) - t0 )) -gt 60000 ]; then
        cat "$OUT/bare.log" >&2; echo "the bare Vert.x server did not answer" >&2; exit 1
      fi
      sleep 0.05
    done
    LD_PRELOAD="$SHIM" wrk -t2 -c10 -d"$(( WARMUP / 3 > 5 ? WARMUP / 3 : 5 ))s" "https://127.0.0.1:$BARE_PORT/health" \
      >/dev/null 2>&1 || true
    for rep in $(seq 1 "$REPS"); do
      for conns in 10 100; do
        WRK_PORT=$BARE_PORT run_wrk "$rep" "${variant}_health_c$conns" "$agent" "$conns" /health
        run_wrk "$rep" "${variant}_health_c$conns" nginx "$conns" /health
      done
    done
    record 1 "${variant}_rss_after_mb" "$agent" "$(rss_mb "$BARE_PID" VmRSS)"
    kill "$BARE_PID" 2>/dev/null; wait "$BARE_PID" 2>/dev/null || true; BARE_PID=""
  done
}

# --- 6. real scale (issue 20): the same flags on a stock Ubuntu server's catalogue ----------------------
bench_scale() {
  local agent=$1 rep i metric first out
  SCALE_DIR="$WORK/scale-agent"
  log "preparing $SCALE_DIR (real-scale sandbox: 100,000 packages, 148 MB of lists; built once, then reused)"
  java -cp "$BENCH_JAR" io.linuxpatch.benchmarks.LoadSandbox "$SCALE_DIR" "$SCALE_PORT" scale >>"$OUT/setup.log" 2>&1 \
    || { cat "$OUT/setup.log" >&2; exit 1; }
  # The same certificates work for both agents' clients only if made by one CA: use the scale agent's own.
  CURL=(curl -sS --max-time 60 --cacert "$SCALE_DIR/certs/ca.pem" --cert "$SCALE_DIR/certs/client.pem" \
    --key "$SCALE_DIR/certs/client.key.pem")
  export LPA_CLIENT_CERT="$SCALE_DIR/certs/client.pem" LPA_CLIENT_KEY="$SCALE_DIR/certs/client.key.pem"
  SURL="https://127.0.0.1:$SCALE_PORT"
  for rep in $(seq 1 "$REPS"); do
    start_agent "$SCALE_DIR/config.yaml" "$SCALE_PORT"
    first=$("${CURL[@]}" -o /dev/null -w '%{time_total}' "$SURL$LIST")
    record "$rep" scale_startup_s "$agent" "$(awk -v m="$STARTUP_MS" 'BEGIN { printf "%.3f", m / 1000 }')"
    record "$rep" scale_first_list_s "$agent" "$first"
    sleep 2
    record "$rep" scale_rss_start_mb "$agent" "$(rss_mb "$AGENT_PID" VmRSS)"
    log "$agent real scale $rep: first /health after $STARTUP_MS ms, first listing ${first} s"
    if [ "$rep" -lt "$REPS" ]; then stop_agent; fi
  done
  AVAILABLE=$("${CURL[@]}" "$SURL/api/v1/packages?status=available&limit=1&sort=name&order=desc" \
    | sed -n 's/.*"packages":\[{"name":"\([^"]*\)".*/\1/p')
  # The first of each runs apt (apt-get -s); the next four are answered from the plan and patches the agent keeps
  # for an unchanged package state: both are reported, never one median of the two.
  for i in 1 2 3 4 5; do
    [ "$i" = 1 ] && metric=first || metric=again
    record "$i" "scale_dry_run_${metric}_s" "$agent" "$("${CURL[@]}" -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' \
      -d "{\"packages\":[{\"name\":\"$AVAILABLE\"}]}" "$SURL/api/v1/packages?dry_run=true")"
    record "$i" "scale_patches_${metric}_s" "$agent" "$("${CURL[@]}" -o /dev/null -w '%{time_total}' "$SURL/api/v1/patches?limit=1000")"
  done
  for rep in $(seq 1 "$REPS"); do
    out=$(LD_PRELOAD="$SHIM" wrk -t2 -c10 -d"${DURATION}s" --timeout 5s --latency "$SURL$LIST" 2>&1) || true
    echo "$out" >>"$OUT/load.log"
    record "$rep" scale_list_c10_rps "$agent" "$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')"
    record "$rep" scale_list_c10_p99_ms "$agent" "$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")"
    LD_PRELOAD="$SHIM" wrk -t2 -c10 -d"${DURATION}s" "$SURL/api/v1/patches?limit=1000" >>"$OUT/load.log" 2>&1 || true
    LD_PRELOAD="$SHIM" wrk -t1 -c2 -d"${DURATION}s" "$SURL/api/v1/packages?status=all&limit=1000&sort=version" \
      >>"$OUT/load.log" 2>&1 || true
  done
  record 1 scale_rss_peak_mb "$agent" "$(rss_mb "$AGENT_PID" VmHWM)"
  sleep 2
  record 1 scale_rss_after_mb "$agent" "$(rss_mb "$AGENT_PID" VmRSS)"
  log "$agent real scale: RSS after the load $(rss_mb "$AGENT_PID" VmRSS) MB"
  stop_agent
}

AGENTS=()
VERSIONS=""
for entry in "${JAVA_LIST[@]}"; do
  JAVA_BIN="${entry#*=}/bin/java"
  [ -x "$JAVA_BIN" ] || { echo "no java at $JAVA_BIN" >&2; exit 1; }
  AGENTS+=("java${entry%%=*}")
  VERSIONS="$VERSIONS${VERSIONS:+; }${entry%%=*}: $("$JAVA_BIN" -version 2>&1 | head -1)"
  bench_java "java${entry%%=*}"
done

# --- 7. the table --------------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
value() { awk -F'\t' -v m="$1" -v s="$2" '$2 == m && $3 == s { print $4 }' "$RAW" | median; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN { if (v == "") print "—"; else printf "%." d "f", v }'; }

REPORT="$OUT/report.md"
{
  echo "# Agent vs nginx, same machine, same run"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'),"\
       "$(nproc) cores; Java $VERSIONS; $("$NGINX" -v 2>&1 | sed 's/nginx version: //'),"\
       "${ENGINE:-TLS engine not logged}; JVM flags from ${JVM_OPTIONS#"$ROOT"/} for every Java; ${WARMUP} s warm-up per server; medians of $REPS repetition(s) of ${DURATION} s runs;"\
       "HTTP/2 with 10 streams per connection; /health $(wc -c <"$WWW/health.json") B, listing $(wc -c <"$WWW/packages.json") B ($ROWS packages);"\
       "idle CPU over ${IDLE_SECONDS} s. nginx was measured beside each Java in turn: its column is the median of all its runs, each"\
       "ratio is to the nginx runs beside that Java."
  echo
  header="| metric |"; rule="|---|"
  for a in "${AGENTS[@]}"; do header="$header Java ${a#java} |"; rule="$rule---:|"; done
  header="$header nginx |"; rule="$rule---:|"
  for a in "${AGENTS[@]}"; do header="$header ratio ${a#java} |"; rule="$rule---:|"; done
  echo "$header target | met |"
  echo "$rule---|---|"
} >"$REPORT"

# Every nginx run of a metric, whichever Java it was measured beside.
nginx_all() { awk -F'\t' -v m="$1" '$2 == m && $3 ~ /^nginx@/ { print $4 }' "$RAW" | median; }

# row LABEL METRIC DECIMALS TARGET KIND: KIND is min (ratio ≥ target), max (ratio ≤ target), abs (agent ≤ target) or -
row() {
  local label=$1 metric=$2 dec=$3 target=$4 kind=$5 a n ratio ratios="" values="" met="" target_text m
  for agent in "${AGENTS[@]}"; do
    a=$(value "$metric" "$agent")
    values="$values $(fmt "$a" "$dec") |"
    n=$(value "$metric" "nginx@$agent")
    ratio=""
    [ -n "$a" ] && [ -n "$n" ] && ratio=$(awk -v a="$a" -v n="$n" 'BEGIN { if (n > 0) printf "%.2f", a / n }')
    ratios="$ratios ${ratio:-—} |"
    case "$kind" in
      min) m=$(awk -v r="$ratio" -v t="$target" 'BEGIN { if (r == "") print "?"; else print (r >= t ? "yes" : "no") }') ;;
      max) m=$(awk -v r="$ratio" -v t="$target" 'BEGIN { if (r == "") print "?"; else print (r <= t ? "yes" : "no") }') ;;
      abs) m=$(awk -v a="$a" -v t="$target" 'BEGIN { if (a == "") print "?"; else print (a <= t ? "yes" : "no") }') ;;
      *) m="" ;;
    esac
    met="$met${met:+ / }$m"
  done
  case "$kind" in
    min) target_text="≥ ${target} × nginx" ;;
    max) target_text="≤ ${target} × nginx" ;;
    abs) target_text="≤ ${target}" ;;
    *) target_text="—"; met="" ;;
  esac
  printf '| %s |%s %s |%s %s | %s |\n' "$label" "$values" "$(fmt "$(nginx_all "$metric")" "$dec")" "$ratios" \
    "$target_text" "$met" >>"$REPORT"
}
for c in 1 10 100; do
  kind=-; [ "$c" != 1 ] && kind=min
  row "HTTP/1.1 /health req/s, $c conn" "h1_health_c${c}_rps" 0 0.8 "$kind"
done
for c in 10 100; do
  row "bare Vert.x HTTPS server, same TLS and flags, /health bytes, req/s, $c conn" "bare_health_c${c}_rps" 0 "" -
  row "same with Vert.x' HTTP meters on, req/s, $c conn" "bare_metrics_health_c${c}_rps" 0 "" -
done
for c in 1 10 100; do
  kind=-; [ "$c" = 10 ] && kind=min
  row "HTTP/1.1 listing (1,000 pkgs) req/s, $c conn" "h1_list_c${c}_rps" 0 0.8 "$kind"
done
row "HTTP/1.1 /health p99 ms, 10 conns" h1_health_c10_p99_ms 2 2 max
row "HTTP/1.1 listing p99 ms, 10 conns" h1_list_c10_p99_ms 2 2 max
row "HTTP/1.1 /health p99 ms, 100 conns" h1_health_c100_p99_ms 2 "" -
for c in 1 10 100; do row "HTTP/2 /health req/s, $c conn" "h2_health_c${c}_rps" 0 "" -; done
for c in 1 10 100; do row "HTTP/2 listing req/s, $c conn" "h2_list_c${c}_rps" 0 "" -; done
row "full mTLS handshakes/s, 20 conns" full_handshakes_rps 0 0.8 min
row "resumed handshakes/s, 20 conns" resumed_handshakes_rps 0 0.8 min
row "share of handshakes resumed (resumed run)" resumed_handshakes_resumed_share 2 "" -
row "RSS idle, MB" rss_idle_mb 1 96 abs
row "idle CPU, % of one core" idle_cpu_pct 3 0.1 abs
row "threads, idle" threads 0 "" -
row "RSS after the load, MB" rss_after_mb 1 192 abs
row "RSS peak during the load, MB" rss_peak_mb 1 "" -
row "start to first /health answer, s (README's command)" startup_s 2 1.5 abs
row "same with the launcher's start-up archive (AppCDS; AOT cache from 25), s" startup_archive_s 2 1.5 abs
if [ "$SCALE" = 1 ]; then
  {
    echo
    echo "Real scale (issue 20): the agent alone, same flags, on a generated stock Ubuntu 24.04 server's catalogue"
    echo "(100,000 packages in 148 MB of lists, 1,500 installed, 150 updates); medians."
    echo
    header="| metric |"; rule="|---|"
    for a in "${AGENTS[@]}"; do header="$header Java ${a#java} |"; rule="$rule---:|"; done
    echo "$header target | met |"
    echo "$rule---|---|"
  } >>"$REPORT"
  # srow LABEL METRIC DECIMALS TARGET: TARGET empty means no target
  srow() {
    local values="" met="" a
    for agent in "${AGENTS[@]}"; do
      a=$(value "$2" "$agent")
      values="$values $(fmt "$a" "$3") |"
      [ -n "$4" ] && met="$met${met:+ / }$(awk -v a="$a" -v t="$4" 'BEGIN { if (a == "") print "?"; else print (a <= t ? "yes" : "no") }')"
    done
    printf '| %s |%s %s | %s |\n' "$1" "$values" "${4:+≤ $4}" "$met" >>"$REPORT"
  }
  srow "start to first /health answer, s" scale_startup_s 2 1.5
  srow "first listing (1,000 rows) right after that, s" scale_first_list_s 2 1
  srow "warm listing req/s, 10 conns" scale_list_c10_rps 0 ""
  srow "warm listing p99 ms, 10 conns" scale_list_c10_p99_ms 2 ""
  srow "dry-run install, first (apt-get -s), s" scale_dry_run_first_s 2 ""
  srow "dry-run install again, same state (plan kept), s" scale_dry_run_again_s 2 ""
  srow "patches, first (apt's dist-upgrade simulation), s" scale_patches_first_s 2 ""
  srow "patches again, same state (cached), s" scale_patches_again_s 2 ""
  srow "RSS after start and first listing, MB" scale_rss_start_mb 1 192
  srow "RSS after listing/patch load, MB" scale_rss_after_mb 1 192
  srow "RSS peak during the load, MB" scale_rss_peak_mb 1 ""
fi
if [ "$QUICK" = 1 ]; then
  printf '\n_Quick mode: %s repetition(s) of %s s runs, for development only._\n' "$REPS" "$DURATION" >>"$REPORT"
fi

echo
cat "$REPORT"
log "report: $REPORT; every repetition: $RAW; tool output: $OUT/load.log"
