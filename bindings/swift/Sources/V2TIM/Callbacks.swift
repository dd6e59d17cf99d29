// Closures across the C ABI.
//
// A call that takes a C callback struct gets a `Pending` box as `user_data`, retained once
// (`open`); the C ABI calls exactly one of `on_success` / `on_error`, exactly once, and that
// trampoline takes the retain back (`close`). Strings and lists lent to a callback are copied
// on the SDK event thread before anything is handed to a queue.

import CV2TIM
import Foundation

/// Success without a value (V2TIM's `V2TIMSucc`).
public typealias V2TIMSucc = () -> Void
/// Failure with a V2TIM error code and its description (V2TIM's `V2TIMFail`).
public typealias V2TIMFail = (_ code: Int32, _ desc: String?) -> Void
/// Upload progress 0...100 (V2TIM's `V2TIMProgress`; v2tim has no media messages, so it is
/// never called).
public typealias V2TIMProgress = (_ progress: UInt32) -> Void
/// History result, newest first (V2TIM's `V2TIMMessageListSucc`).
public typealias V2TIMMessageListSucc = (_ msgs: [V2TIMMessage]) -> Void
/// Profiles (V2TIM's `V2TIMUserFullInfoListSucc`).
public typealias V2TIMUserFullInfoListSucc = (_ infoList: [V2TIMUserFullInfo]?) -> Void
/// Group created, with its id (V2TIM's `V2TIMCreateGroupSucc`).
public typealias V2TIMCreateGroupSucc = (_ groupID: String?) -> Void

/// The closures of one call in flight.
final class Pending<Value> {
    private let succ: ((Value) -> Void)?
    private let fail: V2TIMFail?
    private let progress: V2TIMProgress?
    private let queue: DispatchQueue?

    init(
        succ: ((Value) -> Void)?, fail: V2TIMFail?, progress: V2TIMProgress? = nil,
        queue: DispatchQueue?
    ) {
        self.succ = succ
        self.fail = fail
        self.progress = progress
        self.queue = queue
    }

    /// `user_data` for the C struct: one retain, given back by `close`.
    func open() -> UnsafeMutableRawPointer {
        return Unmanaged.passRetained(self).toOpaque()
    }

    /// In on_success / on_error: takes back the retain of `open`.
    static func close(_ userData: UnsafeMutableRawPointer?) -> Pending<Value> {
        return Unmanaged<Pending<Value>>.fromOpaque(userData!).takeRetainedValue()
    }

    /// In on_progress: the box without taking the retain.
    static func peek(_ userData: UnsafeMutableRawPointer?) -> Pending<Value> {
        return Unmanaged<Pending<Value>>.fromOpaque(userData!).takeUnretainedValue()
    }

    func succeed(_ value: Value) {
        guard let succ = succ else { return }
        deliver { succ(value) }
    }

    /// `desc` is borrowed for the C call only: copied here, before any hop to a queue.
    func failed(_ code: Int32, _ desc: UnsafePointer<CChar>?) {
        guard let fail = fail else { return }
        let text = desc.map { String(cString: $0) }
        deliver { fail(code, text) }
    }

    func progressed(_ value: UInt32) {
        guard let progress = progress else { return }
        deliver { progress(value) }
    }

    private func deliver(_ body: @escaping () -> Void) {
        if let queue = queue {
            queue.async(execute: body)
        } else {
            body()
        }
    }
}

/// `V2TIMSucc` as the `(Void) -> Void` a `Pending<Void>` holds.
func voidSucc(_ succ: V2TIMSucc?) -> ((Void) -> Void)? {
    guard let succ = succ else { return nil }
    return { (_: Void) in succ() }
}

func makeCallback(_ succ: V2TIMSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?)
    -> CV2TIM.V2TIMCallback
{
    let pending = Pending<Void>(succ: voidSucc(succ), fail: fail, queue: queue)
    return CV2TIM.V2TIMCallback(
        user_data: pending.open(),
        on_success: { userData in Pending<Void>.close(userData).succeed(Void()) },
        on_error: { userData, code, desc in Pending<Void>.close(userData).failed(code, desc) }
    )
}

func makeSendCallback(
    _ progress: V2TIMProgress?, _ succ: V2TIMSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMSendCallback {
    let pending = Pending<Void>(
        succ: voidSucc(succ), fail: fail, progress: progress, queue: queue)
    return CV2TIM.V2TIMSendCallback(
        user_data: pending.open(),
        // The sent message is the caller's own V2TIMMessage (same handle): it already reads
        // the server's seq and timestamp, so V2TIM's argument-less succ loses nothing.
        on_success: { userData, _ in Pending<Void>.close(userData).succeed(Void()) },
        on_error: { userData, code, desc in Pending<Void>.close(userData).failed(code, desc) },
        on_progress: { userData, value in Pending<Void>.peek(userData).progressed(value) }
    )
}

func makeStringCallback(
    _ succ: ((String?) -> Void)?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMStringCallback {
    let pending = Pending<String?>(succ: succ, fail: fail, queue: queue)
    return CV2TIM.V2TIMStringCallback(
        user_data: pending.open(),
        on_success: { userData, value in
            Pending<String?>.close(userData).succeed(value.map { String(cString: $0) })
        },
        on_error: { userData, code, desc in
            Pending<String?>.close(userData).failed(code, desc)
        }
    )
}

func makeMessageListCallback(
    _ succ: V2TIMMessageListSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMMessageListCallback {
    let pending = Pending<[V2TIMMessage]>(succ: succ, fail: fail, queue: queue)
    return CV2TIM.V2TIMMessageListCallback(
        user_data: pending.open(),
        on_success: { userData, list in
            // The list is lent for this call only: take a reference of our own to each message.
            var msgs: [V2TIMMessage] = []
            let count = v2tim_message_list_size(list)
            for index in 0..<count {
                if let handle = v2tim_message_list_get(list, index) {
                    msgs.append(V2TIMMessage(retaining: handle))
                }
            }
            Pending<[V2TIMMessage]>.close(userData).succeed(msgs)
        },
        on_error: { userData, code, desc in
            Pending<[V2TIMMessage]>.close(userData).failed(code, desc)
        }
    )
}

func makeUserFullInfoListCallback(
    _ succ: V2TIMUserFullInfoListSucc?, _ fail: V2TIMFail?, _ queue: DispatchQueue?
) -> CV2TIM.V2TIMUserFullInfoListCallback {
    let pending = Pending<[V2TIMUserFullInfo]?>(succ: succ, fail: fail, queue: queue)
    return CV2TIM.V2TIMUserFullInfoListCallback(
        user_data: pending.open(),
        on_success: { userData, list in
            // Lent for this call only: copied now.
            var infos: [V2TIMUserFullInfo] = []
            let count = v2tim_user_full_info_list_size(list)
            for index in 0..<count {
                if let info = v2tim_user_full_info_list_get(list, index) {
                    infos.append(V2TIMUserFullInfo(copying: info))
                }
            }
            Pending<[V2TIMUserFullInfo]?>.close(userData).succeed(infos)
        },
        on_error: { userData, code, desc in
            Pending<[V2TIMUserFullInfo]?>.close(userData).failed(code, desc)
        }
    )
}

/// `body` with `string` as a C string that lives for the call, or NULL for nil.
func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string = string else { return body(nil) }
    return string.withCString { body($0) }
}

/// A borrowed C string copied, "" and NULL read as nil (V2TIM's nullable properties).
func optionalString(_ cString: UnsafePointer<CChar>?) -> String? {
    guard let cString = cString, cString.pointee != 0 else { return nil }
    return String(cString: cString)
}
