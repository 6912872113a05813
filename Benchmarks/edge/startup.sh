#!/usr/bin/env bash
# Edge start-up time and memory with N hosted domains, each with its own policy and P-256 certificate.
#
#   Benchmarks/edge/startup.sh [--record] [--fetch K|all] [--changes K] [--changes-over S] N [N ...]
#   e.g. startup.sh 10000 1000000
#
# For each N: generates (once; cached under .build/bench-cache/N/) a throwaway CA, N leaf certificates and
# the COPY files, creates a throwaway PostgreSQL with `mtasts migrate`, loads the rows with \copy, then
# starts `mtasts edge` and reports the time from spawning it until its first HTTPS 200 for a seeded host,
# and VmRSS after that answer and after fetching K (default 1000; `all`: every host) distinct hosts over new
# TLS connections (each builds that host's TLS context in the edge). Then it times K (default 20) policy
# changes, one after another, each written as the API writes it, from commit until the edge serves it
# (startup_probe.py); with --changes-over S they start at even intervals over S seconds instead, so that they
# meet the edge's full reconciles too (the first is due 60 s after its first load, later when loads are slow).
# The peak RSS is read after the changes. Finally it stops PostgreSQL and starts the edge again, which then
# loads the snapshot file the first run wrote, and reports that start-up and its RSS.
# --record appends the figures to results.md. See docs/performance.md.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RECORD=0
FETCH=1000
CHANGES=20
CHANGES_OVER=0
COUNTS=()
while (($#)); do
    case $1 in
        --record) RECORD=1 ;;
        --fetch) FETCH=$2; shift ;;
        --changes) CHANGES=$2; shift ;;
        --changes-over) CHANGES_OVER=$2; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        [0-9]*) COUNTS+=("$1") ;;
        *) die "unknown argument $1" ;;
    esac
    shift
done
((${#COUNTS[@]})) || die "usage: startup.sh [--record] [--fetch K|all] [--changes K] [--changes-over S] N [N ...]"

# The seed layout; cached_seed (common.sh) makes an older or unfinished one again.
CACHE_VERSION=1

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
require_tools
build_release
trap cleanup EXIT
trap 'exit 130' INT TERM

mib() { awk -v bytes="$1" 'BEGIN { printf "%.0f", bytes / 1048576 }'; }

SUMMARY=()
RECONCILES=()
for COUNT in "${COUNTS[@]}"; do
    cached_seed "$CACHE_DIR/$COUNT" "$CACHE_VERSION" "$COUNT"
    make_workdir
    MASTER_KEY_FILE=$SEED/master.key
    start_database
    copy_started=$(date +%s.%N)
    log "loading $COUNT domains with \\copy"
    load_seed "$SEED"
    copy_seconds=$(awk -v a="$copy_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    log "loaded in $copy_seconds s"

    EDGE_PORT=$(free_port)
    fetch_count=$FETCH
    [[ $FETCH == all ]] && fetch_count=$COUNT
    RESULT=$(
        export_edge_environment
        # debug: the follower logs each reconcile it completes (and nothing per request).
        export MTASTS_LOG_LEVEL=debug
        python3 "$BENCH_DIR/startup_probe.py" --mtasts "$MTASTS" --port "$EDGE_PORT" --ca "$SEED/ca.pem" \
            --hosts "$SEED/hosts.txt" --fetch "$fetch_count" --changes "$CHANGES" --changes-over "$CHANGES_OVER" \
            --log "$WORK/edge.log" --pid-file "$WORK/edge.pid"
    ) || { cat "$WORK/edge.log" >&2; die "the start-up probe failed for $COUNT domains"; }
    stop_pid "$(cat "$WORK/edge.pid" 2>/dev/null || echo 0)"
    snapshot_bytes=$(stat -c %s "$WORK/data/edge-snapshot.bin" 2>/dev/null || echo 0)
    # Reconciles the edge completed while measured, with the time each spent reading its slices.
    reconciles=$(sed -n 's/.*reconcile complete.* reading_seconds=\([0-9.]*\).*/\1 s/p' "$WORK/edge.log" | paste -sd, -)
    RECONCILES+=("N=$COUNT: ${reconciles:-none}")
    read -r startup rss_start fetched fetch_seconds rss_fetch peak changes < <(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
changes = "%s / %s / %s" % (r["change_median_seconds"], r["change_p99_seconds"], r["change_max_seconds"]) \
    if r.get("changes") else "-"
print(r["startup_seconds"], r["rss_after_start"], r["fetched"], r["fetch_seconds"], r["rss_after_fetch"], r["peak_rss"],
      changes.replace(" ", ""))
' "$RESULT")
    # The same edge again with the database stopped: it starts from the snapshot file the first run wrote.
    file_startup="-"
    file_rss=0
    if ((snapshot_bytes > 0)); then
        stop_database
        FILE_RESULT=$(
            export_edge_environment
            export MTASTS_LOG_LEVEL=info
            python3 "$BENCH_DIR/startup_probe.py" --mtasts "$MTASTS" --port "$EDGE_PORT" --ca "$SEED/ca.pem" \
                --hosts "$SEED/hosts.txt" --fetch 0 --log "$WORK/edge-file.log" --pid-file "$WORK/edge.pid"
        ) || { cat "$WORK/edge-file.log" >&2; die "the start-up probe from the snapshot file failed for $COUNT"; }
        read -r file_startup file_rss < <(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
print(r["startup_seconds"], r["rss_after_start"])
' "$FILE_RESULT")
    fi
    log "N=$COUNT: start-up ${startup} s, RSS $(mib "$rss_start") MiB after start, $(mib "$rss_fetch") MiB after" \
        "$fetched hosts (${fetch_seconds} s), peak $(mib "$peak") MiB, snapshot file $(mib "$snapshot_bytes") MiB," \
        "change served (median/p99/max s) $changes; reconciles (reading time): ${reconciles:-none};" \
        "from the file: ${file_startup} s, RSS $(mib "$file_rss") MiB"
    SUMMARY+=("| $COUNT | $startup | $(mib "$rss_start") | $fetched | $(mib "$rss_fetch") | $(mib "$peak") \
| ${changes//\// / } | $(mib "$snapshot_bytes") | $file_startup | $(mib "$file_rss") | $copy_seconds \
| $(cat "$SEED/generation-seconds") |")
    # The edge was stopped by the probe; drop this cluster before the next N.
    stop_pid "$(cat "$WORK/edge.pid" 2>/dev/null || echo 0)"
    stop_database
    rm -rf "$WORK"
    WORK=""
done

TABLE="| domains | start-up s | RSS after start MiB | hosts fetched | RSS after fetching MiB | peak RSS MiB \
| policy change served s (median / p99 / max) | snapshot file MiB | start-up from the file s \
| RSS after start from the file MiB | COPY s | seed generation s (cached) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(printf '%s\n' "${SUMMARY[@]}")"
printf '%s\n' "$TABLE"
if [[ $RECORD == 1 ]]; then
    COMMIT=$(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet HEAD -- Sources || echo "+dirty")
    {
        printf '\n## startup.sh — %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
        printf 'Commit %s; %s cores, shared with other builds; load average before: %s. Edge with %s event loops,\n' \
            "$COMMIT" "$(nproc)" "$LOAD_BEFORE" "${EVENT_LOOPS:-2}"
        printf 'start-up = spawn until the first HTTPS 200 for a seeded host; fetches are new TLS connections;\n'
        if [[ $CHANGES_OVER == 0 ]]; then
            printf '%s policy changes one after another.\n\n' "$CHANGES"
        else
            printf '%s policy changes started at even intervals over %s s; peak RSS read after them.\n\n' \
                "$CHANGES" "$CHANGES_OVER"
        fi
        printf '%s\n' "$TABLE"
        printf '\nReconciles completed while measured (each one'"'"'s reading time): %s.\n' "$(IFS=';'; echo "${RECONCILES[*]}")"
    } >> "$BENCH_DIR/results.md"
    log "appended to $BENCH_DIR/results.md"
fi
