# Shared helpers for the edge benchmarks (sourced by run.sh and startup.sh; bash only).
#
# Everything lives in one throwaway directory ($WORK): a PostgreSQL cluster started by `mtasts migrate`,
# the master key, certificates, the edge's snapshot file and nginx's files. `cleanup` (installed as an EXIT
# trap by the callers) stops only the processes this script started, by pid, and removes $WORK.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/../.." && pwd)
MTASTS="$REPO/.build/release/mtasts"
CACHE_DIR="$REPO/.build/bench-cache"
STARTED_PIDS=()
WORK=""
CLUSTER_STARTED=0

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Fails with the install command when a tool is missing (nothing is skipped silently).
require_tools() {
    local missing=()
    command -v nginx >/dev/null || missing+=(nginx-light)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v curl >/dev/null || missing+=(curl)
    command -v python3 >/dev/null || missing+=(python3)
    if ((${#missing[@]})); then
        die "missing tools; install with: apt-get install -y ${missing[*]}"
    fi
    python3 -c 'import cryptography' 2>/dev/null \
        || die "python3 'cryptography' is missing; install with: apt-get install -y python3-cryptography"
}

# --pin (run.sh, ab.sh): the servers on CPU 0, wrk with one thread on CPU 1, the nearest this machine comes to a
# client on another machine.
PINNED_COMPARE_ARGS=(--threads 1 --client-cpu 1)
require_two_cpus() { (($(nproc) >= 2)) || die "--pin needs two CPUs: one for the servers, one for wrk"; }
# Pins every thread of each pid to CPU 0.
pin_to_server_cpu() {
    local pid
    for pid; do taskset -a -p -c 0 "$pid" >/dev/null || die "cannot pin $pid to CPU 0"; done
}

build_release() {
    log "building: swift build -c release --product mtasts"
    (cd "$REPO" && swift build -c release --product mtasts >&2)
    [[ -x "$MTASTS" ]] || die "no binary at $MTASTS"
}

# A fresh 0755 work directory: the postgres system user and nginx's www-data workers must traverse it.
make_workdir() {
    WORK=$(mktemp -d /tmp/mtasts-bench-XXXXXX)
    chmod 755 "$WORK"
    mkdir -p "$WORK/data" "$WORK/tls" "$WORK/nginx"
    chmod 755 "$WORK/data"
    log "work directory: $WORK"
}

# An unused loopback TCP port (bound and released; the tiny race is acceptable for a benchmark).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Writes a known 32-byte master key as 64 hex characters (the format `mtasts` accepts).
write_master_key() {
    local path=$1 hex=$2
    umask 077
    printf '%s\n' "$hex" > "$path"
    umask 022
}

# `mtasts migrate` with MTASTS_DATA_DIR=$WORK/data creates and starts an embedded cluster there (unix socket
# only) and leaves it running; DATABASE_URL is the libpq string for its `mtasts` database.
start_database() {
    log "creating a throwaway PostgreSQL cluster with mtasts migrate"
    MTASTS_DATA_DIR="$WORK/data" MTASTS_MIGRATIONS_DIR="$REPO/Migrations" MTASTS_LOG_LEVEL=warning \
        "$MTASTS" migrate >&2
    CLUSTER_STARTED=1
    DATABASE_URL="host=$WORK/data/run user=postgres dbname=mtasts"
    psql "$DATABASE_URL" -qAtc 'SELECT 1' >/dev/null || die "cannot connect to $DATABASE_URL"
}

stop_database() {
    [[ $CLUSTER_STARTED == 1 ]] || return 0
    local bin
    bin=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    runuser -u postgres -- "$bin/pg_ctl" -D "$WORK/data/postgres" -m fast -w stop >/dev/null 2>&1 || true
    CLUSTER_STARTED=0
}

# Loads the CSV files written by seed.py (accounts, domains, policies, certificates) with \copy.
load_seed() {
    local dir=$1 table
    for table in accounts domains policies certificates; do
        local columns
        columns=$(head -1 "$dir/$table.columns")
        psql "$DATABASE_URL" -qv ON_ERROR_STOP=1 \
            -c "\\copy $table ($columns) FROM '$dir/$table.csv' WITH (FORMAT csv)" >&2
    done
    # VACUUM too: rows written over months are settled (hint bits, visibility map); right after a bulk COPY the
    # first full read would otherwise pay for setting them while autovacuum competes for the same two cores. And a
    # CHECKPOINT, so the load's dirty pages are not being written while the edge's start-up is measured.
    psql "$DATABASE_URL" -qv ON_ERROR_STOP=1 -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT' >&2
}

# Cached seed generations older than this are made again (seed.py's leaves are valid for 90 days).
CACHE_MAX_DAYS=30

# Sets SEED to DIR ($1) holding `seed.py many` output for COUNT ($3) domains with its own master key
# (DIR/master.key), generating it unless DIR/complete already names VERSION ($2) and is younger than
# CACHE_MAX_DAYS; further arguments go to seed.py. DIR/complete is written last, so an interrupted
# generation is made again. Not meant for $(...): a failure must stop the caller.
cached_seed() {
    local dir=$1 version=$2 count=$3
    shift 3
    if [[ -f $dir/complete && $(cat "$dir/complete") == "$version" ]] \
        && [[ -z $(find "$dir/complete" -mtime +"$CACHE_MAX_DAYS") ]]; then
        log "reusing the cached seed for $count domains in $dir"
    else
        rm -rf "$dir"
        mkdir -p "$dir"
        write_master_key "$dir/master.key" "$(openssl rand -hex 32)"
        log "generating $count domains with certificates (cached in $dir for reruns)"
        local started=$SECONDS
        python3 "$BENCH_DIR/seed.py" many --count "$count" --master-key "$dir/master.key" --out "$dir" "$@"
        echo "$((SECONDS - started))" > "$dir/generation-seconds"
        echo "$version" > "$dir/complete"
    fi
    SEED=$dir
}

# One verified domain ($1) in a fresh database: a throwaway CA and a P-256 leaf for mta-sts.$1 made with the
# openssl CLI ($TLS/ca.pem, leaf.pem, leaf.key), the master key ($MASTER_KEY_FILE), the policy file nginx serves
# ($WORK/www/.well-known/mta-sts.txt) and the rows the platform would write (seed.py, private key encrypted).
seed_single_domain() {
    local domain=$1 host=mta-sts.$1
    TLS=$WORK/tls
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TLS/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$TLS/ca.key" -sha256 -days 30 -subj "/CN=mtasts benchmark CA (throwaway)" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$TLS/ca.pem"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TLS/leaf.key" 2>/dev/null
    openssl req -new -key "$TLS/leaf.key" -subj "/CN=$host" -out "$TLS/leaf.csr"
    printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' "$host" \
        > "$TLS/leaf.ext"
    openssl x509 -req -in "$TLS/leaf.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial -days 30 \
        -sha256 -extfile "$TLS/leaf.ext" -out "$TLS/leaf.pem" 2>/dev/null
    MASTER_KEY_FILE=$WORK/master.key
    write_master_key "$MASTER_KEY_FILE" "$(openssl rand -hex 32)"
    start_database
    mkdir -p "$WORK/www/.well-known" "$WORK/seed"
    python3 "$BENCH_DIR/seed.py" single --domain "$domain" --chain "$TLS/leaf.pem" --key "$TLS/leaf.key" \
        --policy "$WORK/www/.well-known/mta-sts.txt" --master-key "$MASTER_KEY_FILE" --out "$WORK/seed"
    load_seed "$WORK/seed"
    chmod -R a+rX "$WORK/www"
}

# Exports the MTASTS_* variables for `mtasts edge` (HTTPS on $EDGE_PORT, access log off, known master key).
export_edge_environment() {
    export MTASTS_DATABASE_URL="$DATABASE_URL"
    export MTASTS_DATA_DIR="$WORK/data"
    export MTASTS_MIGRATIONS_DIR="$REPO/Migrations"
    export MTASTS_SECRET_KEY_FILE="$MASTER_KEY_FILE"
    export MTASTS_EDGE_HTTPS_LISTEN="127.0.0.1:$EDGE_PORT"
    export MTASTS_EDGE_HTTP_LISTEN="127.0.0.1:$(free_port)"
    export MTASTS_EDGE_ADMIN_LISTEN="127.0.0.1:$(free_port)"
    export MTASTS_EDGE_SNAPSHOT_FILE="$WORK/data/edge-snapshot.bin"
    export MTASTS_EDGE_ACCESS_LOG="${MTASTS_EDGE_ACCESS_LOG_OVERRIDE:-off}"
    export MTASTS_EVENT_LOOPS="${EVENT_LOOPS:-2}"
    export MTASTS_LOG_LEVEL="${MTASTS_LOG_LEVEL_OVERRIDE:-notice}"
}

# Starts `mtasts edge` in the background; sets EDGE_PID. Variables: EDGE_PORT, MASTER_KEY_FILE.
start_edge() {
    local log_file=$1
    (export_edge_environment; exec "$MTASTS" edge --no-migrate) >"$log_file" 2>&1 &
    EDGE_PID=$!
    STARTED_PIDS+=("$EDGE_PID")
}

# Whether a process is running (a zombie child that exited counts as gone).
alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z ]]
}

# SIGTERM, up to 10 s for a graceful exit, then SIGKILL; reaps the child.
stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        alive "$pid" || break
        sleep 0.1
    done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    local pid
    for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
    stop_database
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ ${KEEP_WORK:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$status"
}

# curl through the real name and SNI, pinned to 127.0.0.1 (no /etc/hosts edits needed).
fetch() {
    local host=$1 port=$2 ca=$3
    shift 3
    curl -sS --max-time 5 --resolve "$host:$port:127.0.0.1" --cacert "$ca" "$@" \
        "https://$host:$port/.well-known/mta-sts.txt"
}

# --- nginx as the benchmarks run it (run.sh, instructions.sh) --------------------------------------------------
# The start of nginx's configuration, up to the server blocks: WORKERS worker processes, ACCESS_LOG (an
# `access_log` directive), and MAIN, more directives for the main context (instructions.sh: no master process,
# so valgrind follows the one worker). The caller prints the server blocks with nginx_server and closes the http
# block with "}".
nginx_config_head() {
    local workers=$1 access_log=$2 main=${3:-}
    cat <<EOF
user www-data;
worker_processes $workers;
daemon off;
$main
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    $access_log
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
EOF
}

# One server block: every host gets the same TLS settings and header; only the name, the certificate and key
# and the document root differ. printf, not a here-document through cat: no fork per block.
nginx_server() {
    local name=$1 chain=$2 key=$3 root=$4
    printf '%s\n' \
        "    server {" \
        "        listen 127.0.0.1:$NGINX_PORT ssl;" \
        "        server_name $name;" \
        "        ssl_certificate $chain;" \
        "        ssl_certificate_key $key;" \
        "        ssl_protocols TLSv1.2 TLSv1.3;" \
        "        # The edge's TLS policy (Sources/TLS/TLSConfiguration.swift), so both negotiate the same suite and group." \
        "        ssl_prefer_server_ciphers on;" \
        "        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;" \
        "        ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;" \
        "        ssl_ecdh_curve X25519:prime256v1:secp384r1;" \
        "        root $root;" \
        "        # The same header the edge sends (RFC 8461 §8.2)." \
        "        add_header Cache-Control \"max-age=60\";" \
        "    }"
}
