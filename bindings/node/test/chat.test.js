'use strict';
// The JavaScript layer beyond the seeds: messages between two chats, group admin recall
// with a reason, history after recall and its paging, error codes, listener removal,
// many calls at once, conversations and profiles.
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const { EVENT, TYPES } = h.TencentCloudChat;

test.after(h.closeAll);

test('a message from one chat reaches the other with the web SDK fields', async () => {
  const alice = await h.loggedIn('alice');
  const bob = await h.loggedIn('bob');
  const got = h.next(bob.chat, EVENT.MESSAGE_RECEIVED);
  const sent = await h.send(alice.chat, bob.userID, 'hi bob');
  assert.equal(sent.status, 'success');
  assert.equal(sent.flow, 'out');
  assert.ok(sent.sequence > 0 && sent.time > 0);
  const [m] = await got;
  assert.equal(m.ID, sent.ID);
  assert.equal(m.type, TYPES.MSG_TEXT);
  assert.deepEqual(m.payload, { text: 'hi bob' });
  assert.equal(m.from, alice.userID);
  assert.equal(m.to, bob.userID);
  assert.equal(m.flow, 'in');
  assert.equal(m.conversationType, TYPES.CONV_C2C);
  assert.equal(m.conversationID, 'C2C' + alice.userID);
  assert.equal(m.isRevoked, false);

  const custom = alice.chat.createCustomMessage({
    to: bob.userID,
    conversationType: TYPES.CONV_C2C,
    payload: { data: 'dice:6', description: 'a dice', extension: 'x' },
    cloudCustomData: '{"k":1}',
  });
  const got2 = h.next(bob.chat, EVENT.MESSAGE_RECEIVED);
  await alice.chat.sendMessage(custom);
  const [c] = await got2;
  assert.equal(c.type, TYPES.MSG_CUSTOM);
  assert.deepEqual(c.payload, { data: 'dice:6', description: 'a dice', extension: 'x' });
  assert.equal(c.cloudCustomData, '{"k":1}');
});

test('a group admin recalls a member\'s message with a reason; every member sees it', async () => {
  const owner = await h.loggedIn('owner');
  const admin = await h.loggedIn('admin');
  const member = await h.loggedIn('member');
  const { data } = await owner.chat.createGroup({ type: TYPES.GRP_PUBLIC, name: 'team' });
  const groupID = data.group.groupID;
  assert.ok(groupID);
  await admin.chat.joinGroup({ groupID, applyMessage: 'hi' });
  await member.chat.joinGroup({ groupID });
  await owner.chat.setGroupMemberRole({ groupID, userID: admin.userID, role: TYPES.GRP_MBR_ROLE_ADMIN });

  const isText = (list) => list[0].type === TYPES.MSG_TEXT;
  const atOwner = h.next(owner.chat, EVENT.MESSAGE_RECEIVED, isText);
  const atAdmin = h.next(admin.chat, EVENT.MESSAGE_RECEIVED, isText);
  const sent = await h.send(member.chat, groupID, 'spam', TYPES.CONV_GROUP);
  const [ownersCopy] = await atOwner;
  const [adminsCopy] = await atAdmin;
  assert.equal(adminsCopy.conversationID, 'GROUP' + groupID);
  assert.equal(adminsCopy.to, groupID);

  const toOwner = h.next(owner.chat, EVENT.MESSAGE_REVOKED);
  const toMember = h.next(member.chat, EVENT.MESSAGE_REVOKED);
  const r = await admin.chat.revokeMessage(adminsCopy, { reason: 'spam is not allowed' });
  assert.equal(r.code, 0);
  for (const [m] of [await toOwner, await toMember]) {
    assert.equal(m.ID, sent.ID);
    assert.equal(m.isRevoked, true);
    assert.equal(m.revoker, admin.userID);
    assert.equal(m.revokerInfo.userID, admin.userID);
    assert.equal(m.revokeReason, 'spam is not allowed');
  }
  // The objects the apps held turned recalled too.
  assert.equal(ownersCopy.isRevoked, true);
  assert.equal(sent.isRevoked, true);
  assert.equal(sent.revokeReason, 'spam is not allowed');

  // A plain member may not recall another's message.
  const again = await h.send(owner.chat, groupID, 'from the owner', TYPES.CONV_GROUP);
  const err = await member.chat.revokeMessage(again).catch((e) => e);
  assert.equal(typeof err.code, 'number');
  assert.notEqual(err.code, 0);
  assert.match(err.message, /\w/);
});

test('history after a recall: oldest first, paged with nextReqMessageID', async () => {
  const alice = await h.loggedIn('alice');
  const bob = await h.loggedIn('bob');
  const sent = [];
  for (const body of ['one', 'two', 'three']) sent.push(await h.send(alice.chat, bob.userID, body));
  await alice.chat.revokeMessage(sent[1], { reason: 'typo' });

  const all = (await bob.chat.getMessageList({ conversationID: 'C2C' + alice.userID, count: 15 })).data;
  assert.deepEqual(all.messageList.map((m) => m.ID), sent.map((m) => m.ID));
  assert.deepEqual(all.messageList.map((m) => m.isRevoked), [false, true, false]);
  assert.equal(all.messageList[1].revoker, alice.userID);
  assert.equal(all.messageList[1].revokeReason, 'typo');
  assert.deepEqual(all.messageList[0].payload, { text: 'one' });
  assert.equal(all.isCompleted, true);

  const first = (await bob.chat.getMessageList({ conversationID: 'C2C' + alice.userID, count: 2 })).data;
  assert.deepEqual(first.messageList.map((m) => m.ID), [sent[1].ID, sent[2].ID]);
  assert.equal(first.isCompleted, false);
  const rest = (await bob.chat.getMessageList({
    conversationID: 'C2C' + alice.userID,
    count: 2,
    nextReqMessageID: first.nextReqMessageID,
  })).data;
  assert.deepEqual(rest.messageList.map((m) => m.ID), [sent[0].ID]);
  assert.equal(rest.isCompleted, true);
});

test('errors reject with V2TIM codes and English messages', async () => {
  const alice = await h.loggedIn('alice');
  const bob = await h.loggedIn('bob');
  const reject = (p) => p.then(() => assert.fail('resolved'), (e) => e);

  let e = await reject(alice.chat.getMessageList({ conversationID: 'nope', count: 15 }));
  assert.equal(e.code, 6017);
  assert.match(e.message, /conversationID/);
  assert.ok(e instanceof h.TencentCloudChat.TIMError && e instanceof Error);

  const m = await h.send(alice.chat, bob.userID, 'once');
  e = await reject(alice.chat.sendMessage(m));
  assert.equal(e.code, 6017);

  // bob cannot recall alice's one-to-one message.
  const [theirs] = (await bob.chat.getMessageList({ conversationID: 'C2C' + alice.userID, count: 1 })).data.messageList;
  e = await reject(bob.chat.revokeMessage(theirs));
  assert.ok(e.code > 0 && e.code !== 6017, `code ${e.code}`);
  await alice.chat.revokeMessage(m);
  e = await reject(alice.chat.revokeMessage(m));
  assert.ok(e.code > 0, `recalled twice: ${e.code}`);

  const stranger = h.create();
  e = await reject(stranger.login({ userID: 'mallory', userSig: 'forged' }));
  assert.ok(e.code > 0, `forged sig: ${e.code}`);
  e = await reject(stranger.getMessageList({ conversationID: 'C2Calice', count: 1 }));
  assert.equal(e.code, 6014);
  assert.throws(() => stranger.createTextMessage({ to: '', conversationType: TYPES.CONV_C2C, payload: { text: 'x' } }), { code: 6017 });
  await stranger.destroy();
  e = await reject(stranger.login({ userID: 'x', userSig: 'y' }));
  assert.equal(e.code, 6013);
  e = await reject(alice.chat.setGroupMemberRole({ groupID: 'g', userID: 'u', role: 'King' }));
  assert.equal(e.code, 6017);
});

test('a handler removed with off is never called again', async () => {
  const alice = await h.loggedIn('alice');
  const bob = await h.loggedIn('bob');
  let removedCalls = 0;
  const removed = () => { removedCalls += 1; };
  bob.chat.on(EVENT.MESSAGE_RECEIVED, removed);
  const first = h.next(bob.chat, EVENT.MESSAGE_RECEIVED);
  await h.send(alice.chat, bob.userID, 'one');
  await first;
  assert.equal(removedCalls, 1);
  bob.chat.off(EVENT.MESSAGE_RECEIVED, removed);
  const second = h.next(bob.chat, EVENT.MESSAGE_RECEIVED);
  await h.send(alice.chat, bob.userID, 'two');
  await second;
  assert.equal(removedCalls, 1);

  // A handler that throws does not stop the others.
  const thrower = () => { throw new Error('app bug'); };
  bob.chat.on(EVENT.MESSAGE_RECEIVED, thrower);
  const third = h.next(bob.chat, EVENT.MESSAGE_RECEIVED);
  const origError = console.error;
  console.error = () => {};
  try {
    await h.send(alice.chat, bob.userID, 'three');
    await third;
  } finally {
    console.error = origError;
    bob.chat.off(EVENT.MESSAGE_RECEIVED, thrower);
  }
});

test('many calls at once: 200 sends and 50 profile reads in flight', async () => {
  const alice = await h.loggedIn('alice');
  const bob = await h.loggedIn('bob');
  const ids = new Set();
  const all = new Promise((resolve) => {
    bob.chat.on(EVENT.MESSAGE_RECEIVED, (e) => {
      for (const m of e.data) ids.add(m.ID);
      if (ids.size === 200) resolve();
    });
  });
  const sends = [];
  for (let i = 0; i < 200; i += 1) sends.push(alice.chat.sendMessage(h.text(alice.chat, bob.userID, `n${i}`)));
  const reads = [];
  for (let i = 0; i < 50; i += 1) reads.push(bob.chat.getUserProfile({ userIDList: [alice.userID] }));
  const sent = await Promise.all(sends);
  const profiles = await Promise.all(reads);
  await all;
  assert.equal(new Set(sent.map((r) => r.data.message.ID)).size, 200);
  assert.ok(sent.every((r) => [...ids].includes(r.data.message.ID)));
  assert.ok(profiles.every((r) => r.data[0].userID === alice.userID));
  const seqs = sent.map((r) => r.data.message.sequence);
  assert.equal(new Set(seqs).size, 200);
});

test('conversations and profiles', async () => {
  const alice = await h.loggedIn('alice');
  const bob = await h.loggedIn('bob');
  const profileEvent = h.next(alice.chat, EVENT.PROFILE_UPDATED);
  const mine = await alice.chat.updateMyProfile({
    nick: 'Alice',
    gender: TYPES.GENDER_FEMALE,
    profileCustomField: [{ key: 'Tag_Profile_Custom_Hobby', value: 'chess' }],
  });
  assert.equal(mine.data.nick, 'Alice');
  assert.equal((await profileEvent)[0].nick, 'Alice');
  const seen = (await bob.chat.getUserProfile({ userIDList: [alice.userID] })).data[0];
  assert.equal(seen.nick, 'Alice');
  assert.equal(seen.gender, TYPES.GENDER_FEMALE);
  assert.deepEqual(seen.profileCustomField, [{ key: 'Tag_Profile_Custom_Hobby', value: 'chess' }]);

  await bob.chat.getConversationList();
  const updated = h.next(bob.chat, EVENT.CONVERSATION_LIST_UPDATED, (list) =>
    list.some((c) => c.conversationID === 'C2C' + alice.userID && c.unreadCount === 1));
  const unread = h.next(bob.chat, EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED, (n) => n === 1);
  const m = await h.send(alice.chat, bob.userID, 'are you there');
  const list = await updated;
  await unread;
  const conv = list.find((c) => c.conversationID === 'C2C' + alice.userID);
  assert.equal(conv.type, TYPES.CONV_C2C);
  assert.equal(conv.lastMessage.payload.text, 'are you there');
  assert.equal(conv.userProfile.nick, 'Alice');
  assert.equal(bob.chat.getTotalUnreadMessageCount(), 1);

  const recalled = h.next(bob.chat, EVENT.CONVERSATION_LIST_UPDATED, (l) =>
    l.some((c) => c.conversationID === 'C2C' + alice.userID && c.lastMessage.isRevoked));
  await alice.chat.revokeMessage(m);
  await recalled;
  await bob.chat.setMessageRead({ conversationID: 'C2C' + alice.userID });
  const again = (await bob.chat.getConversationList()).data.conversationList;
  const after = again.find((c) => c.conversationID === 'C2C' + alice.userID);
  assert.equal(after.unreadCount, 0);
  assert.equal(after.lastMessage.isRevoked, true);
});
