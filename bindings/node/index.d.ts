// Type declarations of the npm package `v2tim`: Tencent Cloud Chat's web SDK API
// (`@tencentcloud/chat`) over the v2tim native library.

declare namespace TencentCloudChat {
  interface EventNames {
    readonly SDK_READY: 'sdkStateReady';
    readonly SDK_NOT_READY: 'sdkStateNotReady';
    readonly SDK_DESTROY: 'sdkDestroy';
    readonly MESSAGE_RECEIVED: 'onMessageReceived';
    readonly MESSAGE_REVOKED: 'onMessageRevoked';
    readonly CONVERSATION_LIST_UPDATED: 'onConversationListUpdated';
    readonly TOTAL_UNREAD_MESSAGE_COUNT_UPDATED: 'onTotalUnreadMessageCountUpdated';
    readonly PROFILE_UPDATED: 'onProfileUpdated';
    readonly KICKED_OUT: 'kickedOut';
    readonly ERROR: 'error';
    readonly NET_STATE_CHANGE: 'netStateChange';
  }

  interface Types {
    readonly MSG_TEXT: 'TIMTextElem';
    readonly MSG_CUSTOM: 'TIMCustomElem';
    readonly MSG_GRP_TIP: 'TIMGroupTipElem';
    readonly MSG_PRIORITY_HIGH: 'High';
    readonly MSG_PRIORITY_NORMAL: 'Normal';
    readonly MSG_PRIORITY_LOW: 'Low';
    readonly MSG_PRIORITY_LOWEST: 'Lowest';
    readonly CONV_C2C: 'C2C';
    readonly CONV_GROUP: 'GROUP';
    readonly GRP_WORK: 'Private';
    readonly GRP_PRIVATE: 'Private';
    readonly GRP_PUBLIC: 'Public';
    readonly GRP_MEETING: 'ChatRoom';
    readonly GRP_CHATROOM: 'ChatRoom';
    readonly GRP_AVCHATROOM: 'AVChatRoom';
    readonly GRP_COMMUNITY: 'Community';
    readonly GRP_MBR_ROLE_OWNER: 'Owner';
    readonly GRP_MBR_ROLE_ADMIN: 'Admin';
    readonly GRP_MBR_ROLE_MEMBER: 'Member';
    readonly GRP_TIP_MBR_JOIN: 1;
    readonly GRP_TIP_MBR_QUIT: 2;
    readonly GRP_TIP_MBR_KICKED_OUT: 3;
    readonly GRP_TIP_MBR_SET_ADMIN: 4;
    readonly GRP_TIP_MBR_CANCELED_ADMIN: 5;
    readonly GRP_TIP_GRP_PROFILE_UPDATED: 6;
    readonly JOIN_STATUS_SUCCESS: 'JoinedSuccess';
    readonly GENDER_UNKNOWN: 'Gender_Type_Unknown';
    readonly GENDER_FEMALE: 'Gender_Type_Female';
    readonly GENDER_MALE: 'Gender_Type_Male';
    readonly ALLOW_TYPE_ALLOW_ANY: 'AllowType_Type_AllowAny';
    readonly ALLOW_TYPE_NEED_CONFIRM: 'AllowType_Type_NeedConfirm';
    readonly ALLOW_TYPE_DENY_ANY: 'AllowType_Type_DenyAny';
    readonly KICKED_OUT_MULT_ACCOUNT: 'multipleAccount';
    readonly KICKED_OUT_USERSIG_EXPIRED: 'userSigExpired';
    readonly NET_STATE_CONNECTED: 'connected';
    readonly NET_STATE_CONNECTING: 'connecting';
    readonly NET_STATE_DISCONNECTED: 'disconnected';
  }

  type ConversationType = 'C2C' | 'GROUP';
  type Priority = 'High' | 'Normal' | 'Low' | 'Lowest';
  type GroupType = 'Private' | 'Public' | 'ChatRoom' | 'AVChatRoom' | 'Community';
  type MemberRole = 'Owner' | 'Admin' | 'Member';
  type Gender = 'Gender_Type_Unknown' | 'Gender_Type_Female' | 'Gender_Type_Male';
  type AllowType = 'AllowType_Type_AllowAny' | 'AllowType_Type_NeedConfirm' | 'AllowType_Type_DenyAny';

  interface CreateOptions {
    SDKAppID: number;
    /** `ws://host:port` or `wss://...` of a v2tim server (several, comma separated: one
     * cluster); empty or absent: the embedded server in this process. */
    serverURL?: string;
    /** Embedded server only: the key UserSigs are checked against (absent: unchecked). */
    secretKey?: string;
    /** Where the SDK (and the embedded server) keep their state; absent: in memory. */
    dataDir?: string;
    logLevel?: number;
  }

  interface TextPayload { text: string; }
  interface CustomPayload { data: string; description: string; extension: string; }
  interface GroupTipPayload { operationType: number; operatorID: string; userIDList: string[]; memberNum: number; }
  /** A recalled message's payload is `{}`: its content is gone. */
  type Payload = TextPayload | CustomPayload | GroupTipPayload | Record<string, never>;

  interface UserBrief { userID: string; nick: string; avatar: string; }

  /** A message. Objects the SDK gave out stay current: a recall shows on the one you hold. */
  interface Message {
    ID: string;
    /** '' for a recalled message whose content this SDK never saw. */
    type: 'TIMTextElem' | 'TIMCustomElem' | 'TIMGroupTipElem' | '';
    payload: Payload;
    conversationID: string;
    conversationType: ConversationType;
    to: string;
    from: string;
    flow: 'in' | 'out';
    /** Seconds since the epoch (server time). */
    time: number;
    sequence: number;
    status: 'unSend' | 'success' | 'fail';
    priority: Priority;
    nick: string;
    avatar: string;
    isRevoked: boolean;
    /** The user id of whoever recalled it; '' until recalled. */
    revoker: string;
    revokerInfo: UserBrief;
    revokeReason: string;
    cloudCustomData: string;
    isExcludedFromUnreadCount: boolean;
    isExcludedFromLastMessage: boolean;
  }

  /** What every call rejects with. */
  interface TIMError extends Error {
    /** A V2TIM error code (6017 invalid parameters, 6014 not logged in, ...). */
    code: number;
  }

  interface Response<T> { code: 0; data: T; }

  interface Profile {
    userID: string;
    nick: string;
    avatar: string;
    gender: Gender;
    selfSignature: string;
    allowType: AllowType;
    birthday: number;
    level: number;
    role: number;
    profileCustomField: Array<{ key: string; value: string }>;
  }

  interface Conversation {
    conversationID: string;
    type: ConversationType;
    unreadCount: number;
    lastMessage: {
      lastTime: number;
      lastSequence: number;
      fromAccount: string;
      type: Message['type'];
      payload: Payload;
      isRevoked: boolean;
      messageForShow: string;
    } | null;
    userProfile?: UserBrief;
    groupProfile?: { groupID: string; name: string; type: string; avatar: string };
  }

  interface MessageOptions<P> {
    to: string;
    conversationType: ConversationType;
    priority?: Priority;
    payload: P;
    cloudCustomData?: string;
    isExcludedFromUnreadCount?: boolean;
    isExcludedFromLastMessage?: boolean;
  }

  interface EventDataMap {
    sdkStateReady: undefined;
    sdkStateNotReady: undefined;
    sdkDestroy: undefined;
    onMessageReceived: Message[];
    onMessageRevoked: Message[];
    onConversationListUpdated: Conversation[];
    onTotalUnreadMessageCountUpdated: number;
    onProfileUpdated: Profile[];
    kickedOut: { type: 'multipleAccount' | 'userSigExpired' };
    error: { code: number; message: string };
    netStateChange: { state: 'connected' | 'connecting' | 'disconnected' };
  }

  interface Event<K extends keyof EventDataMap> { name: K; data: EventDataMap[K]; }

  interface ChatSDK {
    /** Handlers run on Node's event loop thread, in the order the SDK saw the events. */
    on<K extends keyof EventDataMap>(eventName: K, handler: (event: Event<K>) => void, context?: unknown): void;
    off<K extends keyof EventDataMap>(eventName: K, handler: (event: Event<K>) => void, context?: unknown): void;
    login(options: { userID: string; userSig: string }): Promise<Response<{ repeatLogin: boolean }>>;
    logout(): Promise<Response<Record<string, never>>>;
    /** Logs out and frees the native instance: no event after it, the chat cannot be reused. */
    destroy(): Promise<Response<Record<string, never>>>;
    createTextMessage(options: MessageOptions<{ text: string }>): Message;
    createCustomMessage(options: MessageOptions<{ data?: string; description?: string; extension?: string }>): Message;
    sendMessage(message: Message, options?: { onlineUserOnly?: boolean }): Promise<Response<{ message: Message }>>;
    /** `options.reason` is v2tim's addition: receivers read it as `revokeReason`. */
    revokeMessage(message: Message, options?: { reason?: string }): Promise<Response<{ message: Message }>>;
    getMessageList(options: { conversationID: string; count?: number; nextReqMessageID?: string }): Promise<Response<{
      messageList: Message[];
      nextReqMessageID: string;
      isCompleted: boolean;
    }>>;
    setMessageRead(options: { conversationID: string }): Promise<Response<Record<string, never>>>;
    getConversationList(): Promise<Response<{ conversationList: Conversation[]; isSyncCompleted: boolean }>>;
    getTotalUnreadMessageCount(): number;
    getUserProfile(options: { userIDList: string[] }): Promise<Response<Profile[]>>;
    getMyProfile(): Promise<Response<Profile>>;
    updateMyProfile(options: Partial<Omit<Profile, 'userID'>>): Promise<Response<Profile>>;
    createGroup(options: {
      type?: GroupType;
      name?: string;
      groupID?: string;
      memberList?: Array<{ userID: string } | string>;
      introduction?: string;
      notification?: string;
      avatar?: string;
    }): Promise<Response<{ group: { groupID: string; name: string; type: GroupType } }>>;
    joinGroup(options: { groupID: string; applyMessage?: string }): Promise<Response<{ status: 'JoinedSuccess'; group: { groupID: string } }>>;
    quitGroup(groupID: string): Promise<Response<{ groupID: string }>>;
    dismissGroup(groupID: string): Promise<Response<{ groupID: string }>>;
    setGroupMemberRole(options: { groupID: string; userID: string; role: MemberRole }): Promise<Response<{ group: { groupID: string } }>>;
  }

  interface Static {
    readonly EVENT: EventNames;
    readonly TYPES: Types;
    readonly TIMError: new (code: number, message: string) => TIMError;
    /** Messages come from `create*Message`, events and `getMessageList` (for `instanceof`). */
    readonly Message: { prototype: Message };
    /** The old name (`tim-js-sdk`): the same object. */
    readonly TIM: Static;
    readonly default: Static;
    create(options: CreateOptions): ChatSDK;
    /** A UserSig signed with `secretKey`, for tests and demos (servers issue real ones). */
    genTestUserSig(options: { SDKAppID: number; secretKey: string; userID: string; expire?: number }): string;
  }
}

declare const TencentCloudChat: TencentCloudChat.Static;
export = TencentCloudChat;
