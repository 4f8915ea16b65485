#!/usr/bin/env bash
# Start time of the installed agent against the plain jar: seconds from launch to the first /health answer,
# median of N alternating runs, for each Java given. Not part of the test suite (it measures, it does not assert).
#
#   packaging/start-time.sh ROOT DIR [RUNS] [JAVA_HOME...]
#
# ROOT: where the .deb is installed ("/" on a server, or a sandbox root: dpkg --root ROOT --force-script-chrootless
#       --force-depends -i packaging/target/linux-patch-api_*_all.deb); its launcher must have built the start-up
#       archive for each Java first (ROOT/usr/bin/linux-patch-api --build-start-archive, with JAVA_HOME set).
# DIR:  a developer-mode directory (linux-patch-api dev --dir DIR --port N made it): its config, port and client
#       certificate are used for both variants.
# Needs curl. Prints one line per Java and variant.
set -euo pipefail
root=${1:?ROOT}; dir=${2:?DIR}; runs=${3:-7}; shift 3 || true
homes=("$@"); [ ${#homes[@]} -gt 0 ] || homes=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
checkout=$(cd "$(dirname "$0")/.." && pwd)
jar=$checkout/modules/agent/target/linux-patch-api.jar
config=$dir/config.yaml
port=$(sed -n 's/^  port: *\([0-9]*\).*/\1/p' "$config" | head -1)
curl_args=(-s -o /dev/null --cacert "$dir/certs/ca.pem" --cert "$dir/certs/client.pem" --key "$dir/certs/client.key.pem")

# seconds from launch to the first answer of /health; then SIGTERM and wait
first_health() {
  local start end pid
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  until curl "${curl_args[@]}" "https://localhost:$port/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "the agent exited: $*" >&2; return 1; }
    sleep 0.02
  done
  end=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" || true
  echo "$end - $start" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for home in "${homes[@]}"; do
  plain=(); installed=()
  for _ in $(seq "$runs"); do
    # the README's command, with this Java
    plain+=("$(first_health "$home/bin/java" $(grep -v '^#' "$checkout/conf/jvm.options") -jar "$jar" --config "$config")")
    # the packaged launcher (start-up archive, same flags)
    installed+=("$(JAVA_HOME=$home first_health "$root/usr/bin/linux-patch-api" --config "$config")")
  done
  version=$("$home/bin/java" -version 2>&1 | head -1)
  echo "$version  plain jar:  median $(printf '%s\n' "${plain[@]}" | median) s  (${plain[*]})"
  echo "$version  installed:  median $(printf '%s\n' "${installed[@]}" | median) s  (${installed[*]})"
done
