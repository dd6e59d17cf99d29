// The conversation list: V2TIM's V2TIMConversation, V2TIMConversationListener and the
// completion shapes of the conversation calls (the calls are on V2TIMManager).

import CV2TIM
import Foundation

/// Conversation type (`V2TIMConversation.type`).
public enum V2TIMConversationType: Int {
    case V2TIM_C2C = 1
    case V2TIM_GROUP = 2
}

/// A conversation of the logged-in user: a snapshot taken when the SDK reported it, except
/// `lastMessage`, the live message (a recall shows on it).
public final class V2TIMConversation {
    public let type: V2TIMConversationType
    /// "c2c_<userID>" or "group_<groupID>".
    public let conversationID: String?
    /// C2C: the other user; nil for groups.
    public let userID: String?
    /// Groups: the group; nil for C2C.
    public let groupID: String?
    /// Groups: "Work", "Public", "Meeting", "AVChatRoom" or "Community"; nil for C2C.
    public let groupType: String?
    /// C2C: the other user's id; groups: the group's name (its id when unnamed).
    public let showName: String?
    public let faceUrl: String?
    /// Messages from others after the user's read position, not recalled.
    public let unreadCount: Int32
    /// The newest message, or nil; after a recall it is in its recalled form.
    public let lastMessage: V2TIMMessage?
    /// Larger is more recent activity: sort by it, largest first.
    public let orderKey: UInt
    /// v2tim has no drafts: always nil.
    public let draftText: String? = nil
    /// v2tim has no pinned conversations: always false.
    public let isPinned: Bool = false

    /// Copies a conversation lent to a callback (its last message gets a reference of its
    /// own).
    init(copying c: OpaquePointer) {
        type = V2TIMConversationType(rawValue: Int(v2tim_conversation_get_type(c))) ?? .V2TIM_C2C
        conversationID = optionalString(v2tim_conversation_get_conversation_id(c))
        userID = optionalString(v2tim_conversation_get_user_id(c))
        groupID = optionalString(v2tim_conversation_get_group_id(c))
        groupType = optionalString(v2tim_conversation_get_group_type(c))
        showName = optionalString(v2tim_conversation_get_show_name(c))
        faceUrl = optionalString(v2tim_conversation_get_face_url(c))
        unreadCount = Int32(clamping: v2tim_conversation_get_unread_count(c))
        lastMessage = v2tim_conversation_get_last_message(c).map { V2TIMMessage(retaining: $0) }
        orderKey = UInt(clamping: v2tim_conversation_get_order_key(c))
    }

    /// Every conversation of a list lent to a callback, copied.
    static func copying(list: OpaquePointer?) -> [V2TIMConversation] {
        var out: [V2TIMConversation] = []
        let count = v2tim_conversation_list_size(list)
        for index in 0..<count {
            if let c = v2tim_conversation_list_get(list, index) {
                out.append(V2TIMConversation(copying: c))
            }
        }
        return out
    }
}

/// A page of `getConversationList` (V2TIM's `V2TIMConversationResultSucc`).
public typealias V2TIMConversationResultSucc = (
    _ list: [V2TIMConversation]?, _ nextSeq: UInt64, _ isFinished: Bool
) -> Void
/// One conversation (V2TIM's `V2TIMConversationSucc`).
public typealias V2TIMConversationSucc = (_ conv: V2TIMConversation?) -> Void
/// The total unread count (V2TIM's `V2TIMTotalUnreadMessageCountSucc`).
public typealias V2TIMTotalUnreadMessageCountSucc = (_ totalUnreadCount: UInt64) -> Void

/// Conversation list events, reported from the end of the first read of the list after
/// login on (`getConversationList` answers that read). Same rules as
/// `V2TIMAdvancedMsgListener`; register with `V2TIMManager.addConversationListener(listener:)`.
public protocol V2TIMConversationListener: AnyObject {
    /// Not called by v2tim: the list is read after every login and reconnection.
    func onSyncServerStart()
    /// Not called by v2tim (see `onSyncServerStart()`).
    func onSyncServerFinish()
    /// Not called by v2tim (see `onSyncServerStart()`).
    func onSyncServerFailed()
    /// Conversations the list did not hold before.
    func onNewConversation(conversationList: [V2TIMConversation])
    /// Conversations whose last message (or its recall), unread count, order or name
    /// changed: each once per change.
    func onConversationChanged(conversationList: [V2TIMConversation])
    /// The sum of every conversation's unread count changed.
    func onTotalUnreadMessageCountChanged(totalUnreadCount: UInt64)
}

extension V2TIMConversationListener {
    public func onSyncServerStart() {}
    public func onSyncServerFinish() {}
    public func onSyncServerFailed() {}
    public func onNewConversation(conversationList: [V2TIMConversation]) {}
    public func onConversationChanged(conversationList: [V2TIMConversation]) {}
    public func onTotalUnreadMessageCountChanged(totalUnreadCount: UInt64) {}
}

final class ConversationListenerBox: ListenerBox {
    weak var listener: V2TIMConversationListener?
    private var cListener = CV2TIM.V2TIMConversationListener()

    init(listener: V2TIMConversationListener, queue: DispatchQueue?) {
        self.listener = listener
        super.init(queue: queue)
        cListener = CV2TIM.V2TIMConversationListener(
            user_data: Unmanaged.passUnretained(self).toOpaque(),
            on_new_conversation: { userData, list in
                // Lent for this call only: copied now.
                let convs = V2TIMConversation.copying(list: list)
                let box = ListenerBox.box(userData, as: ConversationListenerBox.self)
                box.post { box.listener?.onNewConversation(conversationList: convs) }
            },
            on_conversation_changed: { userData, list in
                let convs = V2TIMConversation.copying(list: list)
                let box = ListenerBox.box(userData, as: ConversationListenerBox.self)
                box.post { box.listener?.onConversationChanged(conversationList: convs) }
            },
            on_total_unread_message_count_changed: { userData, total in
                let box = ListenerBox.box(userData, as: ConversationListenerBox.self)
                box.post { box.listener?.onTotalUnreadMessageCountChanged(totalUnreadCount: total) }
            }
        )
    }

    override var object: AnyObject? { return listener }

    override func addToC(_ manager: OpaquePointer) {
        var c = cListener
        v2tim_add_conversation_listener(manager, &c)
    }

    override func removeFromC(_ manager: OpaquePointer) {
        var c = cListener
        v2tim_remove_conversation_listener(manager, &c)
    }
}

func makeConversationResultCallback(
    _ succ: V2TIMConversationResultSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMConversationResultCallback {
    typealias Page = (list: [V2TIMConversation], nextSeq: UInt64, isFinished: Bool)
    var pageSucc: ((Page) -> Void)? = nil
    if let succ = succ {
        pageSucc = { (page: Page) -> Void in succ(page.list, page.nextSeq, page.isFinished) }
    }
    let pending = Pending<Page>(succ: pageSucc, fail: fail, queue: queue)
    return CV2TIM.V2TIMConversationResultCallback(
        user_data: pending.open(),
        on_success: { userData, list, nextSeq, isFinished in
            let convs = V2TIMConversation.copying(list: list)
            Pending<Page>.close(userData).succeed((list: convs, nextSeq: nextSeq, isFinished: isFinished))
        },
        on_error: { userData, code, desc in Pending<Page>.close(userData).failed(code, desc) }
    )
}

func makeConversationCallback(
    _ succ: V2TIMConversationSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMConversationCallback {
    let pending = Pending<V2TIMConversation?>(succ: succ, fail: fail, queue: queue)
    return CV2TIM.V2TIMConversationCallback(
        user_data: pending.open(),
        on_success: { userData, conv in
            let copy = conv.map { V2TIMConversation(copying: $0) }
            Pending<V2TIMConversation?>.close(userData).succeed(copy)
        },
        on_error: { userData, code, desc in
            Pending<V2TIMConversation?>.close(userData).failed(code, desc)
        }
    )
}

func makeUint64Callback(
    _ succ: ((UInt64) -> Void)?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMUint64Callback {
    let pending = Pending<UInt64>(succ: succ, fail: fail, queue: queue)
    return CV2TIM.V2TIMUint64Callback(
        user_data: pending.open(),
        on_success: { userData, value in Pending<UInt64>.close(userData).succeed(value) },
        on_error: { userData, code, desc in Pending<UInt64>.close(userData).failed(code, desc) }
    )
}
