// V2TIMAdvancedMsgListener: V2TIM's @optional Objective-C protocol as a Swift protocol whose
// methods all have default (empty) implementations.

import CV2TIM
import Foundation

/// Message events. Implement the methods you need; the others do nothing.
///
/// Register with `V2TIMManager.addAdvancedMsgListener(listener:)`. The manager holds the
/// listener weakly (as UIKit holds delegates): keep it alive yourself, and remove it with
/// `removeAdvancedMsgListener(listener:)`.
///
/// Events arrive in order on the SDK event thread (not the main thread; V2TIM on iOS calls on
/// the main queue), or on `V2TIMSDKConfig.callbackQueue` when set.
///
/// The method names must match exactly (`msg:`, `msgID:operateUser:reason:`): a method with
/// other labels is a different method, and the empty default would run instead.
public protocol V2TIMAdvancedMsgListener: AnyObject {
    /// A message arrived (including messages this user sent from another device).
    func onRecvNewMessage(msg: V2TIMMessage)

    /// The message `msgID` was recalled by `operateUser`, with `reason` (nil if none).
    /// The default implementation calls `onRecvMessageRevoked(_:)`, so listeners written for
    /// V2TIM before 7.4 keep working.
    func onRecvMessageRevoked(msgID: String, operateUser: V2TIMUserFullInfo, reason: String?)

    /// The message `msgID` was recalled. V2TIM deprecates it in favour of
    /// `onRecvMessageRevoked(msgID:operateUser:reason:)`; called only through that one's
    /// default implementation (so at most one of the two runs per recall).
    func onRecvMessageRevoked(_ msgID: String)
}

extension V2TIMAdvancedMsgListener {
    public func onRecvNewMessage(msg: V2TIMMessage) {}

    public func onRecvMessageRevoked(
        msgID: String, operateUser: V2TIMUserFullInfo, reason: String?
    ) {
        onRecvMessageRevoked(msgID)
    }

    public func onRecvMessageRevoked(_ msgID: String) {}
}

/// What the C ABI holds for one registered listener: its `user_data` (unretained: the
/// manager's table owns the box, see `V2TIMManager.addAdvancedMsgListener(listener:)`).
final class AdvancedMsgListenerBox {
    weak var listener: V2TIMAdvancedMsgListener?
    private let queue: DispatchQueue?
    private let stateLock = NSLock()
    private var active = true
    /// The C struct, the same contents for add and remove (the C ABI matches by contents).
    private(set) var cListener = CV2TIM.V2TIMAdvancedMsgListener()

    init(listener: V2TIMAdvancedMsgListener, queue: DispatchQueue?) {
        self.listener = listener
        self.queue = queue
        cListener = CV2TIM.V2TIMAdvancedMsgListener(
            user_data: Unmanaged.passUnretained(self).toOpaque(),
            on_recv_new_message: { userData, message in
                guard let message = message else { return }
                // Lent for this call only: take a reference of our own.
                let msg = V2TIMMessage(retaining: message)
                AdvancedMsgListenerBox.from(userData).deliver { $0.onRecvNewMessage(msg: msg) }
            },
            on_recv_message_revoked: { userData, msgID, operateUser, reason in
                guard let msgID = msgID else { return }
                // Everything lent for this call only: copy now.
                let id = String(cString: msgID)
                let user = V2TIMUserFullInfo(copying: operateUser)
                let why = optionalString(reason)
                AdvancedMsgListenerBox.from(userData).deliver {
                    $0.onRecvMessageRevoked(msgID: id, operateUser: user, reason: why)
                }
            }
        )
    }

    static func from(_ userData: UnsafeMutableRawPointer?) -> AdvancedMsgListenerBox {
        return Unmanaged<AdvancedMsgListenerBox>.fromOpaque(userData!).takeUnretainedValue()
    }

    /// After this, events already queued on `queue` are dropped too, so a listener removed on
    /// its callback queue is never called again, as the C ABI promises for the event thread.
    func deactivate() {
        stateLock.lock()
        active = false
        stateLock.unlock()
    }

    private var isActive: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return active
    }

    private func deliver(_ event: @escaping (V2TIMAdvancedMsgListener) -> Void) {
        if let queue = queue {
            queue.async {
                if self.isActive, let listener = self.listener { event(listener) }
            }
        } else if let listener = listener {
            event(listener)
        }
    }
}
