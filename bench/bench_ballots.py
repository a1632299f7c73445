"""Load test of online voting: sustained ballots per second and latency through the API, gunicorn and PostgreSQL.

What it does, on this machine:

1. creates a fresh PostgreSQL database (dropped first if it exists), migrates it and creates the cache table;
2. makes a budget in its voting phase with 10 projects, ``--voters`` verified residents and one API token each,
   and reports the database queries one ballot makes (the profile of the request);
3. starts gunicorn on 127.0.0.1 with that ``DATABASE_URL`` plus ``--db-options`` (by default
   ``server_side_binding=true&prepare_threshold=5``: PostgreSQL then plans each of the ballot's queries once per
   connection instead of on every ballot, which roughly halves its CPU per ballot; a deployment gets the same
   by adding that query string to its own ``DATABASE_URL``, unless a transaction-mode pooler sits in between);
4. sends each voter's ballot (``POST /api/v1/budgets/<slug>/ballot``, a new Idempotency-Key each) over
   ``--concurrency`` keep-alive connections from one asyncio thread (``--client threads`` for the older
   http.client threads), until every voter has voted or ``--duration`` seconds have passed, and prints
   ballots/s, p50/p99 latency, the CPU each process used per ballot, and checks the database holds exactly one
   ballot per accepted vote;
5. runs ``pgbench`` on the same database with a script inserting the same rows a ballot writes (voter record,
   ballot, audit entry) in one transaction, and prints the API figure as a share of that raw figure.

The client runs on the same machine as the server and the database, and takes some of the CPU.

    .venv/bin/python bench/bench_ballots.py                       # defaults: 4000 voters, 60 s cap
    .venv/bin/python bench/bench_ballots.py --voters 1000 --duration 20 --workers 3 --threads 1
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SLUG = "bench-budget"
SECRET = "bench-secret-key-not-for-production-" + "x" * 20


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    p.add_argument("--database", default="localpower_bench", help="database to create (dropped first)")
    p.add_argument("--voters", type=int, default=4000, help="eligible voters, each votes once")
    p.add_argument("--duration", type=float, default=60.0, help="stop sending after this many seconds")
    p.add_argument(
        "--concurrency", type=int, default=16, help="connections (or client threads) sending at once"
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    p.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread when > 1)")
    p.add_argument(
        "--client",
        choices=["asyncio", "threads"],
        default="asyncio",
        help="load generator: one asyncio thread with keep-alive connections (light), or http.client threads",
    )
    p.add_argument(
        "--db-options",
        default="server_side_binding=true&prepare_threshold=5",
        help="query string added to the server's DATABASE_URL ('' for Django's defaults): server-side "
        "parameters and prepared statements spare PostgreSQL re-planning the same queries",
    )
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--pgbench-seconds", type=int, default=15)
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    p.add_argument(
        "--settings", default="localpower.settings", help="Django settings module (for experiments)"
    )
    return p.parse_args()


def database_url(args) -> str:
    parts = urlsplit(args.server)
    return urlunsplit((parts.scheme, parts.netloc, "/" + args.database, "", ""))


def server_env(args, *, options: str = "") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(args) + (f"?{options}" if options else ""),
        SECRET_KEY=SECRET,
        DEBUG="0",
        DJANGO_SETTINGS_MODULE=args.settings,
        SITE_URL=f"http://127.0.0.1:{args.port}",
        LOG_LEVEL="WARNING",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    )
    return env


def create_database(args) -> None:
    import psycopg

    with psycopg.connect(args.server.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    env = server_env(args)
    for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], env=env, check=True, cwd=ROOT)


def drop_database(args) -> None:
    import psycopg

    with psycopg.connect(args.server.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


POPULATE = r"""
import json, sys
from decimal import Decimal
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from localpower.accounts.models import ApiToken, PostcodeCheck, User
from localpower.accounts.tokens import generate_token, hash_token
from localpower.budgets.tests.factories import make_process, make_projects
from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES, make_small_borough

voters = int(sys.argv[1])
areas = make_small_borough()
process = make_process(areas["north"], "voting", slug="__SLUG__", title="Bench budget",
                       max_choices=3, ballot_kind="k_approval", min_choices=1)
projects = make_projects(process, [1000 + 500 * i for i in range(10)])
now = timezone.now()
password = make_password(None)
users = User.objects.bulk_create(
    [User(email=f"voter{i}@bench.invalid", display_name=f"Voter {i}", email_verified_at=now,
          home_postcode=SMALL_BOROUGH_POSTCODES["castle"], postcode_verified_at=now,
          postcode_check=PostcodeCheck.ELECTORAL_REGISTER, password=password)
     for i in range(voters + 2)], batch_size=2000)
raws, tokens = [], []
for user in users:
    raw, prefix = generate_token()
    raws.append(raw)
    tokens.append(ApiToken(user=user, name="bench", prefix=prefix, token_hash=hash_token(raw)))
ApiToken.objects.bulk_create(tokens, batch_size=2000)

# The profile of one ballot: the queries it makes (the last two voters are kept for this; the first of them
# warms the process's caches, such as content types, so the second shows a ballot in a running server).
client = Client(HTTP_HOST="127.0.0.1")
for raw in raws[-2:]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/budgets/__SLUG__/ballot",
                               data=json.dumps({"projects": [projects[0].pk, projects[3].pk]}),
                               content_type="application/json",
                               HTTP_AUTHORIZATION="Bearer " + raw, HTTP_IDEMPOTENCY_KEY="profile")
    assert response.status_code == 201, response.content
json.dump({"tokens": raws[:-2], "projects": [p.pk for p in projects],
           "queries": [q["sql"] for q in queries.captured_queries]}, sys.stdout)
""".replace("__SLUG__", SLUG)


def populate(args) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            POPULATE.replace("sys.argv[1]", str(args.voters)),
        ],
        env=server_env(args),
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout[out.stdout.index("{") :])


def summarise_queries(queries: list[str]) -> list[str]:
    """One line per query: its kind and the main table."""
    lines = []
    for sql in queries:
        words = sql.split()
        kind = words[0].upper() if words else "?"
        table = next((w.strip('"') for w in words if w.startswith('"') and "_" in w), "")
        for marker in ("FROM", "INTO", "UPDATE"):
            if marker in words:
                table = words[words.index(marker) + 1].strip('"').split('"')[0]
                break
        lines.append(f"{kind} {table}")
    return lines


def start_gunicorn(args) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        "localpower.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
    ]
    if args.threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(args.threads)]
    server = subprocess.Popen(command, env=server_env(args, options=args.db_options), cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", f"/api/v1/budgets/{SLUG}")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 seconds")


def warm_up(args, requests: int = 200) -> None:
    """Load every worker's code and open its database connection before measuring."""
    for _ in range(requests):
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
        conn.request("GET", f"/api/v1/budgets/{SLUG}")
        conn.getresponse().read()
        conn.close()


def cpu_seconds(match) -> float:
    """CPU time (user + system) used so far by the processes whose command line ``match`` accepts."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if match(command):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def server_cpu(args) -> dict[str, float]:
    return {
        "gunicorn": cpu_seconds(lambda c: "gunicorn" in c and f"127.0.0.1:{args.port}" in c),
        "postgres": cpu_seconds(lambda c: c.startswith("postgres")),
        "client": time.process_time(),
    }


def ballot_request(args, token: str, projects: list[int], rng: random.Random) -> bytes:
    body = json.dumps({"projects": rng.sample(projects, rng.randint(1, 3))}).encode()
    head = (
        f"POST /api/v1/budgets/{SLUG}/ballot HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{args.port}\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Idempotency-Key: {uuid.uuid4()}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def fire_asyncio(args, tokens: list[str], projects: list[int]) -> dict:
    """Send one ballot per token over ``args.concurrency`` keep-alive connections from one asyncio thread.

    The requests are built before the clock starts, and the responses are read with the least parsing that is
    still correct for these answers (status line, Content-Length, Connection: close), so the client takes little
    of the CPU it shares with the server.
    """
    import asyncio

    rng = random.Random(1)
    requests = [ballot_request(args, token, projects, rng) for token in tokens]
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    next_index = iter(range(len(requests)))

    async def read_response(reader) -> tuple[int, bytes, bool]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        return status, await reader.readexactly(length), close

    async def connection(stop_at: float) -> None:
        reader = writer = None
        while time.monotonic() < stop_at:
            index = next(next_index, None)
            if index is None:
                break
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
                writer.write(requests[index])
                status, payload, close = await asyncio.wait_for(read_response(reader), 30)
                elapsed = time.perf_counter() - started
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                errors[type(error).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            latencies.append(elapsed)
            statuses[status] += 1
            if status != 201:
                errors[payload[:200].decode(errors="replace")] += 1
            if close:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    async def main() -> float:
        began = time.perf_counter()
        stop_at = time.monotonic() + args.duration
        await asyncio.gather(*(connection(stop_at) for _ in range(args.concurrency)))
        return time.perf_counter() - began

    load = os.getloadavg()[0]
    wall = asyncio.run(main())
    return {"wall": wall, "latencies": latencies, "statuses": statuses, "errors": errors, "load": load}


def fire(args, tokens: list[str], projects: list[int]) -> dict:
    """Send one ballot per token from ``args.concurrency`` threads; latencies in seconds."""
    if args.client == "asyncio":
        return fire_asyncio(args, tokens, projects)
    lock = threading.Lock()
    next_index = iter(range(len(tokens)))
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    stop_at = time.monotonic() + args.duration

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = None
        while time.monotonic() < stop_at:
            with lock:
                index = next(next_index, None)
            if index is None:
                break
            body = json.dumps({"projects": rng.sample(projects, rng.randint(1, 3))})
            headers = {
                "Authorization": "Bearer " + tokens[index],
                "Idempotency-Key": str(uuid.uuid4()),
                "Content-Type": "application/json",
            }
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
                conn.request("POST", f"/api/v1/budgets/{SLUG}/ballot", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                if conn is not None:
                    conn.close()
                conn = None
                with lock:
                    errors[type(error).__name__] += 1
                continue
            with lock:
                latencies.append(elapsed)
                statuses[response.status] += 1
                if response.status != 201:
                    errors[payload[:200].decode(errors="replace")] += 1
        if conn is not None:
            conn.close()

    load = os.getloadavg()[0]
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return {"wall": wall, "latencies": latencies, "statuses": statuses, "errors": errors, "load": load}


def stored_counts(args) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(database_url(args)) as conn:
        ballots = conn.execute("SELECT count(*) FROM budgets_ballot").fetchone()[0]
        records = conn.execute("SELECT count(*) FROM budgets_voterrecord").fetchone()[0]
    return ballots, records


PGBENCH_SETUP = """
DROP TABLE IF EXISTS pgb_voter, pgb_ballot, pgb_audit;
CREATE TABLE pgb_voter (id bigserial PRIMARY KEY, process_id int NOT NULL, user_id bigint NOT NULL,
    channel varchar(10) NOT NULL, voted_at timestamptz NOT NULL, last_cast_on date NOT NULL,
    ballot_seal varchar(64) NOT NULL, idempotency_digests jsonb NOT NULL, changes int NOT NULL,
    UNIQUE (process_id, user_id));
CREATE UNIQUE INDEX ON pgb_voter (ballot_seal);
CREATE TABLE pgb_ballot (id uuid PRIMARY KEY, process_id int NOT NULL, content jsonb NOT NULL,
    receipt varchar(40) NOT NULL UNIQUE, channel varchar(10) NOT NULL, cast_on date NOT NULL,
    superseded_on date);
CREATE INDEX ON pgb_ballot (process_id, superseded_on, cast_on);
CREATE TABLE pgb_audit (id bigserial PRIMARY KEY, actor_id bigint, actor_label varchar(255), action varchar(100),
    summary text, changes jsonb, object_id varchar(64), created_at timestamptz NOT NULL);
"""

PGBENCH_SCRIPT = """\\set uid random(1, 2000000000)
BEGIN;
INSERT INTO pgb_voter (process_id, user_id, channel, voted_at, last_cast_on, ballot_seal, idempotency_digests, changes)
    VALUES (1, :uid, 'online', now(), current_date, md5(random()::text) || md5(random()::text),
            jsonb_build_array(md5(random()::text)), 0) ON CONFLICT DO NOTHING;
INSERT INTO pgb_ballot (id, process_id, content, receipt, channel, cast_on)
    VALUES (gen_random_uuid(), 1, '{"projects": [3, 7]}', md5(random()::text), 'online', current_date);
INSERT INTO pgb_audit (actor_id, actor_label, action, summary, changes, object_id, created_at)
    VALUES (:uid, 'voter@bench.invalid', 'budgets.ballot.cast', 'Voted.', '{}', '1', now());
END;
"""


def run_pgbench(args) -> float | None:
    """Raw PostgreSQL: transactions (one ballot's rows each) per second, or None without pgbench."""
    import psycopg

    pgbench = shutil.which("pgbench")
    if pgbench is None:
        return None
    with psycopg.connect(database_url(args), autocommit=True) as conn:
        conn.execute(PGBENCH_SETUP)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(PGBENCH_SCRIPT)
    try:
        out = subprocess.run(
            [
                pgbench,
                "-n",
                "-M",
                "prepared",
                "-c",
                str(args.concurrency),
                "-j",
                "2",
                "-T",
                str(args.pgbench_seconds),
                "-f",
                script.name,
                database_url(args),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(script.name)
    for line in out.stdout.splitlines():
        if line.startswith("tps ="):
            return float(line.split()[2])
    print(out.stdout)
    return None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> None:
    args = parse_args()
    print(f"Creating database {args.database} and {args.voters} voters ...", flush=True)
    create_database(args)
    try:
        data = populate(args)
        queries = summarise_queries(data["queries"])
        print(
            f"One ballot makes {len(queries)} database queries (and, on a reused connection, Django's "
            "health check SELECT 1):"
        )
        for line, n in Counter(queries).items():
            print(f"  {n} x {line}")
        print(f"Server DATABASE_URL options: {args.db_options or '(none)'}")
        server = start_gunicorn(args)
        try:
            warm_up(args)
            print(
                f"Sending ballots: {args.concurrency} connections ({args.client} client), "
                f"gunicorn {args.workers} workers"
                f"{f' x {args.threads} threads' if args.threads > 1 else ''}, at most {args.duration:.0f} s ...",
                flush=True,
            )
            before = server_cpu(args)
            run = fire(args, data["tokens"], data["projects"])
            after = server_cpu(args)
        finally:
            server.terminate()
            server.wait(timeout=30)
        accepted = run["statuses"][201]
        ballots, records = stored_counts(args)
        rate = accepted / run["wall"]
        lat = [x * 1000 for x in run["latencies"]]
        print(f"Accepted ballots: {accepted} in {run['wall']:.1f} s; statuses {dict(run['statuses'])}")
        for error, n in run["errors"].most_common(5):
            print(f"  {n} x {error}")
        print(f"Stored: {ballots} ballots, {records} voter records (2 of each from the profile requests)")
        if ballots != accepted + 2 or records != accepted + 2:
            print("MISMATCH: the database does not hold exactly one ballot per accepted vote")
        print(f"Sustained: {rate:.0f} ballots/s")
        print(
            f"Latency: p50 {percentile(lat, 50):.1f} ms, p90 {percentile(lat, 90):.1f} ms, "
            f"p99 {percentile(lat, 99):.1f} ms, max {max(lat) if lat else float('nan'):.1f} ms"
            f" (mean {statistics.fmean(lat) if lat else float('nan'):.1f} ms)"
        )
        if accepted:
            used = {name: (after[name] - before[name]) * 1000 / accepted for name in before}
            print(
                "CPU per ballot: "
                + ", ".join(f"{name} {ms:.1f} ms" for name, ms in used.items())
                + f" (load average before the run: {run['load']:.1f} on {os.cpu_count()} cores)"
            )
            ceiling = (os.cpu_count() or 1) * 1000 / sum(used.values())
            print(
                f"CPU ceiling: {ceiling:.0f} ballots/s if these processes had every core to themselves "
                "(other work on the machine lowers the measured rate, not this figure much)"
            )
        tps = run_pgbench(args)
        if tps:
            print(
                f"pgbench (same rows in one transaction, {args.concurrency} clients, {args.pgbench_seconds} s): "
                f"{tps:.0f} ballots/s; the API reaches {rate / tps:.1%} of raw PostgreSQL inserts"
            )
        else:
            print("pgbench not found: no raw figure")
    finally:
        if not args.keep:
            drop_database(args)


if __name__ == "__main__":
    main()
