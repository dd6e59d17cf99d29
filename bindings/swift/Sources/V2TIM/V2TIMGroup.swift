// Groups: V2TIM's group types, the group listener, group tips, and the closures of the group
// calls (the calls themselves are on V2TIMManager).

import CV2TIM
import Foundation

/// Which members `getGroupMemberList` lists (bits; V2TIM's numbers).
public enum V2TIMGroupMemberFilter: UInt32 {
    case V2TIM_GROUP_MEMBER_FILTER_ALL = 0
    case V2TIM_GROUP_MEMBER_FILTER_OWNER = 1
    case V2TIM_GROUP_MEMBER_FILTER_ADMIN = 2
    case V2TIM_GROUP_MEMBER_FILTER_COMMON = 4
}

/// What a group tips reports (V2TIM's numbers).
public enum V2TIMGroupTipsType: Int {
    case V2TIM_GROUP_TIPS_TYPE_JOIN = 1
    case V2TIM_GROUP_TIPS_TYPE_INVITE = 2
    case V2TIM_GROUP_TIPS_TYPE_QUIT = 3
    case V2TIM_GROUP_TIPS_TYPE_KICKED = 4
    case V2TIM_GROUP_TIPS_TYPE_SET_ADMIN = 5
    case V2TIM_GROUP_TIPS_TYPE_CANCEL_ADMIN = 6
    case V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE = 7
    case V2TIM_GROUP_TIPS_TYPE_MEMBER_INFO_CHANGE = 8
}

/// What a group profile change changed (V2TIM's numbers).
public enum V2TIMGroupInfoChangeType: Int {
    case V2TIM_GROUP_INFO_CHANGE_TYPE_NAME = 1
    case V2TIM_GROUP_INFO_CHANGE_TYPE_INTRODUCTION = 2
    case V2TIM_GROUP_INFO_CHANGE_TYPE_NOTIFICATION = 3
    case V2TIM_GROUP_INFO_CHANGE_TYPE_FACE_URL = 4
    case V2TIM_GROUP_INFO_CHANGE_TYPE_OWNER = 5
}

/// A group member as events and messages name one (V2TIM's `V2TIMGroupMemberInfo`). v2tim
/// fills userID, nickName and faceURL (the user's profile); nameCard and friendRemark stay
/// nil (no group name cards, no friends).
public class V2TIMGroupMemberInfo {
    public var userID: String?
    public var nickName: String?
    public var nameCard: String?
    public var friendRemark: String?
    public var faceURL: String?

    public init() {}

    /// A message's sender (the simple message listener).
    init(userID: String?, nickName: String?, faceURL: String?) {
        self.userID = userID
        self.nickName = nickName
        self.faceURL = faceURL
    }

    /// Copies a member lent to a callback.
    init(copying m: OpaquePointer?) {
        userID = optionalString(v2tim_group_member_info_get_user_id(m))
        nickName = optionalString(v2tim_group_member_info_get_nick_name(m))
        faceURL = optionalString(v2tim_group_member_info_get_face_url(m))
    }
}

/// A member with its role (`V2TIMGroupMemberRole` raw value; 0 in tips) and join time
/// (seconds since the epoch; 0 in tips).
public final class V2TIMGroupMemberFullInfo: V2TIMGroupMemberInfo {
    public var role: UInt32 = 0
    public var joinTime: Int64 = 0

    public override init() {
        super.init()
    }

    override init(copying m: OpaquePointer?) {
        role = v2tim_group_member_info_get_role(m)
        joinTime = v2tim_group_member_info_get_join_time(m)
        super.init(copying: m)
    }

    /// Every member of a list lent to a callback, copied.
    static func copying(list: OpaquePointer?) -> [V2TIMGroupMemberFullInfo] {
        var out: [V2TIMGroupMemberFullInfo] = []
        let count = v2tim_group_member_info_list_size(list)
        for index in 0..<count {
            if let m = v2tim_group_member_info_list_get(list, index) {
                out.append(V2TIMGroupMemberFullInfo(copying: m))
            }
        }
        return out
    }
}

/// One first member of `createGroup(info:memberList:succ:fail:)`. Every first member joins as
/// an ordinary member: `role` is kept and not used (roles are set with `setGroupMemberRole`).
public final class V2TIMCreateGroupMemberInfo {
    public var userID: String?
    public var role: UInt32 = V2TIMGroupMemberRole.V2TIM_GROUP_MEMBER_ROLE_MEMBER.rawValue

    public init() {}
}

/// One field a profile change changed: the new value (OWNER: the new owner's user id).
public final class V2TIMGroupChangeInfo {
    public let type: V2TIMGroupInfoChangeType
    public let value: String?
    /// Custom fields only: always nil in v2tim.
    public let key: String? = nil

    init(type: V2TIMGroupInfoChangeType, value: String?) {
        self.type = type
        self.value = value
    }
}

/// A group's profile. For `createGroup`: groupType, groupID (nil lets the server choose),
/// groupName, notification, introduction, faceURL. For `setGroupInfo`: groupID and the fields
/// set to non-nil values. The rest is filled by `getGroupsInfo` and `getJoinedGroupList`.
public final class V2TIMGroupInfo {
    public var groupID: String?
    public var groupType: String?
    public var groupName: String?
    public var notification: String?
    public var introduction: String?
    public var faceURL: String?
    public private(set) var owner: String?
    /// Seconds since the epoch.
    public private(set) var createTime: UInt32 = 0
    public private(set) var memberCount: UInt32 = 0
    /// The user's `V2TIMGroupMemberRole` raw value (0: not a member).
    public private(set) var role: UInt32 = 0
    /// When the user joined, seconds since the epoch.
    public private(set) var joinTime: UInt32 = 0

    public init() {}

    /// Copies a group lent to a callback.
    init(copying g: OpaquePointer) {
        groupID = optionalString(v2tim_group_info_get_group_id(g))
        groupType = optionalString(v2tim_group_info_get_group_type(g))
        groupName = optionalString(v2tim_group_info_get_group_name(g))
        notification = optionalString(v2tim_group_info_get_notification(g))
        introduction = optionalString(v2tim_group_info_get_introduction(g))
        faceURL = optionalString(v2tim_group_info_get_face_url(g))
        owner = optionalString(v2tim_group_info_get_owner(g))
        createTime = UInt32(clamping: v2tim_group_info_get_create_time(g))
        memberCount = v2tim_group_info_get_member_count(g)
        role = v2tim_group_info_get_role(g)
        joinTime = UInt32(clamping: v2tim_group_info_get_join_time(g))
    }
}

/// One group of `getGroupsInfo`: resultCode 0 and its info, or why not (10010: no such group).
public final class V2TIMGroupInfoResult {
    public let resultCode: Int32
    public let resultMsg: String?
    public let info: V2TIMGroupInfo?

    init(resultCode: Int32, resultMsg: String?, info: V2TIMGroupInfo?) {
        self.resultCode = resultCode
        self.resultMsg = resultMsg
        self.info = info
    }
}

/// The outcome for one user of `inviteUserToGroup` / `kickGroupMember`.
public final class V2TIMGroupMemberOperationResult {
    public let userID: String?
    /// 0 FAIL, 1 SUCC, 2 INVALID (already a member / not a member / not removable), 4
    /// OVERLIMIT (the group is full).
    public let result: Int

    init(userID: String?, result: Int) {
        self.userID = userID
        self.result = result
    }
}

/// A group tips element: the server writes one into the group's conversation for every
/// membership and profile change. `opMember` did it (for JOIN and QUIT: who joined or left),
/// `memberList` are those it concerns, `groupChangeInfoList` what changed; names are those of
/// when it was written.
public final class V2TIMGroupTipsElem {
    public let groupID: String?
    public let type: V2TIMGroupTipsType
    public let opMember: V2TIMGroupMemberInfo
    public let memberList: [V2TIMGroupMemberInfo]
    public let groupChangeInfoList: [V2TIMGroupChangeInfo]
    /// Members after the change.
    public let memberCount: UInt32
    /// The C type (256 for a dismissal, which only the listener sees).
    let rawType: UInt32

    /// Copies tips lent to a callback (or read from a message).
    init(groupID: String?, copying t: OpaquePointer?) {
        let raw = v2tim_group_tips_get_type(t)
        self.groupID = groupID
        rawType = raw
        type = V2TIMGroupTipsType(rawValue: Int(raw)) ?? .V2TIM_GROUP_TIPS_TYPE_JOIN
        opMember = V2TIMGroupMemberInfo(copying: v2tim_group_tips_get_op_member(t))
        memberList = V2TIMGroupMemberFullInfo.copying(list: v2tim_group_tips_get_member_list(t))
        var changes: [V2TIMGroupChangeInfo] = []
        let count = v2tim_group_tips_get_change_info_count(t)
        for index in 0..<count {
            let kind = V2TIMGroupInfoChangeType(
                rawValue: Int(v2tim_group_tips_get_change_info_type(t, index)))
                ?? .V2TIM_GROUP_INFO_CHANGE_TYPE_NAME
            changes.append(V2TIMGroupChangeInfo(
                type: kind, value: optionalString(v2tim_group_tips_get_change_info_value(t, index))))
        }
        groupChangeInfoList = changes
        memberCount = v2tim_group_tips_get_member_count(t)
    }
}

/// Group events (V2TIM's `V2TIMGroupListener`), from the group tips the server writes for
/// every change: on every device of every member, once, in order. Same rules as
/// `V2TIMAdvancedMsgListener`; register with `V2TIMManager.addGroupListener(listener:)`.
public protocol V2TIMGroupListener: AnyObject {
    func onMemberEnter(_ groupID: String?, memberList: [V2TIMGroupMemberInfo]?)
    func onMemberLeave(_ groupID: String?, member: V2TIMGroupMemberInfo?)
    func onMemberInvited(
        _ groupID: String?, opUser: V2TIMGroupMemberInfo?, memberList: [V2TIMGroupMemberInfo]?)
    func onMemberKicked(
        _ groupID: String?, opUser: V2TIMGroupMemberInfo?, memberList: [V2TIMGroupMemberInfo]?)
    func onGroupDismissed(_ groupID: String?, opUser: V2TIMGroupMemberInfo?)
    func onGroupInfoChanged(_ groupID: String?, changeInfoList: [V2TIMGroupChangeInfo]?)
    func onGrantAdministrator(
        _ groupID: String?, opUser: V2TIMGroupMemberInfo?, memberList: [V2TIMGroupMemberInfo]?)
    func onRevokeAdministrator(
        _ groupID: String?, opUser: V2TIMGroupMemberInfo?, memberList: [V2TIMGroupMemberInfo]?)
    /// The logged-in user left the group (on this device or another), instead of
    /// `onMemberLeave`.
    func onQuitFromGroup(_ groupID: String?)
}

extension V2TIMGroupListener {
    public func onMemberEnter(_ groupID: String?, memberList: [V2TIMGroupMemberInfo]?) {}
    public func onMemberLeave(_ groupID: String?, member: V2TIMGroupMemberInfo?) {}
    public func onMemberInvited(
        _ groupID: String?, opUser: V2TIMGroupMemberInfo?, memberList: [V2TIMGroupMemberInfo]?
    ) {}
    public func onMemberKicked(
        _ groupID: String?, opUser: V2TIMGroupMemberInfo?, memberList: [V2TIMGroupMemberInfo]?
    ) {}
    public func onGroupDismissed(_ groupID: String?, opUser: V2TIMGroupMemberInfo?) {}
    public func onGroupInfoChanged(_ groupID: String?, changeInfoList: [V2TIMGroupChangeInfo]?) {}
    public func onGrantAdministrator(
        _ groupID: String?, opUser: V2TIMGroupMemberInfo?, memberList: [V2TIMGroupMemberInfo]?
    ) {}
    public func onRevokeAdministrator(
        _ groupID: String?, opUser: V2TIMGroupMemberInfo?, memberList: [V2TIMGroupMemberInfo]?
    ) {}
    public func onQuitFromGroup(_ groupID: String?) {}
}

final class GroupListenerBox: ListenerBox {
    weak var listener: V2TIMGroupListener?
    private var cListener = CV2TIM.V2TIMGroupListener()

    private let manager: OpaquePointer

    init(listener: V2TIMGroupListener, manager: OpaquePointer, queue: DispatchQueue?) {
        self.listener = listener
        self.manager = manager
        super.init(queue: queue)
        cListener = CV2TIM.V2TIMGroupListener(
            user_data: Unmanaged.passUnretained(self).toOpaque(),
            on_group_tips: { userData, groupID, tips in
                // Lent for this call only: copied now, with who is logged in.
                let group = optionalString(groupID)
                let elem = V2TIMGroupTipsElem(groupID: group, copying: tips)
                let box = ListenerBox.box(userData, as: GroupListenerBox.self)
                let me = box.loginUser()
                box.post { box.deliver(elem, me: me) }
            }
        )
    }

    private func loginUser() -> String? {
        guard let s = v2tim_get_login_user(manager) else { return nil }
        defer { v2tim_string_free(s) }
        return String(cString: s)
    }

    private func deliver(_ t: V2TIMGroupTipsElem, me: String?) {
        guard let l = listener else { return }
        let g = t.groupID
        switch t.rawType {
        case 1: l.onMemberEnter(g, memberList: t.memberList)
        case 2: l.onMemberInvited(g, opUser: t.opMember, memberList: t.memberList)
        case 3:
            if t.opMember.userID == me {
                l.onQuitFromGroup(g)
            } else {
                l.onMemberLeave(g, member: t.opMember)
            }
        case 4: l.onMemberKicked(g, opUser: t.opMember, memberList: t.memberList)
        case 5: l.onGrantAdministrator(g, opUser: t.opMember, memberList: t.memberList)
        case 6: l.onRevokeAdministrator(g, opUser: t.opMember, memberList: t.memberList)
        case 7: l.onGroupInfoChanged(g, changeInfoList: t.groupChangeInfoList)
        // V2TIM_GROUP_TIPS_TYPE_GROUP_DISMISSED: only the listener sees it.
        case 256: l.onGroupDismissed(g, opUser: t.opMember)
        default: break
        }
    }

    override var object: AnyObject? { return listener }

    override func addToC(_ manager: OpaquePointer) {
        var c = cListener
        v2tim_add_group_listener(manager, &c)
    }

    override func removeFromC(_ manager: OpaquePointer) {
        var c = cListener
        v2tim_remove_group_listener(manager, &c)
    }
}

/// Groups (V2TIM's `V2TIMGroupInfoListSucc`).
public typealias V2TIMGroupInfoListSucc = (_ groupList: [V2TIMGroupInfo]?) -> Void
/// Profiles with their results (V2TIM's `V2TIMGroupInfoResultListSucc`).
public typealias V2TIMGroupInfoResultListSucc = (_ groupResultList: [V2TIMGroupInfoResult]?) -> Void
/// A page of members and the offset of the next (0: the last page).
public typealias V2TIMGroupMemberInfoResultSucc =
    (_ nextSeq: UInt64, _ memberList: [V2TIMGroupMemberFullInfo]?) -> Void
/// One result per user (V2TIM's `V2TIMGroupMemberOperationResultListSucc`).
public typealias V2TIMGroupMemberOperationResultListSucc =
    (_ resultList: [V2TIMGroupMemberOperationResult]?) -> Void

func makeGroupInfoListCallback(
    _ succ: V2TIMGroupInfoListSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMGroupInfoListCallback {
    let pending = Pending<[V2TIMGroupInfo]?>(succ: succ, fail: fail, queue: queue)
    return CV2TIM.V2TIMGroupInfoListCallback(
        user_data: pending.open(),
        on_success: { userData, list in
            var groups: [V2TIMGroupInfo] = []
            let count = v2tim_group_info_list_size(list)
            for index in 0..<count {
                if let g = v2tim_group_info_list_get(list, index) {
                    groups.append(V2TIMGroupInfo(copying: g))
                }
            }
            Pending<[V2TIMGroupInfo]?>.close(userData).succeed(groups)
        },
        on_error: { userData, code, desc in
            Pending<[V2TIMGroupInfo]?>.close(userData).failed(code, desc)
        }
    )
}

func makeGroupInfoResultListCallback(
    _ succ: V2TIMGroupInfoResultListSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMGroupInfoListCallback {
    let pending = Pending<[V2TIMGroupInfoResult]?>(succ: succ, fail: fail, queue: queue)
    return CV2TIM.V2TIMGroupInfoListCallback(
        user_data: pending.open(),
        on_success: { userData, list in
            var results: [V2TIMGroupInfoResult] = []
            let count = v2tim_group_info_list_size(list)
            for index in 0..<count {
                let info = v2tim_group_info_list_get(list, index).map { V2TIMGroupInfo(copying: $0) }
                results.append(V2TIMGroupInfoResult(
                    resultCode: v2tim_group_info_list_get_result_code(list, index),
                    resultMsg: optionalString(v2tim_group_info_list_get_result_message(list, index)),
                    info: info))
            }
            Pending<[V2TIMGroupInfoResult]?>.close(userData).succeed(results)
        },
        on_error: { userData, code, desc in
            Pending<[V2TIMGroupInfoResult]?>.close(userData).failed(code, desc)
        }
    )
}

func makeGroupMemberPageCallback(
    _ succ: V2TIMGroupMemberInfoResultSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMGroupMemberInfoResultCallback {
    typealias Page = (nextSeq: UInt64, members: [V2TIMGroupMemberFullInfo])
    var pageSucc: ((Page) -> Void)? = nil
    if let succ = succ {
        pageSucc = { (page: Page) -> Void in succ(page.nextSeq, page.members) }
    }
    let pending = Pending<Page>(succ: pageSucc, fail: fail, queue: queue)
    return CV2TIM.V2TIMGroupMemberInfoResultCallback(
        user_data: pending.open(),
        on_success: { userData, members, nextSeq in
            let list = V2TIMGroupMemberFullInfo.copying(list: members)
            Pending<Page>.close(userData).succeed((nextSeq: nextSeq, members: list))
        },
        on_error: { userData, code, desc in Pending<Page>.close(userData).failed(code, desc) }
    )
}

func makeMemberResultsCallback(
    _ succ: V2TIMGroupMemberOperationResultListSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMGroupMemberOperationResultCallback {
    let pending = Pending<[V2TIMGroupMemberOperationResult]?>(succ: succ, fail: fail, queue: queue)
    return CV2TIM.V2TIMGroupMemberOperationResultCallback(
        user_data: pending.open(),
        on_success: { userData, list in
            var results: [V2TIMGroupMemberOperationResult] = []
            let count = v2tim_group_member_operation_result_list_size(list)
            for index in 0..<count {
                results.append(V2TIMGroupMemberOperationResult(
                    userID: optionalString(
                        v2tim_group_member_operation_result_list_get_user_id(list, index)),
                    result: Int(v2tim_group_member_operation_result_list_get_result(list, index))))
            }
            Pending<[V2TIMGroupMemberOperationResult]?>.close(userData).succeed(results)
        },
        on_error: { userData, code, desc in
            Pending<[V2TIMGroupMemberOperationResult]?>.close(userData).failed(code, desc)
        }
    )
}

/// `body` with `strings` as a C array of C strings that live for the call.
func withCStringArray<R>(
    _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?, Int) -> R
) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
}

/// `info` as the C struct, its strings copied for the call.
func withGroupInfoParam<R>(
    _ info: V2TIMGroupInfo, _ body: (UnsafePointer<CV2TIM.V2TIMGroupInfoParam>) -> R
) -> R {
    let copies = [
        info.groupType, info.groupID, info.groupName, info.notification, info.introduction,
        info.faceURL,
    ].map { $0.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    let c = copies.map { $0.map { UnsafePointer($0) } }
    var param = CV2TIM.V2TIMGroupInfoParam(
        group_type: c[0], group_id: c[1], group_name: c[2], notification: c[3],
        introduction: c[4], face_url: c[5])
    return body(&param)
}
