"""Load the main pages and API lists for a minute and print the answers by status and p50/p99.

Run it against `make serve` (wrk from Debian's package: apt-get install wrk):

    DJANGO_API_ANON_RATE=1000000/minute make serve &
    .venv/bin/python scripts/load.py --url http://127.0.0.1:8000 --seconds 60 --connections 64

Each request takes the next address of the list below (pages in both languages, API lists,
details, the map's GeoJSON), so every one of them is under load at once. Lift the anonymous
API throttle for the run, as above, or the API lists measure the 429 answer.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PATHS = [
    "/",
    "/en/",
    "/projects/",
    "/projects/?status=under_way&ordering=-investment",
    "/gates/",
    "/investors/",
    "/investments/",
    "/map/",
    "/gates/tra-linh/",
    "/projects/cao-toc-dong-dang-tra-linh/",
    "/api/v1/projects/",
    "/api/v1/projects/?status=under_way&ordering=-investment",
    "/api/v1/gates/",
    "/api/v1/investments/",
    "/api/v1/projects/cao-toc-dong-dang-tra-linh/",
    "/gates/map.geojson",
    "/healthz",
]

# wrk runs this in each of its threads; the threads' tallies are summed in done().
LUA = """
local paths = {%(paths)s}
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("STATUS %%d %%d\\n", status, count))
  end
  io.write(string.format("P50 %%.1f\\n", latency:percentile(50) / 1000))
  io.write(string.format("P99 %%.1f\\n", latency:percentile(99) / 1000))
  io.write(string.format("REQUESTS %%d\\n", summary.requests))
  io.write(string.format("ERRORS %%d %%d %%d %%d %%d\\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    script = LUA % {"paths": ", ".join(f'"{path}"' for path in PATHS)}
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "load.lua"
        lua.write_text(script)
        result = subprocess.run(  # noqa: S603
            [
                wrk,
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(lua),
                args.url,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
        return 1
    out = result.stdout
    statuses = {int(status): int(count) for status, count in re.findall(r"STATUS (\d+) (\d+)", out)}
    requests = int(re.search(r"REQUESTS (\d+)", out).group(1))
    errors = dict(
        zip(
            ("connect", "read", "write", "status", "timeout"),
            map(int, re.search(r"ERRORS (\d+) (\d+) (\d+) (\d+) (\d+)", out).groups()),
            strict=True,
        )
    )
    print(f"{args.seconds} s, {args.connections} connections, {len(PATHS)} addresses in turn")
    print(f"requests     {requests} ({requests / args.seconds:.1f}/s)")
    print(f"by status    {dict(sorted(statuses.items()))}")
    print(f"errors       {errors}")
    p50, p99 = (float(re.search(rf"{name} ([0-9.]+)", out).group(1)) for name in ("P50", "P99"))
    print(f"p50          {p50:.0f} ms")
    print(f"p99          {p99:.0f} ms")
    return 0 if not any(status >= 500 for status in statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
