'use strict';
// v2tim for Node.js and Electron: Tencent Cloud Chat's web SDK API (`@tencentcloud/chat`,
// formerly `tim-js-sdk`) over libv2tim, the same native library as the C ABI. The native
// part (src/node in the repository) answers JSON; this file gives it the web SDK's shapes.

const fs = require('fs');
const path = require('path');

const native = loadNative();

function loadNative() {
  const tried = [];
  const candidates = process.env.V2TIM_NODE_ADDON
    ? [process.env.V2TIM_NODE_ADDON]
    : [
        path.join(__dirname, 'prebuilds', `${process.platform}-${process.arch}`, 'v2tim.node'),
        path.join(__dirname, 'v2tim.node'),
      ];
  for (const file of candidates) {
    if (!fs.existsSync(file)) {
      tried.push(file);
      continue;
    }
    // process.dlopen takes any file name (libv2tim.so as cargo builds it, too).
    const mod = { exports: {} };
    process.dlopen(mod, path.resolve(file));
    return mod.exports;
  }
  throw new Error(
    `v2tim: no native library for ${process.platform}-${process.arch} (looked for ` +
      `${tried.join(', ')}). Build it with \`node scripts/prebuild.js\` in the package, ` +
      'or set V2TIM_NODE_ADDON to a libv2tim built with the cargo feature `node`.'
  );
}

const EVENT = Object.freeze({
  SDK_READY: 'sdkStateReady',
  SDK_NOT_READY: 'sdkStateNotReady',
  SDK_DESTROY: 'sdkDestroy',
  MESSAGE_RECEIVED: 'onMessageReceived',
  MESSAGE_REVOKED: 'onMessageRevoked',
  CONVERSATION_LIST_UPDATED: 'onConversationListUpdated',
  TOTAL_UNREAD_MESSAGE_COUNT_UPDATED: 'onTotalUnreadMessageCountUpdated',
  PROFILE_UPDATED: 'onProfileUpdated',
  KICKED_OUT: 'kickedOut',
  ERROR: 'error',
  NET_STATE_CHANGE: 'netStateChange',
});

const TYPES = Object.freeze({
  MSG_TEXT: 'TIMTextElem',
  MSG_CUSTOM: 'TIMCustomElem',
  MSG_GRP_TIP: 'TIMGroupTipElem',
  MSG_PRIORITY_HIGH: 'High',
  MSG_PRIORITY_NORMAL: 'Normal',
  MSG_PRIORITY_LOW: 'Low',
  MSG_PRIORITY_LOWEST: 'Lowest',
  CONV_C2C: 'C2C',
  CONV_GROUP: 'GROUP',
  GRP_WORK: 'Private',
  GRP_PRIVATE: 'Private',
  GRP_PUBLIC: 'Public',
  GRP_MEETING: 'ChatRoom',
  GRP_CHATROOM: 'ChatRoom',
  GRP_AVCHATROOM: 'AVChatRoom',
  GRP_COMMUNITY: 'Community',
  GRP_MBR_ROLE_OWNER: 'Owner',
  GRP_MBR_ROLE_ADMIN: 'Admin',
  GRP_MBR_ROLE_MEMBER: 'Member',
  GRP_TIP_MBR_JOIN: 1,
  GRP_TIP_MBR_QUIT: 2,
  GRP_TIP_MBR_KICKED_OUT: 3,
  GRP_TIP_MBR_SET_ADMIN: 4,
  GRP_TIP_MBR_CANCELED_ADMIN: 5,
  GRP_TIP_GRP_PROFILE_UPDATED: 6,
  JOIN_STATUS_SUCCESS: 'JoinedSuccess',
  GENDER_UNKNOWN: 'Gender_Type_Unknown',
  GENDER_FEMALE: 'Gender_Type_Female',
  GENDER_MALE: 'Gender_Type_Male',
  ALLOW_TYPE_ALLOW_ANY: 'AllowType_Type_AllowAny',
  ALLOW_TYPE_NEED_CONFIRM: 'AllowType_Type_NeedConfirm',
  ALLOW_TYPE_DENY_ANY: 'AllowType_Type_DenyAny',
  KICKED_OUT_MULT_ACCOUNT: 'multipleAccount',
  KICKED_OUT_USERSIG_EXPIRED: 'userSigExpired',
  NET_STATE_CONNECTED: 'connected',
  NET_STATE_CONNECTING: 'connecting',
  NET_STATE_DISCONNECTED: 'disconnected',
});

// V2TIM's numbers <-> the web SDK's names.
const PRIORITY = { 0: 'Normal', 1: 'High', 2: 'Normal', 3: 'Low' };
const PRIORITY_CODE = { High: 1, Normal: 2, Low: 3, Lowest: 3 };
const STATUS = { 1: 'unSend', 2: 'success', 3: 'fail', 6: 'success' };
const GROUP_TYPE = { Private: 'Work', Public: 'Public', ChatRoom: 'Meeting', AVChatRoom: 'AVChatRoom', Community: 'Community' };
const GROUP_TYPE_NAME = { Work: 'Private', Public: 'Public', Meeting: 'ChatRoom', AVChatRoom: 'AVChatRoom', Community: 'Community' };
const ROLE_CODE = { Member: 200, Admin: 300, Owner: 400 };
const GENDER = ['Gender_Type_Unknown', 'Gender_Type_Male', 'Gender_Type_Female'];
const ALLOW = ['AllowType_Type_AllowAny', 'AllowType_Type_NeedConfirm', 'AllowType_Type_DenyAny'];
// V2TIM tips types -> the web SDK's GRP_TIP_* (join and invite are both a join there).
const TIP_TYPE = { 1: 1, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6 };
const ERR_INVALID_PARAMETERS = 6017;
// The web SDK names custom profile fields in full; V2TIM (and the server) by their suffix.
const CUSTOM_PREFIX = 'Tag_Profile_Custom_';

/** What every call rejects with: V2TIM's `code` and an English `message`. */
class TIMError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'TIMError';
    this.code = code;
  }
}

function invalid(message) {
  return new TIMError(ERR_INVALID_PARAMETERS, message);
}

/** Native answer JSON -> data, or the rejection. */
function unwrap(text) {
  const a = JSON.parse(text);
  if (a.code !== 0) throw new TIMError(a.code, a.message);
  return a.data;
}

// The web SDK's conversation ids (`C2C<userID>`, `GROUP<groupID>`) <-> V2TIM's.
function toNativeConversation(id) {
  if (typeof id === 'string' && id.startsWith('C2C') && id.length > 3) return 'c2c_' + id.slice(3);
  if (typeof id === 'string' && id.startsWith('GROUP') && id.length > 5) return 'group_' + id.slice(5);
  return null;
}

function fromNativeConversation(id) {
  if (id.startsWith('c2c_')) return 'C2C' + id.slice(4);
  if (id.startsWith('group_')) return 'GROUP' + id.slice(6);
  return id;
}

function target(conversationType, to) {
  return conversationType === TYPES.CONV_GROUP ? { groupID: to } : { userID: to };
}

function decode(base64) {
  return Buffer.from(base64, 'base64').toString('utf8');
}

function profile(p) {
  return {
    userID: p.userID,
    nick: p.nickName,
    avatar: p.faceURL,
    gender: GENDER[p.gender] || GENDER[0],
    selfSignature: p.selfSignature,
    allowType: ALLOW[p.allowType] || ALLOW[0],
    birthday: p.birthday,
    level: p.level,
    role: p.role,
    profileCustomField: Object.entries(p.customInfo || {}).map(([key, value]) => ({ key: CUSTOM_PREFIX + key, value: decode(value) })),
  };
}

function groupTipsPayload(t) {
  return {
    operationType: TIP_TYPE[t.tips_type] || 0,
    operatorID: t.op_user ? t.op_user.user_id : '',
    userIDList: (t.members || []).map((m) => m.user_id),
    memberNum: t.member_count,
  };
}

const HANDLE = Symbol('v2tim.message');

/**
 * A message (the web SDK's Message). The SDK keeps the objects it gave out up to date: when
 * a message is recalled, the object the app holds shows `isRevoked` too.
 */
class Message {
  constructor(handle, conversationType, to) {
    Object.defineProperty(this, HANDLE, { value: handle, writable: true });
    this.ID = '';
    this.type = '';
    this.payload = {};
    this.conversationType = conversationType;
    this.conversationID = (conversationType === TYPES.CONV_GROUP ? 'GROUP' : 'C2C') + to;
    this.to = to;
    this.from = '';
    this.flow = 'out';
    this.time = 0;
    this.sequence = 0;
    this.status = 'unSend';
    this.priority = 'Normal';
    this.nick = '';
    this.avatar = '';
    this.isRevoked = false;
    this.revoker = '';
    this.revokerInfo = { userID: '', nick: '', avatar: '' };
    this.revokeReason = '';
    this.cloudCustomData = '';
    this.isExcludedFromUnreadCount = false;
    this.isExcludedFromLastMessage = false;
  }
}

/** Fills `m` from the native JSON `d`, as seen by `me`. */
function fill(m, d, me) {
  const group = d.groupID !== '';
  m.ID = d.msgID;
  m.conversationType = group ? TYPES.CONV_GROUP : TYPES.CONV_C2C;
  if (group) {
    m.to = d.groupID;
    m.conversationID = 'GROUP' + d.groupID;
  } else if (d.userID !== '') {
    m.to = d.receiver || (d.isSelf ? d.userID : me);
    m.conversationID = 'C2C' + d.userID;
  }
  m.from = d.sender || me;
  m.flow = d.isSelf ? 'out' : 'in';
  m.time = d.timestamp;
  m.sequence = d.seq;
  m.status = STATUS[d.status] || 'fail';
  m.priority = PRIORITY[d.priority] || 'Normal';
  m.nick = d.nickName;
  m.avatar = d.faceURL;
  m.isRevoked = d.isRevoked;
  m.revoker = d.revokerInfo.userID;
  m.revokerInfo = { userID: d.revokerInfo.userID, nick: d.revokerInfo.nickName, avatar: d.revokerInfo.faceURL };
  m.revokeReason = d.revokeReason;
  m.cloudCustomData = d.cloudCustomData;
  m.isExcludedFromUnreadCount = d.isExcludedFromUnreadCount;
  m.isExcludedFromLastMessage = d.isExcludedFromLastMessage;
  switch (d.elemType) {
    case 1:
      m.type = TYPES.MSG_TEXT;
      m.payload = { text: d.text };
      break;
    case 2:
      m.type = TYPES.MSG_CUSTOM;
      m.payload = { data: decode(d.customData), description: d.customDescription, extension: d.customExtension };
      break;
    case 9:
      m.type = TYPES.MSG_GRP_TIP;
      m.payload = groupTipsPayload(d.groupTips);
      break;
    default:
      // A recalled message's content is gone; its type stays what this SDK saw, if it did.
      m.payload = {};
  }
  return m;
}

function conversation(c, chat) {
  const group = c.groupID !== '';
  const last = c.lastMessage ? chat._intern(c.lastMessage) : null;
  return {
    conversationID: fromNativeConversation(c.conversationID),
    type: group ? TYPES.CONV_GROUP : TYPES.CONV_C2C,
    unreadCount: c.unreadCount,
    lastMessage: last && {
      lastTime: last.time,
      lastSequence: last.sequence,
      fromAccount: last.from,
      type: last.type,
      payload: last.payload,
      isRevoked: last.isRevoked,
      messageForShow: last.isRevoked ? '' : last.payload.text || '',
    },
    userProfile: group ? undefined : { userID: c.userID, nick: c.showName, avatar: c.faceURL },
    groupProfile: group ? { groupID: c.groupID, name: c.showName, type: GROUP_TYPE_NAME[c.groupType] || c.groupType, avatar: c.faceURL } : undefined,
    _order: c.orderKey,
  };
}

function publicConversation(c) {
  const { _order, ...rest } = c;
  return rest;
}

/** One user's SDK instance: `TencentCloudChat.create(options)`. */
class Chat {
  constructor(options) {
    const o = options || {};
    this._handlers = new Map();
    this._messages = new Map(); // ID -> WeakRef<Message>
    this._gone = new FinalizationRegistry((id) => {
      const ref = this._messages.get(id);
      if (ref && ref.deref() === undefined) this._messages.delete(id);
    });
    this._conversations = new Map();
    this._totalUnread = 0;
    this._me = '';
    this._ready = false;
    this._destroyed = false;
    this._native = native.create((name, json) => this._event(name, json));
    const init = {
      sdkAppId: Number(o.SDKAppID) >>> 0,
      serverUrl: o.serverURL || '',
      secretKey: o.secretKey || '',
      dataDir: o.dataDir || '',
      logLevel: o.logLevel || 0,
    };
    unwrap(native.init(this._native, JSON.stringify(init)));
  }

  _call(op, args) {
    if (this._destroyed) return Promise.reject(new TIMError(6013, 'this chat was destroyed'));
    return native.call(this._native, op, JSON.stringify(args || {})).then(unwrap);
  }

  /** The live object for the native message JSON `d`: the one the app holds, if it does. */
  _intern(d) {
    const ref = this._messages.get(d.msgID);
    let m = ref && ref.deref();
    if (!m) {
      m = new Message(null, d.groupID ? TYPES.CONV_GROUP : TYPES.CONV_C2C, d.groupID || d.userID);
      this._hold(d.msgID, m);
    }
    return fill(m, d, this._me);
  }

  /** Remembers `m` as the object of message `id` while the app holds it. */
  _hold(id, m) {
    this._messages.set(id, new WeakRef(m));
    this._gone.register(m, id);
  }

  _emit(name, data) {
    const handlers = this._handlers.get(name);
    if (!handlers) return;
    for (const [handler, context] of [...handlers]) {
      try {
        handler.call(context, { name, data });
      } catch (e) {
        // One failing handler must not stop the others, nor the SDK's event delivery.
        console.error(`v2tim: a handler of ${name} threw:`, e);
      }
    }
  }

  _event(name, json) {
    const data = JSON.parse(json);
    switch (name) {
      case 'message':
        this._emit(EVENT.MESSAGE_RECEIVED, [this._intern(data)]);
        break;
      case 'revoked': {
        const m = this._intern(data.message);
        m.revokerInfo = { userID: data.operator.userID, nick: data.operator.nickName, avatar: data.operator.faceURL };
        m.revoker = data.operator.userID;
        m.revokeReason = data.reason;
        this._emit(EVENT.MESSAGE_REVOKED, [m]);
        break;
      }
      case 'conversations':
        for (const c of data) this._conversations.set(c.conversationID, conversation(c, this));
        this._emit(EVENT.CONVERSATION_LIST_UPDATED, this._conversationList());
        break;
      case 'totalUnread':
        this._totalUnread = data;
        this._emit(EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED, data);
        break;
      case 'netState':
        this._emit(EVENT.NET_STATE_CHANGE, { state: data });
        break;
      case 'connectFailed':
        this._emit(EVENT.NET_STATE_CHANGE, { state: TYPES.NET_STATE_DISCONNECTED });
        this._emit(EVENT.ERROR, { code: data.code, message: data.message });
        break;
      case 'kicked':
      case 'userSigExpired':
        this._notReady();
        this._emit(EVENT.KICKED_OUT, {
          type: name === 'kicked' ? TYPES.KICKED_OUT_MULT_ACCOUNT : TYPES.KICKED_OUT_USERSIG_EXPIRED,
        });
        break;
      case 'profile':
        this._emit(EVENT.PROFILE_UPDATED, [profile(data)]);
        break;
      default:
        break;
    }
  }

  _notReady() {
    if (!this._ready) return;
    this._ready = false;
    if (!this._destroyed) native.setActive(this._native, false);
    this._emit(EVENT.SDK_NOT_READY, undefined);
  }

  _conversationList() {
    return [...this._conversations.values()].sort((a, b) => b._order - a._order).map(publicConversation);
  }

  on(eventName, handler, context) {
    if (typeof handler !== 'function') return;
    if (!this._handlers.has(eventName)) this._handlers.set(eventName, new Map());
    this._handlers.get(eventName).set(handler, context);
  }

  off(eventName, handler) {
    const handlers = this._handlers.get(eventName);
    if (handlers) handlers.delete(handler);
  }

  async login(options) {
    const o = options || {};
    await this._call('login', { userID: o.userID, userSig: o.userSig });
    this._me = o.userID;
    if (!this._ready) {
      this._ready = true;
      native.setActive(this._native, true);
      this._emit(EVENT.SDK_READY, undefined);
    }
    return { code: 0, data: { repeatLogin: false } };
  }

  async logout() {
    await this._call('logout');
    this._conversations.clear();
    this._notReady();
    return { code: 0, data: {} };
  }

  /** Logs out and frees the native instance; the chat cannot be used again. */
  async destroy() {
    if (this._destroyed) return { code: 0, data: {} };
    this._notReady();
    this._destroyed = true;
    native.destroy(this._native);
    this._emit(EVENT.SDK_DESTROY, undefined);
    return { code: 0, data: {} };
  }

  _create(options, content) {
    const o = options || {};
    if (o.conversationType !== TYPES.CONV_C2C && o.conversationType !== TYPES.CONV_GROUP) {
      throw invalid('conversationType must be TYPES.CONV_C2C or TYPES.CONV_GROUP');
    }
    if (typeof o.to !== 'string' || o.to === '') throw invalid('to must name a user or a group');
    if (this._destroyed) throw new TIMError(6013, 'this chat was destroyed');
    const args = {
      ...content,
      cloudCustomData: o.cloudCustomData || '',
      isExcludedFromUnreadCount: !!o.isExcludedFromUnreadCount,
      isExcludedFromLastMessage: !!o.isExcludedFromLastMessage,
    };
    const handle = native.createMessage(this._native, JSON.stringify(args));
    if (typeof handle === 'string') unwrap(handle);
    const m = fill(new Message(handle, o.conversationType, o.to), JSON.parse(native.messageJson(handle)), this._me);
    m.conversationType = o.conversationType;
    m.to = o.to;
    m.conversationID = (o.conversationType === TYPES.CONV_GROUP ? 'GROUP' : 'C2C') + o.to;
    m.priority = o.priority || 'Normal';
    m.status = 'unSend';
    this._hold(m.ID, m);
    return m;
  }

  createTextMessage(options) {
    const p = (options && options.payload) || {};
    if (typeof p.text !== 'string') throw invalid('payload.text must be a string');
    return this._create(options, { text: p.text });
  }

  createCustomMessage(options) {
    const p = (options && options.payload) || {};
    return this._create(options, {
      custom: { data: String(p.data || ''), description: String(p.description || ''), extension: String(p.extension || '') },
    });
  }

  async sendMessage(message, options) {
    const handle = message instanceof Message ? message[HANDLE] : null;
    if (!handle) throw invalid('sendMessage takes a message made by this chat\'s create*Message, once');
    const args = {
      ...target(message.conversationType, message.to),
      priority: PRIORITY_CODE[message.priority] || 2,
      onlineUserOnly: !!(options && options.onlineUserOnly),
    };
    try {
      const d = unwrap(await native.sendMessage(this._native, handle, JSON.stringify(args)));
      message[HANDLE] = null;
      fill(message, d, this._me);
      return { code: 0, data: { message } };
    } catch (e) {
      message.status = 'fail';
      throw e;
    }
  }

  /**
   * Recalls `message` (sent by this user, or by anyone when this user administers its
   * group). `options.reason` is v2tim's addition: every receiver sees it as `revokeReason`.
   */
  async revokeMessage(message, options) {
    if (!message || typeof message.ID !== 'string' || message.ID === '') throw invalid('revokeMessage takes a Message');
    const reason = (options && options.reason) || '';
    const t = message.conversationType === TYPES.CONV_GROUP
      ? { groupID: message.to }
      : { userID: message.conversationID.slice(3) };
    await this._call('revoke', { ...t, msgID: message.ID, reason });
    message.isRevoked = true;
    message.revoker = this._me;
    message.revokerInfo = { userID: this._me, nick: '', avatar: '' };
    message.revokeReason = reason;
    message.payload = {};
    message.cloudCustomData = '';
    return { code: 0, data: { message } };
  }

  /** A page of a conversation's messages, oldest first; `nextReqMessageID` pages back. */
  async getMessageList(options) {
    const o = options || {};
    const id = toNativeConversation(o.conversationID);
    if (!id) throw invalid('conversationID must be C2C<userID> or GROUP<groupID>');
    const d = await this._call('history', {
      conversationID: id,
      count: o.count === undefined ? 15 : o.count,
      nextReqMessageID: o.nextReqMessageID || '',
    });
    const messageList = d.messageList.map((m) => this._intern(m)).reverse();
    return { code: 0, data: { messageList, nextReqMessageID: d.nextReqMessageID, isCompleted: d.isCompleted } };
  }

  async setMessageRead(options) {
    const id = toNativeConversation(options && options.conversationID);
    if (!id) throw invalid('conversationID must be C2C<userID> or GROUP<groupID>');
    await this._call('markRead', id.startsWith('c2c_') ? { userID: id.slice(4) } : { groupID: id.slice(6) });
    return { code: 0, data: {} };
  }

  async getConversationList() {
    let nextSeq = 0;
    const list = [];
    for (;;) {
      const page = await this._call('conversations', { nextSeq, count: 100 });
      list.push(...page.conversationList);
      if (page.isFinished) break;
      nextSeq = page.nextSeq;
    }
    for (const c of list) this._conversations.set(c.conversationID, conversation(c, this));
    return { code: 0, data: { conversationList: this._conversationList(), isSyncCompleted: true } };
  }

  getTotalUnreadMessageCount() {
    return this._totalUnread;
  }

  async getUserProfile(options) {
    const ids = options && options.userIDList;
    if (!Array.isArray(ids)) throw invalid('userIDList must be an array of user ids');
    const users = await this._call('usersInfo', { userIDList: ids });
    return { code: 0, data: users.map(profile) };
  }

  async getMyProfile() {
    const [me] = (await this.getUserProfile({ userIDList: [this._me] })).data;
    return { code: 0, data: me };
  }

  async updateMyProfile(options) {
    const o = options || {};
    const changes = {};
    if (o.nick !== undefined) changes.nick_name = o.nick;
    if (o.avatar !== undefined) changes.face_url = o.avatar;
    if (o.selfSignature !== undefined) changes.self_signature = o.selfSignature;
    if (o.gender !== undefined) changes.gender = Math.max(0, GENDER.indexOf(o.gender));
    if (o.allowType !== undefined) changes.allow_type = Math.max(0, ALLOW.indexOf(o.allowType));
    if (o.birthday !== undefined) changes.birthday = o.birthday;
    if (o.level !== undefined) changes.level = o.level;
    if (o.role !== undefined) changes.role = o.role;
    if (Array.isArray(o.profileCustomField)) {
      changes.custom_info = Object.fromEntries(
        o.profileCustomField.map(({ key, value }) => [
          String(key).startsWith(CUSTOM_PREFIX) ? String(key).slice(CUSTOM_PREFIX.length) : String(key),
          Buffer.from(String(value)).toString('base64'),
        ])
      );
    }
    await this._call('setSelfInfo', changes);
    return this.getMyProfile();
  }

  async createGroup(options) {
    const o = options || {};
    const type = GROUP_TYPE[o.type || TYPES.GRP_WORK];
    if (!type) throw invalid(`type must be one of TYPES.GRP_*, not ${JSON.stringify(o.type)}`);
    const groupID = await this._call('createGroup', {
      type,
      name: o.name || '',
      groupID: o.groupID || '',
      memberList: (o.memberList || []).map((m) => (typeof m === 'string' ? m : m.userID)),
      notification: o.notification || '',
      introduction: o.introduction || '',
      face_url: o.avatar || '',
    });
    return { code: 0, data: { group: { groupID, name: o.name || '', type: o.type || TYPES.GRP_WORK } } };
  }

  async joinGroup(options) {
    const o = options || {};
    await this._call('joinGroup', { groupID: o.groupID, applyMessage: o.applyMessage || '' });
    return { code: 0, data: { status: TYPES.JOIN_STATUS_SUCCESS, group: { groupID: o.groupID } } };
  }

  async quitGroup(groupID) {
    await this._call('quitGroup', { groupID });
    return { code: 0, data: { groupID } };
  }

  async dismissGroup(groupID) {
    await this._call('dismissGroup', { groupID });
    return { code: 0, data: { groupID } };
  }

  async setGroupMemberRole(options) {
    const o = options || {};
    const role = ROLE_CODE[o.role];
    if (!role) throw invalid('role must be TYPES.GRP_MBR_ROLE_ADMIN, _MEMBER or _OWNER');
    await this._call('setGroupMemberRole', { groupID: o.groupID, userID: o.userID, role });
    return { code: 0, data: { group: { groupID: o.groupID } } };
  }
}

const TencentCloudChat = {
  EVENT,
  TYPES,
  TIMError,
  Message,
  /** A new chat: `{ SDKAppID, serverURL, secretKey, dataDir }`; no serverURL = embedded server. */
  create(options) {
    return new Chat(options);
  },
  /** A UserSig for `userID` signed with `secretKey` (for tests and demos: servers issue them). */
  genTestUserSig(options) {
    return native.genUserSig(Number(options.SDKAppID) >>> 0, options.secretKey, options.userID, options.expire || 604800);
  },
};

TencentCloudChat.TIM = TencentCloudChat;
TencentCloudChat.default = TencentCloudChat;
module.exports = TencentCloudChat;
