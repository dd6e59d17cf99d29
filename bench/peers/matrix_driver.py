"""Matrix (Synapse) driver for the "pairs" workload: send, then recall (redact), receiver notified.

One process holds all 2P clients on one asyncio loop, so one monotonic clock times
everything. Each pair is a private room with exactly its sender and receiver, both joined.
Each receiver long-polls /sync; the sender's cycle is

    t0; PUT /rooms/{room}/send/m.room.message/{txn}; wait until the receiver's /sync
    delivers that event (t1); t2; PUT /rooms/{room}/redact/{event_id}/{txn} with reason
    "bench"; wait until the receiver's /sync delivers the m.room.redaction event (t3).

Users are created with Synapse's shared-secret admin registration API.
"""

import argparse
import asyncio
import hashlib
import hmac
import json
import sys
import time
import urllib.parse

import aiohttp

from stats import Arrivals, Recorder, measure, write_result

WAIT_TIMEOUT_S = 30.0

SYNC_FILTER = json.dumps(
    {
        "presence": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
        "room": {
            "timeline": {"limit": 50, "types": ["m.room.message", "m.room.redaction"]},
            "state": {"lazy_load_members": True, "types": []},
            "ephemeral": {"not_types": ["*"]},
            "account_data": {"not_types": ["*"]},
        },
    },
    separators=(",", ":"),
)


class HttpError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:200]}")
        self.status = status


class Client:
    def __init__(self, base, user_id=None, token=None):
        self.base = base
        self.user_id = user_id
        self.token = token
        # One connection pool per client, so a receiver's long-poll never queues a sender's request.
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=4),
            timeout=aiohttp.ClientTimeout(total=90),
        )
        self.txn = 0

    async def close(self):
        await self.session.close()

    async def req(self, method, path, body=None, params=None):
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        async with self.session.request(
            method, self.base + path, json=body, params=params, headers=headers
        ) as r:
            text = await r.text()
            if r.status != 200:
                raise HttpError(r.status, text)
            return json.loads(text)

    def next_txn(self):
        self.txn += 1
        return f"b{time.monotonic_ns()}-{self.txn}"


async def register(base, secret, username, password):
    c = Client(base)
    try:
        nonce = (await c.req("GET", "/_synapse/admin/v1/register"))["nonce"]
        mac = hmac.new(secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), username.encode(), password.encode(), b"notadmin"]))
        try:
            r = await c.req(
                "POST",
                "/_synapse/admin/v1/register",
                {"nonce": nonce, "username": username, "password": password, "admin": False, "mac": mac.hexdigest()},
            )
        except HttpError as e:
            if e.status != 400:
                raise
            # Already registered (a re-used data dir): log in instead.
            r = await c.req(
                "POST",
                "/_matrix/client/v3/login",
                {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": username}, "password": password},
            )
        c.user_id, c.token = r["user_id"], r["access_token"]
        return c
    except BaseException:
        await c.close()
        raise


class Pair(Arrivals):
    def __init__(self, idx, sender, receiver):
        super().__init__()
        self.idx = idx
        self.sender = sender
        self.receiver = receiver
        self.room_id = None
        self.since = None


async def sync_loop(pair, rec, stop):
    while not stop.is_set():
        try:
            r = await pair.receiver.req(
                "GET", "/_matrix/client/v3/sync", params={"since": pair.since, "timeout": "30000", "filter": SYNC_FILTER}
            )
        except asyncio.CancelledError:
            raise
        except Exception as e:  # counted, then retried
            rec.error(time.monotonic(), f"sync_{type(e).__name__}")
            await asyncio.sleep(0.1)
            continue
        t = time.monotonic()
        pair.since = r["next_batch"]
        room = r.get("rooms", {}).get("join", {}).get(pair.room_id)
        if not room:
            continue
        for ev in room.get("timeline", {}).get("events", []):
            if ev.get("type") == "m.room.message":
                body = ev.get("content", {}).get("body")
                if body is not None:
                    pair.arrived(("msg", body), t)
            elif ev.get("type") == "m.room.redaction":
                target = ev.get("redacts") or ev.get("content", {}).get("redacts")
                if target:
                    pair.arrived(("redact", target), t)


async def step(pair, rec, t0, what, key, request):
    """One half of a cycle: expects `key` at the receiver, awaits `request` (the PUT), then
    the arrival. Returns (answer, arrival time), or None after counting the failure as
    `<what>_timeout`, `<what>_http_<status>` or `<what>_<exception>`."""
    fut = pair.expect(key)
    try:
        answer = await request
        return answer, await asyncio.wait_for(fut, WAIT_TIMEOUT_S)
    except asyncio.TimeoutError:
        pair.forget(key)
        rec.error(t0, f"{what}_timeout")
    except HttpError as e:
        pair.forget(key)
        rec.error(t0, f"{what}_http_{e.status}")
        await asyncio.sleep(0.1)
    except aiohttp.ClientError as e:
        pair.forget(key)
        rec.error(t0, f"{what}_{type(e).__name__}")
        await asyncio.sleep(0.1)
    return None


async def sender_loop(pair, rec, stop):
    s = pair.sender
    room = urllib.parse.quote(pair.room_id)
    seq = 0
    while not stop.is_set():
        seq += 1
        body = f"bench {pair.idx} {seq}"
        t0 = time.monotonic()
        sent = await step(
            pair, rec, t0, "send", ("msg", body),
            s.req("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/{s.next_txn()}", {"msgtype": "m.text", "body": body}),
        )
        if sent is None:
            continue
        answer, t1 = sent
        event_id = answer["event_id"]
        t2 = time.monotonic()
        recalled = await step(
            pair, rec, t0, "recall", ("redact", event_id),
            s.req("PUT", f"/_matrix/client/v3/rooms/{room}/redact/{urllib.parse.quote(event_id)}/{s.next_txn()}", {"reason": "bench"}),
        )
        if recalled is None:
            continue
        rec.cycle(t0, t1, t2, recalled[1])


async def gather_limited(coros, limit):
    sem = asyncio.Semaphore(limit)

    async def one(c):
        async with sem:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8008")
    ap.add_argument("--secret", required=True, help="registration_shared_secret")
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--version", required=True)
    ap.add_argument("--notes", default="")
    ap.add_argument("--server-pid", type=int, default=0, help="to report the server's CPU use")
    a = ap.parse_args()

    t_setup = time.monotonic()
    n = a.pairs
    clients = await gather_limited(
        [register(a.base, a.secret, f"bench{role}{i}", f"pw-{role}-{i}") for i in range(n) for role in ("s", "r")], 8
    )
    pairs = [Pair(i, clients[2 * i], clients[2 * i + 1]) for i in range(n)]

    async def make_room(p):
        r = await p.sender.req(
            "POST",
            "/_matrix/client/v3/createRoom",
            {"preset": "private_chat", "is_direct": True, "invite": [p.receiver.user_id], "name": f"bench pair {p.idx}"},
        )
        p.room_id = r["room_id"]
        await p.receiver.req("POST", f"/_matrix/client/v3/join/{urllib.parse.quote(p.room_id)}", {})
        r = await p.receiver.req("GET", "/_matrix/client/v3/sync", params={"filter": SYNC_FILTER, "timeout": "0"})
        p.since = r["next_batch"]

    await gather_limited([make_room(p) for p in pairs], 4)
    print(f"matrix: {2 * n} users, {n} rooms ready in {time.monotonic() - t_setup:.1f} s", file=sys.stderr)

    rec = Recorder(a.warmup, a.seconds)
    stop = asyncio.Event()
    syncs = [asyncio.create_task(sync_loop(p, rec, stop)) for p in pairs]
    await asyncio.sleep(0.5)  # let every receiver's long-poll be in place
    rec.begin()
    senders = [asyncio.create_task(sender_loop(p, rec, stop)) for p in pairs]
    cpu_note = await measure(rec, stop, senders + syncs, a.server_pid)
    for c in clients:
        await c.close()
    write_result(a.out, "synapse", a.version, n, rec, a.notes + cpu_note)


if __name__ == "__main__":
    asyncio.run(main())
