#!/usr/bin/env node
'use strict';
// Recall latency through the JavaScript layer: chat.revokeMessage() on one Node client ->
// the other Node client's MESSAGE_REVOKED handler, both on Node's event loop, through a
// v2tim-server process on 127.0.0.1. The workload of `v2tim-bench latency --clients 2`
// (docs/PERFORMANCE.md section 1, the C ABI): cycles start at a steady rate whatever the
// answers do; a cycle sends, and once the receiver got it and the sender's send resolved,
// recalls; its latency runs from the revokeMessage() call to the receiver's handler.
//
//   node bench/recall_latency.js [--server target/release/v2tim-server] [--rate 50]
//                                [--seconds 20] [--warmup 3]
// Loads the addon like any app (prebuilds/, or V2TIM_NODE_ADDON). Prints one JSON line.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const TencentCloudChat = require('..');

const APP = 1400000001;
const KEY = 'bench-secret-key';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function startServer(binary) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'v2tim-node-bench-'));
  const child = spawn(binary, ['--listen', '127.0.0.1:0', '--data-dir', dir, '--app', `${APP}:${KEY}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      const m = /^listening on (\S+)/.exec(line);
      if (!m) reject(new Error(`unexpected server output: ${line}`));
      else resolve({ url: `ws://${m[1]}`, stop: () => { child.kill('SIGTERM'); fs.rmSync(dir, { recursive: true, force: true }); } });
    });
  });
}

async function login(url, userID) {
  const chat = TencentCloudChat.create({ SDKAppID: APP, serverURL: url });
  await chat.login({ userID, userSig: TencentCloudChat.genTestUserSig({ SDKAppID: APP, secretKey: KEY, userID }) });
  return chat;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main() {
  const rate = Number(option('rate', 50));
  const seconds = Number(option('seconds', 20));
  const warmup = Number(option('warmup', 3));
  const server = await startServer(option('server', path.resolve(__dirname, '../../../target/release/v2tim-server')));
  const tag = Date.now().toString(36);
  const receiverID = `node_receiver_${tag}`;
  const sender = await login(server.url, `node_sender_${tag}`);
  const receiver = await login(server.url, receiverID);
  const arrived = new Map(); // ID -> resolve, for the receiver's copy
  const recallStarted = new Map(); // ID -> [t0, measured]
  const latencies = [];
  let errors = 0;
  receiver.on(TencentCloudChat.EVENT.MESSAGE_RECEIVED, (e) => {
    for (const m of e.data) {
      const done = arrived.get(m.ID);
      if (done) done();
      else arrived.set(m.ID, null);
    }
  });
  receiver.on(TencentCloudChat.EVENT.MESSAGE_REVOKED, (e) => {
    const t1 = performance.now();
    for (const m of e.data) {
      const started = recallStarted.get(m.ID);
      if (!started) continue;
      recallStarted.delete(m.ID);
      if (started[1]) latencies.push(t1 - started[0]);
    }
  });
  const received = (id) => new Promise((resolve) => {
    if (arrived.has(id)) { arrived.delete(id); resolve(); } else arrived.set(id, () => { arrived.delete(id); resolve(); });
  });

  async function cycle(measured) {
    try {
      const m = sender.createTextMessage({ to: receiverID, conversationType: TencentCloudChat.TYPES.CONV_C2C, payload: { text: 'bench' } });
      await sender.sendMessage(m);
      await received(m.ID);
      recallStarted.set(m.ID, [performance.now(), measured]);
      await sender.revokeMessage(m);
    } catch (e) {
      errors += 1;
    }
  }

  const start = performance.now();
  const from = start + warmup * 1000;
  const to = from + seconds * 1000;
  const cycles = [];
  await new Promise((resolve) => {
    let k = 0;
    const tick = () => {
      const now = performance.now();
      while (start + (k * 1000) / rate <= now) {
        const due = start + (k * 1000) / rate;
        if (due >= to) return resolve();
        cycles.push(cycle(due >= from));
        k += 1;
      }
      setTimeout(tick, Math.max(0, start + (k * 1000) / rate - performance.now()));
    };
    tick();
  });
  await Promise.all(cycles);
  await new Promise((r) => setTimeout(r, 500));
  const sorted = latencies.sort((a, b) => a - b);
  const result = {
    bench: 'node recall latency', rate, seconds, cycles: sorted.length, errors,
    unfinished: recallStarted.size,
    recall_ms: { p50: +percentile(sorted, 50).toFixed(3), p99: +percentile(sorted, 99).toFixed(3), p999: +percentile(sorted, 99.9).toFixed(3) },
    node: process.version,
  };
  console.log(JSON.stringify(result));
  await sender.destroy();
  await receiver.destroy();
  server.stop();
}

main().catch((e) => { console.error(e); process.exit(1); });
