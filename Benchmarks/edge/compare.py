#!/usr/bin/env python3
"""Runs wrk against the edge and nginx alternately and reports the median of per-pair ratios.

Each scenario is measured in `--pairs` pairs; within a pair both servers get the same wrk command back to
back, and the order flips from one pair to the next so that drift on a shared machine hits both alike.
A run that saw a non-2xx/3xx response, a connect/read/write socket error or no requests at all is refused:
the benchmark stops with exit status 1 rather than report the speed of error pages.

Standard library only. Called by run.sh, which starts both servers; see docs/performance.md.
"""

import argparse
import datetime
import os
import re
import resource
import statistics
import subprocess
import sys

PACED_PAUSE_MS = 2
SCENARIOS = {
    "keep-alive": {"title": "keep-alive, {c} connections, {t} threads, {d} s", "headers": []},
    "new-connection": {"title": "new TLS connection per request (Connection: close), {c} connections, {t} threads, "
                       "{d} s", "headers": ["Connection: close"]},
    # wrk runs on the same cores. Flat out, a server faster than wrk leaves wrk the bottleneck: wrk then runs in
    # long scheduler slices and its p99 measures its own waits for a core. Paced, both servers get the same
    # offered load, below what either serves, and p99 compares the servers.
    "paced-keep-alive": {"title": "keep-alive, {c} connections, {t} threads, {d} s, each connection pausing "
                         f"{PACED_PAUSE_MS} ms between requests (the same offered load for both)", "headers": [],
                         "pause_ms": PACED_PAUSE_MS},
}
TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


class RefusedRun(Exception):
    pass


def parse_duration_ms(text):
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * TIME_UNITS[match.group(2)]


def parse_wrk(output):
    """Requests/s, p99 (ms), request count, non-2xx count and socket errors from `wrk --latency` output."""
    result = {"non2xx": 0, "errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0}}
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(line.split()[1])
        elif line.startswith("99%"):
            result["p99_ms"] = parse_duration_ms(line.split()[1])
        elif line.startswith("Non-2xx or 3xx responses:"):
            result["non2xx"] = int(line.split(":")[1])
        elif line.startswith("Socket errors:"):
            for name, value in re.findall(r"(connect|read|write|timeout) (\d+)", line):
                result["errors"][name] = int(value)
        elif re.match(r"^\d+ requests in ", line):
            result["requests"] = int(line.split()[0])
    for key in ("rps", "p99_ms", "requests"):
        if key not in result:
            raise RefusedRun(f"could not find {key} in wrk output:\n{output}")
    return result


def cpu_seconds(pid):
    """User+system CPU time of a process and its direct children (nginx's workers), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the ")": state, ppid, ..., utime is field 14 of the full line (index 11 here), stime 15.
        if int(entry) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def run_wrk(arguments, name, port, scenario):
    url = f"https://{arguments.host}:{port}/.well-known/mta-sts.txt"
    command = ["taskset", "-c", str(arguments.client_cpu)] if arguments.client_cpu is not None else []
    command += ["wrk", "--latency", "-t", str(arguments.threads), "-c", str(arguments.connections),
               "-d", f"{arguments.duration}s", "-s", arguments.lua]
    for header in SCENARIOS[scenario]["headers"]:
        command += ["-H", header]
    command.append(url)
    pid = arguments.edge_pid if name == "edge" else arguments.nginx_pid
    cpu_before = cpu_seconds(pid)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    environment = dict(os.environ, WRK_CONNECT="127.0.0.1", WRK_PAUSE_MS=str(SCENARIOS[scenario].get("pause_ms", 0)))
    completed = subprocess.run(command, capture_output=True, text=True, env=environment)
    cpu_used = cpu_seconds(pid) - cpu_before
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_used = (client_after.ru_utime - client_before.ru_utime) + (client_after.ru_stime - client_before.ru_stime)
    client_sleeps = client_after.ru_nvcsw - client_before.ru_nvcsw
    client_preempted = client_after.ru_nivcsw - client_before.ru_nivcsw
    if completed.returncode != 0:
        raise RefusedRun(f"wrk failed for {name}: {completed.stderr}{completed.stdout}")
    result = parse_wrk(completed.stdout)
    problems = []
    if result["non2xx"]:
        problems.append(f"{result['non2xx']} non-2xx/3xx responses")
    for kind in ("connect", "read", "write"):
        if result["errors"][kind]:
            problems.append(f"{result['errors'][kind]} {kind} errors")
    if result["requests"] == 0:
        problems.append("no requests completed")
    if problems:
        raise RefusedRun(f"refusing the {name} run ({scenario}): {', '.join(problems)}\n{completed.stdout}")
    result["cpu_us_per_request"] = cpu_used * 1e6 / result["requests"]
    # wrk shares the machine: what a server costs its clients counts as much as its own CPU.
    result["client_cpu_us_per_request"] = client_used * 1e6 / result["requests"]
    # How often wrk slept waiting for responses and was preempted, per 1,000 requests: a client that rarely
    # sleeps is the bottleneck, and its p99 then includes its own waits for a core (docs/performance.md).
    result["client_switches_per_1000"] = (client_sleeps * 1000 / result["requests"],
                                          client_preempted * 1000 / result["requests"])
    return result


def measure(arguments):
    report = {}
    for scenario in arguments.scenarios:
        pairs = []
        for index in range(arguments.pairs):
            order = ["edge", "nginx"] if index % 2 == 0 else ["nginx", "edge"]
            pair = {}
            for name in order:
                port = arguments.edge_port if name == "edge" else arguments.nginx_port
                pair[name] = run_wrk(arguments, name, port, scenario)
                print(f"  {scenario} pair {index + 1}/{arguments.pairs} {name:5}: "
                      f"{pair[name]['rps']:10.0f} req/s  p99 {pair[name]['p99_ms']:7.2f} ms  "
                      f"timeouts {pair[name]['errors']['timeout']}", file=sys.stderr, flush=True)
            pairs.append(pair)
        report[scenario] = pairs
    return report


def summarise(arguments, report):
    lines = []
    summary = {}
    for scenario, pairs in report.items():
        title = SCENARIOS[scenario]["title"].format(c=arguments.connections, t=arguments.threads, d=arguments.duration)
        lines.append(f"#### {scenario}: {title}")
        lines.append("")
        lines.append("| pair | edge req/s | nginx req/s | req/s ratio | edge p99 ms | nginx p99 ms | p99 ratio "
                     "| edge CPU µs/req | nginx CPU µs/req | wrk CPU µs/req (edge) | wrk CPU µs/req (nginx) "
                     "| wrk sleeps/preempted per 1k req (edge) | (nginx) |")
        lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        rps_ratios, p99_ratios = [], []
        for index, pair in enumerate(pairs, start=1):
            edge, nginx = pair["edge"], pair["nginx"]
            rps_ratio = edge["rps"] / nginx["rps"]
            p99_ratio = edge["p99_ms"] / nginx["p99_ms"]
            rps_ratios.append(rps_ratio)
            p99_ratios.append(p99_ratio)
            lines.append(
                f"| {index} | {edge['rps']:.0f} | {nginx['rps']:.0f} | {rps_ratio:.2f} | {edge['p99_ms']:.2f} "
                f"| {nginx['p99_ms']:.2f} | {p99_ratio:.2f} | {edge['cpu_us_per_request']:.0f} "
                f"| {nginx['cpu_us_per_request']:.0f} | {edge['client_cpu_us_per_request']:.0f} "
                f"| {nginx['client_cpu_us_per_request']:.0f} "
                f"| {edge['client_switches_per_1000'][0]:.0f}/{edge['client_switches_per_1000'][1]:.0f} "
                f"| {nginx['client_switches_per_1000'][0]:.0f}/{nginx['client_switches_per_1000'][1]:.0f} |")
        median_rps = statistics.median(rps_ratios)
        median_p99 = statistics.median(p99_ratios)
        summary[scenario] = (median_rps, median_p99)
        lines.append("")
        lines.append(f"Median of per-pair ratios (edge/nginx): **req/s {median_rps:.2f}×** (higher is better), "
                     f"**p99 {median_p99:.2f}×** (lower is better). "
                     f"Medians of the raw figures: edge {statistics.median(p['edge']['rps'] for p in pairs):.0f} "
                     f"req/s, nginx {statistics.median(p['nginx']['rps'] for p in pairs):.0f} req/s.")
        lines.append("")
    return "\n".join(lines), summary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True, help="the policy host (SNI and Host header)")
    parser.add_argument("--edge-port", type=int, required=True)
    parser.add_argument("--nginx-port", type=int, required=True)
    parser.add_argument("--edge-pid", type=int, required=True)
    parser.add_argument("--nginx-pid", type=int, required=True, help="nginx master; its workers are counted too")
    parser.add_argument("--lua", required=True)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--client-cpu", type=int, help="run wrk on this CPU only (taskset)")
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--header", default="", help="text put above the tables (environment description)")
    parser.add_argument("--record", help="append a dated section with the results to this Markdown file")
    parser.add_argument("--title", default="run.sh", help="the recorded section's title, before its date")
    arguments = parser.parse_args()
    try:
        report = measure(arguments)
    except RefusedRun as refusal:
        print(f"compare: {refusal}", file=sys.stderr)
        return 1
    tables, summary = summarise(arguments, report)
    print(tables)
    if arguments.record:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(arguments.record, "a") as handle:
            handle.write(f"\n## {arguments.title} — {stamp}\n\n{arguments.header}\n\n{tables}\n")
        print(f"compare: appended to {arguments.record}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
