#!/usr/bin/env bash
# Instructions per request of two `mtasts` builds' edges, or of one and nginx, counted by valgrind's callgrind:
# deterministic for the same binary and inputs, so a change in the request path shows even where wrk's req/s
# vary by ±15%.
#
#   Benchmarks/edge/instructions.sh [--keep DIR] BINARY_A BINARY_B|nginx [REQUESTS]
#
# e.g. the release binary of an earlier commit (built in a git worktree) against this checkout's. Seeds one
# domain as run.sh does, runs each edge under callgrind (one event loop, access log off), warms it up, then
# counts every instruction of the process during REQUESTS (default 300) sequential new TLS connections (full
# handshakes), REQUESTS new connections each resuming the session of the one before (as wrk's connections do)
# and 10×REQUESTS requests on one kept-alive connection (tls_client.py), every response a 200. Prints instructions
# per request for both and the ratio B/A. Debug info is stripped from temporary copies first (valgrind 3.19
# cannot read Swift's). BINARY_B may be the word `nginx`: nginx configured as run.sh configures it (the same
# leaf, key and policy file, access log off), with one worker and no master process so that callgrind counts
# the process that serves. Instructions leave out the kernel: nginx opens, reads and closes the file per
# request. --keep DIR keeps each count's callgrind file in DIR (a-new-connection, b-resumed, …) for
# callgrind_annotate. See docs/performance.md.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KEEP=
if [[ ${1:-} == --keep ]]; then
    KEEP=$(realpath -m "${2:?--keep needs a directory}")
    mkdir -p "$KEEP" || die "cannot create $KEEP"
    shift 2
fi
(($# >= 2)) || die "usage: instructions.sh [--keep DIR] BINARY_A BINARY_B|nginx [REQUESTS]"
REQUESTS=${3:-300}
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null \
    || die "valgrind is missing; install with: apt-get install -y valgrind"
require_tools
DOMAIN=bench.example
HOST=mta-sts.$DOMAIN
EVENT_LOOPS=1
make_workdir
trap cleanup EXIT
trap 'exit 130' INT TERM
strip --strip-debug -o "$WORK/a" "$1" || die "cannot copy $1"
if [[ $2 == nginx ]]; then
    command -v nginx >/dev/null || die "nginx is missing; install with: apt-get install -y nginx-light"
    B=nginx
    MTASTS=$WORK/a
else
    strip --strip-debug -o "$WORK/b" "$2" || die "cannot copy $2"
    B=$WORK/b
    MTASTS=$WORK/b
fi
seed_single_domain "$DOMAIN"
chmod -R a+rX "$WORK/www"

# Runs binary $1's edge, or nginx, under callgrind on $EDGE_PORT, writing to $2.
serve_under_callgrind() {
    local binary=$1 out=$2
    if [[ $binary == nginx ]]; then
        NGINX_PORT=$EDGE_PORT
        {
            nginx_config_head 1 "access_log off;" "master_process off;"
            nginx_server "$HOST" "$TLS/leaf.pem" "$TLS/leaf.key" "$WORK/www"
            echo "}"
        } >"$WORK/nginx/nginx.conf"
        exec valgrind --tool=callgrind --callgrind-out-file="$out" \
            nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf"
    fi
    export_edge_environment
    exec valgrind --tool=callgrind --callgrind-out-file="$out" "$binary" edge --no-migrate
}

# Counts instructions of binary $1 during tls_client.py runs; prints "new-connection resumed keep-alive" per
# request.
count() {
    local binary=$1 out=$WORK/callgrind.$2 pid
    EDGE_PORT=$(free_port)
    (serve_under_callgrind "$binary" "$out") >"$WORK/edge-$2.log" 2>&1 &
    pid=$!
    STARTED_PIDS+=("$pid")
    for _ in $(seq 600); do
        [[ $(fetch "$HOST" "$EDGE_PORT" "$TLS/ca.pem" -o /dev/null -w '%{http_code}' 2>/dev/null) == 200 ]] && break
        alive "$pid" || { cat "$WORK/edge-$2.log" >&2; die "edge $2 exited during start-up"; }
        sleep 0.2
    done
    local client=(python3 "$BENCH_DIR/tls_client.py" "$HOST" "$EDGE_PORT" "$TLS/ca.pem")
    "${client[@]}" 50 new-connection && "${client[@]}" 50 resumed && "${client[@]}" 500 keep-alive \
        || die "warm-up failed for $2"
    local per=()
    for mode in new-connection resumed keep-alive; do
        local n=$REQUESTS
        [[ $mode == keep-alive ]] && n=$((REQUESTS * 10))
        callgrind_control -z "$pid" >/dev/null 2>&1
        "${client[@]}" "$n" "$mode" || die "$mode requests failed for $2"
        callgrind_control -d "$mode" "$pid" >/dev/null 2>&1
        local file total
        for _ in $(seq 50); do
            file=$(ls -t "$out".* 2>/dev/null | head -1)
            [[ -n $file ]] && grep -q '^summary:' "$file" && break
            sleep 0.2
        done
        total=$(awk '/^summary:/ {print $2}' "$file")
        [[ -n $KEEP ]] && cp "$file" "$KEEP/$2-$mode"
        rm -f "$out".*
        per+=("$((total / n))")
    done
    stop_pid "$pid"
    echo "${per[@]}"
}

read -r A_NEW A_RESUMED A_KEEP < <(count "$WORK/a" a)
read -r B_NEW B_RESUMED B_KEEP < <(count "$B" b)
printf '| scenario | A instructions/request | B instructions/request | B/A |\n| --- | ---: | ---: | ---: |\n'
for row in "new TLS connection per request|$A_NEW|$B_NEW" "new connection resuming the last one's session|$A_RESUMED|$B_RESUMED" \
    "keep-alive|$A_KEEP|$B_KEEP"; do
    IFS='|' read -r name a b <<<"$row"
    printf '| %s | %s | %s | %s |\n' "$name" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')"
done
