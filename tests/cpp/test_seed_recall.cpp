// The recall sample of V2TIM's documentation for Windows C++ (shared/seeds 002 and 003),
// compiled unchanged against the v2tim C++ layer: only the include line is added (and the
// `overrid` typo of seed 003 fixed). Around it, the setup the documentation leaves out:
// each user is its own process using V2TIMManager::GetInstance(), as an app would.
//
//   test_seed_recall bob    logs in as bob, registers the two sample listeners (seed 003's
//                           three-argument OnRecvMessageRevoked and seed 002's one-argument
//                           one), prints "ready", then waits for a message and its recall
//                           and prints "received <msgID>" and "revoked <msgID> <operator>
//                           reason=<reason>"
//   test_seed_recall alice  logs in as alice, sends a text to bob, prints "sent <msgID>",
//                           recalls it with the sample's Callback (which deletes itself) and
//                           prints "recalled <msgID>"
//
// The Rust test (tests/cpp.rs) starts bob, then alice, and compares the ids.

#include "V2TIMManager.h"

#include <functional>

#include "harness.h"

// ---- seed 002/003: the Windows sample, verbatim but for the bodies' recording lines ----

// The outcome of the sample's RevokeMessage, as its lambdas report it.
static harness::Outcome g_recall;

class Callback final : public V2TIMCallback {
public:
    using SuccessCallback = std::function<void()>;
    using ErrorCallback = std::function<void(int, const V2TIMString&)>;

    Callback() = default;
    ~Callback() override = default;

    void SetCallback(SuccessCallback success_callback, ErrorCallback error_callback) {
        success_callback_ = std::move(success_callback);
        error_callback_ = std::move(error_callback);
    }

    void OnSuccess() override {
        if (success_callback_) {
            success_callback_();
        }
    }
    void OnError(int error_code, const V2TIMString& error_message) override {
        if (error_callback_) {
            error_callback_(error_code, error_message);
        }
    }

private:
    SuccessCallback success_callback_;
    ErrorCallback error_callback_;
};

static void RevokeLikeTheSample(const V2TIMMessage& message) {
    auto callback = new Callback;
    callback->SetCallback(
        [=]() {
            // Message recalled successfully
            delete callback;
            g_recall.Finish(0, "");
        },
        [=](int error_code, const V2TIMString& error_message) {
            // The message failed to be recalled
            delete callback;
            g_recall.Finish(error_code, error_message);
        });

    V2TIMManager::GetInstance()->GetMessageManager()->RevokeMessage(message, callback);
}

// What bob's listeners saw.
static std::mutex g_mu;
static std::string g_received, g_revoked, g_operator, g_reason, g_revokedOld;
static harness::Signal g_events;

namespace seed003 {

class AdvancedMsgListener final : public V2TIMAdvancedMsgListener {
public:
    /**
     * Received a new message
     *
     * @param message Message
     */
    void OnRecvNewMessage(const V2TIMMessage& message) override {
        std::lock_guard<std::mutex> lock(g_mu);
        g_received = harness::S(message.msgID);
        g_events.Notify();
    }
    /**
     * Received a message recall notification
     *
     * @param messageID Unique message ID
     */
    void OnRecvMessageRevoked(const V2TIMString& messageID, 
                              const V2TIMUserFullInfo &operateUser, 
                              const V2TIMString &reason) override {
        // `msgList` is the message list on the current chat interface
        std::lock_guard<std::mutex> lock(g_mu);
        g_revoked = harness::S(messageID);
        g_operator = harness::S(operateUser.userID);
        g_reason = harness::S(reason);
        g_events.Notify();
    }
    // Other members …
};

}  // namespace seed003

namespace seed002 {

class AdvancedMsgListener final : public V2TIMAdvancedMsgListener {
public:
    /**
     * Received a new message
     *
     * @param message Message
     */
    /**
     * Received a message recall notification
     *
     * @param messageID Unique message ID
     */
    void OnRecvMessageRevoked(const V2TIMString& messageID) override {
        // `msgList` is the message list on the current chat interface
        std::lock_guard<std::mutex> lock(g_mu);
        g_revokedOld = harness::S(messageID);
        g_events.Notify();
    }
    // Other members …
};

}  // namespace seed002

// ---- the setup around it ----

static int Bob() {
    harness::Login(V2TIMManager::GetInstance(), "bob");

    // Add an event listener for advanced messages. Keep `advancedMsgListener` valid before it is removed to ensure event callbacks are received.
    seed003::AdvancedMsgListener advancedMsgListener;
    V2TIMManager::GetInstance()->GetMessageManager()->AddAdvancedMsgListener(&advancedMsgListener);
    seed002::AdvancedMsgListener oldListener;
    V2TIMManager::GetInstance()->GetMessageManager()->AddAdvancedMsgListener(&oldListener);

    std::printf("ready\n");
    std::fflush(stdout);

    g_events.Wait(3, "the message and both recall notifications");
    {
        std::lock_guard<std::mutex> lock(g_mu);
        CHECK(!g_received.empty());
        CHECK_EQ(g_revoked, g_received);
        CHECK_EQ(g_revokedOld, g_received);
        CHECK_EQ(g_operator, "alice");
        CHECK_EQ(g_reason, "");
        std::printf("received %s\nrevoked %s %s reason=%s\n", g_received.c_str(), g_revoked.c_str(),
                    g_operator.c_str(), g_reason.c_str());
    }
    V2TIMManager::GetInstance()->GetMessageManager()->RemoveAdvancedMsgListener(&advancedMsgListener);
    V2TIMManager::GetInstance()->GetMessageManager()->RemoveAdvancedMsgListener(&oldListener);
    harness::Logout(V2TIMManager::GetInstance());
    return 0;
}

static int Alice() {
    harness::Login(V2TIMManager::GetInstance(), "alice");
    V2TIMMessage message = V2TIMManager::GetInstance()->GetMessageManager()->CreateTextMessage("hello bob");
    CHECK(harness::Send(V2TIMManager::GetInstance(), message, "bob", "") == 0);
    std::printf("sent %s\n", message.msgID.CString());
    std::fflush(stdout);

    RevokeLikeTheSample(message);
    int code = g_recall.Wait("the sample's RevokeMessage");
    if (code != 0) std::fprintf(stderr, "recall failed: %d %s\n", code, g_recall.desc.c_str());
    CHECK(code == 0);

    // The caller's message reads as recalled once refreshed.
    CHECK(message.Refresh());
    CHECK(message.status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
    CHECK_EQ(message.revokerInfo.userID, "alice");
    CHECK(message.elemList.Empty());
    std::printf("recalled %s\n", message.msgID.CString());
    harness::Logout(V2TIMManager::GetInstance());
    return 0;
}

int main(int argc, char** argv) {
    harness::MainThread();
    if (argc == 2 && std::strcmp(argv[1], "bob") == 0) return Bob();
    if (argc == 2 && std::strcmp(argv[1], "alice") == 0) return Alice();
    std::fprintf(stderr, "usage: %s bob|alice\n", argv[0]);
    return 2;
}
