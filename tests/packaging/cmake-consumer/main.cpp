// Uses the installed C++ layer on the embedded server: alice (GetInstance) sends bob
// (Create) a message and recalls it; bob's listener must hear the recall. Prints
// "cmake consumer: ok" and, when built against the static library, says so.

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>

#include "V2TIMManager.h"

namespace {

class Wait final : public V2TIMCallback {
public:
    void OnSuccess() override { p_.set_value(0); }
    void OnError(int code, const V2TIMString &) override { p_.set_value(code); }
    int Get() { return p_.get_future().get(); }

private:
    std::promise<int> p_;
};

class SendWait final : public V2TIMSendCallback {
public:
    void OnSuccess(const V2TIMMessage &) override { p_.set_value(0); }
    void OnError(int code, const V2TIMString &) override { p_.set_value(code); }
    void OnProgress(uint32_t) override {}
    int Get() { return p_.get_future().get(); }

private:
    std::promise<int> p_;
};

class Listener final : public V2TIMAdvancedMsgListener {
public:
    void OnRecvMessageRevoked(const V2TIMString &msgID, const V2TIMUserFullInfo &operateUser,
                              const V2TIMString &) override {
        std::lock_guard<std::mutex> lock(mu_);
        revoked_ = msgID;
        by_ = operateUser.userID;
        cv_.notify_all();
    }
    bool WaitFor(const V2TIMString &msgID) {
        std::unique_lock<std::mutex> lock(mu_);
        return cv_.wait_for(lock, std::chrono::seconds(10),
                            [&] { return revoked_ == msgID && by_ == V2TIMString("alice"); });
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    V2TIMString revoked_, by_;
};

bool Login(V2TIMManager *m, const char *user) {
    V2TIMSDKConfig config;  // no serverURL: the embedded server; no secretKey: unchecked
    if (!m->InitSDK(1400000001, config)) return false;
    Wait w;
    m->Login(user, "any", &w);
    return w.Get() == 0;
}

}  // namespace

int main() {
    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bob = V2TIMManager::Create();
    if (!Login(alice, "alice") || !Login(bob.get(), "bob")) {
        std::fprintf(stderr, "login failed\n");
        return 1;
    }
    Listener listener;
    bob->GetMessageManager()->AddAdvancedMsgListener(&listener);
    V2TIMMessage message = alice->GetMessageManager()->CreateTextMessage("via find_package");
    SendWait sent;
    alice->GetMessageManager()->SendMessage(message, "bob", "", V2TIM_PRIORITY_DEFAULT, false,
                                            V2TIMOfflinePushInfo(), &sent);
    if (sent.Get() != 0) return 1;
    Wait revoked;
    alice->GetMessageManager()->RevokeMessage(message, &revoked);
    if (revoked.Get() != 0 || !listener.WaitFor(message.msgID)) {
        std::fprintf(stderr, "recall failed\n");
        return 1;
    }
    bob->GetMessageManager()->RemoveAdvancedMsgListener(&listener);
    bob->UnInitSDK();
    alice->UnInitSDK();
#ifdef V2TIM_STATIC
    std::printf("cmake consumer (static): ok\n");
#else
    std::printf("cmake consumer (shared): ok\n");
#endif
    return 0;
}
