// Groups through the C++ layer, written the way Tencent's Windows samples of the "Group
// Management", "Group Profile" and "Group Member Management" pages are: a V2TIMGroupListener
// subclass added with AddGroupListener, ValueCallback/Callback classes with SetCallback and
// lambdas that delete the callback, V2TIMGroupInfo + V2TIMCreateGroupMemberInfoVector for
// CreateGroup, GetJoinedGroupList, GetGroupsInfo, SetGroupInfo with modifyFlag,
// GetGroupMemberList with a filter and nextSeq, KickGroupMember, JoinGroup, QuitGroup and
// DismissGroup.
//
// alice (GetInstance) creates a Public group with bob as first member; carol joins; alice
// makes bob an admin and changes the profile; bob kicks carol, carol joins again and quits;
// alice dismisses the group. Every member's listener hears each event with the right
// operator and members; tips are messages (OnRecvNewMessage with a V2TIMGroupTipsElem) and
// are in history.

#include <functional>
#include <map>

#include "harness.h"

// --- The sample's helper classes (as Tencent's pages define them) ---

class Callback final : public V2TIMCallback {
public:
    using SuccessCallback = std::function<void()>;
    using ErrorCallback = std::function<void(int, const V2TIMString &)>;

    Callback() = default;
    ~Callback() override = default;

    void SetCallback(SuccessCallback success_callback, ErrorCallback error_callback) {
        success_callback_ = std::move(success_callback);
        error_callback_ = std::move(error_callback);
    }

    void OnSuccess() override {
        if (success_callback_) success_callback_();
    }
    void OnError(int error_code, const V2TIMString &error_message) override {
        if (error_callback_) error_callback_(error_code, error_message);
    }

private:
    SuccessCallback success_callback_;
    ErrorCallback error_callback_;
};

template <class T>
class ValueCallback final : public V2TIMValueCallback<T> {
public:
    using SuccessCallback = std::function<void(const T &)>;
    using ErrorCallback = std::function<void(int, const V2TIMString &)>;

    ValueCallback() = default;
    ~ValueCallback() override = default;

    void SetCallback(SuccessCallback success_callback, ErrorCallback error_callback) {
        success_callback_ = std::move(success_callback);
        error_callback_ = std::move(error_callback);
    }

    void OnSuccess(const T &value) override {
        if (success_callback_) success_callback_(value);
    }
    void OnError(int error_code, const V2TIMString &error_message) override {
        if (error_callback_) error_callback_(error_code, error_message);
    }

private:
    SuccessCallback success_callback_;
    ErrorCallback error_callback_;
};

// --- What the test records ---

static std::string Names(const V2TIMGroupMemberInfoVector &members) {
    std::string s;
    for (size_t i = 0; i < members.Size(); i++) s += (i ? "," : "") + harness::S(members[i].userID);
    return s;
}

/// A group listener as the "Group Management" page writes one, recording each event as
/// "<event> <groupID> <op> <members>".
class GroupListener final : public V2TIMGroupListener {
public:
    GroupListener() = default;
    ~GroupListener() override = default;

    void OnMemberEnter(const V2TIMString &groupID, const V2TIMGroupMemberInfoVector &memberList) override {
        Add("enter " + harness::S(groupID) + " - " + Names(memberList));
    }
    void OnMemberLeave(const V2TIMString &groupID, const V2TIMGroupMemberInfo &member) override {
        Add("leave " + harness::S(groupID) + " " + harness::S(member.userID) + " -");
    }
    void OnMemberInvited(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser,
                         const V2TIMGroupMemberInfoVector &memberList) override {
        Add("invited " + harness::S(groupID) + " " + harness::S(opUser.userID) + " " + Names(memberList));
    }
    void OnMemberKicked(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser,
                        const V2TIMGroupMemberInfoVector &memberList) override {
        Add("kicked " + harness::S(groupID) + " " + harness::S(opUser.userID) + " " + Names(memberList));
    }
    void OnGrantAdministrator(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser,
                              const V2TIMGroupMemberInfoVector &memberList) override {
        Add("admin " + harness::S(groupID) + " " + harness::S(opUser.userID) + " " + Names(memberList));
    }
    void OnGroupInfoChanged(const V2TIMString &groupID, const V2TIMGroupChangeInfoVector &changeInfos) override {
        std::string s = "changed " + harness::S(groupID);
        for (size_t i = 0; i < changeInfos.Size(); i++)
            s += " " + std::to_string(changeInfos[i].type) + "=" + harness::S(changeInfos[i].value);
        Add(s);
    }
    void OnQuitFromGroup(const V2TIMString &groupID) override { Add("quit " + harness::S(groupID)); }
    void OnGroupDismissed(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser) override {
        Add("dismissed " + harness::S(groupID) + " " + harness::S(opUser.userID));
    }
    void OnReceiveRESTCustomData(const V2TIMString &groupID, const V2TIMBuffer &customData) override {
        (void)groupID;
        (void)customData;
        CHECK(!"v2tim sends no REST custom data");
    }

    /// Waits for `n` events and returns the last.
    std::string Wait(size_t n) {
        signal_.Wait(static_cast<int>(n), "group events");
        std::lock_guard<std::mutex> lock(mu_);
        CHECK(events_.size() == n);
        return events_.back();
    }

private:
    void Add(const std::string &e) {
        harness::OnEventThread();
        {
            std::lock_guard<std::mutex> lock(mu_);
            events_.push_back(e);
        }
        signal_.Notify();
    }
    std::mutex mu_;
    std::vector<std::string> events_;
    harness::Signal signal_;
};

/// Records the group tips that arrive as messages.
class TipsInbox : public V2TIMAdvancedMsgListener {
public:
    void OnRecvNewMessage(const V2TIMMessage &message) override {
        harness::OnEventThread();
        CHECK(message.elemList.Size() == 1);
        if (message.elemList[0]->elemType != V2TIM_ELEM_TYPE_GROUP_TIPS) return;
        const V2TIMGroupTipsElem *tips = static_cast<const V2TIMGroupTipsElem *>(message.elemList[0]);
        std::lock_guard<std::mutex> lock(mu_);
        types.push_back(tips->type);
        counts.push_back(tips->memberCount);
        signal.Notify();
    }
    std::mutex mu_;
    std::vector<int> types;
    std::vector<uint32_t> counts;
    harness::Signal signal;
};

/// Runs `call(done)` and waits for its outcome: `done` is the sample-style callback, deleted
/// by its own lambdas as the samples do. Returns the code (0 on success).
template <class T>
static int Await(const char *what, std::function<void(ValueCallback<T> *)> call, T *out = nullptr) {
    harness::Signal finished;
    int code = -1;
    auto callback = new ValueCallback<T>{};
    callback->SetCallback(
        [=, &finished, &code](const T &value) {
            if (out) *out = value;
            code = 0;
            harness::Signal *done = &finished;
            delete callback;  // as the samples do; the lambda's captures are gone after it
            done->Notify();
        },
        [=, &finished, &code](int error_code, const V2TIMString &error_message) {
            CHECK(!error_message.Empty());
            code = error_code;
            harness::Signal *done = &finished;
            delete callback;
            done->Notify();
        });
    call(callback);
    finished.Wait(1, what);
    return code;
}

static int AwaitDone(const char *what, std::function<void(Callback *)> call) {
    harness::Signal finished;
    int code = -1;
    auto callback = new Callback;
    callback->SetCallback(
        [=, &finished, &code]() {
            code = 0;
            harness::Signal *done = &finished;
            delete callback;
            done->Notify();
        },
        [=, &finished, &code](int error_code, const V2TIMString &) {
            code = error_code;
            harness::Signal *done = &finished;
            delete callback;
            done->Notify();
        });
    call(callback);
    finished.Wait(1, what);
    return code;
}

int main() {
    harness::MainThread();
    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bobOwner = V2TIMManager::Create(), carolOwner = V2TIMManager::Create();
    V2TIMManager *bob = bobOwner.get(), *carol = carolOwner.get();
    harness::Login(alice, "alice");
    harness::Login(bob, "bob");
    harness::Login(carol, "carol");

    // Add a group event listener. Keep `groupListener` valid until it is removed.
    GroupListener aliceEvents, bobEvents, carolEvents;
    alice->AddGroupListener(&aliceEvents);
    alice->AddGroupListener(&aliceEvents);  // twice changes nothing
    bob->AddGroupListener(&bobEvents);
    carol->AddGroupListener(&carolEvents);
    TipsInbox bobTips;
    bob->GetMessageManager()->AddAdvancedMsgListener(&bobTips);

    // "Group Management": create a group with its first members.
    V2TIMGroupInfo info;
    info.groupType = "Public";
    info.groupID = "cpp-groups";
    info.groupName = "Group name";
    info.notification = "Be nice";
    V2TIMCreateGroupMemberInfoVector memberInfoList;
    V2TIMCreateGroupMemberInfo memberInfo;
    memberInfo.userID = "bob";
    memberInfoList.PushBack(memberInfo);
    V2TIMString groupID;
    CHECK(Await<V2TIMString>(
              "create group",
              [&](ValueCallback<V2TIMString> *cb) {
                  V2TIMManager::GetInstance()->GetGroupManager()->CreateGroup(info, memberInfoList, cb);
              },
              &groupID) == 0);
    CHECK_EQ(groupID, "cpp-groups");
    CHECK_EQ(aliceEvents.Wait(1), "invited cpp-groups alice bob");
    CHECK_EQ(bobEvents.Wait(1), "invited cpp-groups alice bob");

    // carol joins ("it's me!"); every member hears it, carol too.
    CHECK(AwaitDone("join", [&](Callback *cb) { carol->JoinGroup("cpp-groups", "it's me!", cb); }) == 0);
    CHECK_EQ(aliceEvents.Wait(2), "enter cpp-groups - carol");
    CHECK_EQ(bobEvents.Wait(2), "enter cpp-groups - carol");
    CHECK_EQ(carolEvents.Wait(1), "enter cpp-groups - carol");

    // The joined groups, at carol.
    V2TIMGroupInfoVector joined;
    CHECK(Await<V2TIMGroupInfoVector>(
              "joined groups",
              [&](ValueCallback<V2TIMGroupInfoVector> *cb) { carol->GetGroupManager()->GetJoinedGroupList(cb); },
              &joined) == 0);
    CHECK(joined.Size() == 1);
    CHECK_EQ(joined[0].groupID, "cpp-groups");
    CHECK_EQ(joined[0].groupType, "Public");
    CHECK_EQ(joined[0].owner, "alice");
    CHECK(joined[0].memberCount == 3);
    CHECK(joined[0].role == V2TIM_GROUP_MEMBER_ROLE_MEMBER);

    // "Group Member Management": bob becomes an admin.
    CHECK(AwaitDone("set role", [&](Callback *cb) {
              alice->GetGroupManager()->SetGroupMemberRole("cpp-groups", "bob", V2TIM_GROUP_MEMBER_ROLE_ADMIN, cb);
          }) == 0);
    CHECK_EQ(carolEvents.Wait(2), "admin cpp-groups alice bob");
    CHECK_EQ(bobEvents.Wait(3), "admin cpp-groups alice bob");
    aliceEvents.Wait(3);

    // "Group Profile": change the name and the notification.
    V2TIMGroupInfo change;
    change.groupID = "cpp-groups";
    change.groupName = "New name";
    change.notification = "Be very nice";
    change.modifyFlag = V2TIMGroupInfoModifyFlag::V2TIM_GROUP_INFO_MODIFY_FLAG_GROUP_NAME |
                        V2TIMGroupInfoModifyFlag::V2TIM_GROUP_INFO_MODIFY_FLAG_NOTIFICATION;
    CHECK(AwaitDone("set group info", [&](Callback *cb) {
              V2TIMManager::GetInstance()->GetGroupManager()->SetGroupInfo(change, cb);
          }) == 0);
    CHECK_EQ(carolEvents.Wait(3), "changed cpp-groups 1=New name 3=Be very nice");
    bobEvents.Wait(4);
    aliceEvents.Wait(4);
    V2TIMGroupInfo byCarol;
    byCarol.groupID = "cpp-groups";
    byCarol.introduction = "not allowed";
    byCarol.modifyFlag = V2TIM_GROUP_INFO_MODIFY_FLAG_INTRODUCTION;
    CHECK(AwaitDone("member sets group info", [&](Callback *cb) { carol->GetGroupManager()->SetGroupInfo(byCarol, cb); }) ==
          V2TIM_ERR_SVR_GROUP_PERMISSION_DENY);

    // Profiles of the group and of one that does not exist.
    V2TIMStringVector groupIDList;
    groupIDList.PushBack("cpp-groups");
    groupIDList.PushBack("cpp-missing");
    V2TIMGroupInfoResultVector results;
    CHECK(Await<V2TIMGroupInfoResultVector>(
              "groups info",
              [&](ValueCallback<V2TIMGroupInfoResultVector> *cb) {
                  V2TIMManager::GetInstance()->GetGroupManager()->GetGroupsInfo(groupIDList, cb);
              },
              &results) == 0);
    CHECK(results.Size() == 2);
    CHECK(results[0].resultCode == 0);
    CHECK_EQ(results[0].info.groupName, "New name");
    CHECK_EQ(results[0].info.notification, "Be very nice");
    CHECK(results[0].info.role == V2TIM_GROUP_MEMBER_ROLE_SUPER);
    CHECK(results[0].info.createTime > 0);
    CHECK(results[1].resultCode == V2TIM_ERR_SVR_GROUP_NOT_FOUND);
    CHECK(!results[1].resultMsg.Empty());

    // The admins, then everyone in join order, one page.
    uint32_t filter = V2TIMGroupMemberFilter::V2TIM_GROUP_MEMBER_FILTER_ADMIN;
    uint64_t nextSeq = 0;
    V2TIMGroupMemberInfoResult page;
    CHECK(Await<V2TIMGroupMemberInfoResult>(
              "admins",
              [&](ValueCallback<V2TIMGroupMemberInfoResult> *cb) {
                  V2TIMManager::GetInstance()->GetGroupManager()->GetGroupMemberList("cpp-groups", filter, nextSeq, cb);
              },
              &page) == 0);
    CHECK(page.memberInfoList.Size() == 1);
    CHECK_EQ(page.memberInfoList[0].userID, "bob");
    CHECK(page.memberInfoList[0].role == V2TIM_GROUP_MEMBER_ROLE_ADMIN);
    CHECK(page.nextSequence == 0);
    CHECK(Await<V2TIMGroupMemberInfoResult>(
              "members",
              [&](ValueCallback<V2TIMGroupMemberInfoResult> *cb) {
                  bob->GetGroupManager()->GetGroupMemberList("cpp-groups", V2TIM_GROUP_MEMBER_FILTER_ALL, 0, cb);
              },
              &page) == 0);
    CHECK(page.memberInfoList.Size() == 3);
    CHECK_EQ(page.memberInfoList[0].userID, "alice");
    CHECK(page.memberInfoList[0].role == V2TIM_GROUP_MEMBER_ROLE_SUPER);
    CHECK_EQ(page.memberInfoList[2].userID, "carol");
    CHECK(page.memberInfoList[2].joinTime > 0);

    // The admin removes carol (and someone who is not a member): one result per user.
    V2TIMStringVector memberList;
    memberList.PushBack("carol");
    memberList.PushBack("nobody");
    V2TIMGroupMemberOperationResultVector kicked;
    CHECK(Await<V2TIMGroupMemberOperationResultVector>(
              "kick",
              [&](ValueCallback<V2TIMGroupMemberOperationResultVector> *cb) {
                  bob->GetGroupManager()->KickGroupMember("cpp-groups", memberList, "", cb);
              },
              &kicked) == 0);
    CHECK(kicked.Size() == 2);
    CHECK(kicked[0].result == V2TIM_GROUP_MEMBER_RESULT_SUCC);
    CHECK(kicked[1].result == V2TIM_GROUP_MEMBER_RESULT_INVALID);
    CHECK_EQ(carolEvents.Wait(4), "kicked cpp-groups bob carol");
    CHECK_EQ(aliceEvents.Wait(5), "kicked cpp-groups bob carol");
    bobEvents.Wait(5);

    // carol joins again and quits: she hears OnQuitFromGroup, the others OnMemberLeave.
    CHECK(AwaitDone("join again", [&](Callback *cb) { carol->JoinGroup("cpp-groups", "", cb); }) == 0);
    carolEvents.Wait(5);
    aliceEvents.Wait(6);
    bobEvents.Wait(6);
    CHECK(AwaitDone("quit", [&](Callback *cb) { carol->QuitGroup("cpp-groups", cb); }) == 0);
    CHECK_EQ(carolEvents.Wait(6), "quit cpp-groups");
    CHECK_EQ(aliceEvents.Wait(7), "leave cpp-groups carol -");
    CHECK_EQ(bobEvents.Wait(7), "leave cpp-groups carol -");

    // Each tips was also a message for bob, his own kick's too (the server writes tips).
    bobTips.signal.Wait(7, "tips messages");
    {
        std::lock_guard<std::mutex> lock(bobTips.mu_);
        CHECK(bobTips.types.front() == V2TIM_GROUP_TIPS_TYPE_INVITE);
        CHECK(bobTips.types.back() == V2TIM_GROUP_TIPS_TYPE_QUIT);
        CHECK(bobTips.counts.back() == 2);
    }

    // ...and they are in history, newest first.
    V2TIMMessageVector history = harness::History(bob, "", "cpp-groups", 20);
    CHECK(history.Size() == 7);
    CHECK(history[0].elemList.Size() == 1);
    CHECK(history[0].elemList[0]->elemType == V2TIM_ELEM_TYPE_GROUP_TIPS);
    const V2TIMGroupTipsElem *last = static_cast<const V2TIMGroupTipsElem *>(history[0].elemList[0]);
    CHECK(last->type == V2TIM_GROUP_TIPS_TYPE_QUIT);
    CHECK_EQ(last->opMember.userID, "carol");
    CHECK_EQ(last->groupID, "cpp-groups");
    const V2TIMGroupTipsElem *profile = static_cast<const V2TIMGroupTipsElem *>(history[3].elemList[0]);
    CHECK(profile->type == V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE);
    CHECK(profile->groupChangeInfoList.Size() == 2);
    CHECK(profile->groupChangeInfoList[0].type == V2TIM_GROUP_INFO_CHANGE_TYPE_NAME);
    V2TIMMessage copy = history[3];  // elements are deep-copied with the message
    CHECK(static_cast<const V2TIMGroupTipsElem *>(copy.elemList[0])->groupChangeInfoList.Size() == 2);

    // The owner dismisses the group: the members hear OnGroupDismissed.
    alice->RemoveGroupListener(&aliceEvents);
    CHECK(AwaitDone("dismiss", [&](Callback *cb) { V2TIMManager::GetInstance()->DismissGroup("cpp-groups", cb); }) == 0);
    CHECK_EQ(bobEvents.Wait(8), "dismissed cpp-groups alice");
    CHECK(AwaitDone("join a dismissed group", [&](Callback *cb) { carol->JoinGroup("cpp-groups", "", cb); }) ==
          V2TIM_ERR_SVR_GROUP_NOT_FOUND);

    bob->RemoveGroupListener(&bobEvents);
    carol->RemoveGroupListener(&carolEvents);
    bob->GetMessageManager()->RemoveAdvancedMsgListener(&bobTips);
    harness::Logout(carol);
    harness::Logout(bob);
    harness::Logout(alice);
    std::printf("groups: ok\n");
    return 0;
}
