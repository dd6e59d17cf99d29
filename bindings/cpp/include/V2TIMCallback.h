// v2tim C++ layer: completion callbacks (as V2TIM's V2TIMCallback.h).
//
// Every callback runs on the SDK event thread (one thread, in order), after the call that
// took it returned; exactly one of OnSuccess / OnError is called, once. The SDK does not
// touch the callback object after that call, so an OnSuccess / OnError may `delete this`
// (or delete the object otherwise). A NULL callback pointer is accepted: the outcome is
// dropped. Exceptions thrown from a callback are caught and dropped at the C boundary.

#ifndef V2TIM_CPP_CALLBACK_H
#define V2TIM_CPP_CALLBACK_H

#include "V2TIMCommon.h"
#include "V2TIMDefine.h"
#include "V2TIMString.h"

struct V2TIMMessage;

/// Completion of a call without a result.
class TIM_API V2TIMCallback {
public:
    virtual ~V2TIMCallback() {}
    virtual void OnSuccess() = 0;
    /// `error_code` is a V2TIM error code (the V2TIM_ERR_* constants of v2tim.h, reachable
    /// as v2tim::c::); `error_message` is an English description.
    virtual void OnError(int error_code, const V2TIMString &error_message) = 0;
};

/// Completion of a call with a result of type T.
template <class T>
class V2TIMValueCallback {
public:
    virtual ~V2TIMValueCallback() {}
    virtual void OnSuccess(const T &value) = 0;
    virtual void OnError(int error_code, const V2TIMString &error_message) = 0;
};

/// Completion of SendMessage: OnSuccess receives the sent message with the server's seq
/// and timestamp. OnProgress is for media messages, which v2tim does not have: never called.
class TIM_API V2TIMSendCallback : public V2TIMValueCallback<V2TIMMessage> {
public:
    ~V2TIMSendCallback() override {}
    virtual void OnProgress(uint32_t progress) = 0;
};

#endif  // V2TIM_CPP_CALLBACK_H
