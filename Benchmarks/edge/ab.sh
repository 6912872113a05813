#!/usr/bin/env bash
# Two builds of the edge side by side (A/B), to measure what one change buys: the same seeded domain, both edges
# on the same database, wrk against each in alternating pairs, median of per-pair ratios (compare.py, where the
# "edge" column is the --after binary and the "nginx" column the --before one).
#
#   Benchmarks/edge/ab.sh --before <mtasts binary> [--after <mtasts binary>] [--before-role edge|serve]
#                         [--after-role edge|serve] [--before-loops N] [--after-loops N] [--pairs N]
#                         [--duration S] [--pin] [--scenario NAME]... [--record]
#
# Build the "before" binary from an older commit in a worktree (`git worktree add /tmp/before <commit>`, then
# `swift build -c release --product mtasts` there). --after defaults to this tree's release build (built first).
# A role `serve` runs every role in one process (API, worker, edge; the worker's CA and resolver are closed
# loopback ports), to compare the embedded default with `mtasts edge` alone: --before B --before-role edge
# --after B --after-role serve. --pin runs both with one event loop pinned to CPU 0 and wrk (one thread) on CPU 1,
# as run.sh --pin does. --before-loops/--after-loops give a side another number of event loops (default 2, 1 with
# --pin; pinned, every loop shares CPU 0), e.g. one build against itself with one loop and with two. --record
# appends the results to results.md under the title "ab.sh", with AB_NOTE (what the two builds differ in, e.g.
# AB_NOTE="f7dfd94 against 02afc57") at the start of the recorded header.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BEFORE=""
AFTER=""
PAIRS=5
DURATION=8
BEFORE_ROLE=edge
AFTER_ROLE=edge
PIN=0
RECORD=0
SCENARIOS=()
BEFORE_LOOPS=""
AFTER_LOOPS=
while (($#)); do
    case $1 in
        --before) BEFORE=$2; shift ;;
        --after) AFTER=$2; shift ;;
        --before-role) BEFORE_ROLE=$2; shift ;;
        --after-role) AFTER_ROLE=$2; shift ;;
        --before-loops) BEFORE_LOOPS=$2; shift ;;
        --after-loops) AFTER_LOOPS=$2; shift ;;
        --pairs) PAIRS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --pin) PIN=1 ;;
        --scenario) SCENARIOS+=("$2"); shift ;;
        --record) RECORD=1 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
    shift
done
[[ -x $BEFORE ]] || die "--before must name an mtasts binary"
if [[ -z $AFTER ]]; then
    (cd "$REPO" && swift build -c release --product mtasts >&2)
    AFTER=$MTASTS
fi
[[ -x $AFTER ]] || die "--after must name an mtasts binary"
for role in "$BEFORE_ROLE" "$AFTER_ROLE"; do [[ $role == edge || $role == serve ]] || die "roles: edge or serve"; done

DOMAIN=bench.example
HOST=mta-sts.$DOMAIN
EVENT_LOOPS=2
if ((PIN)); then
    require_two_cpus
    EVENT_LOOPS=1
fi
BEFORE_LOOPS=${BEFORE_LOOPS:-$EVENT_LOOPS}
AFTER_LOOPS=${AFTER_LOOPS:-$EVENT_LOOPS}
for loops in "$BEFORE_LOOPS" "$AFTER_LOOPS"; do [[ $loops =~ ^[1-9][0-9]*$ ]] || die "loops: a positive number"; done
require_tools
make_workdir
trap cleanup EXIT
trap 'exit 130' INT TERM
MTASTS=$AFTER
seed_single_domain "$DOMAIN"

start_named() {
    local binary=$1 name=$2 role=$3 loops=$4
    EDGE_PORT=$(free_port)
    (EVENT_LOOPS=$loops; export_edge_environment; export MTASTS_EDGE_SNAPSHOT_FILE="$WORK/data/$name-snapshot.bin"
     if [[ $role == serve ]]; then
         # The other roles on loopback ports of their own; nothing they try reaches beyond this machine.
         export MTASTS_API_LISTEN="127.0.0.1:$(free_port)" MTASTS_API_ADMIN_LISTEN="127.0.0.1:$(free_port)"
         export MTASTS_WORKER_ADMIN_LISTEN="127.0.0.1:$(free_port)"
         export MTASTS_ACME_DIRECTORY="https://127.0.0.1:$(free_port)/directory"
         export MTASTS_DNS_RESOLVERS="127.0.0.1:$(free_port)"
     fi
     exec "$binary" "$role" --no-migrate) >"$WORK/edge-$name.log" 2>&1 &
    EDGE_PID=$!
    STARTED_PIDS+=("$EDGE_PID")
    for _ in $(seq 300); do
        alive "$EDGE_PID" || { cat "$WORK/edge-$name.log" >&2; die "$name exited during start-up"; }
        [[ $(fetch "$HOST" "$EDGE_PORT" "$TLS/ca.pem" -o /dev/null -w '%{http_code}' 2>/dev/null) == 200 ]] && return 0
        sleep 0.1
    done
    die "$name did not answer 200 within 30 s"
}
start_named "$AFTER" after "$AFTER_ROLE" "$AFTER_LOOPS"
AFTER_PID=$EDGE_PID; AFTER_PORT=$EDGE_PORT
start_named "$BEFORE" before "$BEFORE_ROLE" "$BEFORE_LOOPS"
BEFORE_PID=$EDGE_PID; BEFORE_PORT=$EDGE_PORT
log "after: $AFTER $AFTER_ROLE on :$AFTER_PORT; before: $BEFORE $BEFORE_ROLE on :$BEFORE_PORT"
COMPARE_ARGS=()
CLIENT="wrk unpinned"
if ((PIN)); then
    pin_to_server_cpu "$AFTER_PID" "$BEFORE_PID"
    COMPARE_ARGS=("${PINNED_COMPARE_ARGS[@]}")
    CLIENT="pinned: both edges to CPU 0, wrk (1 thread) to CPU 1"
fi
((${#SCENARIOS[@]})) && COMPARE_ARGS+=(--scenarios "${SCENARIOS[@]}")
((RECORD)) && COMPARE_ARGS+=(--record "$BENCH_DIR/results.md" --title ab.sh)
python3 "$BENCH_DIR/compare.py" --host "$HOST" --edge-port "$AFTER_PORT" --nginx-port "$BEFORE_PORT" \
    --edge-pid "$AFTER_PID" --nginx-pid "$BEFORE_PID" --lua "$BENCH_DIR/wrk-host.lua" \
    --pairs "$PAIRS" --duration "$DURATION" "${COMPARE_ARGS[@]}" \
    --header "${AB_NOTE:+$AB_NOTE. }A/B: the \"edge\" columns are \`$AFTER $AFTER_ROLE\` ($AFTER_LOOPS event loops), the \"nginx\" columns \`$BEFORE $BEFORE_ROLE\` ($BEFORE_LOOPS); access logs off; $CLIENT; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
