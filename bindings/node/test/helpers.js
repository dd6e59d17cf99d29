'use strict';
// What the tests share. The environment (set by tests/node.rs) picks the server:
//   V2TIM_URL   a separately started v2tim-server (ws://...); unset = the embedded server
//   V2TIM_APP   its SDKAppID, V2TIM_KEY its secret key (UserSigs are real and checked)
//   V2TIM_NODE_ADDON  the native library to load (index.js)
const TencentCloudChat = require('..');

const APP = Number(process.env.V2TIM_APP || 1400000002);
const KEY = process.env.V2TIM_KEY || 'node-test-key';
const URL = process.env.V2TIM_URL || '';
const TIMEOUT_MS = 1000 * Number(process.env.V2TIM_TEST_TIMEOUT_S || 20);

let serial = 0;
/** A user id no other test (or earlier run against the same server) uses. */
function uid(name) {
  serial += 1;
  return `${name}_${process.pid}_${Date.now().toString(36)}_${serial}`;
}

function create() {
  return TencentCloudChat.create({ SDKAppID: APP, serverURL: URL, secretKey: KEY });
}

function sig(userID) {
  return TencentCloudChat.genTestUserSig({ SDKAppID: APP, secretKey: KEY, userID });
}

const open = [];
/** A chat logged in as a new user `name_...`; destroyed by `closeAll`. */
async function loggedIn(name) {
  const chat = create();
  const userID = uid(name);
  await chat.login({ userID, userSig: sig(userID) });
  open.push(chat);
  return { chat, userID };
}

async function closeAll() {
  await Promise.all(open.splice(0).map((c) => c.destroy()));
}

/** The `data` of the next `event` on `chat` that `pred` accepts; rejects after the timeout. */
function next(chat, event, pred = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      chat.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, TIMEOUT_MS);
    function handler(e) {
      if (!pred(e.data)) return;
      clearTimeout(timer);
      chat.off(event, handler);
      resolve(e.data);
    }
    chat.on(event, handler);
  });
}

function text(chat, to, body, conversationType = TencentCloudChat.TYPES.CONV_C2C) {
  return chat.createTextMessage({ to, conversationType, payload: { text: body } });
}

/** Sends `body` and resolves with the sent Message. */
async function send(chat, to, body, conversationType) {
  return (await chat.sendMessage(text(chat, to, body, conversationType))).data.message;
}

module.exports = { TencentCloudChat, APP, KEY, URL, uid, create, sig, loggedIn, closeAll, next, text, send };
