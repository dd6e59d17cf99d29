// The listener protocols: V2TIM's @optional Objective-C protocols as Swift protocols whose
// methods all have default (empty) implementations, and what the C ABI holds for each
// registered listener.

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

    /// The message `msgID` was recalled by `operateUser` (its user id only), with `reason`
    /// (nil if none): V2TIM 7.4+'s Swift name. Every recall calls the deprecated
    /// `onRecvMessageRevoked(_:)`, then this method, then the unlabelled spelling
    /// `onRecvMessageRevoked(_:operateUser:reason:)`, one right after the other (the first two
    /// in the order of V2TIM's own Android implementation, as the C++ and Java layers do):
    /// implement only one of the three.
    func onRecvMessageRevoked(msgID: String, operateUser: V2TIMUserFullInfo, reason: String?)

    /// The same notification, spelled as Objective-C's selector imports without V2TIM's
    /// `NS_SWIFT_NAME`: called right after `onRecvMessageRevoked(msgID:operateUser:reason:)`.
    func onRecvMessageRevoked(_ msgID: String, operateUser: V2TIMUserFullInfo, reason: String?)

    /// The message `msgID` was recalled (V2TIM's form before 7.4, deprecated there): called
    /// first, right before `onRecvMessageRevoked(msgID:operateUser:reason:)`.
    func onRecvMessageRevoked(_ msgID: String)
}

extension V2TIMAdvancedMsgListener {
    public func onRecvNewMessage(msg: V2TIMMessage) {}

    public func onRecvMessageRevoked(
        msgID: String, operateUser: V2TIMUserFullInfo, reason: String?
    ) {}

    public func onRecvMessageRevoked(
        _ msgID: String, operateUser: V2TIMUserFullInfo, reason: String?
    ) {}

    public func onRecvMessageRevoked(_ msgID: String) {}
}

/// Connection and session events (V2TIM's `V2TIMSDKListener`). Same rules as
/// `V2TIMAdvancedMsgListener`; register with `V2TIMManager.addIMSDKListener(listener:)`.
public protocol V2TIMSDKListener: AnyObject {
    /// Connecting (or reconnecting) to the server.
    func onConnecting()
    func onConnectSuccess()
    /// Connecting failed; the SDK retries by itself while logged in.
    func onConnectFailed(_ code: Int32, err: String?)
    /// Signed out because the account logged in elsewhere; log in again to continue.
    func onKickedOffline()
    /// The UserSig expired while logged in; log in again with a new one.
    func onUserSigExpired()
    /// The logged-in user's profile changed (by this device or another): all of it.
    func onSelfInfoUpdated(info: V2TIMUserFullInfo)
}

extension V2TIMSDKListener {
    public func onConnecting() {}
    public func onConnectSuccess() {}
    public func onConnectFailed(_ code: Int32, err: String?) {}
    public func onKickedOffline() {}
    public func onUserSigExpired() {}
    public func onSelfInfoUpdated(info: V2TIMUserFullInfo) {}
}

/// What the C ABI holds for one registered listener: its `user_data`, unretained (the
/// manager's table owns the box and releases it only after the C ABI unregistered it; see
/// `V2TIMManager.addListener`). The C struct is built once, so add and remove pass equal
/// contents (the C ABI recognises a listener by its struct's contents).
class ListenerBox {
    private let queue: DispatchQueue?
    private let stateLock = NSLock()
    private var active = true

    init(queue: DispatchQueue?) {
        self.queue = queue
    }

    /// The listener, held weakly: nil once it is gone.
    var object: AnyObject? { fatalError("ListenerBox.object: subclass responsibility") }

    func addToC(_ manager: OpaquePointer) {
        fatalError("ListenerBox.addToC: subclass responsibility")
    }

    func removeFromC(_ manager: OpaquePointer) {
        fatalError("ListenerBox.removeFromC: subclass responsibility")
    }

    /// After this, events already queued on `queue` are dropped too, so a listener removed on
    /// its callback queue is never called again, as the C ABI promises for the event thread.
    final func deactivate() {
        stateLock.lock()
        active = false
        stateLock.unlock()
    }

    private var isActive: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return active
    }

    /// Runs `event` now (on the SDK event thread) or posts it to the callback queue.
    final func post(_ event: @escaping () -> Void) {
        if let queue = queue {
            queue.async {
                if self.isActive { event() }
            }
        } else {
            event()
        }
    }

    static func box<Box: ListenerBox>(_ userData: UnsafeMutableRawPointer?, as _: Box.Type)
        -> Box
    {
        return Unmanaged<Box>.fromOpaque(userData!).takeUnretainedValue()
    }
}

final class AdvancedMsgListenerBox: ListenerBox {
    weak var listener: V2TIMAdvancedMsgListener?
    private var cListener = CV2TIM.V2TIMAdvancedMsgListener()

    init(listener: V2TIMAdvancedMsgListener, queue: DispatchQueue?) {
        self.listener = listener
        super.init(queue: queue)
        cListener = CV2TIM.V2TIMAdvancedMsgListener(
            user_data: Unmanaged.passUnretained(self).toOpaque(),
            on_recv_new_message: { userData, message in
                guard let message = message else { return }
                // Lent for this call only: take a reference of our own.
                let msg = V2TIMMessage(retaining: message)
                let box = ListenerBox.box(userData, as: AdvancedMsgListenerBox.self)
                box.post { box.listener?.onRecvNewMessage(msg: msg) }
            },
            on_recv_message_revoked: { userData, msgID, operateUser, reason in
                guard let msgID = msgID else { return }
                // Everything lent for this call only: copy now.
                let id = String(cString: msgID)
                let user = V2TIMUserFullInfo(copying: operateUser)
                let why = optionalString(reason)
                let box = ListenerBox.box(userData, as: AdvancedMsgListenerBox.self)
                box.post {
                    guard let listener = box.listener else { return }
                    listener.onRecvMessageRevoked(id)
                    listener.onRecvMessageRevoked(msgID: id, operateUser: user, reason: why)
                    listener.onRecvMessageRevoked(id, operateUser: user, reason: why)
                }
            }
        )
    }

    override var object: AnyObject? { return listener }

    override func addToC(_ manager: OpaquePointer) {
        var c = cListener
        v2tim_add_advanced_msg_listener(manager, &c)
    }

    override func removeFromC(_ manager: OpaquePointer) {
        var c = cListener
        v2tim_remove_advanced_msg_listener(manager, &c)
    }
}

final class SDKListenerBox: ListenerBox {
    weak var listener: V2TIMSDKListener?
    private var cListener = CV2TIM.V2TIMSDKListener()

    init(listener: V2TIMSDKListener, queue: DispatchQueue?) {
        self.listener = listener
        super.init(queue: queue)
        cListener = CV2TIM.V2TIMSDKListener(
            user_data: Unmanaged.passUnretained(self).toOpaque(),
            on_connecting: { userData in
                let box = ListenerBox.box(userData, as: SDKListenerBox.self)
                box.post { box.listener?.onConnecting() }
            },
            on_connect_success: { userData in
                let box = ListenerBox.box(userData, as: SDKListenerBox.self)
                box.post { box.listener?.onConnectSuccess() }
            },
            on_connect_failed: { userData, code, desc in
                let err = desc.map { String(cString: $0) }
                let box = ListenerBox.box(userData, as: SDKListenerBox.self)
                box.post { box.listener?.onConnectFailed(code, err: err) }
            },
            on_kicked_offline: { userData in
                let box = ListenerBox.box(userData, as: SDKListenerBox.self)
                box.post { box.listener?.onKickedOffline() }
            },
            on_user_sig_expired: { userData in
                let box = ListenerBox.box(userData, as: SDKListenerBox.self)
                box.post { box.listener?.onUserSigExpired() }
            },
            on_self_info_updated: { userData, info in
                // Lent for this call only: copied now.
                let copy = V2TIMUserFullInfo(copying: info)
                let box = ListenerBox.box(userData, as: SDKListenerBox.self)
                box.post { box.listener?.onSelfInfoUpdated(info: copy) }
            }
        )
    }

    override var object: AnyObject? { return listener }

    override func addToC(_ manager: OpaquePointer) {
        var c = cListener
        v2tim_add_sdk_listener(manager, &c)
    }

    override func removeFromC(_ manager: OpaquePointer) {
        var c = cListener
        v2tim_remove_sdk_listener(manager, &c)
    }
}
