// v2tim C++ layer: messages, their elements and the related enums (as V2TIM's
// V2TIMMessage.h). Enum numbers are V2TIM's.

#ifndef V2TIM_CPP_MESSAGE_H
#define V2TIM_CPP_MESSAGE_H

#include <cstring>

#include "V2TIMCommon.h"
#include "V2TIMDefine.h"
#include "V2TIMGroup.h"
#include "V2TIMString.h"

/// How an iOS device is pushed (V2TIMOfflinePushInfo::iOSPushType).
enum V2TIMIOSOfflinePushType {
    V2TIM_IOS_OFFLINE_PUSH_TYPE_APNS = 0,
    V2TIM_IOS_OFFLINE_PUSH_TYPE_VOIP = 1,
};

/// Status of a message.
enum V2TIMMessageStatus {
    V2TIM_MSG_STATUS_SENDING = 1,         ///< created or being sent
    V2TIM_MSG_STATUS_SEND_SUCC = 2,       ///< accepted and stored by the server
    V2TIM_MSG_STATUS_SEND_FAIL = 3,       ///< sending failed
    V2TIM_MSG_STATUS_HAS_DELETED = 4,     ///< deleted
    V2TIM_MSG_STATUS_LOCAL_IMPORTED = 5,  ///< imported locally
    V2TIM_MSG_STATUS_LOCAL_REVOKED = 6,   ///< recalled: content erased, revokerInfo/revokeReason set
};

/// Kind of a message element. v2tim has text and custom elements; the other numbers are
/// V2TIM's, for code that switches on them.
enum V2TIMElemType {
    V2TIM_ELEM_TYPE_NONE = 0,
    V2TIM_ELEM_TYPE_TEXT = 1,
    V2TIM_ELEM_TYPE_CUSTOM = 2,
    V2TIM_ELEM_TYPE_IMAGE = 3,
    V2TIM_ELEM_TYPE_SOUND = 4,
    V2TIM_ELEM_TYPE_VIDEO = 5,
    V2TIM_ELEM_TYPE_FILE = 6,
    V2TIM_ELEM_TYPE_LOCATION = 7,
    V2TIM_ELEM_TYPE_FACE = 8,
    V2TIM_ELEM_TYPE_GROUP_TIPS = 9,
    V2TIM_ELEM_TYPE_MERGER = 10,
};

/// Priority of a (group) message.
enum V2TIMMessagePriority {
    V2TIM_PRIORITY_DEFAULT = 0,
    V2TIM_PRIORITY_HIGH = 1,
    V2TIM_PRIORITY_NORMAL = 2,
    V2TIM_PRIORITY_LOW = 3,
};

/// Direction and source of GetHistoryMessageList. v2tim reads history from the server
/// (cloud) in both OLDER cases; the NEWER directions are not provided (OnError 6017).
enum V2TIMMessageGetType {
    V2TIM_GET_CLOUD_OLDER_MSG = 1,
    V2TIM_GET_CLOUD_NEWER_MSG = 2,
    V2TIM_GET_LOCAL_OLDER_MSG = 3,
    V2TIM_GET_LOCAL_NEWER_MSG = 4,
};

/// Base of message elements. The message that holds an element owns it.
struct TIM_API V2TIMElem {
    V2TIMElemType elemType;

    V2TIMElem() : elemType(V2TIM_ELEM_TYPE_NONE) {}
    virtual ~V2TIMElem() {}
    /// v2tim extension: a deep copy (used when a V2TIMMessage is copied).
    virtual V2TIMElem *Clone() const { return new V2TIMElem(*this); }

protected:
    explicit V2TIMElem(V2TIMElemType type) : elemType(type) {}
};

/// A text element.
struct TIM_API V2TIMTextElem : public V2TIMElem {
    V2TIMString text;

    V2TIMTextElem() : V2TIMElem(V2TIM_ELEM_TYPE_TEXT) {}
    V2TIMElem *Clone() const override { return new V2TIMTextElem(*this); }
};

/// A custom element: application bytes plus a description and an extension.
struct TIM_API V2TIMCustomElem : public V2TIMElem {
    V2TIMBuffer data;
    V2TIMString desc;
    V2TIMString extension;

    V2TIMCustomElem() : V2TIMElem(V2TIM_ELEM_TYPE_CUSTOM) {}
    V2TIMElem *Clone() const override { return new V2TIMCustomElem(*this); }
};

/// A group tips element (elemType V2TIM_ELEM_TYPE_GROUP_TIPS): the server writes one into
/// the group's conversation for every membership and profile change. `opMember` did it (for
/// JOIN and QUIT: who joined or left), `memberList` are those it concerns,
/// `groupChangeInfoList` what changed (GROUP_INFO_CHANGE), `memberCount` the members after
/// it. Names are those of when the tips was written.
struct TIM_API V2TIMGroupTipsElem : public V2TIMElem {
    V2TIMString groupID;
    V2TIMGroupTipsType type;
    V2TIMGroupMemberInfo opMember;
    V2TIMGroupMemberInfoVector memberList;
    V2TIMGroupChangeInfoVector groupChangeInfoList;
    uint32_t memberCount;

    V2TIMGroupTipsElem()
        : V2TIMElem(V2TIM_ELEM_TYPE_GROUP_TIPS), type(V2TIM_GROUP_TIPS_TYPE_JOIN), memberCount(0) {}
    V2TIMElem *Clone() const override { return new V2TIMGroupTipsElem(*this); }
};

namespace v2tim {
namespace detail {

/// The C++ form of tips the C ABI lent (`groupID` is the group's id).
inline V2TIMGroupTipsElem TipsFromHandle(const V2TIMString &groupID, const c::V2TIMGroupTipsElem *t) {
    V2TIMGroupTipsElem e;
    e.groupID = groupID;
    e.type = static_cast<V2TIMGroupTipsType>(c::v2tim_group_tips_get_type(t));
    e.opMember = MemberFromHandle(c::v2tim_group_tips_get_op_member(t));
    V2TIMGroupMemberFullInfoVector members = MembersFromList(c::v2tim_group_tips_get_member_list(t));
    for (size_t i = 0; i < members.Size(); i++) e.memberList.PushBack(members[i]);
    size_t n = c::v2tim_group_tips_get_change_info_count(t);
    for (size_t i = 0; i < n; i++) {
        V2TIMGroupChangeInfo change;
        change.type = static_cast<V2TIMGroupInfoChangeType>(c::v2tim_group_tips_get_change_info_type(t, i));
        change.value = Str(c::v2tim_group_tips_get_change_info_value(t, i));
        e.groupChangeInfoList.PushBack(change);
    }
    e.memberCount = c::v2tim_group_tips_get_member_count(t);
    return e;
}

}  // namespace detail
}  // namespace v2tim

/// Elements of a message (V2TIM's TXPV2TIMElemVector): raw pointers owned by the message.
typedef V2TIMVector<V2TIMElem *> V2TIMElemVector;

/// A message (V2TIMMessage).
///
/// Messages made by the SDK (CreateTextMessage, CreateCustomMessage, received, history)
/// keep a counted reference to the SDK's message (wasmtime-style RAII: released with the
/// last copy), which RevokeMessage and GetHistoryMessageList use. The public fields are a
/// snapshot taken when this object was made; `Refresh()` (v2tim extension) re-reads them,
/// e.g. after a successful send or recall. Copies share the SDK message and deep-copy the
/// elements; `elemList` owns its elements (they are deleted with the message).
struct TIM_API V2TIMMessage {
    V2TIMString msgID;
    int64_t timestamp;  ///< server time, seconds; 0 before the server accepted it
    V2TIMString sender;
    V2TIMString nickName;
    V2TIMString friendRemark;
    V2TIMString nameCard;
    V2TIMString faceURL;
    V2TIMString groupID;  ///< group messages: the group; "" for one-to-one
    V2TIMString userID;   ///< one-to-one messages: the other user of the conversation
    uint64_t seq;         ///< position in the conversation (from 1); 0 before accepted
    uint64_t random;
    V2TIMMessageStatus status;
    bool isSelf;  ///< sent by the logged-in user
    bool isRead;
    bool isPeerRead;
    bool needReadReceipt;
    bool isBroadcastMessage;
    V2TIMMessagePriority priority;
    V2TIMStringVector groupAtUserList;
    V2TIMElemVector elemList;  ///< owned; empty once recalled
    V2TIMBuffer localCustomData;
    int localCustomInt;
    V2TIMBuffer cloudCustomData;     ///< sent with the message (UTF-8, ≤ 12 KB); "" once recalled
    bool isExcludedFromUnreadCount;  ///< sent with the message: counts in no unread count
    bool isExcludedFromLastMessage;  ///< sent with the message: never a conversation's last
    V2TIMUserFullInfo revokerInfo;  ///< who recalled it (userID, nickName, faceURL); empty if not recalled
    V2TIMString revokeReason;       ///< "" if none or not recalled
    bool hasRiskContent;

    V2TIMMessage()
        : timestamp(0),
          seq(0),
          random(0),
          status(V2TIM_MSG_STATUS_SENDING),
          isSelf(false),
          isRead(false),
          isPeerRead(false),
          needReadReceipt(false),
          isBroadcastMessage(false),
          priority(V2TIM_PRIORITY_DEFAULT),
          localCustomInt(0),
          isExcludedFromUnreadCount(false),
          isExcludedFromLastMessage(false),
          hasRiskContent(false) {}

    V2TIMMessage(const V2TIMMessage &other) : V2TIMMessage() { Assign(other); }

    V2TIMMessage &operator=(const V2TIMMessage &other) {
        if (this != &other) Assign(other);
        return *this;
    }

    ~V2TIMMessage() { ClearElems(); }

    /// v2tim extension: the SDK's message this object refers to (NULL for a message built
    /// field by field). Borrowed: valid while this object (or a copy) lives.
    v2tim::c::V2TIMMessage *Handle() const { return handle_.get(); }

    /// v2tim extension: re-reads every SDK-known field (ids, seq, timestamp, status,
    /// elements, revoker, reason) from the SDK's message. False if there is none.
    bool Refresh();

    /// v2tim extension: a message referring to the SDK's `message` (takes its own reference;
    /// NULL gives an empty message).
    static V2TIMMessage FromHandle(const v2tim::c::V2TIMMessage *message) {
        V2TIMMessage m;
        if (message) {
            m.handle_.reset(v2tim::c::v2tim_message_retain(message), &v2tim::c::v2tim_message_release);
            m.Refresh();
        }
        return m;
    }

private:
    friend class V2TIMMessageManager;

    void ClearElems() {
        for (size_t i = 0; i < elemList.Size(); i++) delete elemList[i];
        elemList.Clear();
    }

    void Assign(const V2TIMMessage &o) {
        msgID = o.msgID;
        timestamp = o.timestamp;
        sender = o.sender;
        nickName = o.nickName;
        friendRemark = o.friendRemark;
        nameCard = o.nameCard;
        faceURL = o.faceURL;
        groupID = o.groupID;
        userID = o.userID;
        seq = o.seq;
        random = o.random;
        status = o.status;
        isSelf = o.isSelf;
        isRead = o.isRead;
        isPeerRead = o.isPeerRead;
        needReadReceipt = o.needReadReceipt;
        isBroadcastMessage = o.isBroadcastMessage;
        priority = o.priority;
        groupAtUserList = o.groupAtUserList;
        V2TIMElemVector copies;
        for (size_t i = 0; i < o.elemList.Size(); i++) {
            if (o.elemList[i]) copies.PushBack(o.elemList[i]->Clone());
        }
        ClearElems();
        elemList = copies;
        localCustomData = o.localCustomData;
        localCustomInt = o.localCustomInt;
        cloudCustomData = o.cloudCustomData;
        isExcludedFromUnreadCount = o.isExcludedFromUnreadCount;
        isExcludedFromLastMessage = o.isExcludedFromLastMessage;
        revokerInfo = o.revokerInfo;
        revokeReason = o.revokeReason;
        hasRiskContent = o.hasRiskContent;
        handle_ = o.handle_;
    }

    std::shared_ptr<v2tim::c::V2TIMMessage> handle_;
};

inline bool V2TIMMessage::Refresh() {
    namespace c = v2tim::c;
    using v2tim::detail::Str;
    const c::V2TIMMessage *h = handle_.get();
    if (!h) return false;
    msgID = Str(c::v2tim_message_get_msg_id(h));
    timestamp = c::v2tim_message_get_timestamp(h);
    sender = Str(c::v2tim_message_get_sender(h));
    nickName = Str(c::v2tim_message_get_nick_name(h));
    faceURL = Str(c::v2tim_message_get_face_url(h));
    groupID = Str(c::v2tim_message_get_group_id(h));
    userID = Str(c::v2tim_message_get_user_id(h));
    seq = c::v2tim_message_get_seq(h);
    status = static_cast<V2TIMMessageStatus>(c::v2tim_message_get_status(h));
    isSelf = c::v2tim_message_is_self(h);
    priority = static_cast<V2TIMMessagePriority>(c::v2tim_message_get_priority(h));
    revokerInfo = V2TIMUserFullInfo();
    revokerInfo.userID = Str(c::v2tim_message_get_revoker(h));
    revokerInfo.nickName = Str(c::v2tim_message_get_revoker_nick_name(h));
    revokerInfo.faceURL = Str(c::v2tim_message_get_revoker_face_url(h));
    revokeReason = Str(c::v2tim_message_get_revoke_reason(h));
    const char *cloud = c::v2tim_message_get_cloud_custom_data(h);
    cloudCustomData = cloud ? V2TIMBuffer(reinterpret_cast<const uint8_t *>(cloud), std::strlen(cloud))
                            : V2TIMBuffer();
    isExcludedFromUnreadCount = c::v2tim_message_is_excluded_from_unread_count(h);
    isExcludedFromLastMessage = c::v2tim_message_is_excluded_from_last_message(h);
    V2TIMElemVector elems;
    switch (c::v2tim_message_get_elem_type(h)) {
        case V2TIM_ELEM_TYPE_TEXT: {
            V2TIMTextElem *e = new V2TIMTextElem();
            e->text = Str(c::v2tim_message_get_text(h));
            elems.PushBack(e);
            break;
        }
        case V2TIM_ELEM_TYPE_CUSTOM: {
            V2TIMCustomElem *e = new V2TIMCustomElem();
            size_t len = 0;
            const uint8_t *data = c::v2tim_message_get_custom_data(h, &len);
            e->data = V2TIMBuffer(data, len);
            e->desc = Str(c::v2tim_message_get_custom_description(h));
            e->extension = Str(c::v2tim_message_get_custom_extension(h));
            elems.PushBack(e);
            break;
        }
        case V2TIM_ELEM_TYPE_GROUP_TIPS: {
            const c::V2TIMGroupTipsElem *t = c::v2tim_message_get_group_tips_elem(h);
            if (t) elems.PushBack(new V2TIMGroupTipsElem(v2tim::detail::TipsFromHandle(groupID, t)));
            break;
        }
        default:
            break;
    }
    ClearElems();
    elemList = elems;
    return true;
}

typedef V2TIMVector<V2TIMMessage> V2TIMMessageVector;
typedef V2TIMVector<V2TIMElemType> V2TIMElemTypeVector;

/// Options of GetHistoryMessageList. v2tim reads getType (OLDER directions), userID xor
/// groupID, count and lastMsg; the other fields are accepted and ignored.
struct TIM_API V2TIMMessageListGetOption {
    V2TIMMessageGetType getType;
    V2TIMString userID;   ///< one-to-one history with this user, or
    V2TIMString groupID;  ///< the history of this group
    uint32_t count;       ///< page size
    V2TIMElemTypeVector messageTypeList;  ///< element types to keep; empty = all
    V2TIMMessage *lastMsg;  ///< page start (exclusive); NULL = newest
    uint64_t lastMsgSeq;
    int64_t getTimeBegin;
    uint64_t getTimePeriod;

    V2TIMMessageListGetOption()
        : getType(V2TIM_GET_CLOUD_OLDER_MSG),
          count(0),
          lastMsg(nullptr),
          lastMsgSeq(0),
          getTimeBegin(0),
          getTimePeriod(0) {}
};

/// Offline push settings of SendMessage: accepted and not used (v2tim has no push service).
struct TIM_API V2TIMOfflinePushInfo {
    V2TIMString title;
    V2TIMString desc;
    V2TIMString ext;
    bool disablePush;
    V2TIMIOSOfflinePushType iOSPushType;
    V2TIMString iOSSound;
    bool ignoreIOSBadge;
    V2TIMString AndroidSound;
    V2TIMString AndroidOPPOChannelID;
    V2TIMString AndroidFCMChannelID;
    V2TIMString AndroidXiaoMiChannelID;
    int AndroidVIVOClassification;
    V2TIMString AndroidHuaWeiCategory;
    V2TIMString AndroidHonorImportance;

    V2TIMOfflinePushInfo()
        : disablePush(false), iOSPushType(V2TIM_IOS_OFFLINE_PUSH_TYPE_APNS), ignoreIOSBadge(false),
          AndroidVIVOClassification(1) {}
};

#endif  // V2TIM_CPP_MESSAGE_H
