// Helpers shared by the C++ tests: checks that abort with a message, callbacks and a
// listener that record what they get and let the test wait for it (with a timeout: 10 s,
// V2TIM_TEST_TIMEOUT_S overrides it, valgrind is slow), and login against the server the
// Rust test started (V2TIM_URL; "" or unset = the embedded server; V2TIM_APP, V2TIM_KEY).
// Every callback checks it runs on one SDK event thread, never the main thread.
// Only standard C++11: the programs also pass a mingw-w64 syntax check.

#ifndef V2TIM_CPP_TEST_HARNESS_H
#define V2TIM_CPP_TEST_HARNESS_H

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "V2TIMManager.h"

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                            \
        }                                                                            \
    } while (0)

#define CHECK_EQ(a, b)                                                                   \
    do {                                                                                 \
        const std::string a_ = harness::S(a), b_ = harness::S(b);                        \
        if (a_ != b_) {                                                                  \
            std::fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
                         #a, a_.c_str(), b_.c_str());                                    \
            std::abort();                                                                \
        }                                                                                \
    } while (0)

namespace harness {

inline std::string S(const V2TIMString &s) { return std::string(s.CString(), s.Size()); }
inline std::string S(const std::string &s) { return s; }
inline std::string S(const char *s) { return s ? s : "(null)"; }
inline std::string S(long long v) { return std::to_string(v); }
inline std::string S(int v) { return std::to_string(v); }

inline std::string Env(const char *name, const char *fallback) {
    const char *v = std::getenv(name);
    return v ? v : fallback;
}

inline std::chrono::seconds Timeout() {
    long s = std::atol(Env("V2TIM_TEST_TIMEOUT_S", "10").c_str());
    return std::chrono::seconds(s > 0 ? s : 10);
}

/// The thread main() runs on (call MainThread() first thing in main).
inline std::thread::id MainThread() {
    static const std::thread::id id = std::this_thread::get_id();
    return id;
}

/// Callbacks run on one thread, never the caller's.
inline void OnEventThread() {
    static std::mutex mu;
    static bool known = false;
    static std::thread::id event;
    std::thread::id self = std::this_thread::get_id();
    CHECK(self != MainThread());
    std::lock_guard<std::mutex> lock(mu);
    if (!known) {
        event = self;
        known = true;
    }
    CHECK(self == event);
}

/// Counts events; Wait blocks until there were `n` (aborts after the timeout).
class Signal {
public:
    void Notify() {
        std::lock_guard<std::mutex> lock(mu_);
        count_++;
        cv_.notify_all();
    }
    void Wait(int n, const char *what) {
        std::unique_lock<std::mutex> lock(mu_);
        if (!cv_.wait_for(lock, Timeout(), [&] { return count_ >= n; })) {
            std::fprintf(stderr, "timed out waiting for %s\n", what);
            std::abort();
        }
    }
    int Count() {
        std::lock_guard<std::mutex> lock(mu_);
        return count_;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    int count_ = 0;
};

/// Records one outcome: code 0 on success.
struct Outcome {
    int code = -1;
    std::string desc;
    Signal done;
    int calls = 0;
    void Finish(int c, const V2TIMString &d) {
        OnEventThread();
        CHECK(calls == 0);  // exactly one of OnSuccess / OnError, once
        calls++;
        code = c;
        desc = S(d);
        if (c != 0) CHECK(!d.Empty());
        done.Notify();
    }
    /// Waits for the outcome and returns its code.
    int Wait(const char *what) {
        done.Wait(1, what);
        return code;
    }
};

class Done : public V2TIMCallback, public Outcome {
public:
    void OnSuccess() override { Finish(0, ""); }
    void OnError(int error_code, const V2TIMString &error_message) override { Finish(error_code, error_message); }
};

template <class T>
class ValueDone : public V2TIMValueCallback<T>, public Outcome {
public:
    T value;
    void OnSuccess(const T &v) override {
        value = v;
        Finish(0, "");
    }
    void OnError(int error_code, const V2TIMString &error_message) override { Finish(error_code, error_message); }
};

class SendDone : public V2TIMSendCallback, public Outcome {
public:
    V2TIMMessage message;
    void OnSuccess(const V2TIMMessage &m) override {
        message = m;
        Finish(0, "");
    }
    void OnError(int error_code, const V2TIMString &error_message) override { Finish(error_code, error_message); }
    void OnProgress(uint32_t) override { CHECK(!"OnProgress is not called for text or custom messages"); }
};

/// One recall as a listener heard it.
struct Recall {
    std::string msgID, operateUser, reason;
};

/// Records what an advanced message listener receives, both recall forms apart.
class Recorder : public V2TIMAdvancedMsgListener {
public:
    // Group tips (the server's notes of membership changes) are not recorded.
    void OnRecvNewMessage(const V2TIMMessage &message) override {
        OnEventThread();
        if (v2tim::c::v2tim_message_get_group_tips_elem(message.Handle())) return;
        std::lock_guard<std::mutex> lock(mu_);
        messages_.push_back(message);
        cv_.notify_all();
    }
    void OnRecvMessageRevoked(const V2TIMString &msgID, const V2TIMUserFullInfo &operateUser,
                              const V2TIMString &reason) override {
        OnEventThread();
        std::lock_guard<std::mutex> lock(mu_);
        Recall r;
        r.msgID = S(msgID);
        r.operateUser = S(operateUser.userID);
        r.reason = S(reason);
        recalls_.push_back(r);
        order_.push_back("3:" + r.msgID);
        cv_.notify_all();
    }
    void OnRecvMessageRevoked(const V2TIMString &msgID) override {
        OnEventThread();
        std::lock_guard<std::mutex> lock(mu_);
        oldRecalls_.push_back(S(msgID));
        order_.push_back("1:" + S(msgID));
        cv_.notify_all();
    }

    std::vector<V2TIMMessage> WaitMessages(size_t n) {
        std::unique_lock<std::mutex> lock(mu_);
        if (!cv_.wait_for(lock, Timeout(), [&] { return messages_.size() >= n; })) {
            std::fprintf(stderr, "timed out waiting for %lu messages (got %lu)\n", (unsigned long)n,
                         (unsigned long)messages_.size());
            std::abort();
        }
        return messages_;
    }
    /// Waits for `n` recalls in both forms; returns the three-argument ones.
    std::vector<Recall> WaitRecalls(size_t n) {
        std::unique_lock<std::mutex> lock(mu_);
        if (!cv_.wait_for(lock, Timeout(), [&] { return recalls_.size() >= n && oldRecalls_.size() >= n; })) {
            std::fprintf(stderr, "timed out waiting for %lu recalls (got %lu + %lu)\n", (unsigned long)n,
                         (unsigned long)recalls_.size(), (unsigned long)oldRecalls_.size());
            std::abort();
        }
        return recalls_;
    }
    std::vector<std::string> OldRecalls() {
        std::lock_guard<std::mutex> lock(mu_);
        return oldRecalls_;
    }
    /// "3:<id>" / "1:<id>" in the order the two forms were called.
    std::vector<std::string> Order() {
        std::lock_guard<std::mutex> lock(mu_);
        return order_;
    }
    size_t RecallCount() {
        std::lock_guard<std::mutex> lock(mu_);
        return recalls_.size();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<V2TIMMessage> messages_;
    std::vector<Recall> recalls_;
    std::vector<std::string> oldRecalls_;
    std::vector<std::string> order_;
};

inline uint32_t App() { return static_cast<uint32_t>(std::strtoul(Env("V2TIM_APP", "1400000001").c_str(), nullptr, 10)); }
inline std::string Key() { return Env("V2TIM_KEY", "test-secret-key-0123456789"); }

/// A UserSig made with the C ABI (what GenerateTestUserSig does in V2TIM's demos).
inline V2TIMString Sig(const std::string &user) {
    char *s = v2tim::c::v2tim_gen_user_sig(App(), Key().c_str(), user.c_str(), 3600);
    CHECK(s != nullptr);
    V2TIMString r(s);
    v2tim::c::v2tim_string_free(s);
    return r;
}

inline V2TIMSDKConfig Config(const std::string &initPath = "") {
    V2TIMSDKConfig config;
    config.initPath = initPath.c_str();
    config.serverURL = Env("V2TIM_URL", "").c_str();
    if (config.serverURL.Empty()) config.secretKey = Key().c_str();
    config.logLevel = V2TIM_LOG_WARN;
    return config;
}

/// Initializes `m` (with `initPath` as its data directory, "" = in memory) and logs in as
/// `user`.
inline void Login(V2TIMManager *m, const std::string &user, const std::string &initPath = "") {
    CHECK(m->InitSDK(App(), Config(initPath)));
    Done d;
    m->Login(user.c_str(), Sig(user), &d);
    int code = d.Wait("login");
    if (code != 0) std::fprintf(stderr, "login %s: %d %s\n", user.c_str(), code, d.desc.c_str());
    CHECK(code == 0);
    CHECK_EQ(m->GetLoginUser(), user);
    CHECK(m->GetLoginStatus() == V2TIM_STATUS_LOGINED);
}

inline void Logout(V2TIMManager *m) {
    Done d;
    m->Logout(&d);
    CHECK(d.Wait("logout") == 0);
    m->UnInitSDK();
}

/// Sends `message` and waits for the server's answer; returns the code.
inline int Send(V2TIMManager *m, V2TIMMessage &message, const std::string &to, const std::string &group,
                V2TIMMessage *sent = nullptr) {
    SendDone d;
    V2TIMString id = m->GetMessageManager()->SendMessage(message, to.c_str(), group.c_str(), V2TIM_PRIORITY_NORMAL,
                                                         false, V2TIMOfflinePushInfo(), &d);
    int code = d.Wait("send");
    if (code == 0) {
        CHECK(!id.Empty());
        CHECK_EQ(d.message.msgID, id);
        CHECK_EQ(message.msgID, id);
        CHECK(d.message.seq > 0);
        CHECK(d.message.timestamp > 0);
        CHECK(d.message.status == V2TIM_MSG_STATUS_SEND_SUCC);
        if (sent) *sent = d.message;
    }
    return code;
}

inline int Revoke(V2TIMManager *m, const V2TIMMessage &message, const char *reason = nullptr) {
    Done d;
    if (reason) {
        m->GetMessageManager()->RevokeMessage(message, reason, &d);
    } else {
        m->GetMessageManager()->RevokeMessage(message, &d);
    }
    return d.Wait("revoke");
}

inline V2TIMMessageVector History(V2TIMManager *m, const std::string &user, const std::string &group,
                                  uint32_t count) {
    V2TIMMessageListGetOption option;
    option.getType = V2TIM_GET_CLOUD_OLDER_MSG;
    option.userID = user.c_str();
    option.groupID = group.c_str();
    option.count = count;
    ValueDone<V2TIMMessageVector> d;
    m->GetMessageManager()->GetHistoryMessageList(option, &d);
    int code = d.Wait("history");
    if (code != 0) std::fprintf(stderr, "history: %d %s\n", code, d.desc.c_str());
    CHECK(code == 0);
    return d.value;
}

inline std::string Text(const V2TIMMessage &m) {
    if (m.elemList.Size() != 1 || m.elemList[0]->elemType != V2TIM_ELEM_TYPE_TEXT) return "(not text)";
    return S(static_cast<const V2TIMTextElem *>(m.elemList[0])->text);
}

}  // namespace harness

#endif  // V2TIM_CPP_TEST_HARNESS_H
