// One-to-one recall through the C++ layer, two users in one process (alice on
// V2TIMManager::GetInstance(), bob on the V2TIMManager::Create() extension): what bob
// receives (text and custom elements), copies of messages, a recall with a reason heard in
// both listener forms (the deprecated one first), the recalled message in both users' history
// (status 6, revokerInfo, revokeReason, no elements) in place and paged with lastMsg,
// recalling a message taken from history, recalling twice, a message built field by field,
// and recalling by id without an SDK handle.

#include "harness.h"

using harness::S;

int main() {
    harness::MainThread();
    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bobOwner = V2TIMManager::Create();
    CHECK(bobOwner);
    V2TIMManager *bob = bobOwner.get();
    CHECK(bob != alice);
    harness::Login(alice, "alice");
    harness::Login(bob, "bob");
    harness::Recorder bobInbox, aliceInbox;
    bob->GetMessageManager()->AddAdvancedMsgListener(&bobInbox);
    alice->GetMessageManager()->AddAdvancedMsgListener(&aliceInbox);

    V2TIMMessageManager *am = alice->GetMessageManager();
    V2TIMMessage hello = am->CreateTextMessage("hello");
    CHECK(hello.Handle() != nullptr);
    CHECK(hello.elemList.Size() == 1);
    CHECK_EQ(harness::Text(hello), "hello");
    CHECK(hello.status == V2TIM_MSG_STATUS_SENDING);
    V2TIMMessage sentHello;
    CHECK(harness::Send(alice, hello, "bob", "", &sentHello) == 0);
    CHECK(sentHello.Handle() == hello.Handle());  // the same SDK message
    CHECK(hello.Refresh());
    CHECK(hello.status == V2TIM_MSG_STATUS_SEND_SUCC);
    CHECK(hello.seq == sentHello.seq);
    CHECK(hello.isSelf);
    CHECK_EQ(hello.sender, "alice");
    CHECK_EQ(hello.userID, "bob");
    CHECK(hello.groupID.Empty());

    const uint8_t bytes[] = {0, 1, 2, 255, 0, 7};
    V2TIMMessage custom = am->CreateCustomMessage(V2TIMBuffer(bytes, sizeof bytes), "a description", "ext");
    CHECK(harness::Send(alice, custom, "bob", "") == 0);
    V2TIMMessage keep = am->CreateTextMessage("keep");
    CHECK(harness::Send(alice, keep, "bob", "") == 0);

    std::vector<V2TIMMessage> got = bobInbox.WaitMessages(3);
    CHECK(got.size() == 3);
    CHECK_EQ(got[0].msgID, hello.msgID);
    CHECK_EQ(harness::Text(got[0]), "hello");
    CHECK_EQ(got[0].sender, "alice");
    CHECK_EQ(got[0].userID, "alice");  // the peer, seen from bob
    CHECK(!got[0].isSelf);
    CHECK(got[0].seq == hello.seq);
    CHECK(got[0].timestamp > 0);
    CHECK(got[1].elemList.Size() == 1);
    CHECK(got[1].elemList[0]->elemType == V2TIM_ELEM_TYPE_CUSTOM);
    {
        const V2TIMCustomElem *e = static_cast<const V2TIMCustomElem *>(got[1].elemList[0]);
        CHECK(e->data == V2TIMBuffer(bytes, sizeof bytes));
        CHECK_EQ(e->desc, "a description");
        CHECK_EQ(e->extension, "ext");
    }

    // Copies deep-copy the elements and share the SDK message.
    V2TIMMessage copy(got[0]);
    CHECK(copy.elemList[0] != got[0].elemList[0]);
    CHECK_EQ(harness::Text(copy), "hello");
    CHECK(copy.Handle() == got[0].Handle());
    V2TIMMessage assigned = am->CreateTextMessage("to be replaced");
    assigned = got[1];
    CHECK(assigned.elemList.Size() == 1 && assigned.elemList[0] != got[1].elemList[0]);
    V2TIMMessage &self = assigned;
    assigned = self;  // self-assignment keeps it intact
    CHECK(assigned.elemList.Size() == 1 && assigned.elemList[0]->elemType == V2TIM_ELEM_TYPE_CUSTOM);

    // alice recalls with a reason (v2tim extension overload); bob hears both forms, in order.
    CHECK(harness::Revoke(alice, hello, "typo") == 0);
    std::vector<harness::Recall> recalls = bobInbox.WaitRecalls(1);
    CHECK_EQ(recalls[0].msgID, hello.msgID);
    CHECK_EQ(recalls[0].operateUser, "alice");
    CHECK_EQ(recalls[0].reason, "typo");
    CHECK_EQ(bobInbox.OldRecalls()[0], hello.msgID);
    CHECK(bobInbox.Order().size() == 2);
    CHECK_EQ(bobInbox.Order()[0], "1:" + S(hello.msgID));
    CHECK_EQ(bobInbox.Order()[1], "3:" + S(hello.msgID));
    CHECK(aliceInbox.RecallCount() == 0);  // not on the device that recalled

    CHECK(hello.Refresh());
    CHECK(hello.status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
    CHECK_EQ(hello.revokerInfo.userID, "alice");
    CHECK_EQ(hello.revokeReason, "typo");
    CHECK(hello.elemList.Empty());
    // bob's copy of the received message shares the SDK message: recalled too.
    CHECK(copy.Refresh());
    CHECK(copy.status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
    CHECK(copy.elemList.Empty());

    // History, both sides: newest first, the recalled message in place.
    for (int side = 0; side < 2; side++) {
        V2TIMMessageVector h = side == 0 ? harness::History(bob, "alice", "", 10) : harness::History(alice, "bob", "", 10);
        CHECK(h.Size() == 3);
        CHECK_EQ(h[0].msgID, keep.msgID);
        CHECK_EQ(harness::Text(h[0]), "keep");
        CHECK(h[0].status == V2TIM_MSG_STATUS_SEND_SUCC);
        CHECK(h[0].revokerInfo.userID.Empty());
        CHECK_EQ(h[1].msgID, custom.msgID);
        CHECK(h[1].elemList.Size() == 1 && h[1].elemList[0]->elemType == V2TIM_ELEM_TYPE_CUSTOM);
        CHECK_EQ(h[2].msgID, hello.msgID);
        CHECK(h[2].status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
        CHECK_EQ(h[2].revokerInfo.userID, "alice");
        CHECK_EQ(h[2].revokeReason, "typo");
        CHECK(h[2].elemList.Empty());
        CHECK(h[2].isSelf == (side == 1));
    }

    // Paging with lastMsg.
    V2TIMMessageVector page1 = harness::History(bob, "alice", "", 1);
    CHECK(page1.Size() == 1);
    CHECK_EQ(page1[0].msgID, keep.msgID);
    V2TIMMessageListGetOption next;
    next.userID = "alice";
    next.count = 1;
    next.lastMsg = &page1[0];
    harness::ValueDone<V2TIMMessageVector> page2;
    bob->GetMessageManager()->GetHistoryMessageList(next, &page2);
    CHECK(page2.Wait("page 2") == 0);
    CHECK(page2.value.Size() == 1);
    CHECK_EQ(page2.value[0].msgID, custom.msgID);

    // alice recalls a message she took from history (its own SDK handle); twice is refused.
    V2TIMMessageVector ah = harness::History(alice, "bob", "", 10);
    CHECK(harness::Revoke(alice, ah[1]) == 0);
    recalls = bobInbox.WaitRecalls(2);
    CHECK_EQ(recalls[1].msgID, custom.msgID);
    CHECK_EQ(recalls[1].reason, "");
    CHECK(harness::Revoke(alice, custom) == V2TIM_ERR_SVR_MSG_ALREADY_REVOKED);

    // Newer pulls come oldest first, after lastMsg (excluded).
    V2TIMMessageVector all = harness::History(bob, "alice", "", 20);
    CHECK(all.Size() >= 3);
    size_t oldest = all.Size() - 1;
    V2TIMMessageListGetOption newer;
    newer.getType = V2TIM_GET_CLOUD_NEWER_MSG;
    newer.userID = "alice";
    newer.count = 2;
    newer.lastMsg = &all[oldest];
    harness::ValueDone<V2TIMMessageVector> after;
    bob->GetMessageManager()->GetHistoryMessageList(newer, &after);
    CHECK(after.Wait("newer history") == 0);
    CHECK(after.value.Size() == 2);
    CHECK_EQ(after.value[0].msgID, all[oldest - 1].msgID);
    CHECK_EQ(after.value[1].msgID, all[oldest - 2].msgID);
    // A time range (seconds): newer from the newest message's second holds it and nothing
    // sent before that second.
    V2TIMMessageListGetOption fromTime;
    fromTime.getType = V2TIM_GET_LOCAL_NEWER_MSG;
    fromTime.userID = "alice";
    fromTime.count = 20;
    fromTime.getTimeBegin = all[0].timestamp;
    harness::ValueDone<V2TIMMessageVector> recent;
    bob->GetMessageManager()->GetHistoryMessageList(fromTime, &recent);
    CHECK(recent.Wait("history from a time") == 0);
    CHECK(recent.value.Size() >= 1);
    CHECK_EQ(recent.value[recent.value.Size() - 1].msgID, all[0].msgID);
    for (size_t i = 0; i < recent.value.Size(); i++) CHECK(recent.value[i].timestamp >= all[0].timestamp);

    // A type filter keeps the messages of those types, recalled ones included (they keep
    // the type they were sent with).
    V2TIMMessageListGetOption customs;
    customs.userID = "alice";
    customs.count = 20;
    customs.messageTypeList.PushBack(V2TIM_ELEM_TYPE_CUSTOM);
    harness::ValueDone<V2TIMMessageVector> onlyCustom;
    bob->GetMessageManager()->GetHistoryMessageList(customs, &onlyCustom);
    CHECK(onlyCustom.Wait("custom messages only") == 0);
    CHECK(onlyCustom.value.Size() >= 1);
    bool sawRecalledCustom = false;
    for (size_t i = 0; i < onlyCustom.value.Size(); i++) {
        const V2TIMMessage &m = onlyCustom.value[i];
        if (m.msgID == custom.msgID) {
            sawRecalledCustom = true;
            CHECK(m.status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
        } else {
            CHECK(m.elemList.Size() == 1 && m.elemList[0]->elemType == V2TIM_ELEM_TYPE_CUSTOM);
        }
    }
    CHECK(sawRecalledCustom);

    // What is refused goes through OnError, never ignored, and the description names the
    // real reason (not a NULL argument the call never had).
    V2TIMMessageListGetOption bySeq, byType;
    bySeq.userID = byType.userID = "alice";
    bySeq.count = byType.count = 5;
    bySeq.lastMsgSeq = 3;
    byType.messageTypeList.PushBack(static_cast<V2TIMElemType>(99));
    const char *why[] = {"lastMsgSeq pages group history only", "99 is not a V2TIMElemType"};
    V2TIMMessageListGetOption *options[] = {&bySeq, &byType};
    for (int i = 0; i < 2; i++) {
        harness::ValueDone<V2TIMMessageVector> no;
        bob->GetMessageManager()->GetHistoryMessageList(*options[i], &no);
        CHECK(no.Wait("unsupported history option") == V2TIM_ERR_INVALID_PARAMETERS);
        CHECK(no.desc.find(why[i]) != std::string::npos);
        CHECK(no.desc.find("NULL") == std::string::npos);
    }

    // A message built field by field is sent from its element.
    V2TIMMessage built;
    V2TIMTextElem *elem = new V2TIMTextElem();
    elem->text = "built by hand";
    built.elemList.PushBack(elem);
    CHECK(built.Handle() == nullptr);
    CHECK(harness::Send(alice, built, "bob", "") == 0);
    CHECK(built.Handle() != nullptr);
    got = bobInbox.WaitMessages(4);
    CHECK_EQ(harness::Text(got[3]), "built by hand");

    // onlineUserOnly: bob, online, gets it (seq 0); it is in no history and is no unread
    // message, and it cannot be recalled.
    V2TIMMessage typing = alice->GetMessageManager()->CreateTextMessage("typing...");
    harness::SendDone online;
    V2TIMString onlineID = alice->GetMessageManager()->SendMessage(
        typing, "bob", "", V2TIM_PRIORITY_NORMAL, true, V2TIMOfflinePushInfo(), &online);
    CHECK(online.Wait("online-only send") == 0);
    CHECK_EQ(online.message.msgID, onlineID);
    CHECK(online.message.seq == 0);
    got = bobInbox.WaitMessages(5);
    CHECK_EQ(harness::Text(got[4]), "typing...");
    CHECK(got[4].seq == 0);
    V2TIMMessageVector afterOnline = harness::History(bob, "alice", "", 20);
    for (size_t i = 0; i < afterOnline.Size(); i++) CHECK(afterOnline[i].msgID != onlineID);
    CHECK(harness::Revoke(alice, online.message) == V2TIM_ERR_INVALID_PARAMETERS);

    // cloudCustomData goes with the message; a TUIKit reply's quote of a message that is
    // then recalled loses the quoted text, in the reply bob holds and in history.
    V2TIMMessage quotedMsg = alice->GetMessageManager()->CreateTextMessage("SECRET-QUOTED");
    const std::string plain = "{\"k\":1}";
    quotedMsg.cloudCustomData = V2TIMBuffer(reinterpret_cast<const uint8_t *>(plain.data()), plain.size());
    CHECK(harness::Send(alice, quotedMsg, "bob", "") == 0);
    got = bobInbox.WaitMessages(6);
    CHECK(std::string(reinterpret_cast<const char *>(got[5].cloudCustomData.Data()), got[5].cloudCustomData.Size()) ==
          plain);
    const std::string quote = "{\"messageReply\":{\"messageID\":\"" + std::string(quotedMsg.msgID.CString()) +
                              "\",\"messageAbstract\":\"SECRET-QUOTED\",\"version\":1}}";
    V2TIMMessage replyMsg = alice->GetMessageManager()->CreateTextMessage("a reply");
    replyMsg.cloudCustomData = V2TIMBuffer(reinterpret_cast<const uint8_t *>(quote.data()), quote.size());
    replyMsg.isExcludedFromUnreadCount = true;
    V2TIMOfflinePushInfo push;
    push.title = "Alice";
    push.desc = "replied to you";
    push.AndroidOPPOChannelID = "chat";
    harness::SendDone withPush;
    alice->GetMessageManager()->SendMessage(replyMsg, "bob", "", V2TIM_PRIORITY_NORMAL, false, push, &withPush);
    CHECK(withPush.Wait("send with offline push info") == 0);
    got = bobInbox.WaitMessages(7);
    V2TIMMessage heldReply = got[6];
    CHECK(heldReply.isExcludedFromUnreadCount);
    CHECK(!heldReply.isExcludedFromLastMessage);
    CHECK(harness::Revoke(alice, quotedMsg) == 0);
    bobInbox.WaitRecalls(3);
    auto cloudOf = [](const V2TIMMessage &m) {
        return std::string(reinterpret_cast<const char *>(m.cloudCustomData.Data()), m.cloudCustomData.Size());
    };
    CHECK(heldReply.Refresh());
    CHECK(cloudOf(heldReply).find("SECRET") == std::string::npos);
    CHECK(cloudOf(heldReply).find("\"messageAbstract\":\"\"") != std::string::npos);
    V2TIMMessageVector afterQuote = harness::History(bob, "alice", "", 5);
    for (size_t i = 0; i < afterQuote.Size(); i++) CHECK(cloudOf(afterQuote[i]).find("SECRET") == std::string::npos);
    // Over 12 KB: refused through OnError, nothing sent.
    V2TIMMessage tooBig = alice->GetMessageManager()->CreateTextMessage("big");
    const std::string big(12 * 1024 + 1, 'x');
    tooBig.cloudCustomData = V2TIMBuffer(reinterpret_cast<const uint8_t *>(big.data()), big.size());
    CHECK(harness::Send(alice, tooBig, "bob", "") == V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT);

    // Recall by id, without the SDK's message (an app that stores messages itself).
    V2TIMMessage byId;
    byId.msgID = built.msgID;
    byId.userID = "bob";
    CHECK(harness::Revoke(alice, byId, "by id") == 0);
    recalls = bobInbox.WaitRecalls(4);
    CHECK_EQ(recalls[3].msgID, built.msgID);
    CHECK_EQ(recalls[3].reason, "by id");
    CHECK(built.Refresh());
    CHECK(built.status == V2TIM_MSG_STATUS_LOCAL_REVOKED);

    bob->GetMessageManager()->RemoveAdvancedMsgListener(&bobInbox);
    alice->GetMessageManager()->RemoveAdvancedMsgListener(&aliceInbox);
    harness::Logout(bob);
    harness::Logout(alice);
    bobOwner.reset();
    std::printf("history recall: ok\n");
    return 0;
}
