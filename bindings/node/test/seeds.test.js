'use strict';
// The seeds' three JavaScript samples (Tencent's web SDK recall pages,
// ../shared/seeds/000_*.txt with `tim`/`TIM`, 001_*.txt with `chat`/`TencentCloudChat`),
// nearly verbatim: only the instances' creation, login and a message to recall are added,
// and the comments where the samples leave work to the app now record what happened.
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

test.after(h.closeAll);

test('seed 001: revokeMessage, MESSAGE_REVOKED and getMessageList on TencentCloudChat', async () => {
  const { TencentCloudChat } = h;
  const { chat } = await h.loggedIn('alice');
  const peer = await h.loggedIn('bob');
  const received = h.next(peer.chat, TencentCloudChat.EVENT.MESSAGE_RECEIVED);
  const message = await h.send(chat, peer.userID, 'hello bob');
  await received;

  const heard = [];
  const revoked = new Promise((resolve) => {
    // Received a message recall notification
    peer.chat.on(TencentCloudChat.EVENT.MESSAGE_REVOKED, function(event) {
      // event.name - TencentCloudChat.EVENT.MESSAGE_REVOKED
      // event.data - An array that stores Message objects - [Message]
      // The `isRevoked` attribute value of each Message object is `true`.
      heard.push(event);
      resolve();
    });
  });

  let outcome;
  // Recall a message
  let promise = chat.revokeMessage(message);
  promise.then(function(imResponse) {
    // Message recalled successfully
    outcome = imResponse;
  }).catch(function(imError) {
    // Failed to recall the message
    console.warn('revokeMessage error:', imError);
    outcome = imError;
  });
  await promise;
  await revoked;
  assert.equal(outcome.code, 0);
  assert.equal(message.isRevoked, true);
  assert.equal(heard[0].name, TencentCloudChat.EVENT.MESSAGE_REVOKED);
  assert.equal(heard[0].data.length, 1);
  assert.equal(heard[0].data[0].ID, message.ID);
  assert.equal(heard[0].data[0].isRevoked, true);
  assert.equal(heard[0].data[0].revoker, message.from);

  const seen = { revoked: 0, ordinary: 0 };
  // Encountered the recalled message while getting the list of messages in the conversation
  promise = peer.chat.getMessageList({conversationID: 'C2C' + message.from, count: 15});
  promise.then(function(imResponse) {
    const messageList = imResponse.data.messageList; // Message list
    messageList.forEach(function(message) {
      if (message.isRevoked) {
        // Process the recalled message
        seen.revoked += 1;
      } else {
        // Process ordinary messages
        seen.ordinary += 1;
      }
    });
  });
  await promise;
  assert.deepEqual(seen, { revoked: 1, ordinary: 0 });
});

test('seed 000: the same samples on the old name, tim and TIM, with C2Ctest', async () => {
  const TIM = require('..').TIM;
  assert.equal(TIM, h.TencentCloudChat);
  // The sample's conversation is 'C2Ctest': the peer is the user "test".
  let tim = TIM.create({ SDKAppID: h.APP, serverURL: h.URL, secretKey: h.KEY });
  const me = h.uid('tim');
  await tim.login({ userID: me, userSig: h.sig(me) });
  const other = TIM.create({ SDKAppID: h.APP, serverURL: h.URL, secretKey: h.KEY });
  await other.login({ userID: 'test', userSig: h.sig('test') });
  try {
    const message = await h.send(tim, 'test', 'hello test');
    const events = [];
    const heard = new Promise((resolve) => {
      // Received a message recall notification
      other.on(TIM.EVENT.MESSAGE_REVOKED, function(event) {
        // event.name - TIM.EVENT.MESSAGE_REVOKED
        // event.data - An array that stores Message objects - [Message] - The `isRevoked` attribute value of each Message object is `true`.
        if (event.data[0].ID === message.ID) {
          events.push(event);
          resolve();
        }
      });
    });

    // Recall a message
    let promise = tim.revokeMessage(message);
    promise.then(function(imResponse) {
      // Message recalled successfully
    }).catch(function(imError) {
      // Failed to recall the message
      console.warn('revokeMessage error:', imError);
    });
    await promise;
    await heard;
    assert.equal(events[0].data[0].isRevoked, true);

    const flags = [];
    // Encountered the recalled message while getting the list of messages in the conversation
    promise = tim.getMessageList({conversationID: 'C2Ctest', count: 15});
    promise.then(function(imResponse) {
      const messageList = imResponse.data.messageList; // Message list
      messageList.forEach(function(message) {
        if (message.isRevoked) {
          // Process the recalled message
          flags.push('revoked');
        } else {
          // Process ordinary messages
          flags.push('ordinary');
        }
      });
    });
    await promise;
    assert.deepEqual(flags, ['revoked']);
  } finally {
    await tim.destroy();
    await other.destroy();
  }
});
