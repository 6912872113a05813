#!/usr/bin/env bash
# The edge next to nginx serving the same policy file with the same certificate, measured with wrk.
#
#   Benchmarks/edge/run.sh [--record] [--pairs N] [--duration S] [--quick] [--logging] [--scenario NAME]...
#
# Builds the release binary, creates a throwaway PostgreSQL with `mtasts migrate`, seeds one verified domain
# (policy + P-256 certificate from a throwaway openssl CA, private key encrypted with a known master key as
# the platform does), starts `mtasts edge` and nginx on free loopback ports, checks that both answer 200
# with identical bodies, then runs compare.py: keep-alive and new-connection-per-request scenarios, edge and
# nginx alternated in pairs, median of per-pair ratios. --record appends the results to results.md. --logging
# turns both access logs on, each buffered as it would be in production (the edge's LogBuffer; nginx's
# `buffer=64k flush=1s`), both written to a file.
# See docs/performance.md.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RECORD=0
LOGGING=0
SCENARIOS=()
PAIRS=5
DURATION=10
while (($#)); do
    case $1 in
        --record) RECORD=1 ;;
        --pairs) PAIRS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --quick) PAIRS=1; DURATION=3 ;;
        --logging) LOGGING=1 ;;
        --scenario) SCENARIOS+=("$2"); shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
    shift
done

DOMAIN=bench.example
HOST=mta-sts.$DOMAIN
EVENT_LOOPS=2

require_tools
build_release
make_workdir
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- one verified domain: throwaway CA, P-256 leaf, policy, database ------------------------------------------
seed_single_domain "$DOMAIN"

# --- the edge ------------------------------------------------------------------------------------------------
EDGE_PORT=$(free_port)
NGINX_ACCESS_LOG="access_log off;"
if [[ $LOGGING == 1 ]]; then
    # The edge's access lines go to stderr, which start_edge sends to edge.log; nginx's to its own file.
    export MTASTS_EDGE_ACCESS_LOG_OVERRIDE=on MTASTS_LOG_LEVEL_OVERRIDE=info
    NGINX_ACCESS_LOG="access_log $WORK/nginx/access.log combined buffer=64k flush=1s;"
fi
start_edge "$WORK/edge.log"

# --- nginx: same file, same chain and key, as many workers as the edge has event loops --------------------
NGINX_PORT=$(free_port)
cat > "$WORK/nginx/nginx.conf" <<EOF
user www-data;
worker_processes $EVENT_LOOPS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    $NGINX_ACCESS_LOG
    default_type text/plain;
    charset utf-8;
    sendfile on;
    # The edge has no per-connection request limit; nginx's default (1000) would add handshakes.
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        server_name $HOST;
        ssl_certificate $TLS/leaf.pem;
        ssl_certificate_key $TLS/leaf.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        # The edge's TLS policy (Sources/TLS/TLSConfiguration.swift), so both negotiate the same suite and group.
        ssl_prefer_server_ciphers on;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
        ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
        ssl_ecdh_curve X25519:prime256v1:secp384r1;
        root $WORK/www;
        # The same header the edge sends (RFC 8461 §8.2).
        add_header Cache-Control "max-age=60";
    }
}
EOF
nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
STARTED_PIDS+=("$NGINX_PID")

# --- both must answer 200 with the same body before anything is measured -------------------------------------
wait_for_200() {
    local name=$1 port=$2 pid=$3 log_file=$4
    for _ in $(seq 300); do
        alive "$pid" || { cat "$log_file" >&2; die "$name exited during start-up"; }
        [[ $(fetch "$HOST" "$port" "$TLS/ca.pem" -o /dev/null -w '%{http_code}' 2>/dev/null) == 200 ]] && return 0
        sleep 0.1
    done
    cat "$log_file" >&2
    die "$name did not answer 200 within 30 s"
}
wait_for_200 edge "$EDGE_PORT" "$EDGE_PID" "$WORK/edge.log"
wait_for_200 nginx "$NGINX_PORT" "$NGINX_PID" "$WORK/nginx/error.log"
fetch "$HOST" "$EDGE_PORT" "$TLS/ca.pem" -o "$WORK/edge.body"
fetch "$HOST" "$NGINX_PORT" "$TLS/ca.pem" -o "$WORK/nginx.body"
cmp -s "$WORK/edge.body" "$WORK/nginx.body" || die "edge and nginx bodies differ"
cmp -s "$WORK/edge.body" "$WORK/www/.well-known/mta-sts.txt" || die "the edge does not serve the seeded policy"
log "both answer 200 with the same $(wc -c < "$WORK/edge.body")-byte policy"
for name in edge nginx; do
    port=$EDGE_PORT; [[ $name == nginx ]] && port=$NGINX_PORT
    log "$name: $(fetch "$HOST" "$port" "$TLS/ca.pem" -o /dev/null \
        -w '%{http_code} %{content_type} TLS handshake via %{scheme}' 2>&1)"
    log "$name: $(openssl s_client -connect "127.0.0.1:$port" -servername "$HOST" -CAfile "$TLS/ca.pem" \
        </dev/null 2>/dev/null | grep -E '^(New|Server Temp Key)' | tr '\n' ' ')"
done

# --- measure ---------------------------------------------------------------------------------------------------
COMMIT=$(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet HEAD -- Sources || echo "+dirty")
HEADER="Commit $COMMIT; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), shared \
with other builds; load average before: $(cut -d' ' -f1-3 /proc/loadavg). nginx $(nginx -v 2>&1 | cut -d/ -f2), \
$EVENT_LOOPS workers; edge $EVENT_LOOPS event loops; access logs $([[ $LOGGING == 1 ]] && echo "on (buffered)" || echo off); wrk $( (wrk -v 2>&1 || true) | head -1 | awk '{print $2}') on the same \
machine; $PAIRS pairs × ${DURATION} s per scenario, order alternating per pair."
RECORD_ARGS=()
[[ $RECORD == 1 ]] && RECORD_ARGS=(--record "$BENCH_DIR/results.md")
((${#SCENARIOS[@]})) && RECORD_ARGS+=(--scenarios "${SCENARIOS[@]}")
log "measuring: $PAIRS pairs x ${DURATION} s per scenario"
python3 "$BENCH_DIR/compare.py" --host "$HOST" --edge-port "$EDGE_PORT" --nginx-port "$NGINX_PORT" \
    --edge-pid "$EDGE_PID" --nginx-pid "$NGINX_PID" --lua "$BENCH_DIR/wrk-host.lua" \
    --pairs "$PAIRS" --duration "$DURATION" --header "$HEADER" "${RECORD_ARGS[@]}"
alive "$EDGE_PID" || die "the edge died during the benchmark"
if [[ $LOGGING == 1 ]]; then
    # Both must really have logged: a run whose access log stayed empty measured the wrong thing.
    edge_lines=$(grep -c 'log=access' "$WORK/edge.log" || true)
    nginx_lines=$(wc -l < "$WORK/nginx/access.log" 2>/dev/null || echo 0)
    ((edge_lines > 0 && nginx_lines > 0)) || die "access logs empty (edge $edge_lines, nginx $nginx_lines lines)"
    log "access log lines: edge $edge_lines, nginx $nginx_lines"
fi
log "edge RSS after the benchmark: $(awk '/VmRSS/ {print $2, $3}' "/proc/$EDGE_PID/status")"
