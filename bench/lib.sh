# Pieces the loopback benchmarks share (bench/http, bench/soak): sourced, not run.
#   require_wrk            exits with a hint when wrk (Debian package "wrk") is missing
#   start_sluice           starts the packaged app, on a free port, (SLUICE_JAR, default the build's; JAVA_OPTS are
#                          passed to the JVM) on an embedded PostgreSQL in a temporary directory,
#                          waits until it is ready, and sets APP (its pid), DATA (the directory),
#                          BASE (the API's URL) and AUTH (the bootstrap admin's header); the app is
#                          stopped and the directory removed when the script exits
#   cpu_ticks              the app's CPU time so far (user + system, clock ticks)

require_wrk() {
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
}

start_sluice() {
  # a free port now (other benchmarks and builds share the machine)
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local jar="${SLUICE_JAR:-target/quarkus-app/quarkus-run.jar}"
  [ -f "$jar" ] || ./mvnw -B -q package -DskipTests
  DATA=$(mktemp -d)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  QUARKUS_HTTP_PORT=$port SLUICE_DATA_DIR="$DATA" QUARKUS_LOG_LEVEL=WARN \
    java ${JAVA_OPTS:-} -jar "$jar" > "$DATA/sluice.log" 2>&1 &
  APP=$!
  trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null; rm -rf "$DATA"' EXIT
  for _ in $(seq 1 240); do curl -sf "localhost:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
  [ -f "$DATA/admin-token" ] && kill -0 $APP 2>/dev/null || { echo "Sluice did not start:"; tail -20 "$DATA/sluice.log"; exit 1; }
  BASE="http://127.0.0.1:$port/api/v1"
  AUTH="Authorization: Bearer $(cat "$DATA/admin-token")"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$APP/stat"; }
