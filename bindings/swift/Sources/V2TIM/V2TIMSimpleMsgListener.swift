// The simple message API: V2TIM's V2TIMSimpleMsgListener and the simple send calls, over the
// advanced listener and sendMessage.

import Foundation

/// A user as a message names its sender (V2TIM's `V2TIMUserInfo`).
public final class V2TIMUserInfo {
    public let userID: String?
    public let nickName: String?
    public let faceURL: String?

    init(userID: String?, nickName: String?, faceURL: String?) {
        self.userID = userID
        self.nickName = nickName
        self.faceURL = faceURL
    }
}

/// Text and custom messages, simply: the same messages as
/// `V2TIMAdvancedMsgListener.onRecvNewMessage(msg:)`, split by kind, with the sender's
/// profile. Register with `V2TIMManager.addSimpleMsgListener(listener:)` (held weakly).
public protocol V2TIMSimpleMsgListener: AnyObject {
    func onRecvC2CTextMessage(_ msgID: String, sender info: V2TIMUserInfo, text: String)
    func onRecvC2CCustomMessage(_ msgID: String, sender info: V2TIMUserInfo, customData: Data)
    func onRecvGroupTextMessage(
        _ msgID: String, groupID: String, sender info: V2TIMGroupMemberInfo, text: String)
    func onRecvGroupCustomMessage(
        _ msgID: String, groupID: String, sender info: V2TIMGroupMemberInfo, customData: Data)
}

extension V2TIMSimpleMsgListener {
    public func onRecvC2CTextMessage(_ msgID: String, sender info: V2TIMUserInfo, text: String) {}
    public func onRecvC2CCustomMessage(_ msgID: String, sender info: V2TIMUserInfo, customData: Data) {}
    public func onRecvGroupTextMessage(
        _ msgID: String, groupID: String, sender info: V2TIMGroupMemberInfo, text: String
    ) {}
    public func onRecvGroupCustomMessage(
        _ msgID: String, groupID: String, sender info: V2TIMGroupMemberInfo, customData: Data
    ) {}
}

/// The simple listener as an advanced one, registered in its place (the manager keeps it).
final class SimpleMsgAdapter: V2TIMAdvancedMsgListener {
    weak var listener: V2TIMSimpleMsgListener?

    init(_ listener: V2TIMSimpleMsgListener) {
        self.listener = listener
    }

    func onRecvNewMessage(msg: V2TIMMessage) {
        guard let listener = listener, let id = msg.msgID else { return }
        let (sender, nick, face) = (msg.sender, msg.nickName, msg.faceURL)
        if let text = msg.textElem?.text {
            if let group = msg.groupID {
                listener.onRecvGroupTextMessage(
                    id, groupID: group,
                    sender: V2TIMGroupMemberInfo(userID: sender, nickName: nick, faceURL: face),
                    text: text)
            } else {
                listener.onRecvC2CTextMessage(
                    id, sender: V2TIMUserInfo(userID: sender, nickName: nick, faceURL: face),
                    text: text)
            }
        } else if let custom = msg.customElem {
            let data = custom.data ?? Data()
            if let group = msg.groupID {
                listener.onRecvGroupCustomMessage(
                    id, groupID: group,
                    sender: V2TIMGroupMemberInfo(userID: sender, nickName: nick, faceURL: face),
                    customData: data)
            } else {
                listener.onRecvC2CCustomMessage(
                    id, sender: V2TIMUserInfo(userID: sender, nickName: nick, faceURL: face),
                    customData: data)
            }
        }
    }
}

extension V2TIMManager {
    /// Sends `text` to `userID`; answers the message id (nil when refused at once).
    @discardableResult
    public func sendC2CTextMessage(
        _ text: String, to userID: String, succ: V2TIMSucc?, fail: V2TIMFail?
    ) -> String? {
        guard let msg = createTextMessage(text: text) else { return nil }
        return sendMessage(
            message: msg, receiver: userID, groupID: nil, priority: .V2TIM_PRIORITY_NORMAL,
            onlineUserOnly: false, offlinePushInfo: nil, progress: nil, succ: succ, fail: fail)
    }

    @discardableResult
    public func sendC2CCustomMessage(
        _ customData: Data, to userID: String, succ: V2TIMSucc?, fail: V2TIMFail?
    ) -> String? {
        guard let msg = createCustomMessage(data: customData) else { return nil }
        return sendMessage(
            message: msg, receiver: userID, groupID: nil, priority: .V2TIM_PRIORITY_NORMAL,
            onlineUserOnly: false, offlinePushInfo: nil, progress: nil, succ: succ, fail: fail)
    }

    @discardableResult
    public func sendGroupTextMessage(
        _ text: String, to groupID: String, priority: V2TIMMessagePriority, succ: V2TIMSucc?,
        fail: V2TIMFail?
    ) -> String? {
        guard let msg = createTextMessage(text: text) else { return nil }
        return sendMessage(
            message: msg, receiver: nil, groupID: groupID, priority: priority,
            onlineUserOnly: false, offlinePushInfo: nil, progress: nil, succ: succ, fail: fail)
    }

    @discardableResult
    public func sendGroupCustomMessage(
        _ customData: Data, to groupID: String, priority: V2TIMMessagePriority, succ: V2TIMSucc?,
        fail: V2TIMFail?
    ) -> String? {
        guard let msg = createCustomMessage(data: customData) else { return nil }
        return sendMessage(
            message: msg, receiver: nil, groupID: groupID, priority: priority,
            onlineUserOnly: false, offlinePushInfo: nil, progress: nil, succ: succ, fail: fail)
    }
}
