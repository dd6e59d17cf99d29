// v2tim C++ layer: conversations (as V2TIM's V2TIMConversation.h).

#ifndef V2TIM_CPP_CONVERSATION_H
#define V2TIM_CPP_CONVERSATION_H

#include "V2TIMBuffer.h"
#include "V2TIMCommon.h"
#include "V2TIMDefine.h"
#include "V2TIMMessage.h"
#include "V2TIMString.h"

/// Conversation type (V2TIMConversation::type).
enum V2TIMConversationType {
    V2TIM_UNKNOWN = 0,
    V2TIM_C2C = 1,
    V2TIM_GROUP = 2,
};

/// A conversation of the logged-in user (V2TIMConversation): a snapshot taken when the SDK
/// reported it, except `lastMessage`, which refers to the SDK's live message (a recall shows
/// on it; Refresh() re-reads its fields). draftText, draftTimestamp, isPinned, customData
/// and conversationGroupList keep their defaults: v2tim has no drafts, pins or groups of
/// conversations.
struct TIM_API V2TIMConversation {
    V2TIMConversationType type;
    /// "c2c_<userID>" or "group_<groupID>".
    V2TIMString conversationID;
    /// C2C: the other user; "" for groups.
    V2TIMString userID;
    /// Groups: the group; "" for C2C.
    V2TIMString groupID;
    /// Groups: "Work", "Public", "Meeting", "AVChatRoom" or "Community"; "" for C2C.
    V2TIMString groupType;
    /// C2C: the other user's id; groups: the group's name (its id when unnamed).
    V2TIMString showName;
    V2TIMString faceUrl;
    /// Messages from others after the user's read position, not recalled.
    int unreadCount;
    /// The newest message (owned by this object; NULL when there is none). After a recall it
    /// shows the recalled form: status V2TIM_MSG_STATUS_LOCAL_REVOKED, no elements.
    V2TIMMessage *lastMessage;
    V2TIMString draftText;
    uint64_t draftTimestamp;
    bool isPinned;
    /// Larger is more recent activity: sort by it, largest first.
    uint64_t orderKey;
    V2TIMBuffer customData;
    V2TIMStringVector conversationGroupList;

    V2TIMConversation()
        : type(V2TIM_UNKNOWN), unreadCount(0), lastMessage(nullptr), draftTimestamp(0),
          isPinned(false), orderKey(0) {}
    V2TIMConversation(const V2TIMConversation &o) : V2TIMConversation() { Assign(o); }
    V2TIMConversation &operator=(const V2TIMConversation &o) {
        if (this != &o) Assign(o);
        return *this;
    }
    ~V2TIMConversation() { delete lastMessage; }

    /// v2tim extension: the conversation the C ABI lent (copied; NULL gives an empty one).
    static V2TIMConversation FromHandle(const v2tim::c::V2TIMConversation *c) {
        V2TIMConversation r;
        if (!c) return r;
        using v2tim::detail::Str;
        r.type = static_cast<V2TIMConversationType>(v2tim::c::v2tim_conversation_get_type(c));
        r.conversationID = Str(v2tim::c::v2tim_conversation_get_conversation_id(c));
        r.userID = Str(v2tim::c::v2tim_conversation_get_user_id(c));
        r.groupID = Str(v2tim::c::v2tim_conversation_get_group_id(c));
        r.groupType = Str(v2tim::c::v2tim_conversation_get_group_type(c));
        r.showName = Str(v2tim::c::v2tim_conversation_get_show_name(c));
        r.faceUrl = Str(v2tim::c::v2tim_conversation_get_face_url(c));
        r.unreadCount = static_cast<int>(v2tim::c::v2tim_conversation_get_unread_count(c));
        r.orderKey = v2tim::c::v2tim_conversation_get_order_key(c);
        const v2tim::c::V2TIMMessage *last = v2tim::c::v2tim_conversation_get_last_message(c);
        if (last) r.lastMessage = new V2TIMMessage(V2TIMMessage::FromHandle(last));
        return r;
    }

private:
    void Assign(const V2TIMConversation &o) {
        type = o.type;
        conversationID = o.conversationID;
        userID = o.userID;
        groupID = o.groupID;
        groupType = o.groupType;
        showName = o.showName;
        faceUrl = o.faceUrl;
        unreadCount = o.unreadCount;
        V2TIMMessage *last = o.lastMessage ? new V2TIMMessage(*o.lastMessage) : nullptr;
        delete lastMessage;
        lastMessage = last;
        draftText = o.draftText;
        draftTimestamp = o.draftTimestamp;
        isPinned = o.isPinned;
        orderKey = o.orderKey;
        customData = o.customData;
        conversationGroupList = o.conversationGroupList;
    }
};

typedef V2TIMVector<V2TIMConversation> V2TIMConversationVector;

/// A page of GetConversationList.
struct TIM_API V2TIMConversationResult {
    /// Pass to the next GetConversationList call.
    uint64_t nextSeq;
    bool isFinished;
    V2TIMConversationVector conversationList;

    V2TIMConversationResult() : nextSeq(0), isFinished(true) {}
};

namespace v2tim {
namespace detail {

inline V2TIMConversationVector ConversationsFromList(const c::V2TIMConversationList *list) {
    V2TIMConversationVector v;
    size_t n = c::v2tim_conversation_list_size(list);
    for (size_t i = 0; i < n; i++) {
        v.PushBack(V2TIMConversation::FromHandle(c::v2tim_conversation_list_get(list, i)));
    }
    return v;
}

}  // namespace detail
}  // namespace v2tim

#endif  // V2TIM_CPP_CONVERSATION_H
