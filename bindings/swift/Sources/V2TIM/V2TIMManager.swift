// V2TIMManager with V2TIM's Swift-facing method names (the NS_SWIFT_NAMEs of V2TIM's
// Objective-C headers), over the C ABI.

import CV2TIM
import Foundation

/// Group types of `createGroup(groupType:...)` (V2TIM's constants).
public let GroupType_Work = "Work"
public let GroupType_Public = "Public"
public let GroupType_Meeting = "Meeting"
public let GroupType_AVChatRoom = "AVChatRoom"
public let GroupType_Community = "Community"

/// Log level (V2TIM's numbers).
public enum V2TIMLogLevel: Int {
    case V2TIM_LOG_NONE = 0
    case V2TIM_LOG_DEBUG = 3
    case V2TIM_LOG_INFO = 4
    case V2TIM_LOG_WARN = 5
    case V2TIM_LOG_ERROR = 6
}

/// Login status (V2TIM's numbers).
public enum V2TIMLoginStatus: Int {
    case V2TIM_STATUS_LOGINED = 1
    case V2TIM_STATUS_LOGINING = 2
    case V2TIM_STATUS_LOGOUT = 3
}

/// Role of a group member (`newRole:` of `setGroupMemberRole`, V2TIM's numbers).
public enum V2TIMGroupMemberRole: UInt32 {
    case V2TIM_GROUP_MEMBER_ROLE_MEMBER = 200
    case V2TIM_GROUP_MEMBER_ROLE_ADMIN = 300
    /// Owner; setting it transfers ownership.
    case V2TIM_GROUP_MEMBER_ROLE_SUPER = 400
}

/// Configuration of `initSDK(_:config:)`: V2TIM's field plus v2tim's own.
public final class V2TIMSDKConfig {
    /// Log level (V2TIM's default, DEBUG).
    public var logLevel: V2TIMLogLevel = .V2TIM_LOG_DEBUG
    /// `ws://host:port` or `wss://...` of a v2tim server (or several, comma-separated: the
    /// servers of one cluster, tried in turn); nil or "" = the embedded in-process
    /// server, shared by every manager of the process with the same SDKAppID.
    public var serverURL: String?
    /// Embedded mode only: the SDKAppID's secret key UserSigs are checked against; nil or "" =
    /// not checked (tests, demos).
    public var secretKey: String?
    /// Directory for the SDK's state (and the embedded server's database); nil or "" = in memory
    /// (embedded mode) / the default cache directory (server mode). V2TIM C++'s `initPath`;
    /// the C++ and Java layers use the same name.
    public var initPath: String?
    /// Where callbacks and listener events run. nil (default): on the SDK event thread, in
    /// order, as the C ABI delivers them. Set it to `.main` to get V2TIM's iOS behaviour
    /// (everything on the main queue); use a serial queue, or the order is lost.
    public var callbackQueue: DispatchQueue?
    /// The SDK's log lines of `logLevel` and above (V2TIM's `V2TIMLogListener` block), on
    /// the SDK event thread; the whole process's: the last `initSDK` with one wins.
    public var logListener: V2TIMLogListener?

    public init() {}
}

/// One log line with its level (V2TIM's `V2TIMLogListener`).
public typealias V2TIMLogListener = (_ logLevel: V2TIMLogLevel, _ logContent: String?) -> Void

/// The closure the C ABI calls, kept for the life of the process (the C ABI holds its
/// address until the next one replaces it).
private final class LogBox {
    let listener: V2TIMLogListener
    init(_ listener: @escaping V2TIMLogListener) { self.listener = listener }
}

private var currentLogBox: LogBox?
private let logBoxLock = NSLock()

private func setLogListener(_ listener: @escaping V2TIMLogListener, level: V2TIMLogLevel) {
    let box = LogBox(listener)
    logBoxLock.lock()
    // The previous box stays alive: a line already posted may still be on its way to it.
    let previous = currentLogBox
    currentLogBox = box
    logBoxLock.unlock()
    _ = previous.map { Unmanaged.passRetained($0) }
    var c = CV2TIM.V2TIMLogListener(
        user_data: Unmanaged.passUnretained(box).toOpaque(),
        on_log: { userData, level, text in
            let box = Unmanaged<LogBox>.fromOpaque(userData!).takeUnretainedValue()
            box.listener(V2TIMLogLevel(rawValue: Int(level)) ?? .V2TIM_LOG_INFO,
                         text.map { String(cString: $0) })
        }
    )
    v2tim_set_log_listener(&c, Int32(level.rawValue))
}

private enum ListenerKind {
    case advancedMsg
    case sdk
    case conversation
    case group
}

private struct ListenerKey: Hashable {
    let kind: ListenerKind
    let object: ObjectIdentifier
}

/// One SDK instance. `sharedInstance()` is V2TIM's; `V2TIMManager()` makes an independent
/// one (several users in one process: tests, multi-account apps). Thread-safe.
public final class V2TIMManager {
    let handle: OpaquePointer
    private let owned: Bool
    private let lock = NSLock()
    private var queue: DispatchQueue?
    private var listeners: [ListenerKey: ListenerBox] = [:]
    /// The advanced listeners that stand for simple ones, by the simple listener.
    private var simpleAdapters: [ObjectIdentifier: SimpleMsgAdapter] = [:]

    private static let shared = V2TIMManager(handle: v2tim_manager_get_instance(), owned: false)

    /// The process-wide instance (V2TIM's `[V2TIMManager sharedInstance]`).
    public static func sharedInstance() -> V2TIMManager {
        return shared
    }

    /// A new, independent instance, freed with this object.
    public convenience init() {
        self.init(handle: v2tim_manager_create(), owned: true)
    }

    private init(handle: OpaquePointer, owned: Bool) {
        self.handle = handle
        self.owned = owned
    }

    deinit {
        guard owned else { return }
        // The last reference may go away inside a callback of this very manager (a closure
        // that captured it), where the C ABI forbids v2tim_manager_destroy: destroy it from
        // another thread, keeping the listener boxes alive until no event can reach them.
        let handle = self.handle
        let boxes = listeners
        DispatchQueue.global().async {
            withExtendedLifetime(boxes) { v2tim_manager_destroy(handle) }
        }
    }

    private var callbackQueue: DispatchQueue? {
        lock.lock()
        defer { lock.unlock() }
        return queue
    }

    // MARK: Initialization

    /// Starts the SDK for `sdkAppID`. True on success (also when already started with it).
    public func initSDK(_ sdkAppID: Int32, config: V2TIMSDKConfig) -> Bool {
        lock.lock()
        queue = config.callbackQueue
        lock.unlock()
        if let listener = config.logListener {
            setLogListener(listener, level: config.logLevel)
        }
        let code = withOptionalCString(config.serverURL) { serverURL in
            withOptionalCString(config.initPath.flatMap { $0.isEmpty ? nil : $0 }) { initPath in
                withOptionalCString(config.secretKey) { secretKey -> Int32 in
                    var c = CV2TIM.V2TIMSDKConfig(
                        server_url: serverURL,
                        data_dir: initPath,
                        log_level: Int32(config.logLevel.rawValue),
                        secret_key: secretKey)
                    return v2tim_init_sdk(handle, UInt32(bitPattern: sdkAppID), &c)
                }
            }
        }
        return code == V2TIM_SUCC
    }

    /// Stops the SDK: logs out, drops the connection; calls in flight fail.
    public func unInitSDK() {
        v2tim_uninit_sdk(handle)
    }

    /// Server time in seconds since 1970 (local time before the first login).
    public func getServerTime() -> UInt64 {
        return UInt64(max(0, v2tim_get_server_time(handle)))
    }

    // MARK: Login

    public func login(userID: String, userSig: String, succ: V2TIMSucc?, fail: V2TIMFail?) {
        v2tim_login(handle, userID, userSig, makeCallback(succ, fail, callbackQueue))
    }

    public func logout(succ: V2TIMSucc?, fail: V2TIMFail?) {
        v2tim_logout(handle, makeCallback(succ, fail, callbackQueue))
    }

    /// The logged-in user id; nil when logged out.
    public func getLoginUser() -> String? {
        guard let userID = v2tim_get_login_user(handle) else { return nil }
        defer { v2tim_string_free(userID) }
        return optionalString(userID)
    }

    public func getLoginStatus() -> V2TIMLoginStatus {
        return V2TIMLoginStatus(rawValue: Int(v2tim_get_login_status(handle)))
            ?? .V2TIM_STATUS_LOGOUT
    }

    // MARK: Listeners

    /// Registers `listener` (held weakly). Adding the same listener again changes nothing.
    public func addAdvancedMsgListener(listener: V2TIMAdvancedMsgListener) {
        addListener(listener, kind: .advancedMsg) { queue in
            AdvancedMsgListenerBox(listener: listener, queue: queue)
        }
    }

    /// Unregisters `listener`. When it returns, the listener is never called again (events
    /// already queued on `callbackQueue` are dropped as well).
    public func removeAdvancedMsgListener(listener: V2TIMAdvancedMsgListener) {
        removeListener(listener, kind: .advancedMsg)
    }

    /// Registers a connection / session listener (held weakly); as `addAdvancedMsgListener`.
    public func addIMSDKListener(listener: V2TIMSDKListener) {
        addListener(listener, kind: .sdk) { queue in
            SDKListenerBox(listener: listener, queue: queue)
        }
    }

    public func removeIMSDKListener(listener: V2TIMSDKListener) {
        removeListener(listener, kind: .sdk)
    }

    /// Registers a simple message listener (held weakly); adding it again changes nothing.
    public func addSimpleMsgListener(listener: V2TIMSimpleMsgListener) {
        let key = ObjectIdentifier(listener)
        lock.lock()
        if let existing = simpleAdapters[key], existing.listener === listener {
            lock.unlock()
            return
        }
        let adapter = SimpleMsgAdapter(listener)
        let stale = simpleAdapters.updateValue(adapter, forKey: key)
        lock.unlock()
        if let stale = stale { removeAdvancedMsgListener(listener: stale) }
        addAdvancedMsgListener(listener: adapter)
    }

    public func removeSimpleMsgListener(listener: V2TIMSimpleMsgListener) {
        lock.lock()
        let adapter = simpleAdapters.removeValue(forKey: ObjectIdentifier(listener))
        lock.unlock()
        if let adapter = adapter { removeAdvancedMsgListener(listener: adapter) }
    }

    /// Registers a conversation list listener (held weakly); as `addAdvancedMsgListener`.
    public func addConversationListener(listener: V2TIMConversationListener) {
        addListener(listener, kind: .conversation) { queue in
            ConversationListenerBox(listener: listener, queue: queue)
        }
    }

    public func removeConversationListener(listener: V2TIMConversationListener) {
        removeListener(listener, kind: .conversation)
    }

    /// Registers a group listener (held weakly); as `addAdvancedMsgListener`.
    public func addGroupListener(listener: V2TIMGroupListener) {
        let manager = handle
        addListener(listener, kind: .group) { queue in
            GroupListenerBox(listener: listener, manager: manager, queue: queue)
        }
    }

    public func removeGroupListener(listener: V2TIMGroupListener) {
        removeListener(listener, kind: .group)
    }

    private func addListener(
        _ object: AnyObject, kind: ListenerKind, make: (DispatchQueue?) -> ListenerBox
    ) {
        let key = ListenerKey(kind: kind, object: ObjectIdentifier(object))
        lock.lock()
        if let existing = listeners[key], existing.object === object {
            lock.unlock()
            return
        }
        // An entry under this key with another (or no) object is a listener that was freed
        // without being removed, whose address is now reused: drop it.
        let stale = listeners.removeValue(forKey: key)
        let box = make(queue)
        listeners[key] = box
        lock.unlock()

        if let stale = stale { unregister(stale) }
        box.addToC(handle)

        // A concurrent remove may have taken the box out of the table before the line above
        // registered it: then nobody else will unregister it, so do it here. (The C calls run
        // outside `lock`, so a listener event may add or remove listeners without deadlock.)
        lock.lock()
        let stillRegistered = listeners[key] === box
        lock.unlock()
        if !stillRegistered { unregister(box) }
    }

    private func removeListener(_ object: AnyObject, kind: ListenerKind) {
        let key = ListenerKey(kind: kind, object: ObjectIdentifier(object))
        lock.lock()
        let box = listeners.removeValue(forKey: key)
        lock.unlock()
        if let box = box { unregister(box) }
    }

    /// The box stays alive (caller's reference) until the C ABI promises no more events.
    private func unregister(_ box: ListenerBox) {
        box.deactivate()
        box.removeFromC(handle)
    }

    // MARK: Messages

    /// A text message (at most 12 KB); nil if the SDK is not initialized or the text is too
    /// long (`V2TIMManager.lastError` says which).
    public func createTextMessage(text: String) -> V2TIMMessage! {
        guard let message = v2tim_create_text_message(handle, text) else { return nil }
        return V2TIMMessage(owning: message)
    }

    public func createCustomMessage(data: Data) -> V2TIMMessage! {
        return createCustomMessage(data: data, desc: nil, ext: nil)
    }

    /// A custom message; `desc` and `ext` are V2TIM's description and extension.
    public func createCustomMessage(data: Data, desc: String?, ext: String?) -> V2TIMMessage! {
        let message = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> OpaquePointer? in
            withOptionalCString(desc) { desc in
                withOptionalCString(ext) { ext in
                    v2tim_create_custom_message(
                        handle, raw.bindMemory(to: UInt8.self).baseAddress, raw.count, desc, ext)
                }
            }
        }
        guard let created = message else { return nil }
        return V2TIMMessage(owning: created)
    }

    /// Sends `message` to the user `receiver` or the group `groupID` (exactly one non-empty).
    /// Returns the message id. `message`'s `cloudCustomData` and `isExcludedFrom*` go with
    /// it. `onlineUserOnly`: only the devices online now get it
    /// (`onRecvNewMessage`); it is never stored (not in history, no unread, no conversation
    /// change, seq 0, cannot be recalled). `offlinePushInfo` is kept by the server with the
    /// message for a push service (v2tim has none built in). `progress` is never called (no
    /// media messages).
    @discardableResult
    public func sendMessage(
        message: V2TIMMessage, receiver: String?, groupID: String?,
        priority: V2TIMMessagePriority, onlineUserOnly: Bool,
        offlinePushInfo: V2TIMOfflinePushInfo?, progress: V2TIMProgress?,
        succ: V2TIMSucc?, fail: V2TIMFail?
    ) -> String? {
        let queue = callbackQueue
        if let refused = message.applyPending() ?? offlinePushInfo?.apply(to: message.handle) {
            // Like the C ABI: the outcome arrives after the call returned.
            if let fail = fail {
                (queue ?? DispatchQueue.global()).async { fail(refused.0, refused.1) }
            }
            return message.msgID
        }
        let flags = onlineUserOnly ? V2TIM_SEND_FLAG_ONLINE_USER_ONLY : V2TIM_SEND_FLAG_NONE
        let callback = makeSendCallback(progress, succ, fail, queue)
        // The id is borrowed from the message: copy it while the message surely lives.
        return withExtendedLifetime(message) { () -> String? in
            withOptionalCString(receiver) { receiver in
                withOptionalCString(groupID) { groupID in
                    optionalString(
                        v2tim_send_message_with_flags(
                            handle, message.handle, receiver, groupID,
                            Int32(priority.rawValue), flags.rawValue, callback))
                }
            }
        }
    }

    // MARK: Recall

    /// Recalls `msg` (yours; in a group also others' as owner or admin), within the app's
    /// time limit. On success `msg` reads as recalled; every other device of every
    /// participant gets `onRecvMessageRevoked`.
    public func revokeMessage(msg: V2TIMMessage, succ: V2TIMSucc?, fail: V2TIMFail?) {
        let callback = makeCallback(succ, fail, callbackQueue)
        withExtendedLifetime(msg) {
            v2tim_revoke_message(handle, msg.handle, callback)
        }
    }

    /// `revokeMessage(msg:succ:fail:)` spelled as Objective-C's selector imports without
    /// V2TIM's `NS_SWIFT_NAME`.
    public func revokeMessage(_ msg: V2TIMMessage, succ: V2TIMSucc?, fail: V2TIMFail?) {
        revokeMessage(msg: msg, succ: succ, fail: fail)
    }

    /// As `revokeMessage(msg:succ:fail:)`, with a reason every participant reads.
    public func revokeMessage(
        msg: V2TIMMessage, reason: String?, succ: V2TIMSucc?, fail: V2TIMFail?
    ) {
        let callback = makeCallback(succ, fail, callbackQueue)
        withExtendedLifetime(msg) {
            withOptionalCString(reason) { reason in
                v2tim_revoke_message_with_reason(handle, msg.handle, reason, callback)
            }
        }
    }

    /// Recalls by id in the one-to-one conversation with `userID` or the group `groupID`
    /// (exactly one), for apps that keep their own message store.
    public func revokeMessage(
        msgID: String, userID: String?, groupID: String?, reason: String?,
        succ: V2TIMSucc?, fail: V2TIMFail?
    ) {
        let callback = makeCallback(succ, fail, callbackQueue)
        withOptionalCString(userID) { userID in
            withOptionalCString(groupID) { groupID in
                withOptionalCString(reason) { reason in
                    v2tim_revoke_message_by_id(handle, userID, groupID, msgID, reason, callback)
                }
            }
        }
    }

    // MARK: History

    /// The `count` newest messages older than `lastMsg` (nil: the newest), newest first.
    /// Recalled messages appear in place with status `.V2TIM_MSG_STATUS_LOCAL_REVOKED`.
    public func getC2CHistoryMessageList(
        userID: String, count: Int32, lastMsg: V2TIMMessage?,
        succ: V2TIMMessageListSucc?, fail: V2TIMFail?
    ) {
        let callback = makeMessageListCallback(succ, fail, callbackQueue)
        withExtendedLifetime(lastMsg) {
            v2tim_get_c2c_history_message_list(handle, userID, count, lastMsg?.handle, callback)
        }
    }

    public func getGroupHistoryMessageList(
        groupID: String, count: Int32, lastMsg: V2TIMMessage?,
        succ: V2TIMMessageListSucc?, fail: V2TIMFail?
    ) {
        let callback = makeMessageListCallback(succ, fail, callbackQueue)
        withExtendedLifetime(lastMsg) {
            v2tim_get_group_history_message_list(
                handle, groupID, count, lastMsg?.handle, callback)
        }
    }

    /// History by `option` (V2TIM's `getHistoryMessageList(option:succ:fail:)`): older
    /// pulls newest first, newer pulls oldest first, from `lastMsg` (excluded) or, in a
    /// group, `lastMsgSeq` (included), within `getTimeBegin`/`getTimePeriod` (seconds) when
    /// set, of the element types in `messageTypeList` when not empty. The LOCAL types read
    /// the server too. A type outside 0...31, both or neither id, `lastMsgSeq` in a
    /// one-to-one history: `fail` with 6017 naming which.
    public func getHistoryMessageList(
        option: V2TIMMessageListGetOption, succ: V2TIMMessageListSucc?, fail: V2TIMFail?
    ) {
        let callback = makeMessageListCallback(succ, fail, callbackQueue)
        let types = option.messageTypeList.map { Int32(clamping: $0) }
        let lastMsg = option.lastMsg
        withOptionalCString(option.userID) { userID in
            withOptionalCString(option.groupID) { groupID in
                types.withUnsafeBufferPointer { types in
                    withExtendedLifetime(lastMsg) {
                        var o = CV2TIM.V2TIMMessageListGetOption(
                            get_type: Int32(option.getType.rawValue), user_id: userID,
                            group_id: groupID, count: Int32(clamping: option.count),
                            last_msg: lastMsg?.handle, last_msg_seq: option.lastMsgSeq,
                            get_time_begin: Int64(clamping: option.getTimeBegin),
                            get_time_period: option.getTimePeriod,
                            message_types: types.baseAddress, message_type_count: types.count)
                        v2tim_get_history_message_list(handle, &o, callback)
                    }
                }
            }
        }
    }

    // MARK: Profiles

    /// Changes the logged-in user's profile: the properties of `info` assigned after it was
    /// created (custom keys one by one). Every device of the user then hears
    /// `onSelfInfoUpdated(info:)`.
    public func setSelfInfo(info: V2TIMUserFullInfo, succ: V2TIMSucc?, fail: V2TIMFail?) {
        let callback = makeCallback(succ, fail, callbackQueue)
        // C strings and arrays that live until the call returned.
        var owned: [UnsafeMutablePointer<CChar>] = []
        func dup(_ s: String?) -> UnsafePointer<CChar>? {
            guard let s = s, let p = strdup(s) else { return nil }
            owned.append(p)
            return UnsafePointer(p)
        }
        let keys = info.customInfo.keys.sorted()
        let values = keys.map { info.customInfo[$0] ?? Data() }
        let keyPointers: [UnsafePointer<CChar>?] = keys.map { dup($0) }
        let valueCopies: [UnsafeMutablePointer<UInt8>] = values.map { data in
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(data.count, 1))
            data.copyBytes(to: p, count: data.count)
            return p
        }
        let valuePointers: [UnsafePointer<UInt8>?] = valueCopies.map { UnsafePointer($0) }
        let lengths: [Int] = values.map { $0.count }
        keyPointers.withUnsafeBufferPointer { k in
            valuePointers.withUnsafeBufferPointer { v in
                lengths.withUnsafeBufferPointer { l in
                    var c = CV2TIM.V2TIMSelfInfo(
                        modify_flag: info.modified,
                        nick_name: dup(info.nickName ?? ""),
                        face_url: dup(info.faceURL ?? ""),
                        self_signature: dup(info.selfSignature ?? ""),
                        gender: Int32(info.gender.rawValue),
                        role: info.role,
                        level: info.level,
                        birthday: info.birthday,
                        allow_type: Int32(info.allowType.rawValue),
                        custom_info_keys: k.baseAddress,
                        custom_info_values: v.baseAddress,
                        custom_info_lengths: l.baseAddress,
                        custom_info_count: keys.count
                    )
                    v2tim_set_self_info_fields(handle, &c, callback)
                }
            }
        }
        owned.forEach { free($0) }
        valueCopies.forEach { $0.deallocate() }
    }

    /// Profiles of up to 100 users; users without an account are left out.
    public func getUsersInfo(
        _ userIDList: [String], succ: V2TIMUserFullInfoListSucc?, fail: V2TIMFail?
    ) {
        let callback = makeUserFullInfoListCallback(succ, fail, callbackQueue)
        let copies = userIDList.map { strdup($0) }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        pointers.withUnsafeBufferPointer { ids in
            v2tim_get_users_info(handle, ids.baseAddress, ids.count, callback)
        }
        copies.forEach { free($0) }
    }

    // MARK: Conversations

    /// A page of the conversation list, newest activity first: `nextSeq` 0 for the first
    /// page, then the previous page's until `isFinished`; `count` 1 to 100. After login the
    /// SDK reads the list from the server; a call made before that read ended waits for it.
    public func getConversationList(
        nextSeq: UInt64, count: Int32, succ: V2TIMConversationResultSucc?, fail: V2TIMFail?
    ) {
        let callback = makeConversationResultCallback(succ, fail, callbackQueue)
        v2tim_get_conversation_list(handle, nextSeq, UInt32(clamping: count), callback)
    }

    /// One conversation by id ("c2c_<userID>" or "group_<groupID>").
    public func getConversation(
        conversationID: String, succ: V2TIMConversationSucc?, fail: V2TIMFail?
    ) {
        let callback = makeConversationCallback(succ, fail, callbackQueue)
        v2tim_get_conversation(handle, conversationID, callback)
    }

    /// The sum of every conversation's unread count.
    public func getTotalUnreadMessageCount(
        succ: V2TIMTotalUnreadMessageCountSucc?, fail: V2TIMFail?
    ) {
        v2tim_get_total_unread_message_count(handle, makeUint64Callback(succ, fail, callbackQueue))
    }

    /// Marks a conversation read on every device of the user: up to the message of seq
    /// `cleanSequence` when it is not 0, else up to the newest message sent at or before
    /// `cleanTimestamp` (seconds) when that is not 0, else all of it.
    public func cleanConversationUnreadMessageCount(
        conversationID: String, cleanTimestamp: UInt64, cleanSequence: UInt64,
        succ: V2TIMSucc?, fail: V2TIMFail?
    ) {
        let callback = makeCallback(succ, fail, callbackQueue)
        v2tim_clean_conversation_unread_message_count(
            handle, conversationID, cleanTimestamp, cleanSequence, callback)
    }

    /// Marks the C2C conversation with `userID` read (deprecated in V2TIM for
    /// `cleanConversationUnreadMessageCount`).
    public func markC2CMessageAsRead(userID: String, succ: V2TIMSucc?, fail: V2TIMFail?) {
        v2tim_mark_c2c_message_as_read(handle, userID, makeCallback(succ, fail, callbackQueue))
    }

    /// Marks the conversation of group `groupID` read (deprecated in V2TIM, as above).
    public func markGroupMessageAsRead(groupID: String, succ: V2TIMSucc?, fail: V2TIMFail?) {
        v2tim_mark_group_message_as_read(handle, groupID, makeCallback(succ, fail, callbackQueue))
    }

    // MARK: Groups

    /// Creates a group; `groupID` nil lets the server choose one (passed to `succ`).
    public func createGroup(
        groupType: String, groupID: String?, groupName: String,
        succ: V2TIMCreateGroupSucc?, fail: V2TIMFail?
    ) {
        let callback = makeStringCallback(succ, fail, callbackQueue)
        withOptionalCString(groupID) { groupID in
            v2tim_create_group(handle, groupType, groupID, groupName, callback)
        }
    }

    public func joinGroup(groupID: String, msg: String?, succ: V2TIMSucc?, fail: V2TIMFail?) {
        let callback = makeCallback(succ, fail, callbackQueue)
        withOptionalCString(msg) { msg in
            v2tim_join_group(handle, groupID, msg, callback)
        }
    }

    public func quitGroup(groupID: String, succ: V2TIMSucc?, fail: V2TIMFail?) {
        v2tim_quit_group(handle, groupID, makeCallback(succ, fail, callbackQueue))
    }

    /// Sets the role of `memberUserID` (a `V2TIMGroupMemberRole` raw value; only the owner may).
    public func setGroupMemberRole(
        groupID: String, memberUserID: String, newRole: UInt32,
        succ: V2TIMSucc?, fail: V2TIMFail?
    ) {
        v2tim_set_group_member_role(
            handle, groupID, memberUserID, newRole, makeCallback(succ, fail, callbackQueue))
    }

    /// Creates a group from `info` (groupType, groupID or nil, groupName, notification,
    /// introduction, faceURL) with the first members `memberList` (they hear
    /// `onMemberInvited`); the creator is its owner. `succ` gets the group id.
    public func createGroup(
        _ info: V2TIMGroupInfo, memberList: [V2TIMCreateGroupMemberInfo]?,
        succ: V2TIMCreateGroupSucc?, fail: V2TIMFail?
    ) {
        let callback = makeStringCallback(succ, fail, callbackQueue)
        let ids = (memberList ?? []).map { $0.userID ?? "" }
        withGroupInfoParam(info) { param in
            withCStringArray(ids) { ids, count in
                v2tim_create_group_with_info(handle, param, count == 0 ? nil : ids, count, callback)
            }
        }
    }

    /// The groups the user is a member of.
    public func getJoinedGroupList(_ succ: V2TIMGroupInfoListSucc?, fail: V2TIMFail?) {
        v2tim_get_joined_group_list(handle, makeGroupInfoListCallback(succ, fail, callbackQueue))
    }

    /// Profiles of up to 100 groups, each with its own result (10010: no such group).
    public func getGroupsInfo(
        _ groupIDList: [String], succ: V2TIMGroupInfoResultListSucc?, fail: V2TIMFail?
    ) {
        let callback = makeGroupInfoResultListCallback(succ, fail, callbackQueue)
        withCStringArray(groupIDList) { ids, count in
            v2tim_get_groups_info(handle, ids, count, callback)
        }
    }

    /// Changes the fields of group `info.groupID` that are not nil (name, notification,
    /// introduction, faceURL): the owner and admins may, or any member of a Work group.
    /// Every member hears `onGroupInfoChanged`.
    public func setGroupInfo(_ info: V2TIMGroupInfo, succ: V2TIMSucc?, fail: V2TIMFail?) {
        var flags: UInt32 = 0
        if info.groupName != nil { flags |= 1 }
        if info.notification != nil { flags |= 2 }
        if info.introduction != nil { flags |= 4 }
        if info.faceURL != nil { flags |= 8 }
        let callback = makeCallback(succ, fail, callbackQueue)
        withGroupInfoParam(info) { param in
            v2tim_set_group_info(handle, param, flags, callback)
        }
    }

    /// A page of members in join order: `filter` `V2TIMGroupMemberFilter` raw values or'ed,
    /// `nextSeq` 0 for the first page, then what `succ` gave until it gives 0.
    public func getGroupMemberList(
        _ groupID: String, filter: UInt32, nextSeq: UInt64,
        succ: V2TIMGroupMemberInfoResultSucc?, fail: V2TIMFail?
    ) {
        let callback = makeGroupMemberPageCallback(succ, fail, callbackQueue)
        v2tim_get_group_member_list(handle, groupID, filter, nextSeq, callback)
    }

    /// Adds users to a group; `succ` gets one result per user (INVALID: already a member,
    /// OVERLIMIT: the group is full).
    public func inviteUserToGroup(
        _ groupID: String, userList: [String],
        succ: V2TIMGroupMemberOperationResultListSucc?, fail: V2TIMFail?
    ) {
        let callback = makeMemberResultsCallback(succ, fail, callbackQueue)
        withCStringArray(userList) { ids, count in
            v2tim_invite_user_to_group(handle, groupID, ids, count, callback)
        }
    }

    /// Removes members: the owner anyone, an admin ordinary members; one result per user.
    public func kickGroupMember(
        _ groupID: String, memberList: [String], reason: String?,
        succ: V2TIMGroupMemberOperationResultListSucc?, fail: V2TIMFail?
    ) {
        let callback = makeMemberResultsCallback(succ, fail, callbackQueue)
        withCStringArray(memberList) { ids, count in
            withOptionalCString(reason) { reason in
                v2tim_kick_group_member(handle, groupID, ids, count, reason, callback)
            }
        }
    }

    /// Dismisses the group: its owner, any type but Work. Every member hears
    /// `onGroupDismissed`.
    public func dismissGroup(_ groupID: String, succ: V2TIMSucc?, fail: V2TIMFail?) {
        v2tim_dismiss_group(handle, groupID, makeCallback(succ, fail, callbackQueue))
    }

    // MARK: Errors (v2tim's own)

    /// The last synchronous error on the calling thread (e.g. why `createTextMessage` gave nil).
    public static var lastError: (code: Int32, desc: String) {
        return (v2tim_last_error_code(), String(cString: v2tim_last_error_desc()))
    }

    /// A UserSig for tests and demos (an app must not ship its secret key).
    public static func genUserSig(
        sdkAppID: UInt32, secretKey: String, userID: String, expireSeconds: UInt32
    ) -> String? {
        guard let sig = v2tim_gen_user_sig(sdkAppID, secretKey, userID, expireSeconds) else {
            return nil
        }
        defer { v2tim_string_free(sig) }
        return String(cString: sig)
    }
}
