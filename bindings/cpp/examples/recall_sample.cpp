// Recall with the v2tim C++ layer, in one process on the embedded server: alice sends bob a
// message and recalls it with a reason; bob's listener hears the recall; bob's history shows
// the message as recalled.
//
//   g++ -std=c++11 -I include -I bindings/cpp/include bindings/cpp/examples/recall_sample.cpp
//       -L target/debug -lv2tim -pthread -o recall_sample
//
// Set V2TIM_URL=ws://host:port to use a v2tim server instead (its app 1400000001 must have
// the secret key below).

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "V2TIMManager.h"

static const uint32_t kSDKAppID = 1400000001;
static const char *kSecretKey = "test-secret-key-0123456789";  // demo only: never ship a key

// A V2TIMCallback whose outcome the caller can wait for.
class Waiter final : public V2TIMCallback {
public:
    void OnSuccess() override { done_.set_value(0); }
    void OnError(int code, const V2TIMString &desc) override {
        std::fprintf(stderr, "  error %d: %s\n", code, desc.CString());
        done_.set_value(code);
    }
    int Wait() { return done_.get_future().get(); }

private:
    std::promise<int> done_;
};

class SendWaiter final : public V2TIMSendCallback {
public:
    void OnSuccess(const V2TIMMessage &message) override {
        std::printf("  sent: seq %llu, timestamp %lld\n", static_cast<unsigned long long>(message.seq),
                    static_cast<long long>(message.timestamp));
        done_.set_value(0);
    }
    void OnError(int code, const V2TIMString &desc) override {
        std::fprintf(stderr, "  send error %d: %s\n", code, desc.CString());
        done_.set_value(code);
    }
    void OnProgress(uint32_t) override {}
    int Wait() { return done_.get_future().get(); }

private:
    std::promise<int> done_;
};

class HistoryWaiter final : public V2TIMValueCallback<V2TIMMessageVector> {
public:
    void OnSuccess(const V2TIMMessageVector &messages) override {
        for (size_t i = 0; i < messages.Size(); i++) {
            const V2TIMMessage &m = messages[i];
            if (m.status == V2TIM_MSG_STATUS_LOCAL_REVOKED) {
                std::printf("  history: %s recalled by %s (%s)\n", m.msgID.CString(), m.revokerInfo.userID.CString(),
                            m.revokeReason.CString());
            } else if (!m.elemList.Empty() && m.elemList[0]->elemType == V2TIM_ELEM_TYPE_TEXT) {
                std::printf("  history: %s \"%s\"\n", m.msgID.CString(),
                            static_cast<V2TIMTextElem *>(m.elemList[0])->text.CString());
            }
        }
        done_.set_value(0);
    }
    void OnError(int code, const V2TIMString &desc) override {
        std::fprintf(stderr, "  history error %d: %s\n", code, desc.CString());
        done_.set_value(code);
    }
    int Wait() { return done_.get_future().get(); }

private:
    std::promise<int> done_;
};

// bob's listener: runs on the SDK event thread.
class Listener final : public V2TIMAdvancedMsgListener {
public:
    void OnRecvNewMessage(const V2TIMMessage &message) override {
        std::printf("  bob received %s from %s\n", message.msgID.CString(), message.sender.CString());
    }
    void OnRecvMessageRevoked(const V2TIMString &msgID, const V2TIMUserFullInfo &operateUser,
                              const V2TIMString &reason) override {
        std::printf("  bob: %s was recalled by %s, reason \"%s\"\n", msgID.CString(), operateUser.userID.CString(),
                    reason.CString());
        std::lock_guard<std::mutex> lock(mu_);
        recalled_ = true;
        cv_.notify_all();
    }
    bool WaitRecalled() {
        std::unique_lock<std::mutex> lock(mu_);
        return cv_.wait_for(lock, std::chrono::seconds(10), [this] { return recalled_; });
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool recalled_ = false;
};

static bool Login(V2TIMManager *manager, const char *user) {
    V2TIMSDKConfig config;
    const char *url = std::getenv("V2TIM_URL");
    if (url) config.serverURL = url;
    config.secretKey = kSecretKey;
    if (!manager->InitSDK(kSDKAppID, config)) return false;
    // What V2TIM's demos call GenerateTestUserSig: the C ABI has it.
    char *sig = v2tim::c::v2tim_gen_user_sig(kSDKAppID, kSecretKey, user, 3600);
    Waiter w;
    manager->Login(user, sig, &w);
    v2tim::c::v2tim_string_free(sig);
    return w.Wait() == 0;
}

int main() {
    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bob = V2TIMManager::Create();  // v2tim extension: a 2nd user
    if (!Login(alice, "alice") || !Login(bob.get(), "bob")) return 1;
    std::printf("logged in: %s and %s\n", alice->GetLoginUser().CString(), bob->GetLoginUser().CString());

    Listener listener;
    bob->GetMessageManager()->AddAdvancedMsgListener(&listener);

    V2TIMMessage message = alice->GetMessageManager()->CreateTextMessage("see you at 5");
    SendWaiter sent;
    V2TIMString msgID = alice->GetMessageManager()->SendMessage(message, "bob", "", V2TIM_PRIORITY_DEFAULT, false,
                                                                V2TIMOfflinePushInfo(), &sent);
    std::printf("alice sends %s\n", msgID.CString());
    if (sent.Wait() != 0) return 1;

    std::printf("alice recalls it\n");
    Waiter recalled;
    alice->GetMessageManager()->RevokeMessage(message, "wrong time", &recalled);  // v2tim: reason
    if (recalled.Wait() != 0 || !listener.WaitRecalled()) return 1;

    V2TIMMessageListGetOption option;
    option.getType = V2TIM_GET_CLOUD_OLDER_MSG;
    option.userID = "alice";
    option.count = 10;
    HistoryWaiter history;
    bob->GetMessageManager()->GetHistoryMessageList(option, &history);
    if (history.Wait() != 0) return 1;

    bob->GetMessageManager()->RemoveAdvancedMsgListener(&listener);
    bob->UnInitSDK();
    alice->UnInitSDK();
    std::printf("done\n");
    return 0;
}
