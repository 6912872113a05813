#!/usr/bin/env bash
# Installs mtasts on Debian 12 from this repository: packages, the release binary, its migrations and web form,
# the `mtasts` user, directories, a local PostgreSQL role and database, the master key, the environment file and
# the systemd units. Idempotent: a second run changes nothing and succeeds; it never replaces a master key or an
# environment file that exists. `deploy/install.sh --help` lists the options; docs/operations.md ("Installing")
# walks through a first install.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: deploy/install.sh [options]

Installs mtasts from this repository (run from anywhere; as root for a real install).

  --prefix DIR         install the files under DIR instead of / (a throwaway root or an image being built);
                       units are enabled only when DIR is /
  --binary PATH        install this mtasts binary instead of the release build
  --no-build           do not run `swift build -c release` (install --binary, or the existing .build/release/mtasts)
  --no-system          touch nothing outside the prefix: no apt-get, no user or group, no chown, no PostgreSQL,
                       no systemctl (files keep the invoking user as owner; modes are still set)
  --roles LIST         roles this host runs, enabled with mtasts.target: comma-separated of api, edge, worker, dns,
                       reports, or serve (all roles in one process); default api,edge,worker
  --database-url URL   MTASTS_DATABASE_URL for a new environment file; no local database is created
  -h, --help           show this help

What it does (each step says "unchanged" when there is nothing to do):
  1. as root: installs missing Debian packages (otherwise prints the apt-get command and stops)
  2. builds the release binary (`swift build -c release --product mtasts`) unless --no-build
  3. PREFIX/usr/local/bin/mtasts; Migrations/, Public/ and the operator guide in PREFIX/usr/local/share/mtasts
  4. the system user and group `mtasts` (home /var/lib/mtasts, no login shell)
  5. PREFIX/etc/mtasts (0750 root:mtasts) and PREFIX/var/lib/mtasts (0750 mtasts:mtasts)
  6. a PostgreSQL role and database `mtasts` (peer authentication over the local socket) when PostgreSQL runs on
     this host and no --database-url was given
  7. the master key PREFIX/etc/mtasts/secret.key (32 random bytes, 0600 mtasts), never replaced once it exists
  8. PREFIX/etc/mtasts/mtasts.env (0640 root:mtasts) from deploy/mtasts.env.example, never replaced once it exists
  9. the units in PREFIX/etc/systemd/system; with PREFIX=/ and systemd running: daemon-reload and enable
     mtasts.target, mtasts-migrate.service (unless --roles serve) and the roles' units (nothing is started)
EOF
}

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="/"
binary=""
build=1
system=1
roles="api,edge,worker"
database_url=""

while [ $# -gt 0 ]; do
    case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) prefix="${1#*=}"; shift ;;
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --binary=*) binary="${1#*=}"; shift ;;
    --no-build) build=0; shift ;;
    --no-system) system=0; shift ;;
    --roles) roles="${2:?--roles needs a list}"; shift 2 ;;
    --roles=*) roles="${1#*=}"; shift ;;
    --database-url) database_url="${2:?--database-url needs a URL}"; shift 2 ;;
    --database-url=*) database_url="${1#*=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
    esac
done

say() { echo "install: $*"; }
fail() { echo "install.sh: $*" >&2; exit 1; }

prefix="$(cd "$prefix" 2>/dev/null && pwd)" || fail "--prefix: no such directory"
root() { if [ "$prefix" = "/" ]; then echo "$1"; else echo "$prefix$1"; fi; }

enabled_units=()
IFS=',' read -r -a role_list <<<"$roles"
for role in "${role_list[@]}"; do
    case "$role" in
    api | edge | worker | dns | reports | serve) enabled_units+=("mtasts-$role.service") ;;
    *) fail "--roles: unknown role '$role' (api, edge, worker, dns, reports, serve)" ;;
    esac
done
if [ "$roles" = "serve" ]; then
    :
elif [[ ",$roles," == *,serve,* ]]; then
    fail "--roles: serve runs every role in one process; list it alone"
else
    enabled_units=("mtasts-migrate.service" "${enabled_units[@]}")
fi

if [ "$system" = 1 ] && [ "$(id -u)" != 0 ]; then
    need_root=1
else
    need_root=0
fi

# MARK: 1. packages
packages=(ca-certificates libpq5 libssl3)
if [ "$build" = 1 ]; then packages+=(pkg-config libpq-dev libssl-dev); fi
if [ -z "$database_url" ]; then packages+=(postgresql); fi
if [ "$system" = 1 ]; then
    missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "packages: unchanged (${packages[*]} present)"
    elif [ "$need_root" = 1 ]; then
        echo "install.sh: missing packages: ${missing[*]}" >&2
        echo "run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        echo "then run this script as root (or with --no-system --prefix DIR for a tree without system changes)" >&2
        exit 1
    else
        say "packages: installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
else
    say "packages: skipped (--no-system)"
fi
if [ "$need_root" = 1 ]; then
    fail "creating the mtasts user, chown and systemctl need root: run as root, or add --no-system"
fi

# MARK: 2. build
if [ "$build" = 1 ]; then
    command -v swift >/dev/null || fail "swift is not on PATH: install the Swift 6 toolchain (swift.org), or use --no-build --binary PATH"
    say "build: swift build -c release (incremental)"
    (cd "$repository" && swift build -c release --product mtasts)
    [ -n "$binary" ] || binary="$repository/.build/release/mtasts"
fi
[ -n "$binary" ] || binary="$repository/.build/release/mtasts"
[ -x "$binary" ] || fail "no binary at $binary: build it (drop --no-build) or pass --binary PATH"

# Ownership only in system mode; `own user:group path`.
own() { if [ "$system" = 1 ]; then chown "$1" "$2"; fi; }

# Installs $1 as $2 with mode $3 unless the content and mode are already so; says which.
install_file() {
    local source="$1" target="$2" mode="$3" owner="$4"
    if [ -f "$target" ] && cmp -s "$source" "$target" && [ "$(stat -c %a "$target")" = "${mode#0}" ]; then
        return 1
    fi
    mkdir -p "$(dirname "$target")"
    cp "$source" "$target.install-new"
    chmod "$mode" "$target.install-new"
    own "$owner" "$target.install-new"
    mv -f "$target.install-new" "$target"
    return 0
}

# Replaces directory $2 with a copy of $1 (files 0644, folders 0755) unless they are identical already.
install_tree() {
    local source="$1" target="$2"
    if [ -d "$target" ] && diff -r -q "$source" "$target" >/dev/null 2>&1; then
        say "$target: unchanged"
        return
    fi
    rm -rf "$target.install-new"
    mkdir -p "$(dirname "$target")"
    cp -R "$source" "$target.install-new"
    find "$target.install-new" -type d -exec chmod 0755 {} +
    find "$target.install-new" -type f -exec chmod 0644 {} +
    if [ "$system" = 1 ]; then chown -R root:root "$target.install-new"; fi
    rm -rf "$target"
    mv "$target.install-new" "$target"
    say "$target: installed"
}

# MARK: 3. binary and resources
target_binary="$(root /usr/local/bin/mtasts)"
if install_file "$binary" "$target_binary" 0755 root:root; then
    say "$target_binary: installed from $binary"
else
    say "$target_binary: unchanged"
fi
share="$(root /usr/local/share/mtasts)"
install_tree "$repository/Migrations" "$share/Migrations"
install_tree "$repository/Public" "$share/Public"
mkdir -p "$share/docs"
for page in operations.md security.md reports.md; do
    if install_file "$repository/docs/$page" "$share/docs/$page" 0644 root:root; then say "$share/docs/$page: installed"; fi
done

# MARK: 4. user and group
if [ "$system" = 1 ]; then
    if getent group mtasts >/dev/null; then
        say "group mtasts: unchanged"
    else
        groupadd --system mtasts
        say "group mtasts: created"
    fi
    if getent passwd mtasts >/dev/null; then
        say "user mtasts: unchanged"
    else
        useradd --system --gid mtasts --home-dir /var/lib/mtasts --no-create-home --shell /usr/sbin/nologin \
            --comment "mtasts MTA-STS hosting platform" mtasts
        say "user mtasts: created"
    fi
else
    say "user and group mtasts: skipped (--no-system)"
fi

# MARK: 5. directories
ensure_directory() {
    local path="$1" mode="$2" owner="$3"
    if [ -d "$path" ] && [ "$(stat -c %a "$path")" = "${mode#0}" ] \
        && { [ "$system" = 0 ] || [ "$(stat -c %U:%G "$path")" = "$owner" ]; }; then
        say "$path: unchanged"
        return
    fi
    mkdir -p "$path"
    chmod "$mode" "$path"
    own "$owner" "$path"
    if [ "$system" = 1 ]; then say "$path: created or repaired ($mode $owner)"; else say "$path: created or repaired ($mode)"; fi
}
ensure_directory "$(root /etc/mtasts)" 0750 root:mtasts
ensure_directory "$(root /var/lib/mtasts)" 0750 mtasts:mtasts

# MARK: 6. PostgreSQL role and database
local_database=0
if [ -n "$database_url" ]; then
    say "PostgreSQL: skipped (--database-url given)"
elif [ "$system" = 0 ]; then
    say "PostgreSQL: skipped (--no-system)"
elif ! command -v psql >/dev/null; then
    say "PostgreSQL: skipped (no local PostgreSQL; set MTASTS_DATABASE_URL in the environment file)"
else
    # From / so that psql does not warn about a working directory the postgres user cannot enter.
    as_postgres() { (cd / && runuser -u postgres -- "$@"); }
    if ! as_postgres psql -X -q -At -c "SELECT 1" >/dev/null 2>&1 && command -v pg_lsclusters >/dev/null; then
        # A Debian cluster that is down (no systemd in a container, or not started yet): start it.
        while read -r version name _ status _; do
            if [ "$status" = "down" ]; then
                say "PostgreSQL: starting cluster $version/$name"
                pg_ctlcluster "$version" "$name" start || true
            fi
        done < <(pg_lsclusters --no-header 2>/dev/null || true)
    fi
    if ! as_postgres psql -X -q -At -c "SELECT 1" >/dev/null 2>&1; then
        say "PostgreSQL: skipped (installed but not answering on its local socket; start it and run this again)"
    else
        local_database=1
        if [ "$(as_postgres psql -X -At -c "SELECT 1 FROM pg_roles WHERE rolname = 'mtasts'")" = "1" ]; then
            say "PostgreSQL role mtasts: unchanged"
        else
            as_postgres psql -X -q -c "CREATE ROLE mtasts LOGIN"
            say "PostgreSQL role mtasts: created (peer authentication over the local socket)"
        fi
        if [ "$(as_postgres psql -X -At -c "SELECT 1 FROM pg_database WHERE datname = 'mtasts'")" = "1" ]; then
            say "PostgreSQL database mtasts: unchanged"
        else
            as_postgres createdb --owner=mtasts mtasts
            say "PostgreSQL database mtasts: created"
        fi
    fi
fi

# MARK: 7. master key
key="$(root /etc/mtasts/secret.key)"
if [ -e "$key" ]; then
    say "$key: exists, kept (key id $(sha256sum "$key" | cut -c1-8))"
else
    temporary="$key.tmp-$$"
    (umask 077 && head -c 32 /dev/urandom >"$temporary")
    sync "$temporary" 2>/dev/null || true
    own mtasts:mtasts "$temporary"
    # A hard link never replaces an existing file: a key that appeared meanwhile wins.
    if ln "$temporary" "$key" 2>/dev/null; then
        say "$key: generated (key id $(sha256sum "$key" | cut -c1-8)); back it up apart from the database"
    else
        say "$key: exists, kept"
    fi
    rm -f "$temporary"
fi

# MARK: 8. environment file
environment="$(root /etc/mtasts/mtasts.env)"
if [ -e "$environment" ]; then
    say "$environment: exists, kept (compare with deploy/mtasts.env.example after upgrades)"
else
    if [ -n "$database_url" ]; then
        url="$database_url"
    elif [ "$local_database" = 1 ]; then
        url="host=/var/run/postgresql dbname=mtasts user=mtasts"
    else
        url=""
    fi
    temporary="$environment.tmp-$$"
    (umask 027 && cp "$repository/deploy/mtasts.env.example" "$temporary")
    if [ -n "$url" ]; then
        # `|` cannot appear in a libpq URL or key/value string unquoted; escape sed's specials all the same.
        escaped="$(printf '%s' "$url" | sed -e 's/[\\&|]/\\&/g')"
        sed -i "s|^MTASTS_DATABASE_URL=.*|MTASTS_DATABASE_URL=$escaped|" "$temporary"
    fi
    chmod 0640 "$temporary"
    own root:mtasts "$temporary"
    ln "$temporary" "$environment" 2>/dev/null || true
    rm -f "$temporary"
    if [ -n "$url" ]; then
        say "$environment: written (MTASTS_DATABASE_URL=$url); set MTASTS_EDGE_HOSTNAME and the API's name"
    else
        say "$environment: written; set MTASTS_DATABASE_URL, MTASTS_EDGE_HOSTNAME and the API's name"
    fi
fi

# MARK: 9. units
units="$(root /etc/systemd/system)"
mkdir -p "$units"
changed_units=0
for unit in "$repository"/deploy/systemd/*.service "$repository"/deploy/systemd/*.target; do
    if install_file "$unit" "$units/$(basename "$unit")" 0644 root:root; then
        say "$units/$(basename "$unit"): installed"
        changed_units=1
    fi
done
[ "$changed_units" = 1 ] || say "$units: units unchanged"
if [ "$system" = 1 ] && [ "$prefix" = "/" ] && [ -d /run/systemd/system ]; then
    if [ "$changed_units" = 1 ]; then systemctl daemon-reload; fi
    systemctl enable --quiet mtasts.target "${enabled_units[@]}"
    say "enabled: mtasts.target ${enabled_units[*]} (start them with: systemctl start mtasts.target)"
else
    say "units not enabled here (needs --prefix /, root and a running systemd); on the target run:"
    say "  systemctl daemon-reload && systemctl enable mtasts.target ${enabled_units[*]}"
fi
say "done"
