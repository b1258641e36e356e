"""Load runner: drive one scenario with C concurrent keep-alive clients for a fixed time.

    python -m bench.run --base-url http://127.0.0.1:9000 --scenario health --concurrency 16 --duration 10
    python -m bench.run --scenario health --tool wrk --server-pid "$(pgrep -f 'mercato serve' | head -1)"
    python -m bench.run --list

Prints the result as JSON on stdout (progress and warnings go to stderr) and writes it to --out
(default bench/results/<scenario>_<tool>_c<C>_<timestamp>.json). The first --warmup seconds
(default 2) are run but not counted.

--tool python (default): asyncio, C coroutines each sending its next request as soon as the previous
one is answered, each on a keep-alive HTTP/1.1 connection of its own (`--client lean`, the default:
bench.lean, ~0.15 ms of CPU per request) or through one httpx.AsyncClient whose pool holds C
connections (`--client httpx`, ~1.3 ms per request: on a 2-core machine it takes a third of a core
from the server and its database at the checkout's rate).
One Python process tops out at a few thousand requests/s, so on a small machine it may measure
itself rather than the server: the result's client_cpu_pct says how busy it was (near 100 means
client-bound). --tool wrk replays the same scenario with wrk (C connections, --threads threads).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# httpcore calls `import sniffio` on every request; when sniffio is not installed that failed import
# searches sys.path each time (failed imports are not cached): about a quarter of the client's CPU.
# A None entry makes the import fail at once, and httpcore then assumes asyncio, which is right here.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

import httpx  # noqa: E402

from bench.lean import LeanClient  # noqa: E402
from bench.scenarios import SCENARIOS, Context, Scenario, SetupError

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the server process, from /proc ---------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # fields[0] is field 3 (state) of proc(5): utime is field 14, stime field 15.
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


@dataclass
class ServerSample:
    cpu_s: float
    rss_kb: int
    children_rss_kb: int


class ServerWatch:
    """CPU and memory of the server process (and its children, e.g. uvicorn workers)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.peak_total_kb = 0
        if pid is not None and not os.path.exists(f"/proc/{pid}"):
            raise SetupError(f"--server-pid {pid}: no such process")

    def sample(self) -> ServerSample | None:
        if self.pid is None:
            return None
        kids = _descendants(self.pid)
        rss = _status_kb(self.pid, "VmRSS")
        kids_rss = sum(_status_kb(k, "VmRSS") for k in kids)
        self.peak_total_kb = max(self.peak_total_kb, rss + kids_rss)
        cpu = _cpu_seconds(self.pid) + sum(_cpu_seconds(k) for k in kids)
        return ServerSample(cpu, rss, kids_rss)

    def report(self, start: ServerSample | None, end: ServerSample | None, seconds: float) -> dict[str, Any]:
        if self.pid is None or start is None or end is None:
            return {}
        mb = 1024.0
        return {
            "server_pid": self.pid,
            "server_rss_mb": round(end.rss_kb / mb, 1),
            "server_children_rss_mb": round(end.children_rss_kb / mb, 1),
            "server_rss_total_mb": round((end.rss_kb + end.children_rss_kb) / mb, 1),
            "server_rss_peak_mb": round(self.peak_total_kb / mb, 1),
            "server_rss_hwm_mb": round(_status_kb(self.pid, "VmHWM") / mb, 1),
            # 100 = one core fully busy (a single uvicorn worker cannot exceed ~100 for Python code).
            "server_cpu_pct": round(100 * (end.cpu_s - start.cpu_s) / seconds, 1) if seconds > 0 else None,
        }


# --- statistics -----------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def machine_busy_s() -> float:
    """CPU seconds all cores spent busy since boot (from /proc/stat)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / _CLK_TCK


def machine_report(busy0: float, busy1: float, seconds: float, result: dict[str, Any]) -> dict[str, Any]:
    """The whole machine's CPU during the run and what neither the client nor the server used: other
    processes (a test suite, a build) competing for the same cores make the numbers unreliable."""
    if seconds <= 0 or busy1 <= busy0:
        return {}
    machine = 100 * (busy1 - busy0) / seconds
    out: dict[str, Any] = {
        "machine_cpu_pct": round(machine, 1),
        "machine_cpu_max_pct": 100 * (os.cpu_count() or 1),
    }
    if result.get("server_cpu_pct") is not None:
        other = machine - result["server_cpu_pct"] - (result.get("client_cpu_pct") or 0)
        out["other_cpu_pct"] = round(max(0.0, other), 1)
    return out


# --- setup and pre-flight (both tools) ------------------------------------------------------------


async def prepare(scn: Scenario, ctx: Context, timeout: float) -> dict[str, Any]:
    """Run the scenario's setup, then one request: refuses to start if the server cannot be reached,
    warns if the request does not answer 2xx (the run goes on, counting errors)."""
    async with httpx.AsyncClient(base_url=ctx.base_url, timeout=timeout) as client:
        ctx.client = client
        try:
            if scn.setup is not None:
                await scn.setup(ctx)
            client.headers.update(ctx.headers)
            resp = await scn.request(client, ctx)
        except httpx.TransportError as exc:
            raise SetupError(f"cannot reach {ctx.base_url}: {type(exc).__name__}: {exc}") from None
        finally:
            ctx.client = None
    preflight = {"status": resp.status_code, "path": resp.request.url.raw_path.decode()}
    if not 200 <= resp.status_code < 300:
        preflight["body"] = resp.text[:300]
        log(
            f"warning: pre-flight {resp.request.method} {preflight['path']} answered "
            f"HTTP {resp.status_code}: {resp.text[:200]!r}; every such response counts as an error"
        )
    return preflight


# --- tool: python ---------------------------------------------------------------------------------


async def run_python(
    scn: Scenario, ctx: Context, args: argparse.Namespace, watch: ServerWatch
) -> dict[str, Any]:
    concurrency = args.concurrency
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    samples: list[str] = []
    timer = time.perf_counter

    async with contextlib.AsyncExitStack() as stack:

        def new_client(pool: int) -> httpx.AsyncClient:
            limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
            client = httpx.AsyncClient(
                base_url=ctx.base_url, headers=ctx.headers, limits=limits, timeout=args.timeout
            )
            stack.push_async_callback(client.aclose)
            return client

        if args.client == "lean":
            clients: list[Any] = []
            for _ in range(concurrency):
                lean = LeanClient(ctx.base_url, headers=ctx.headers, timeout=args.timeout)
                stack.push_async_callback(lean.aclose)
                clients.append(lean)
        elif args.pool == "shared":  # one client, a pool of C connections
            clients = [new_client(concurrency)] * concurrency
        else:  # one client of one connection per worker: httpcore's pool costs O(C) per request
            clients = [new_client(1) for _ in range(concurrency)]
        t_start = timer()
        measure_from = t_start + args.warmup
        stop_at = measure_from + args.duration
        request = scn.request

        async def worker(client: Any) -> None:
            while True:
                t0 = timer()
                if t0 >= stop_at:
                    return
                error: str | None = None
                detail = ""
                try:
                    resp = await request(client, ctx)
                    if not 200 <= resp.status_code < 300:
                        error = str(resp.status_code)
                        path = resp.request.url.raw_path.decode()
                        detail = f"HTTP {resp.status_code} {resp.request.method} {path}"
                except Exception as exc:  # counted, never raised: a load test keeps going
                    error = type(exc).__name__
                    detail = f"{error}: {exc}"
                t1 = timer()
                if measure_from <= t1 <= stop_at:
                    latencies.append((t1 - t0) * 1000)
                    if error is not None:
                        errors[error] += 1
                        if len(samples) < 5:
                            samples.append(detail[:300])

        marks: dict[str, Any] = {}

        async def sampler() -> None:
            await asyncio.sleep(max(0.0, measure_from - timer()))
            marks["client0"], marks["server0"], marks["t0"] = time.process_time(), watch.sample(), timer()
            marks["machine0"] = machine_busy_s()
            while (left := stop_at - timer()) > 0:
                await asyncio.sleep(min(0.5, left))
                if timer() < stop_at:
                    watch.sample()
            marks["client1"], marks["server1"], marks["t1"] = time.process_time(), watch.sample(), timer()
            marks["machine1"] = machine_busy_s()

        log(
            f"running {scn.name} with the python client ({args.client}): {concurrency} connections, "
            f"{args.warmup:g}s warm-up + {args.duration:g}s"
        )
        await asyncio.gather(sampler(), *(worker(c) for c in clients))

    window = marks["t1"] - marks["t0"]
    latencies.sort()
    result: dict[str, Any] = {
        "requests": len(latencies),
        "requests_per_s": _r(len(latencies) / args.duration, 1),
        "p50_ms": _r(percentile(latencies, 50), 3),
        "p90_ms": _r(percentile(latencies, 90), 3),
        "p99_ms": _r(percentile(latencies, 99), 3),
        "max_ms": _r(latencies[-1] if latencies else None, 3),
        "mean_ms": _r(sum(latencies) / len(latencies) if latencies else None, 3),
        "errors": sum(errors.values()),
        "error_statuses": dict(errors.most_common(10)),
        "error_samples": samples,
        "client_cpu_pct": _r(100 * (marks["client1"] - marks["client0"]) / window, 1),
        "client": args.client,
        "client_pool": args.pool if args.client == "httpx" else "per-connection",
        "client_loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
    }
    result.update(watch.report(marks["server0"], marks["server1"], window))
    result.update(machine_report(marks["machine0"], marks["machine1"], window, result))
    return result


# --- tool: wrk ------------------------------------------------------------------------------------

# Headers wrk sets itself (Host, Content-Length) or that only describe the Python client.
_WRK_DROP_HEADERS = {"host", "content-length", "connection", "user-agent"}


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


async def record_requests(scn: Scenario, ctx: Context, count: int) -> list[Recorded]:
    """Call the scenario `count` times against a transport that records instead of sending; one
    request if they were all the same."""
    seen: list[Recorded] = []

    def handler(request: httpx.Request) -> httpx.Response:
        headers = tuple((k, v) for k, v in request.headers.items() if k.lower() not in _WRK_DROP_HEADERS)
        seen.append(Recorded(request.method, request.url.raw_path.decode(), headers, request.read()))
        return httpx.Response(200, content=b"{}", headers={"content-type": "application/json"})

    async with httpx.AsyncClient(
        base_url=ctx.base_url, headers=ctx.headers, transport=httpx.MockTransport(handler)
    ) as client:
        for _ in range(count):
            await scn.request(client, ctx)
    if len(set(seen)) == 1:
        return seen[:1]
    return seen  # all of them, in order: wrk replays them in rotation, keeping the scenario's mix


def lua_string(value: str | bytes) -> str:
    raw = value.encode() if isinstance(value, str) else value
    out = []
    for byte in raw:
        ch = chr(byte)
        if ch in '\\"':
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


_WRK_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.3f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


def wrk_script(requests: list[Recorded]) -> str:
    lines = ["-- generated by bench.run"]
    if len(requests) == 1:
        # No request() function: wrk then builds the request once (its fastest mode).
        req = requests[0]
        lines += [f"wrk.method = {lua_string(req.method)}", f"wrk.path = {lua_string(req.path)}"]
        lines += [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in req.headers]
        if req.body:
            lines.append(f"wrk.body = {lua_string(req.body)}")
    else:
        lines.append("local specs = {")
        for req in requests:
            headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in req.headers)
            body = lua_string(req.body) if req.body else "nil"
            lines.append(f"  {{{lua_string(req.method)}, {lua_string(req.path)}, {{{headers}}}, {body}}},")
        lines += [
            "}",
            "local formatted = {}",
            "local n = 0",
            "function init(args)",
            "  for i, s in ipairs(specs) do formatted[i] = wrk.format(s[1], s[2], s[3], s[4]) end",
            "end",
            "function request()",
            "  n = n % #formatted + 1",
            "  return formatted[n]",
            "end",
        ]
    return "\n".join(lines) + "\n" + _WRK_DONE


def _wrk_cmd(args: argparse.Namespace, script: str, seconds: int) -> list[str]:
    threads = max(1, min(args.threads, args.concurrency))
    return [
        args.wrk,
        "-t",
        str(threads),
        "-c",
        str(args.concurrency),
        "-d",
        f"{seconds}s",
        "--timeout",
        f"{max(1, math.ceil(args.timeout))}s",
        "-s",
        script,
        args.base_url,
    ]


def run_wrk(scn: Scenario, ctx: Context, args: argparse.Namespace, watch: ServerWatch) -> dict[str, Any]:
    wrk = shutil.which(args.wrk)
    if wrk is None:
        raise SetupError(f"{args.wrk!r} not found: install it (apt-get install -y wrk) or use --tool python")
    requests = asyncio.run(record_requests(scn, ctx, args.wrk_samples))
    if not requests:
        raise SetupError(f"scenario {scn.name!r} made no request")
    seconds = max(1, round(args.duration))
    if seconds != args.duration:
        log(f"note: wrk takes whole seconds; running {seconds}s")
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = os.path.join(tmp, f"{scn.name}.lua")
        Path(script).write_text(wrk_script(requests))
        if args.keep_lua:
            Path(args.keep_lua).write_text(wrk_script(requests))
        log(
            f"running {scn.name} with wrk: {args.concurrency} connections, "
            f"{min(args.threads, args.concurrency)} thread(s), {len(set(requests))} distinct request(s), "
            f"{args.warmup:g}s warm-up + {seconds}s"
        )
        if args.warmup > 0:
            subprocess.run(
                _wrk_cmd(args, script, max(1, round(args.warmup))), capture_output=True, check=False
            )
        usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        server0, t0, machine0 = watch.sample(), time.perf_counter(), machine_busy_s()
        proc = subprocess.Popen(
            _wrk_cmd(args, script, seconds), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        while proc.poll() is None:
            watch.sample()
            try:
                proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
        server1, t1, machine1 = watch.sample(), time.perf_counter(), machine_busy_s()
        usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        stdout, stderr = (s.decode(errors="replace") for s in proc.communicate())
    parsed = next(
        (line[len("BENCH_JSON ") :] for line in stdout.splitlines() if line.startswith("BENCH_JSON ")), None
    )
    if proc.returncode != 0 or parsed is None:
        raise SetupError(f"wrk failed (exit {proc.returncode}): {(stderr or stdout).strip()[:500]}")
    w = json.loads(parsed)
    window = w["duration_us"] / 1e6
    kinds = {k: w[k] for k in ("connect", "read", "write", "timeout", "status")}
    result: dict[str, Any] = {
        "requests": w["requests"],
        "requests_per_s": _r(w["requests"] / window, 1),
        "p50_ms": _r(w["p50_us"] / 1000, 3),
        "p90_ms": _r(w["p90_us"] / 1000, 3),
        "p99_ms": _r(w["p99_us"] / 1000, 3),
        "max_ms": _r(w["max_us"] / 1000, 3),
        "mean_ms": _r(w["mean_us"] / 1000, 3),
        # wrk counts HTTP statuses >= 400 only (not 1xx/3xx), plus socket errors and timeouts.
        "errors": sum(kinds.values()),
        "error_statuses": {("http>=400" if k == "status" else k): v for k, v in kinds.items() if v},
        "error_samples": [],
        "client_cpu_pct": _r(
            100 * (usage1.ru_utime + usage1.ru_stime - usage0.ru_utime - usage0.ru_stime) / (t1 - t0), 1
        ),
        "wrk_threads": max(1, min(args.threads, args.concurrency)),
        "wrk_distinct_requests": len(set(requests)),
        "wrk_output": stdout.split("BENCH_JSON")[0].strip().splitlines(),
    }
    result.update(watch.report(server0, server1, t1 - t0))
    result.update(machine_report(machine0, machine1, t1 - t0, result))
    return result


# --- main -----------------------------------------------------------------------------------------


def _event_loop_factory(choice: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        if choice == "uvloop":
            raise SetupError("--loop uvloop: uvloop is not installed") from None
        return None
    return uvloop.new_event_loop


def _arun(coro: Coroutine[Any, Any, Any], loop: str) -> Any:
    with asyncio.Runner(loop_factory=_event_loop_factory(loop)) as runner:
        return runner.run(coro)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Drive a scenario with C concurrent keep-alive clients for a fixed time; print JSON.",
    )
    p.add_argument("--base-url", default="http://127.0.0.1:9000")
    p.add_argument("--scenario", "-s", help="see --list")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    p.add_argument("--concurrency", "-c", type=int, default=16, help="concurrent connections (default 16)")
    p.add_argument("--duration", "-d", type=float, default=10.0, help="measured seconds (default 10)")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds run first and not counted (default 2)")
    p.add_argument("--tool", choices=("python", "wrk"), default="python")
    p.add_argument("--token", help="bearer token to use instead of logging in")
    p.add_argument("--email", default="admin@mercato.local", help="admin login (default admin@mercato.local)")
    p.add_argument(
        "--password",
        default=os.environ.get("MERCATO_BENCH_PASSWORD"),
        help="admin password (default: $MERCATO_BENCH_PASSWORD)",
    )
    p.add_argument("--server-pid", type=int, help="report the server's RSS and CPU (reads /proc)")
    p.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, seconds (default 10)")
    p.add_argument("--out", help="result file (default bench/results/<scenario>_<tool>_c<C>_<time>.json)")
    p.add_argument("--no-out", action="store_true", help="do not write a result file")
    p.add_argument("--label", default="", help="free text stored with the result (commit, database, …)")
    p.add_argument("--seed", type=int, default=0, help="seed of ctx.rng")
    p.add_argument(
        "--client",
        choices=("lean", "httpx"),
        default="lean",
        help="python tool's HTTP client: bench.lean (default, light) or httpx",
    )
    p.add_argument(
        "--pool",
        choices=("shared", "per-connection"),
        default="shared",
        help="--client httpx: one client with a pool of C connections (default), or C clients of one",
    )
    p.add_argument(
        "--loop", choices=("auto", "asyncio", "uvloop"), default="auto", help="python client's loop"
    )
    p.add_argument("--wrk", default="wrk", help="wrk executable")
    p.add_argument(
        "--threads", type=int, default=1, help="wrk threads (default 1: leave the cores to the server)"
    )
    p.add_argument("--wrk-samples", type=int, default=64, help="requests recorded from the scenario for wrk")
    p.add_argument("--keep-lua", help="also write the generated wrk script here")
    args = p.parse_args(argv)
    if not args.list and not args.scenario:
        p.error("--scenario is required (see --list)")
    if args.scenario and args.scenario not in SCENARIOS:
        p.error(f"unknown scenario {args.scenario!r}; known: {', '.join(sorted(SCENARIOS))}")
    if args.concurrency < 1 or args.duration <= 0 or args.warmup < 0:
        p.error("--concurrency must be >= 1, --duration > 0, --warmup >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        width = max(map(len, SCENARIOS))
        for name, scn in SCENARIOS.items():
            print(f"{name:<{width}}  {scn.description}")
        return 0
    scn = SCENARIOS[args.scenario]
    ctx = Context(
        base_url=args.base_url.rstrip("/"),
        email=args.email,
        password=args.password,
        token=args.token,
    )
    ctx.rng.seed(args.seed)
    started = datetime.now(UTC)
    try:
        watch = ServerWatch(args.server_pid)
        preflight = _arun(prepare(scn, ctx, args.timeout), args.loop)
        if args.tool == "wrk":
            measured = run_wrk(scn, ctx, args, watch)
        else:
            measured = _arun(run_python(scn, ctx, args, watch), args.loop)
    except SetupError as exc:
        log(f"error: {exc}")
        return 2
    result: dict[str, Any] = {
        "scenario": scn.name,
        "tool": args.tool,
        "concurrency": args.concurrency,
        "duration": args.duration,
        "warmup": args.warmup,
        **measured,
        "preflight": preflight,
        "base_url": ctx.base_url,
        "label": args.label,
        "started_at": started.isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_1m": round(os.getloadavg()[0], 2),
        },
    }
    if args.tool == "python" and (result.get("client_cpu_pct") or 0) >= 85:
        note = (
            f"the Python client used {result['client_cpu_pct']}% of a core: the numbers may be client-bound; "
            "compare with --tool wrk"
        )
        result["notes"] = [note]
        log(f"warning: {note}")
    text = json.dumps(result, indent=2)
    print(text)
    if not args.no_out:
        out = (
            Path(args.out)
            if args.out
            else RESULTS_DIR
            / (f"{scn.name}_{args.tool}_c{args.concurrency}_{started.strftime('%Y%m%dT%H%M%SZ')}.json")
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        log(f"wrote {out}")
    log(
        f"{scn.name} [{args.tool}, c={args.concurrency}]: {result['requests_per_s']} req/s, "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, errors {result['errors']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
