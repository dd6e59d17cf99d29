// V2TIMMessage and the small value types around it, with V2TIM's Swift-facing names.

import CV2TIM
import Foundation

/// Status of a message (V2TIM's numbers; cases spelled as V2TIM's NS_ENUM imports them).
public enum V2TIMMessageStatus: Int {
    case V2TIM_MSG_STATUS_SENDING = 1
    case V2TIM_MSG_STATUS_SEND_SUCC = 2
    case V2TIM_MSG_STATUS_SEND_FAIL = 3
    case V2TIM_MSG_STATUS_HAS_DELETED = 4
    case V2TIM_MSG_STATUS_LOCAL_IMPORTED = 5
    /// Recalled: content erased, `revokerInfo` and `revokeReason` readable.
    case V2TIM_MSG_STATUS_LOCAL_REVOKED = 6
}

/// Kind of content (the kinds v2tim has; V2TIM's numbers).
public enum V2TIMElemType: Int {
    /// No content: the message was recalled.
    case V2TIM_ELEM_TYPE_NONE = 0
    case V2TIM_ELEM_TYPE_TEXT = 1
    case V2TIM_ELEM_TYPE_CUSTOM = 2
    case V2TIM_ELEM_TYPE_GROUP_TIPS = 9
}

/// Priority of a message (`sendMessage(...priority:...)`).
public enum V2TIMMessagePriority: Int {
    case V2TIM_PRIORITY_DEFAULT = 0
    case V2TIM_PRIORITY_HIGH = 1
    case V2TIM_PRIORITY_NORMAL = 2
    case V2TIM_PRIORITY_LOW = 3
}

/// A profile's gender (`V2TIMUserFullInfo.gender`).
public enum V2TIMGender: Int {
    case V2TIM_GENDER_UNKNOWN = 0
    case V2TIM_GENDER_MALE = 1
    case V2TIM_GENDER_FEMALE = 2
}

/// Who may send a friend request (`V2TIMUserFullInfo.allowType`).
public enum V2TIMFriendAllowType: Int {
    case V2TIM_FRIEND_ALLOW_ANY = 0
    case V2TIM_FRIEND_NEED_CONFIRM = 1
    case V2TIM_FRIEND_DENY_ANY = 2
}

/// A user's profile (V2TIM's `V2TIMUserFullInfo`). For `setSelfInfo(info:succ:fail:)`, the
/// properties assigned after creation are the ones that change (custom keys one by one).
public final class V2TIMUserFullInfo {
    /// Which properties were assigned (V2TIM's modify flags, as `V2TIMSelfInfo.modify_flag`).
    private(set) var modified: UInt32 = 0

    public var userID: String?
    public var nickName: String? { didSet { modified |= 1 } }
    public var faceURL: String? { didSet { modified |= 2 } }
    public var gender: V2TIMGender = .V2TIM_GENDER_UNKNOWN { didSet { modified |= 4 } }
    public var birthday: UInt32 = 0 { didSet { modified |= 8 } }
    public var selfSignature: String? { didSet { modified |= 16 } }
    public var allowType: V2TIMFriendAllowType = .V2TIM_FRIEND_ALLOW_ANY {
        didSet { modified |= 32 }
    }
    public var level: UInt32 = 0 { didSet { modified |= 64 } }
    public var role: UInt32 = 0 { didSet { modified |= 128 } }
    public var customInfo: [String: Data] = [:] { didSet { modified |= 256 } }

    public init() {}

    public init(userID: String?, nickName: String? = nil, faceURL: String? = nil) {
        self.userID = userID
        self.nickName = nickName
        self.faceURL = faceURL
        modified = 0
    }

    /// Copies a profile lent to a callback.
    init(copying info: OpaquePointer?) {
        userID = optionalString(v2tim_user_full_info_get_user_id(info))
        nickName = optionalString(v2tim_user_full_info_get_nick_name(info))
        faceURL = optionalString(v2tim_user_full_info_get_face_url(info))
        selfSignature = optionalString(v2tim_user_full_info_get_self_signature(info))
        gender = V2TIMGender(rawValue: Int(v2tim_user_full_info_get_gender(info)))
            ?? .V2TIM_GENDER_UNKNOWN
        allowType = V2TIMFriendAllowType(rawValue: Int(v2tim_user_full_info_get_allow_type(info)))
            ?? .V2TIM_FRIEND_ALLOW_ANY
        role = v2tim_user_full_info_get_role(info)
        level = v2tim_user_full_info_get_level(info)
        birthday = v2tim_user_full_info_get_birthday(info)
        var custom: [String: Data] = [:]
        let count = v2tim_user_full_info_get_custom_info_count(info)
        for index in 0..<count {
            var value: UnsafePointer<UInt8>? = nil
            var length = 0
            if let key = v2tim_user_full_info_get_custom_info(info, index, &value, &length) {
                custom[String(cString: key)] =
                    value.map { Data(bytes: $0, count: length) } ?? Data()
            }
        }
        customInfo = custom
        modified = 0
    }
}

/// The content of a text message (V2TIM's `V2TIMTextElem`; read-only here).
public final class V2TIMTextElem {
    public let text: String?
    init(text: String?) { self.text = text }
}

/// The content of a custom message (V2TIM's `V2TIMCustomElem`; read-only here).
public final class V2TIMCustomElem {
    public let data: Data?
    public let desc: String?
    /// V2TIM's `extension`, which Swift calls `ext`.
    public let ext: String?
    init(data: Data?, desc: String?, ext: String?) {
        self.data = data
        self.desc = desc
        self.ext = ext
    }
}

/// Offline push settings of `sendMessage`. v2tim has no offline push: accepted for source
/// compatibility with V2TIM and ignored.
public final class V2TIMOfflinePushInfo {
    public var title: String?
    public var desc: String?
    public var ext: String?
    public var disablePush: Bool = false
    public var iOSSound: String?
    public var ignoreIOSBadge: Bool = false
    /// 0 APNs, 1 VoIP.
    public var iOSPushType: Int = 0
    public var AndroidSound: String?
    public var AndroidOPPOChannelID: String?
    public var AndroidFCMChannelID: String?
    public var AndroidXiaoMiChannelID: String?
    public var AndroidVIVOClassification: Int = 1
    public var AndroidHuaWeiCategory: String?
    public var AndroidHonorImportance: String?
    public init() {}

    /// Hands it to an unsent SDK message (`v2tim_message_set_offline_push_info`): nil, or
    /// why it was refused.
    func apply(to message: OpaquePointer) -> (Int32, String)? {
        var owned: [UnsafeMutablePointer<CChar>] = []
        defer { owned.forEach { free($0) } }
        func dup(_ s: String?) -> UnsafePointer<CChar>? {
            guard let s = s, let p = strdup(s) else { return nil }
            owned.append(p)
            return UnsafePointer(p)
        }
        var c = CV2TIM.V2TIMOfflinePushInfo(
            title: dup(title),
            desc: dup(desc),
            ext: dup(ext),
            disable_push: disablePush,
            ios_sound: dup(iOSSound),
            ignore_ios_badge: ignoreIOSBadge,
            ios_push_type: Int32(clamping: iOSPushType),
            android_sound: dup(AndroidSound),
            android_oppo_channel_id: dup(AndroidOPPOChannelID),
            android_fcm_channel_id: dup(AndroidFCMChannelID),
            android_xiaomi_channel_id: dup(AndroidXiaoMiChannelID),
            android_vivo_classification: Int32(clamping: AndroidVIVOClassification),
            android_huawei_category: dup(AndroidHuaWeiCategory),
            android_honor_importance: dup(AndroidHonorImportance)
        )
        if v2tim_message_set_offline_push_info(message, &c) != V2TIM_SUCC {
            return (v2tim_last_error_code(), String(cString: v2tim_last_error_desc()))
        }
        return nil
    }
}

/// A message: one reference to the SDK's reference-counted message, given back in `deinit`.
///
/// Every property reads the SDK's current state of the message, so a message you hold turns
/// to its recalled form (status `.V2TIM_MSG_STATUS_LOCAL_REVOKED`, no `textElem`, `revokerInfo`
/// set) as soon as the recall is known, like V2TIM's. Thread-safe.
public final class V2TIMMessage {
    /// The C handle (`V2TIMMessage *`), owned once by this object.
    let handle: OpaquePointer

    /// Takes over a reference the caller owns (from a create function).
    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    /// Takes a reference of its own to a message lent to a callback.
    convenience init(retaining borrowed: OpaquePointer) {
        self.init(owning: v2tim_message_retain(borrowed))
    }

    deinit {
        v2tim_message_release(handle)
    }

    /// Unique id, chosen by the sending SDK.
    public var msgID: String? { optionalString(v2tim_message_get_msg_id(handle)) }

    /// Server time of acceptance; nil before the server accepted the message.
    public var timestamp: Date? {
        let seconds = v2tim_message_get_timestamp(handle)
        return seconds == 0 ? nil : Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// User id of the sender.
    public var sender: String? { optionalString(v2tim_message_get_sender(handle)) }

    /// One-to-one messages: the other user of the conversation; nil for group messages.
    public var userID: String? { optionalString(v2tim_message_get_user_id(handle)) }

    /// Group messages: the group id; nil for one-to-one messages.
    public var groupID: String? { optionalString(v2tim_message_get_group_id(handle)) }

    /// Position in its conversation (from 1); 0 before the server accepted the message.
    public var seq: UInt64 { v2tim_message_get_seq(handle) }

    public var status: V2TIMMessageStatus {
        V2TIMMessageStatus(rawValue: Int(v2tim_message_get_status(handle)))
            ?? .V2TIM_MSG_STATUS_SENDING
    }

    /// True if the logged-in user sent it.
    public var isSelf: Bool { v2tim_message_is_self(handle) }

    public var priority: V2TIMMessagePriority {
        V2TIMMessagePriority(rawValue: Int(v2tim_message_get_priority(handle)))
            ?? .V2TIM_PRIORITY_DEFAULT
    }

    public var elemType: V2TIMElemType {
        V2TIMElemType(rawValue: Int(v2tim_message_get_elem_type(handle)))
            ?? .V2TIM_ELEM_TYPE_NONE
    }

    /// The text of a text message; nil for other kinds and once recalled.
    public var textElem: V2TIMTextElem? {
        guard elemType == .V2TIM_ELEM_TYPE_TEXT else { return nil }
        return V2TIMTextElem(text: optionalString(v2tim_message_get_text(handle)) ?? "")
    }

    /// The group tips of a group tips message; nil for other kinds.
    public var groupTipsElem: V2TIMGroupTipsElem? {
        guard let tips = v2tim_message_get_group_tips_elem(handle) else { return nil }
        return V2TIMGroupTipsElem(groupID: groupID, copying: tips)
    }

    /// The content of a custom message; nil for other kinds and once recalled.
    public var customElem: V2TIMCustomElem? {
        guard elemType == .V2TIM_ELEM_TYPE_CUSTOM else { return nil }
        var length = 0
        let bytes = v2tim_message_get_custom_data(handle, &length)
        let data = bytes.map { Data(bytes: $0, count: length) }
        return V2TIMCustomElem(
            data: data,
            desc: optionalString(v2tim_message_get_custom_description(handle)),
            ext: optionalString(v2tim_message_get_custom_extension(handle)))
    }

    /// The sender's nick name and face URL (their profile when the server reported the
    /// message); nil when none.
    public var nickName: String? { optionalString(v2tim_message_get_nick_name(handle)) }
    public var faceURL: String? { optionalString(v2tim_message_get_face_url(handle)) }

    /// Who recalled the message: user id, nick name and face URL; nil unless recalled.
    public var revokerInfo: V2TIMUserFullInfo? {
        guard let revoker = optionalString(v2tim_message_get_revoker(handle)) else { return nil }
        return V2TIMUserFullInfo(
            userID: revoker,
            nickName: optionalString(v2tim_message_get_revoker_nick_name(handle)),
            faceURL: optionalString(v2tim_message_get_revoker_face_url(handle)))
    }

    /// The reason given with the recall; nil if none or not recalled.
    public var revokeReason: String? {
        optionalString(v2tim_message_get_revoke_reason(handle))
    }

    // What the app set for sending, until `sendMessage` hands it to the SDK's message
    // (which checks it and reports a refusal through `fail`).
    var pendingCloudCustomData: Data?
    var pendingExcludedFromUnread: Bool?
    var pendingExcludedFromLast: Bool?

    /// V2TIM's cloudCustomData: sent and stored with the message (UTF-8, at most 12 KB), e.g.
    /// TUIKit's reply quote, whose abstract is blanked when the quoted message is recalled.
    /// Setting it takes effect when the message is sent. Empty once recalled.
    public var cloudCustomData: Data? {
        get {
            if let pending = pendingCloudCustomData { return pending }
            return optionalString(v2tim_message_get_cloud_custom_data(handle)).map { Data($0.utf8) }
        }
        set { pendingCloudCustomData = newValue ?? Data() }
    }

    /// The message counts in no unread count; setting it takes effect when it is sent.
    public var isExcludedFromUnreadCount: Bool {
        get { pendingExcludedFromUnread ?? v2tim_message_is_excluded_from_unread_count(handle) }
        set { pendingExcludedFromUnread = newValue }
    }

    /// The message is never a conversation's last message; takes effect when it is sent.
    public var isExcludedFromLastMessage: Bool {
        get { pendingExcludedFromLast ?? v2tim_message_is_excluded_from_last_message(handle) }
        set { pendingExcludedFromLast = newValue }
    }

    /// Hands what the app set to the SDK's message: nil, or why it was refused.
    func applyPending() -> (Int32, String)? {
        defer {
            pendingCloudCustomData = nil
            pendingExcludedFromUnread = nil
            pendingExcludedFromLast = nil
        }
        let refused = { () -> (Int32, String) in
            (v2tim_last_error_code(), String(cString: v2tim_last_error_desc()))
        }
        if let data = pendingCloudCustomData {
            guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
                return (V2TIM_ERR_INVALID_PARAMETERS, "cloudCustomData must be UTF-8 text without NUL")
            }
            if v2tim_message_set_cloud_custom_data(handle, text) != V2TIM_SUCC { return refused() }
        }
        if let excluded = pendingExcludedFromUnread,
            v2tim_message_set_excluded_from_unread_count(handle, excluded) != V2TIM_SUCC
        {
            return refused()
        }
        if let excluded = pendingExcludedFromLast,
            v2tim_message_set_excluded_from_last_message(handle, excluded) != V2TIM_SUCC
        {
            return refused()
        }
        return nil
    }
}

/// Direction of `getHistoryMessageList(option:succ:fail:)` (V2TIM's numbers). v2tim keeps no
/// message store: the LOCAL types read the server like the CLOUD ones.
public enum V2TIMMessageGetType: Int {
    case V2TIM_GET_CLOUD_OLDER_MSG = 1
    case V2TIM_GET_CLOUD_NEWER_MSG = 2
    case V2TIM_GET_LOCAL_OLDER_MSG = 3
    case V2TIM_GET_LOCAL_NEWER_MSG = 4
}

/// V2TIM's history options.
public final class V2TIMMessageListGetOption {
    public var getType: V2TIMMessageGetType = .V2TIM_GET_CLOUD_OLDER_MSG
    /// Exactly one of userID (one-to-one history) and groupID.
    public var userID: String?
    public var groupID: String?
    public var count: UInt = 0
    /// `V2TIMElemType` raw values to keep (a recalled message keeps its type); empty keeps
    /// all.
    public var messageTypeList: [Int] = []
    /// The start, excluded; takes precedence over lastMsgSeq.
    public var lastMsg: V2TIMMessage?
    /// Groups only: the start, included; 0 for none.
    public var lastMsgSeq: UInt64 = 0
    /// Seconds since the epoch; 0 is now.
    public var getTimeBegin: UInt = 0
    /// Seconds; 0 is no limit.
    public var getTimePeriod: UInt64 = 0

    public init() {}
}
