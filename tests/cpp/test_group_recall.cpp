// Group recall through the C++ layer: alice (owner, GetInstance) creates a Work group and
// invites bob and carol (InviteUserToGroup), makes bob an admin (SetGroupMemberRole); the
// admin recalls an ordinary member's message, a member cannot recall the admin's, the owner
// can; every other member hears each recall with the right operateUser; group history shows
// both recalled messages with their revokers. Also V2TIMManager::CreateGroup with a
// server-chosen id, JoinGroup and QuitGroup.

#include "harness.h"

int main() {
    harness::MainThread();
    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bobOwner = V2TIMManager::Create(), carolOwner = V2TIMManager::Create();
    V2TIMManager *bob = bobOwner.get(), *carol = carolOwner.get();
    harness::Login(alice, "alice");
    harness::Login(bob, "bob");
    harness::Login(carol, "carol");
    harness::Recorder aliceInbox, bobInbox, carolInbox;
    alice->GetMessageManager()->AddAdvancedMsgListener(&aliceInbox);
    bob->GetMessageManager()->AddAdvancedMsgListener(&bobInbox);
    carol->GetMessageManager()->AddAdvancedMsgListener(&carolInbox);

    harness::ValueDone<V2TIMString> created;
    alice->CreateGroup("Work", "cpp-work", "C++ group", &created);
    CHECK(created.Wait("create group") == 0);
    CHECK_EQ(created.value, "cpp-work");

    V2TIMStringVector invitees;
    invitees.PushBack("bob");
    invitees.PushBack("carol");
    harness::ValueDone<V2TIMGroupMemberOperationResultVector> invited;
    alice->GetGroupManager()->InviteUserToGroup("cpp-work", invitees, &invited);
    CHECK(invited.Wait("invite") == 0);
    CHECK(invited.value.Size() == 2);
    CHECK_EQ(invited.value[0].userID, "bob");
    CHECK(invited.value[0].result == V2TIM_GROUP_MEMBER_RESULT_SUCC);
    CHECK_EQ(invited.value[1].userID, "carol");

    harness::Done promoted;
    alice->GetGroupManager()->SetGroupMemberRole("cpp-work", "bob", V2TIM_GROUP_MEMBER_ROLE_ADMIN, &promoted);
    CHECK(promoted.Wait("set role") == 0);
    harness::Done refusedRole;
    carol->GetGroupManager()->SetGroupMemberRole("cpp-work", "carol", V2TIM_GROUP_MEMBER_ROLE_SUPER, &refusedRole);
    CHECK(refusedRole.Wait("member sets a role") == V2TIM_ERR_SVR_GROUP_PERMISSION_DENY);

    // The admin recalls an ordinary member's message.
    V2TIMMessage c1 = carol->GetMessageManager()->CreateTextMessage("from carol");
    CHECK(harness::Send(carol, c1, "", "cpp-work") == 0);
    CHECK_EQ(c1.groupID, "cpp-work");
    CHECK(c1.userID.Empty());
    std::vector<V2TIMMessage> atBob = bobInbox.WaitMessages(1);
    CHECK_EQ(atBob[0].msgID, c1.msgID);
    CHECK_EQ(atBob[0].groupID, "cpp-work");
    CHECK(harness::Revoke(bob, atBob[0]) == 0);
    for (harness::Recorder *r : {&aliceInbox, &carolInbox}) {
        std::vector<harness::Recall> recalls = r->WaitRecalls(1);
        CHECK_EQ(recalls[0].msgID, c1.msgID);
        CHECK_EQ(recalls[0].operateUser, "bob");
    }

    // A member may not recall the admin's message; the owner may, with a reason.
    V2TIMMessage b1 = bob->GetMessageManager()->CreateTextMessage("from bob");
    CHECK(harness::Send(bob, b1, "", "cpp-work", nullptr) == 0);
    // (A device does not get its own messages as new: carol's first is bob's.)
    std::vector<V2TIMMessage> atCarol = carolInbox.WaitMessages(1);
    CHECK_EQ(atCarol[0].msgID, b1.msgID);
    CHECK(harness::Revoke(carol, atCarol[0]) == V2TIM_ERR_SVR_GROUP_PERMISSION_DENY);
    std::vector<V2TIMMessage> atAlice = aliceInbox.WaitMessages(2);
    CHECK_EQ(atAlice[1].msgID, b1.msgID);
    CHECK(harness::Revoke(alice, atAlice[1], "off topic") == 0);
    for (harness::Recorder *r : {&bobInbox, &carolInbox}) {
        std::vector<harness::Recall> recalls = r->WaitRecalls(r == &bobInbox ? 1 : 2);
        const harness::Recall &last = recalls.back();
        CHECK_EQ(last.msgID, b1.msgID);
        CHECK_EQ(last.operateUser, "alice");
        CHECK_EQ(last.reason, "off topic");
    }

    V2TIMMessageVector h = harness::History(carol, "", "cpp-work", 10);
    // Newest first: the two recalled messages, then the group tips of bob's promotion and
    // of the invitation (elements of type V2TIM_ELEM_TYPE_GROUP_TIPS).
    CHECK(h.Size() == 4);
    CHECK(v2tim::c::v2tim_message_get_elem_type(h[2].Handle()) == V2TIM_ELEM_TYPE_GROUP_TIPS);
    CHECK(v2tim::c::v2tim_group_tips_get_type(v2tim::c::v2tim_message_get_group_tips_elem(h[3].Handle())) ==
          v2tim::c::V2TIM_GROUP_TIPS_TYPE_INVITE);
    CHECK_EQ(h[0].msgID, b1.msgID);
    CHECK(h[0].status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
    CHECK_EQ(h[0].revokerInfo.userID, "alice");
    CHECK_EQ(h[0].revokeReason, "off topic");
    CHECK(h[0].elemList.Empty());
    CHECK_EQ(h[1].msgID, c1.msgID);
    CHECK(h[1].status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
    CHECK_EQ(h[1].revokerInfo.userID, "bob");
    CHECK_EQ(h[1].groupID, "cpp-work");

    // A Public group with a server-chosen id: join, then quit.
    harness::ValueDone<V2TIMString> pub;
    alice->GetGroupManager()->CreateGroup("Public", "", "open group", &pub);
    CHECK(pub.Wait("create public group") == 0);
    CHECK(!pub.value.Empty());
    harness::Done joined;
    carol->JoinGroup(pub.value, "let me in", &joined);
    CHECK(joined.Wait("join") == 0);
    harness::Done quit;
    carol->QuitGroup(pub.value, &quit);
    CHECK(quit.Wait("quit") == 0);

    alice->GetMessageManager()->RemoveAdvancedMsgListener(&aliceInbox);
    bob->GetMessageManager()->RemoveAdvancedMsgListener(&bobInbox);
    carol->GetMessageManager()->RemoveAdvancedMsgListener(&carolInbox);
    harness::Logout(carol);
    harness::Logout(bob);
    harness::Logout(alice);
    std::printf("group recall: ok\n");
    return 0;
}
