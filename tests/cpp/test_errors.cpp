// Error paths and ownership rules of the C++ layer: calls before InitSDK, bob recalling
// alice's one-to-one message (V2TIM_ERR_REVOKE_NOT_SENDER through OnError), bad send
// targets, NULL callbacks everywhere (fire-and-forget, the effect still happens), a callback
// that throws (caught at the C boundary), callbacks deleting themselves, a listener added
// twice (called once) and removed (never called again), the SDK listener's events, and
// initPath as the SDK's data directory.

#include <stdexcept>

#include "harness.h"

namespace {

// Deletes itself in its callback, as V2TIM's samples do.
class SelfDeleting : public V2TIMCallback {
public:
    explicit SelfDeleting(harness::Outcome *out) : out_(out) {}
    void OnSuccess() override {
        harness::Outcome *out = out_;
        delete this;
        out->Finish(0, "");
    }
    void OnError(int code, const V2TIMString &desc) override {
        harness::Outcome *out = out_;
        V2TIMString d = desc;
        delete this;
        out->Finish(code, d);
    }

private:
    harness::Outcome *out_;
};

// Throws from its callback.
class Thrower : public V2TIMCallback {
public:
    harness::Signal called;
    void OnSuccess() override {
        called.Notify();
        throw std::runtime_error("thrown from OnSuccess");
    }
    void OnError(int, const V2TIMString &) override {
        called.Notify();
        throw 42;
    }
};

class SdkEvents : public V2TIMSDKListener {
public:
    harness::Signal connected;
    int connecting = 0;
    void OnConnecting() override {
        harness::OnEventThread();
        connecting++;
    }
    void OnConnectSuccess() override {
        harness::OnEventThread();
        connected.Notify();
    }
};

}  // namespace

int main() {
    harness::MainThread();

    // Before InitSDK.
    std::unique_ptr<V2TIMManager> fresh = V2TIMManager::Create();
    {
        harness::Done d;
        fresh->Login("alice", harness::Sig("alice"), &d);
        CHECK(d.Wait("login before init") == V2TIM_ERR_SDK_NOT_INITIALIZED);
        V2TIMMessage m = fresh->GetMessageManager()->CreateTextMessage("too early");
        CHECK(m.Handle() == nullptr);  // refused by the SDK, kept as a plain message
        CHECK_EQ(harness::Text(m), "too early");
        harness::SendDone s;
        fresh->GetMessageManager()->SendMessage(m, "bob", "", V2TIM_PRIORITY_DEFAULT, false, V2TIMOfflinePushInfo(), &s);
        CHECK(s.Wait("send before init") != 0);
        CHECK(fresh->GetLoginUser().Empty());
        CHECK(fresh->GetLoginStatus() == V2TIM_STATUS_LOGOUT);
    }
    fresh.reset();

    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bobOwner = V2TIMManager::Create();
    V2TIMManager *bob = bobOwner.get();
    SdkEvents sdkEvents;
    bob->AddSDKListener(&sdkEvents);
    harness::Login(alice, "alice");
    // bob keeps his state in V2TIM_TEST_DATA_DIR when given (V2TIMSDKConfig::initPath): the
    // Rust test checks the SDK wrote there.
    harness::Login(bob, "bob", harness::Env("V2TIM_TEST_DATA_DIR", ""));
    if (!harness::Env("V2TIM_URL", "").empty()) {
        sdkEvents.connected.Wait(1, "OnConnectSuccess");
        CHECK(sdkEvents.connecting >= 1);
    }
    bob->RemoveSDKListener(&sdkEvents);

    harness::Recorder inbox, twice, removed;
    bob->GetMessageManager()->AddAdvancedMsgListener(&inbox);
    bob->GetMessageManager()->AddAdvancedMsgListener(&twice);
    bob->GetMessageManager()->AddAdvancedMsgListener(&twice);  // same listener: no change
    bob->GetMessageManager()->AddAdvancedMsgListener(&removed);
    bob->GetMessageManager()->RemoveAdvancedMsgListener(&removed);
    bob->GetMessageManager()->AddAdvancedMsgListener(nullptr);  // ignored

    // bob may not recall alice's one-to-one message.
    V2TIMMessage m1 = alice->GetMessageManager()->CreateTextMessage("only alice may recall this");
    CHECK(harness::Send(alice, m1, "bob", "") == 0);
    std::vector<V2TIMMessage> got = inbox.WaitMessages(1);
    {
        harness::Outcome out;
        bob->GetMessageManager()->RevokeMessage(got[0], new SelfDeleting(&out));
        CHECK(out.Wait("bob recalls alice's message") == V2TIM_ERR_REVOKE_NOT_SENDER);
        CHECK(out.code == ERR_REVOKE_NOT_SENDER);  // V2TIMErrorCode.h's name
        CHECK(!out.desc.empty());
    }
    {
        harness::Outcome out;
        alice->GetMessageManager()->RevokeMessage(m1, new SelfDeleting(&out));
        CHECK(out.Wait("alice recalls") == 0);
    }
    CHECK(harness::Revoke(alice, m1) == ERR_SVR_MSG_ALREADY_REVOKED);
    inbox.WaitRecalls(1);

    // Bad targets.
    {
        V2TIMMessage m = alice->GetMessageManager()->CreateTextMessage("nowhere");
        CHECK(harness::Send(alice, m, "bob", "some-group") == V2TIM_ERR_INVALID_PARAMETERS);
        V2TIMMessage n = alice->GetMessageManager()->CreateTextMessage("nowhere");
        CHECK(harness::Send(alice, n, "", "") == V2TIM_ERR_INVALID_PARAMETERS);
        V2TIMMessage empty;  // no element, no handle
        CHECK(harness::Send(alice, empty, "bob", "") == V2TIM_ERR_INVALID_PARAMETERS);
        V2TIMMessage noId;
        noId.userID = "bob";
        CHECK(harness::Revoke(alice, noId) == V2TIM_ERR_INVALID_PARAMETERS);
    }

    // NULL callbacks: accepted, the effect happens.
    V2TIMMessage m2 = alice->GetMessageManager()->CreateTextMessage("fire and forget");
    V2TIMString id2 = alice->GetMessageManager()->SendMessage(m2, "bob", "", V2TIM_PRIORITY_DEFAULT, false,
                                                              V2TIMOfflinePushInfo(), nullptr);
    CHECK(!id2.Empty());
    got = inbox.WaitMessages(2);
    CHECK_EQ(got[1].msgID, id2);
    // bob may hear of it before alice's SDK has the server's answer: wait for that (a recall
    // of a message still being sent is refused).
    for (int i = 0; i < 1000 && m2.status != V2TIM_MSG_STATUS_SEND_SUCC; i++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        CHECK(m2.Refresh());
    }
    CHECK(m2.status == V2TIM_MSG_STATUS_SEND_SUCC);
    alice->GetMessageManager()->RevokeMessage(m2, nullptr);
    std::vector<harness::Recall> recalls = inbox.WaitRecalls(2);
    CHECK_EQ(recalls[1].msgID, id2);
    V2TIMMessageListGetOption option;
    option.userID = "bob";
    option.count = 5;
    alice->GetMessageManager()->GetHistoryMessageList(option, nullptr);
    alice->CreateGroup("Work", "cpp-null-cb", "no callback", nullptr);
    alice->GetGroupManager()->SetGroupMemberRole("cpp-null-cb", "bob", 300, nullptr);
    V2TIMStringVector users;
    users.PushBack("bob");
    alice->GetGroupManager()->InviteUserToGroup("cpp-null-cb", users, nullptr);
    bob->JoinGroup("cpp-null-cb", "", nullptr);
    // The calls ran in order on the event thread: this one finishing means they did too.
    harness::ValueDone<V2TIMString> again;
    alice->CreateGroup("Work", "cpp-null-cb", "again", &again);
    CHECK(again.Wait("create an existing group") == V2TIM_ERR_SVR_GROUP_GROUPID_IN_USED);

    // A throwing callback does not take the SDK down.
    Thrower thrower;
    V2TIMMessage m3 = alice->GetMessageManager()->CreateTextMessage("after a throw");
    alice->GetMessageManager()->RevokeMessage(V2TIMMessage(), &thrower);  // OnError throws
    thrower.called.Wait(1, "throwing OnError");
    CHECK(harness::Send(alice, m3, "bob", "") == 0);
    alice->GetMessageManager()->RevokeMessage(m3, &thrower);  // OnSuccess throws
    thrower.called.Wait(2, "throwing OnSuccess");
    recalls = inbox.WaitRecalls(3);
    CHECK_EQ(recalls[2].msgID, m3.msgID);

    // The listener added twice heard everything once; the removed one nothing.
    CHECK(twice.WaitMessages(3).size() == 3);
    CHECK(twice.WaitRecalls(3).size() == 3);
    CHECK(twice.OldRecalls().size() == 3);
    CHECK(removed.WaitMessages(0).empty());
    CHECK(removed.RecallCount() == 0);

    bob->GetMessageManager()->RemoveAdvancedMsgListener(&inbox);
    bob->GetMessageManager()->RemoveAdvancedMsgListener(&twice);
    bob->Logout(nullptr);
    harness::Logout(alice);
    CHECK(alice->GetLoginUser().Empty());
    bobOwner.reset();
    std::printf("errors: ok\n");
    return 0;
}
