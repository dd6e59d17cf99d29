'use strict';
// Unloading: destroy() leaves nothing that keeps Node running, and process.exit() with work
// in flight ends the process cleanly (no crash from the SDK's threads).
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const script = path.join(__dirname, 'fixtures', 'lifecycle.js');
const timeout = 1000 * Number(process.env.V2TIM_TEST_TIMEOUT_S || 20);

test('after destroy() the process ends by itself', () => {
  const r = spawnSync(process.execPath, [script, 'destroy'], { encoding: 'utf8', timeout });
  assert.equal(r.error, undefined, 'the process did not end by itself');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /destroyed: pending (resolved|rejected \d+), after destroy 6013, events 0/);
});

test('process.exit() with calls in flight ends cleanly', () => {
  const r = spawnSync(process.execPath, [script, 'exit'], { encoding: 'utf8', timeout });
  assert.equal(r.error, undefined);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
});

test('a panic in the native code never reaches Node: an exception, and the SDK goes on', async (t) => {
  // Debug builds only export debugPanic (tests/node.rs runs the debug library).
  const mod = { exports: {} };
  process.dlopen(mod, require('node:path').resolve(process.env.V2TIM_NODE_ADDON || ''));
  const native = mod.exports;
  if (!native.debugPanic) return t.skip('a release build: no debugPanic');
  assert.throws(() => native.debugPanic(0), /panic/);
  assert.equal(JSON.parse(await native.debugPanic(1)).code, 0);
  const h = require('./helpers');
  const alice = await h.loggedIn('alice');
  const bob = await h.loggedIn('bob');
  const got = h.next(bob.chat, h.TencentCloudChat.EVENT.MESSAGE_RECEIVED);
  await h.send(alice.chat, bob.userID, 'still here');
  assert.equal((await got)[0].payload.text, 'still here');
  await h.closeAll();
});
