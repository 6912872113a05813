#!/usr/bin/env bash
# The edge next to nginx serving the same policy file with the same certificate, measured with wrk.
#
#   Benchmarks/edge/run.sh [--record] [--pairs N] [--duration S] [--quick] [--logging] [--scenario NAME]...
#                          [--vhosts N]
#
# Builds the release binary, creates a throwaway PostgreSQL with `mtasts migrate`, seeds one verified domain
# (policy + P-256 certificate from a throwaway openssl CA, private key encrypted with a known master key as
# the platform does), starts `mtasts edge` and nginx on free loopback ports, checks that both answer 200
# with identical bodies, then runs compare.py: keep-alive, new-connection-per-request and paced keep-alive (each
# connection pausing 2 ms between requests: the same offered load for both, to compare p99 below saturation)
# scenarios, edge and nginx alternated in pairs, median of per-pair ratios. --record appends the results to results.md. --logging
# turns both access logs on, each buffered as it would be in production (the edge's LogBuffer; nginx's
# `buffer=64k flush=1s`), both written to a file.
# --vhosts N (N >= 2) hosts N verified domains instead of one, each with its own policy and P-256 certificate
# and key from one throwaway CA (seed.py many --nginx-dir, generated once and cached in
# .build/bench-cache/vhosts-N/). The edge serves all N from the database as usual; nginx gets one `server`
# block per domain with its own server_name, certificate, key and root, so it selects the block and its
# SSL_CTX by SNI, as an operator hosting many tenants would configure it. Both must answer the first, the
# measured and the last host with that host's own policy and certificate. wrk takes SNI and Host from its
# URL, so every request of a run goes to one host: the middle one (index N/2), not nginx's first, default
# block. The vhost count goes into the header recorded in results.md.
# --pin gives the client a core of its own, the nearest this machine comes to a client on another machine: the
# edge (one event loop, every thread) and nginx (one worker, and its master) are pinned to CPU 0, wrk (one
# thread) to CPU 1. Unpinned, wrk shares both cores with the server it measures, and when the server is the
# faster, wrk's own waits for a core show up in its p99 (docs/performance.md).
# See docs/performance.md.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RECORD=0
LOGGING=0
SCENARIOS=()
VHOSTS=0
PIN=0
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
        --vhosts) VHOSTS=$2; shift ;;
        --pin) PIN=1 ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
    shift
done

if [[ $VHOSTS != 0 ]]; then
    [[ $VHOSTS =~ ^[0-9]+$ ]] && ((VHOSTS >= 2)) || die "--vhosts needs a number of domains, at least 2"
fi

DOMAIN=bench.example
EVENT_LOOPS=2
if ((PIN)); then
    require_two_cpus
    EVENT_LOOPS=1
fi
# The layout of .build/bench-cache/vhosts-N/ (seed.py many --nginx-dir); a different one is generated again.
VHOSTS_CACHE_VERSION=1

require_tools
build_release
make_workdir
trap cleanup EXIT
trap 'exit 130' INT TERM

if ((VHOSTS)); then
    # --- N verified domains: one throwaway CA, a P-256 leaf and a policy each (cached), database --------------
    cached_seed "$CACHE_DIR/vhosts-$VHOSTS" "$VHOSTS_CACHE_VERSION" "$VHOSTS" \
        --nginx-dir "$CACHE_DIR/vhosts-$VHOSTS/nginx"
    log "seed generation took $(cat "$SEED/generation-seconds") s when it was made"
    mapfile -t HOSTS < "$SEED/hosts.txt"
    ((${#HOSTS[@]} == VHOSTS)) || die "$SEED/hosts.txt has ${#HOSTS[@]} hosts, expected $VHOSTS"
    # nginx's first server block is its default for the address; measure one it must find by SNI.
    HOST=${HOSTS[VHOSTS / 2]}
    CHECK_HOSTS=("${HOSTS[0]}" "$HOST" "${HOSTS[VHOSTS - 1]}")
    CA=$SEED/nginx/ca.pem
    MASTER_KEY_FILE=$SEED/master.key
    start_database
    load_started=$SECONDS
    log "loading $VHOSTS domains with \\copy"
    load_seed "$SEED"
    log "loaded in $((SECONDS - load_started)) s"
    # The document roots go to $WORK like the single domain's (www-data reads them; the keys stay in the cache).
    cp -r "$SEED/nginx/www" "$WORK/www"
    chmod -R a+rX "$WORK/www"
else
    # --- one verified domain: throwaway CA, P-256 leaf, policy, database ----------------------------------------
    seed_single_domain "$DOMAIN"
    HOST=mta-sts.$DOMAIN
    CHECK_HOSTS=("$HOST")
    CA=$TLS/ca.pem
fi

# The policy file nginx serves for a host, which is what the edge must serve too.
policy_file() {
    if ((VHOSTS)); then echo "$WORK/www/$1/.well-known/mta-sts.txt"; else echo "$WORK/www/.well-known/mta-sts.txt"; fi
}

# --- the edge ------------------------------------------------------------------------------------------------
EDGE_PORT=$(free_port)
NGINX_ACCESS_LOG="access_log off;"
if [[ $LOGGING == 1 ]]; then
    # The edge's access lines go to stderr, which start_edge sends to edge.log; nginx's to its own file.
    export MTASTS_EDGE_ACCESS_LOG_OVERRIDE=on MTASTS_LOG_LEVEL_OVERRIDE=info
    NGINX_ACCESS_LOG="access_log $WORK/nginx/access.log combined buffer=64k flush=1s;"
fi
EDGE_STARTED=$EPOCHREALTIME
start_edge "$WORK/edge.log"

# --- nginx: same file, same chain and key, as many workers as the edge has event loops --------------------
NGINX_PORT=$(free_port)
{
    nginx_config_head "$EVENT_LOOPS" "$NGINX_ACCESS_LOG"
    if ((VHOSTS)); then
        # Room for every name with spare buckets: with the defaults nginx warns and builds a slower hash at 1,000
        # names, and refuses to start if a name does not fit a bucket.
        printf '    %s\n' "server_names_hash_max_size $((VHOSTS * 4 > 512 ? VHOSTS * 4 : 512));" \
            "server_names_hash_bucket_size 128;"
        # In hosts.txt order: the first block (nginx's default) is HOSTS[0], not the measured host.
        for name in "${HOSTS[@]}"; do
            nginx_server "$name" "$SEED/nginx/$name.pem" "$SEED/nginx/$name.key" "$WORK/www/$name"
        done
    else
        nginx_server "$HOST" "$TLS/leaf.pem" "$TLS/leaf.key" "$WORK/www"
    fi
    echo "}"
} > "$WORK/nginx/nginx.conf"
NGINX_STARTED=$EPOCHREALTIME
nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
STARTED_PIDS+=("$NGINX_PID")

# --- both must answer 200 with the same body before anything is measured -------------------------------------
wait_for_200() {
    local name=$1 port=$2 pid=$3 log_file=$4 started=$5
    # 30 s, plus 1 ms per hosted domain for loading many certificates.
    for _ in $(seq $((300 + VHOSTS / 100))); do
        alive "$pid" || { cat "$log_file" >&2; die "$name exited during start-up"; }
        if [[ $(fetch "$HOST" "$port" "$CA" -o /dev/null -w '%{http_code}' 2>/dev/null) == 200 ]]; then
            log "$name answered 200 $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }') s" \
                "after it was started"
            return 0
        fi
        sleep 0.1
    done
    cat "$log_file" >&2
    die "$name did not answer 200 in time"
}
wait_for_200 edge "$EDGE_PORT" "$EDGE_PID" "$WORK/edge.log" "$EDGE_STARTED"
wait_for_200 nginx "$NGINX_PORT" "$NGINX_PID" "$WORK/nginx/error.log" "$NGINX_STARTED"
[[ -s $WORK/nginx/error.log ]] && log "nginx's error log after start-up: $(cat "$WORK/nginx/error.log")"
# curl verifies each answer's certificate against the CA and the host name (every leaf names only its own
# host), so a 200 also shows that the server picked that host's certificate.
for check_host in "${CHECK_HOSTS[@]}"; do
    for name in edge nginx; do
        port=$EDGE_PORT; [[ $name == nginx ]] && port=$NGINX_PORT
        status=$(fetch "$check_host" "$port" "$CA" -o "$WORK/$name.body" -w '%{http_code}') \
            || die "$name: fetching $check_host failed"
        [[ $status == 200 ]] || die "$name answered $status for $check_host"
    done
    cmp -s "$WORK/edge.body" "$WORK/nginx.body" || die "edge and nginx bodies differ for $check_host"
    cmp -s "$WORK/edge.body" "$(policy_file "$check_host")" || die "the edge does not serve $check_host's policy"
    grep -qF "mx: mx1.${check_host#mta-sts.}"$'\r' "$WORK/edge.body" || die "the body is not $check_host's own policy"
    log "both answer 200 for $check_host with the same $(wc -c < "$WORK/edge.body")-byte policy, its own"
done
for name in edge nginx; do
    port=$EDGE_PORT; [[ $name == nginx ]] && port=$NGINX_PORT
    log "$name: $(fetch "$HOST" "$port" "$CA" -o /dev/null \
        -w '%{http_code} %{content_type} TLS handshake via %{scheme}' 2>&1)"
    log "$name: $(openssl s_client -connect "127.0.0.1:$port" -servername "$HOST" -CAfile "$CA" \
        </dev/null 2>/dev/null | grep -E '^(New|Server Temp Key)' | tr '\n' ' ')"
done

# --- measure ---------------------------------------------------------------------------------------------------
COMPARE_ARGS=()
CLIENT_DESCRIPTION="wrk $( (wrk -v 2>&1 || true) | head -1 | awk '{print $2}') on the same machine"
if ((PIN)); then
    # Every thread the edge has (loop, follower, timers), and nginx's master and worker; wrk is pinned by compare.py.
    pin_to_server_cpu "$EDGE_PID" "$NGINX_PID" $(pgrep -P "$NGINX_PID")
    COMPARE_ARGS=("${PINNED_COMPARE_ARGS[@]}")
    CLIENT_DESCRIPTION="$CLIENT_DESCRIPTION, pinned: the servers to CPU 0, wrk (1 thread) to CPU 1"
fi
if ((VHOSTS)); then
    VHOSTS_DESCRIPTION="$VHOSTS virtual hosts (nginx: $VHOSTS server blocks, each with its own certificate and key; \
wrk measures $HOST, block $((VHOSTS / 2 + 1)) of $VHOSTS)"
else
    VHOSTS_DESCRIPTION="1 virtual host"
fi
COMMIT=$(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet HEAD -- Sources || echo "+dirty")
HEADER="Commit $COMMIT; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), shared \
with other builds; load average before: $(cut -d' ' -f1-3 /proc/loadavg). nginx $(nginx -v 2>&1 | cut -d/ -f2), \
$EVENT_LOOPS workers; edge $EVENT_LOOPS event loops; access logs $([[ $LOGGING == 1 ]] && echo "on (buffered)" || echo off); $VHOSTS_DESCRIPTION; $CLIENT_DESCRIPTION; $PAIRS pairs × ${DURATION} s per scenario, order alternating per pair."
RECORD_ARGS=()
[[ $RECORD == 1 ]] && RECORD_ARGS=(--record "$BENCH_DIR/results.md")
((${#SCENARIOS[@]})) && RECORD_ARGS+=(--scenarios "${SCENARIOS[@]}")
log "measuring: $PAIRS pairs x ${DURATION} s per scenario, $VHOSTS_DESCRIPTION"
python3 "$BENCH_DIR/compare.py" --host "$HOST" --edge-port "$EDGE_PORT" --nginx-port "$NGINX_PORT" \
    --edge-pid "$EDGE_PID" --nginx-pid "$NGINX_PID" --lua "$BENCH_DIR/wrk-host.lua" \
    --pairs "$PAIRS" --duration "$DURATION" --header "$HEADER" "${COMPARE_ARGS[@]}" "${RECORD_ARGS[@]}"
alive "$EDGE_PID" || die "the edge died during the benchmark"
if [[ $LOGGING == 1 ]]; then
    # Both must really have logged: a run whose access log stayed empty measured the wrong thing.
    edge_lines=$(grep -c 'log=access' "$WORK/edge.log" || true)
    nginx_lines=$(wc -l < "$WORK/nginx/access.log" 2>/dev/null || echo 0)
    ((edge_lines > 0 && nginx_lines > 0)) || die "access logs empty (edge $edge_lines, nginx $nginx_lines lines)"
    log "access log lines: edge $edge_lines, nginx $nginx_lines"
fi
log "edge RSS after the benchmark: $(awk '/VmRSS/ {print $2, $3}' "/proc/$EDGE_PID/status")"
