// The simple message API through the C++ layer: SendC2CTextMessage, SendC2CCustomMessage,
// SendGroupTextMessage and a V2TIMSimpleMsgListener that hears each kind with the sender's
// nick name; removing the listener stops it. Also V2TIMSDKConfig::logListener: the SDK's line
// for alice's connection reaches it at V2TIM_LOG_INFO.

#include "harness.h"

using harness::S;

class Simple final : public V2TIMSimpleMsgListener {
public:
    void OnRecvC2CTextMessage(const V2TIMString &msgID, const V2TIMUserFullInfo &sender,
                              const V2TIMString &text) override {
        harness::OnEventThread();
        Add("c2c text " + S(sender.userID) + "/" + S(sender.nickName) + ": " + S(text), msgID);
    }
    void OnRecvC2CCustomMessage(const V2TIMString &msgID, const V2TIMUserFullInfo &sender,
                                const V2TIMBuffer &customData) override {
        Add("c2c custom " + S(sender.userID) + ": " + std::to_string(customData.Size()) + " bytes", msgID);
    }
    void OnRecvGroupTextMessage(const V2TIMString &msgID, const V2TIMString &groupID,
                                const V2TIMGroupMemberFullInfo &sender, const V2TIMString &text) override {
        Add("group " + S(groupID) + " text " + S(sender.nickName) + ": " + S(text), msgID);
    }

    void Add(const std::string &line, const V2TIMString &msgID) {
        std::lock_guard<std::mutex> lock(mu);
        lines.push_back(line);
        ids.push_back(S(msgID));
        signal.Notify();
    }

    std::mutex mu;
    std::vector<std::string> lines, ids;
    harness::Signal signal;
};

/// The SDK's log, through V2TIMSDKConfig::logListener.
class Logs final : public V2TIMLogListener {
public:
    void OnLog(V2TIMLogLevel logLevel, const V2TIMString &logContent) override {
        harness::OnEventThread();
        std::lock_guard<std::mutex> lock(mu);
        if (logLevel == V2TIM_LOG_INFO && S(logContent).find("connected to") != std::string::npos &&
            S(logContent).find("as alice") != std::string::npos) {
            connected++;
            signal.Notify();
        }
    }
    std::mutex mu;
    int connected = 0;
    harness::Signal signal;
};

int main() {
    harness::MainThread();
    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bobOwner = V2TIMManager::Create();
    V2TIMManager *bob = bobOwner.get();
    Logs logs;
    V2TIMSDKConfig withLogs = harness::Config();
    withLogs.logListener = &logs;
    withLogs.logLevel = V2TIM_LOG_INFO;
    CHECK(alice->InitSDK(harness::App(), withLogs));
    harness::Login(alice, "alice");
    logs.signal.Wait(1, "the log line of alice's connection");
    harness::Login(bob, "bob");
    V2TIMUserFullInfo me;
    me.nickName = "Alice";
    me.modifyFlag = V2TIM_USER_INFO_MODIFY_FLAG_NICK;
    harness::Done named;
    alice->SetSelfInfo(me, &named);
    CHECK(named.Wait("SetSelfInfo") == 0);

    Simple simple;
    bob->AddSimpleMsgListener(&simple);
    bob->AddSimpleMsgListener(&simple);  // twice: once

    harness::SendDone sent;
    V2TIMString id = alice->SendC2CTextMessage("hi bob", "bob", &sent);
    CHECK(sent.Wait("SendC2CTextMessage") == 0);
    CHECK(!id.Empty());
    CHECK_EQ(sent.message.msgID, id);
    const uint8_t bytes[] = {1, 2, 3};
    harness::SendDone sentCustom;
    alice->SendC2CCustomMessage(V2TIMBuffer(bytes, sizeof bytes), "bob", &sentCustom);
    CHECK(sentCustom.Wait("SendC2CCustomMessage") == 0);

    harness::ValueDone<V2TIMString> created;
    alice->CreateGroup("Public", "simple-g", "Simple", &created);
    CHECK(created.Wait("CreateGroup") == 0);
    harness::Done joined;
    bob->JoinGroup("simple-g", "", &joined);
    CHECK(joined.Wait("JoinGroup") == 0);
    harness::SendDone sentGroup;
    alice->SendGroupTextMessage("hi all", "simple-g", V2TIM_PRIORITY_NORMAL, &sentGroup);
    CHECK(sentGroup.Wait("SendGroupTextMessage") == 0);

    simple.signal.Wait(3, "three messages");
    {
        std::lock_guard<std::mutex> lock(simple.mu);
        CHECK(simple.lines.size() == 3);
        CHECK_EQ(simple.lines[0], "c2c text alice/Alice: hi bob");
        CHECK_EQ(simple.ids[0], id);
        CHECK_EQ(simple.lines[1], "c2c custom alice: 3 bytes");
        CHECK_EQ(simple.lines[2], "group simple-g text Alice: hi all");
    }

    bob->RemoveSimpleMsgListener(&simple);
    harness::SendDone after;
    alice->SendC2CTextMessage("not heard", "bob", &after);
    CHECK(after.Wait("send after removal") == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    {
        std::lock_guard<std::mutex> lock(simple.mu);
        CHECK(simple.lines.size() == 3);
    }
    v2tim::c::v2tim_set_log_listener(nullptr, 0);  // `logs` goes out of scope
    std::printf("simple messages: ok\n");
    return 0;
}
