"""XMPP (Prosody) driver for the "pairs" workload: send, then retract (XEP-0424), receiver notified.

One process holds all 2P slixmpp clients on one asyncio loop, so one monotonic clock
times everything. Each pair is a direct one-to-one chat between two JIDs on the same
Prosody host. The sender's cycle is

    t0; send <message type="chat" id=X> with a body and <origin-id id=X/> (XEP-0359);
    wait until the receiver's stream delivers it (t1); t2; send a XEP-0424 retraction
    <retract id=X xmlns="urn:xmpp:message-retract:1"/> with a fallback body
    (XEP-0428) and a store hint (XEP-0334), via slixmpp's xep_0424 plugin; wait until
    the receiver's stream delivers the retraction (t3).

Prosody only routes the retraction: it neither erases nor rewrites the original message
(no MAM archive is enabled here), acting on it is up to the receiving client.
"""

import argparse
import asyncio
import logging
import sys
import time
import uuid

import slixmpp
from slixmpp import ClientXMPP

from stats import Arrivals, Recorder, measure, write_result

WAIT_TIMEOUT_S = 30.0
NS_RETRACT = "{urn:xmpp:message-retract:1}retract"
NS_ORIGIN = "{urn:xmpp:sid:0}origin-id"
SHOWN = []


class Pair(Arrivals):
    def __init__(self, idx, sender, receiver):
        super().__init__()
        self.idx = idx
        self.sender = sender
        self.receiver = receiver


def make_client(jid, password):
    c = ClientXMPP(jid, password)
    # Loopback only, the benchmark server offers no TLS: plain TCP, SCRAM-SHA-1 over it.
    c.enable_direct_tls = False
    c.enable_starttls = False
    c.enable_plaintext = True
    c.plugin["feature_mechanisms"].unencrypted_scram = True
    c.register_plugin("xep_0030")
    c.register_plugin("xep_0092")
    c.register_plugin("xep_0359")
    c.register_plugin("xep_0424")
    c.ready = asyncio.Event()
    c.failed = None

    async def on_start(_):
        c.send_presence()
        c.ready.set()

    def on_fail(ev):
        c.failed = f"auth failed: {ev}"
        c.ready.set()

    c.add_event_handler("session_start", on_start)
    c.add_event_handler("failed_auth", on_fail)
    return c


def attach_receiver(pair):
    def on_message(msg):
        t = time.monotonic()
        x = msg.xml
        r = x.find(NS_RETRACT)
        if r is not None:
            if pair.idx == 0 and not SHOWN:
                SHOWN.append(1)
                print(f"xmpp: first retraction as received: {msg}", file=sys.stderr)
            pair.arrived(("retract", r.get("id")), t)
            return
        o = x.find(NS_ORIGIN)
        mid = o.get("id") if o is not None else msg["id"]
        pair.arrived(("msg", mid), t)

    pair.receiver.add_event_handler("message", on_message)


async def sender_loop(pair, rec, stop):
    s = pair.sender
    to = pair.receiver.boundjid.bare
    seq = 0
    while not stop.is_set():
        seq += 1
        mid = f"b{pair.idx}-{seq}-{uuid.uuid4().hex[:8]}"
        t0 = time.monotonic()
        key = ("msg", mid)
        fut = pair.expect(key)
        m = s.make_message(mto=to, mbody=f"bench {pair.idx} {seq}", mtype="chat")
        m["id"] = mid
        m["origin_id"]["id"] = mid
        m.send()
        try:
            t1 = await asyncio.wait_for(fut, WAIT_TIMEOUT_S)
        except asyncio.TimeoutError:
            pair.forget(key)
            rec.error(t0, "send_timeout")
            continue
        t2 = time.monotonic()
        key = ("retract", mid)
        fut = pair.expect(key)
        # What slixmpp's xep_0424 send_retraction() sends, plus the fallback's for= attribute (XEP-0424 1.x).
        r = s.make_message(mto=to, mbody="bench: this message was retracted", mtype="chat")
        r["fallback"]["for"] = "urn:xmpp:message-retract:1"
        r["retract"]["id"] = mid
        r.enable("store")
        r.send()
        try:
            t3 = await asyncio.wait_for(fut, WAIT_TIMEOUT_S)
        except asyncio.TimeoutError:
            pair.forget(key)
            rec.error(t0, "recall_timeout")
            continue
        rec.cycle(t0, t1, t2, t3)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--domain", default="localhost")
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--notes", default="")
    ap.add_argument("--server-pid", type=int, default=0, help="to report the server's CPU use")
    a = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)

    t_setup = time.monotonic()
    n = a.pairs
    clients = []
    for i in range(n):
        for role in ("s", "r"):
            clients.append(make_client(f"bench{role}{i}@{a.domain}/bench", f"pw-{role}-{i}"))
    # Connect in small batches so that 2P logins do not time each other out.
    for k in range(0, len(clients), 10):
        batch = clients[k : k + 10]
        for c in batch:
            c.connect(host=a.host, port=a.port)
        await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in batch)), 60)
    bad = [c.failed for c in clients if c.failed]
    if bad:
        sys.exit(f"xmpp: {len(bad)} logins failed: {bad[0]}")
    pairs = [Pair(i, clients[2 * i], clients[2 * i + 1]) for i in range(n)]
    for p in pairs:
        attach_receiver(p)

    v = await clients[0].plugin["xep_0092"].get_version(a.domain)
    sv = v["software_version"]
    version = f"{sv['name']} {sv['version']}".strip()
    print(f"xmpp: {2 * n} clients online in {time.monotonic() - t_setup:.1f} s, server {version}", file=sys.stderr)
    await asyncio.sleep(0.5)

    rec = Recorder(a.warmup, a.seconds)
    stop = asyncio.Event()
    rec.begin()
    senders = [asyncio.create_task(sender_loop(p, rec, stop)) for p in pairs]
    cpu_note = await measure(rec, stop, senders, a.server_pid)
    for c in clients:
        c.disconnect()
    await asyncio.sleep(0.5)
    notes = a.notes + f" Driver: slixmpp {slixmpp.__version__}." + cpu_note
    write_result(a.out, "prosody", version, n, rec, notes)


if __name__ == "__main__":
    asyncio.run(main())
