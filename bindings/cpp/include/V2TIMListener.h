// v2tim C++ layer: listeners (as V2TIM's V2TIMListener.h).
//
// Listener events run on the SDK event thread (one thread, in order), never on the thread
// that registered the listener. Keep a listener alive until you removed it; after
// Remove...Listener returns, it is not called again. Every method has an empty default body:
// override what you need. Exceptions thrown from a handler are caught and dropped.

#ifndef V2TIM_CPP_LISTENER_H
#define V2TIM_CPP_LISTENER_H

#include "V2TIMCommon.h"
#include "V2TIMConversation.h"
#include "V2TIMDefine.h"
#include "V2TIMGroup.h"
#include "V2TIMMessage.h"
#include "V2TIMString.h"

/// Connection and session events (AddSDKListener).
class TIM_API V2TIMSDKListener {
public:
    V2TIMSDKListener() {}
    virtual ~V2TIMSDKListener() {}

    /// Connecting (or reconnecting) to the server.
    virtual void OnConnecting() {}
    /// Connected.
    virtual void OnConnectSuccess() {}
    /// Connecting failed; the SDK retries by itself while logged in.
    virtual void OnConnectFailed(int error_code, const V2TIMString &error_message) {
        (void)error_code;
        (void)error_message;
    }
    /// Signed out by the server (e.g. the account logged in elsewhere).
    virtual void OnKickedOffline() {}
    /// The UserSig expired while logged in: log in again with a new one.
    virtual void OnUserSigExpired() {}
    /// The logged-in user's profile changed (by this device or another): all of it.
    virtual void OnSelfInfoUpdated(const V2TIMUserFullInfo &info) { (void)info; }
};

/// Message events (V2TIMMessageManager::AddAdvancedMsgListener).
class TIM_API V2TIMAdvancedMsgListener {
public:
    V2TIMAdvancedMsgListener() {}
    virtual ~V2TIMAdvancedMsgListener() {}

    /// A message arrived (including messages the user sent from another device).
    virtual void OnRecvNewMessage(const V2TIMMessage &message) { (void)message; }

    /// The message `msgID` was recalled by `operateUser` (its userID) with `reason` ("" if
    /// none): on every device of every participant, except the device that recalled it.
    ///
    /// Each recall calls the deprecated one-argument OnRecvMessageRevoked(msgID) and then this
    /// method, on the same listener, one right after the other, so code written for either
    /// form works; override only one of them. (V2TIM 7.4+ declares both, the old one "to be
    /// deprecated"; V2TIM's own Android implementation calls both in this order, and the
    /// Java and Swift layers do the same.)
    virtual void OnRecvMessageRevoked(const V2TIMString &msgID, const V2TIMUserFullInfo &operateUser,
                                      const V2TIMString &reason) {
        (void)msgID;
        (void)operateUser;
        (void)reason;
    }

    /// Deprecated form of the recall notification (V2TIM before 7.4): called right before the
    /// three-argument form, with the same msgID.
    virtual void OnRecvMessageRevoked(const V2TIMString &msgID) { (void)msgID; }

    /// Not called by v2tim (no message modification); present so V2TIM code compiles.
    virtual void OnRecvMessageModified(const V2TIMMessage &message) { (void)message; }
};

/// Text and custom messages, simply (V2TIMManager::AddSimpleMsgListener): the same messages
/// as V2TIMAdvancedMsgListener::OnRecvNewMessage, split by kind, with the sender's profile.
class TIM_API V2TIMSimpleMsgListener {
public:
    V2TIMSimpleMsgListener() {}
    virtual ~V2TIMSimpleMsgListener() {}

    virtual void OnRecvC2CTextMessage(const V2TIMString &msgID, const V2TIMUserFullInfo &sender,
                                      const V2TIMString &text) {
        (void)msgID;
        (void)sender;
        (void)text;
    }
    virtual void OnRecvC2CCustomMessage(const V2TIMString &msgID, const V2TIMUserFullInfo &sender,
                                        const V2TIMBuffer &customData) {
        (void)msgID;
        (void)sender;
        (void)customData;
    }
    virtual void OnRecvGroupTextMessage(const V2TIMString &msgID, const V2TIMString &groupID,
                                        const V2TIMGroupMemberFullInfo &sender, const V2TIMString &text) {
        (void)msgID;
        (void)groupID;
        (void)sender;
        (void)text;
    }
    virtual void OnRecvGroupCustomMessage(const V2TIMString &msgID, const V2TIMString &groupID,
                                          const V2TIMGroupMemberFullInfo &sender, const V2TIMBuffer &customData) {
        (void)msgID;
        (void)groupID;
        (void)sender;
        (void)customData;
    }
};

/// Group events (V2TIMManager::AddGroupListener), from the group tips the server writes for
/// every change: each reaches every device of every member once, in order, also after being
/// offline. The tips are also messages of the group (OnRecvNewMessage, history), except the
/// dismissal.
class TIM_API V2TIMGroupListener {
public:
    V2TIMGroupListener() {}
    virtual ~V2TIMGroupListener() {}

    /// Members joined (JoinGroup).
    virtual void OnMemberEnter(const V2TIMString &groupID, const V2TIMGroupMemberInfoVector &memberList) {
        (void)groupID;
        (void)memberList;
    }
    /// A member left (QuitGroup).
    virtual void OnMemberLeave(const V2TIMString &groupID, const V2TIMGroupMemberInfo &member) {
        (void)groupID;
        (void)member;
    }
    /// `opUser` invited `memberList` (InviteUserToGroup, or the first members of CreateGroup).
    virtual void OnMemberInvited(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser,
                                 const V2TIMGroupMemberInfoVector &memberList) {
        (void)groupID;
        (void)opUser;
        (void)memberList;
    }
    /// `opUser` removed `memberList` (KickGroupMember); the removed hear it too.
    virtual void OnMemberKicked(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser,
                                const V2TIMGroupMemberInfoVector &memberList) {
        (void)groupID;
        (void)opUser;
        (void)memberList;
    }
    /// The owner `opUser` dismissed the group (DismissGroup, or the admin API).
    virtual void OnGroupDismissed(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser) {
        (void)groupID;
        (void)opUser;
    }
    /// The profile changed (SetGroupInfo; an ownership transfer is an OWNER change).
    virtual void OnGroupInfoChanged(const V2TIMString &groupID, const V2TIMGroupChangeInfoVector &changeInfos) {
        (void)groupID;
        (void)changeInfos;
    }
    /// `opUser` made `memberList` administrators.
    virtual void OnGrantAdministrator(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser,
                                      const V2TIMGroupMemberInfoVector &memberList) {
        (void)groupID;
        (void)opUser;
        (void)memberList;
    }
    /// `opUser` made `memberList` ordinary members again.
    virtual void OnRevokeAdministrator(const V2TIMString &groupID, const V2TIMGroupMemberInfo &opUser,
                                       const V2TIMGroupMemberInfoVector &memberList) {
        (void)groupID;
        (void)opUser;
        (void)memberList;
    }
    /// The logged-in user left the group (on this device or another), instead of
    /// OnMemberLeave.
    virtual void OnQuitFromGroup(const V2TIMString &groupID) { (void)groupID; }
    /// Declared for code written against V2TIM; v2tim never calls it (creating a group
    /// tells the first members with OnMemberInvited).
    virtual void OnGroupCreated(const V2TIMString &groupID) { (void)groupID; }
    /// Declared for code written against V2TIM; v2tim never calls it (its admin API sends no
    /// custom group notifications).
    virtual void OnReceiveRESTCustomData(const V2TIMString &groupID, const V2TIMBuffer &customData) {
        (void)groupID;
        (void)customData;
    }
};

/// Conversation list events (V2TIMConversationManager::AddConversationListener). Reported
/// from the end of the first read of the list after login on: GetConversationList answers
/// that read.
class TIM_API V2TIMConversationListener {
public:
    V2TIMConversationListener() {}
    virtual ~V2TIMConversationListener() {}

    /// Not called by v2tim: the list is read after every login and reconnection, and what
    /// changed is reported through the methods below.
    virtual void OnSyncServerStart() {}
    /// Not called by v2tim (see OnSyncServerStart).
    virtual void OnSyncServerFinish() {}
    /// Not called by v2tim (see OnSyncServerStart).
    virtual void OnSyncServerFailed() {}
    /// Conversations the list did not hold before (a message from someone new, a group
    /// joined).
    virtual void OnNewConversation(const V2TIMConversationVector &conversationList) {
        (void)conversationList;
    }
    /// Conversations whose last message (or its recall), unread count, order or name
    /// changed: each once per change.
    virtual void OnConversationChanged(const V2TIMConversationVector &conversationList) {
        (void)conversationList;
    }
    /// The sum of every conversation's unread count changed.
    virtual void OnTotalUnreadMessageCountChanged(uint64_t totalUnreadCount) { (void)totalUnreadCount; }
};

/// Log output (V2TIMSDKConfig::logListener): the SDK's log lines, on the SDK event thread.
class TIM_API V2TIMLogListener {
public:
    V2TIMLogListener() {}
    virtual ~V2TIMLogListener() {}
    virtual void OnLog(V2TIMLogLevel logLevel, const V2TIMString &logContent) {
        (void)logLevel;
        (void)logContent;
    }
};

#endif  // V2TIM_CPP_LISTENER_H
