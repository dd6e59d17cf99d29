// v2tim C++ layer: V2TIMMessageManager (as V2TIM's V2TIMMessageManager.h).

#ifndef V2TIM_CPP_MESSAGE_MANAGER_H
#define V2TIM_CPP_MESSAGE_MANAGER_H

#include <limits>
#include <string>
#include <vector>

#include "V2TIMCallback.h"
#include "V2TIMDefine.h"
#include "V2TIMDetail.h"
#include "V2TIMListener.h"
#include "V2TIMMessage.h"

/// Messages of one SDK instance: get it with V2TIMManager::GetMessageManager(); it lives as
/// long as its V2TIMManager.
class TIM_API V2TIMMessageManager {
public:
    /// Registers `listener` (kept by pointer: keep it alive until removed). Adding it twice
    /// changes nothing; NULL is ignored. Events arrive on the SDK event thread.
    void AddAdvancedMsgListener(V2TIMAdvancedMsgListener *listener) {
        if (!listener) return;
        v2tim::c::V2TIMAdvancedMsgListener s = v2tim::detail::Trampolines::Advanced(listener);
        v2tim::c::v2tim_add_advanced_msg_listener(manager_, &s);
    }

    /// Unregisters `listener`; when this returns it is not called again. Unknown or NULL
    /// listeners are ignored.
    void RemoveAdvancedMsgListener(V2TIMAdvancedMsgListener *listener) {
        if (!listener) return;
        v2tim::c::V2TIMAdvancedMsgListener s = v2tim::detail::Trampolines::Advanced(listener);
        v2tim::c::v2tim_remove_advanced_msg_listener(manager_, &s);
    }

    /// A text message to pass to SendMessage. If the SDK refuses it (not initialized, over
    /// 12 KB), the message has no SDK handle and SendMessage reports the error.
    V2TIMMessage CreateTextMessage(const V2TIMString &text) {
        v2tim::c::V2TIMMessage *h = v2tim::c::v2tim_create_text_message(manager_, text.CString());
        if (h) return Adopt(h);
        V2TIMMessage m;
        V2TIMTextElem *e = new V2TIMTextElem();
        e->text = text;
        m.elemList.PushBack(e);
        return m;
    }

    /// A custom message carrying `data`.
    V2TIMMessage CreateCustomMessage(const V2TIMBuffer &data) {
        return CreateCustomMessage(data, V2TIMString(), V2TIMString());
    }

    /// A custom message carrying `data`, a `description` and an `extension`.
    V2TIMMessage CreateCustomMessage(const V2TIMBuffer &data, const V2TIMString &description,
                                     const V2TIMString &extension) {
        v2tim::c::V2TIMMessage *h = v2tim::c::v2tim_create_custom_message(
            manager_, data.Data(), data.Size(), description.CString(), extension.CString());
        if (h) return Adopt(h);
        V2TIMMessage m;
        V2TIMCustomElem *e = new V2TIMCustomElem();
        e->data = data;
        e->desc = description;
        e->extension = extension;
        m.elemList.PushBack(e);
        return m;
    }

    /// Sends `message` to the user `receiver` (one-to-one) or the group `groupID` (exactly
    /// one non-empty) and returns its msgID at once. `message` gets its msgID, sender and
    /// conversation fields now; the server's seq and timestamp arrive with
    /// callback->OnSuccess (and in `message` after message.Refresh()). A message built
    /// field by field is sent from its first text or custom element. `onlineUserOnly`:
    /// only the devices online now get it (OnRecvNewMessage); it is never stored (no
    /// history, no unread, no conversation change, seq 0, cannot be recalled).
    /// `message`'s cloudCustomData and isExcludedFrom* fields go with it.
    /// `offlinePushInfo` is accepted and not used. Errors go to callback->OnError on the
    /// SDK event thread (6017 bad arguments, 8001 cloudCustomData over 12 KB, 6014 not
    /// logged in, server codes).
    V2TIMString SendMessage(V2TIMMessage &message, const V2TIMString &receiver,
                            const V2TIMString &groupID, V2TIMMessagePriority priority,
                            bool onlineUserOnly, const V2TIMOfflinePushInfo &offlinePushInfo,
                            V2TIMSendCallback *callback) {
        // Build re-reads the fields from the new handle: keep what the app set.
        const std::string cloud(reinterpret_cast<const char *>(message.cloudCustomData.Data()),
                                message.cloudCustomData.Size());
        const bool noUnread = message.isExcludedFromUnreadCount;
        const bool noLast = message.isExcludedFromLastMessage;
        if (!message.Handle()) Build(message);
        namespace c = v2tim::c;
        std::string refused;
        int32_t code = 0;
        if (cloud.find('\0') != std::string::npos) {
            code = V2TIM_ERR_INVALID_PARAMETERS;
            refused = "cloudCustomData holds a NUL byte: it must be UTF-8 text";
        } else if ((code = SetExtras(message, cloud, noUnread, noLast, offlinePushInfo)) != 0) {
            refused = c::v2tim_last_error_desc();
        }
        if (code != 0) {
            // Reported on the SDK event thread, as every other error is.
            c::V2TIMSendCallback cb = v2tim::detail::Trampolines::SendCallback(callback);
            c::v2tim_post_error(cb.user_data, cb.on_error, code, refused.c_str());
            return message.msgID;
        }
        const char *id = v2tim::c::v2tim_send_message_with_flags(
            manager_, message.Handle(), receiver.CString(), groupID.CString(),
            static_cast<int32_t>(priority),
            onlineUserOnly ? v2tim::c::V2TIM_SEND_FLAG_ONLINE_USER_ONLY : v2tim::c::V2TIM_SEND_FLAG_NONE,
            v2tim::detail::Trampolines::SendCallback(callback));
        if (message.Handle()) {
            message.Refresh();
        } else if (id) {
            message.msgID = id;
        }
        return message.msgID;
    }

    /// Recalls `message` (V2TIM's RevokeMessage): the sender's own message, or in a group a
    /// message the caller may recall as owner (anyone's) or admin (ordinary members'),
    /// within the app's time limit. A message without SDK handle is recalled by its
    /// msgID in the conversation given by its userID or groupID. Errors (OnError):
    /// 200002 V2TIM_ERR_REVOKE_NOT_SENDER (one-to-one, the peer's message), 10007
    /// permission (group), 20016 / 10031 time limit, 20022 / 10030 not found, 20023 already
    /// recalled, 6014 not logged in, 6017 bad arguments.
    void RevokeMessage(const V2TIMMessage &message, V2TIMCallback *callback) {
        Revoke(message, nullptr, callback);
    }

    /// v2tim extension: RevokeMessage with a `reason` every participant reads
    /// (OnRecvMessageRevoked, V2TIMMessage::revokeReason).
    void RevokeMessage(const V2TIMMessage &message, const V2TIMString &reason, V2TIMCallback *callback) {
        Revoke(message, v2tim::detail::OrNull(reason), callback);
    }

    /// Reads a page of history: `option.userID` (one-to-one) xor `option.groupID`, at most
    /// `option.count` messages. Recalled messages appear in place with status
    /// V2TIM_MSG_STATUS_LOCAL_REVOKED, empty elemList, revokerInfo and revokeReason.
    /// Older pulls come newest first, newer pulls (V2TIM_GET_*_NEWER_MSG) oldest first; the
    /// start is lastMsg (excluded) or, in a group, lastMsgSeq (included); getTimeBegin /
    /// getTimePeriod (seconds) bound the send times, intersected with the start. The LOCAL
    /// types read the server too. messageTypeList keeps those element types (a recalled
    /// message keeps the type it was sent with). A type outside 0..31, lastMsgSeq in C2C,
    /// both or neither id, a lastMsg without SDK handle: OnError 6017 naming which.
    void GetHistoryMessageList(const V2TIMMessageListGetOption &option,
                               V2TIMValueCallback<V2TIMMessageVector> *callback) {
        namespace c = v2tim::c;
        c::V2TIMMessageListCallback cb = v2tim::detail::Trampolines::ListCallback(callback);
        const c::V2TIMMessage *last = option.lastMsg ? option.lastMsg->Handle() : nullptr;
        if (option.lastMsg && !last) {
            // Reported on the SDK event thread, as every other error is.
            c::v2tim_post_error(cb.user_data, cb.on_error, V2TIM_ERR_INVALID_PARAMETERS,
                                "lastMsg was not made by the SDK (no SDK handle): pass a message the SDK gave you");
            return;
        }
        std::vector<int32_t> types;
        for (size_t i = 0; i < option.messageTypeList.Size(); i++)
            types.push_back(static_cast<int32_t>(option.messageTypeList[i]));
        c::V2TIMMessageListGetOption o = c::V2TIMMessageListGetOption();
        o.get_type = static_cast<int32_t>(option.getType);
        o.user_id = v2tim::detail::OrNull(option.userID);
        o.group_id = v2tim::detail::OrNull(option.groupID);
        o.count = option.count > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())
                      ? std::numeric_limits<int32_t>::max()
                      : static_cast<int32_t>(option.count);
        o.last_msg = last;
        o.last_msg_seq = option.lastMsgSeq;
        o.get_time_begin = option.getTimeBegin;
        o.get_time_period = option.getTimePeriod;
        o.message_types = types.empty() ? nullptr : &types[0];
        o.message_type_count = types.size();
        c::v2tim_get_history_message_list(manager_, &o, cb);
    }

    /// Marks the C2C conversation with `userID` read (deprecated in V2TIM for
    /// V2TIMConversationManager::CleanConversationUnreadMessageCount).
    void MarkC2CMessageAsRead(const V2TIMString &userID, V2TIMCallback *callback) {
        v2tim::c::v2tim_mark_c2c_message_as_read(manager_, userID.CString(),
                                                 v2tim::detail::Trampolines::Callback(callback));
    }

    /// Marks the conversation of group `groupID` read (deprecated in V2TIM, as above).
    void MarkGroupMessageAsRead(const V2TIMString &groupID, V2TIMCallback *callback) {
        v2tim::c::v2tim_mark_group_message_as_read(manager_, groupID.CString(),
                                                   v2tim::detail::Trampolines::Callback(callback));
    }

    /// v2tim extension: the C manager this object works on.
    v2tim::c::V2TIMManager *Handle() const { return manager_; }

private:
    friend class V2TIMManager;
    explicit V2TIMMessageManager(v2tim::c::V2TIMManager *manager) : manager_(manager) {}
    V2TIMMessageManager(const V2TIMMessageManager &);
    V2TIMMessageManager &operator=(const V2TIMMessageManager &);

    /// A message for an owned handle (from a create function).
    static V2TIMMessage Adopt(v2tim::c::V2TIMMessage *h) {
        V2TIMMessage m = V2TIMMessage::FromHandle(h);
        v2tim::c::v2tim_message_release(h);
        return m;
    }

    /// Copies what is sent with a message to its handle, while it is unsent (a sent one is
    /// refused by the send itself). 0 or the setter's error code.
    static int32_t SetExtras(const V2TIMMessage &message, const std::string &cloud, bool noUnread,
                             bool noLast, const V2TIMOfflinePushInfo &push) {
        namespace c = v2tim::c;
        using v2tim::detail::OrNull;
        c::V2TIMMessage *h = message.Handle();
        if (!h || c::v2tim_message_get_seq(h) != 0 || c::v2tim_message_is_revoked(h)) return 0;
        if (int32_t code = c::v2tim_message_set_cloud_custom_data(h, cloud.c_str())) return code;
        if (int32_t code = c::v2tim_message_set_excluded_from_unread_count(h, noUnread)) return code;
        if (int32_t code = c::v2tim_message_set_excluded_from_last_message(h, noLast)) return code;
        const V2TIMOfflinePushInfo none;
        if (push.title.Empty() && push.desc.Empty() && push.ext.Empty() && !push.disablePush &&
            push.iOSPushType == none.iOSPushType && push.iOSSound.Empty() && !push.ignoreIOSBadge &&
            push.AndroidSound.Empty() && push.AndroidOPPOChannelID.Empty() && push.AndroidFCMChannelID.Empty() &&
            push.AndroidXiaoMiChannelID.Empty() && push.AndroidVIVOClassification == none.AndroidVIVOClassification &&
            push.AndroidHuaWeiCategory.Empty() && push.AndroidHonorImportance.Empty()) {
            return 0;  // nothing set: no push info
        }
        c::V2TIMOfflinePushInfo p = c::V2TIMOfflinePushInfo();
        p.title = OrNull(push.title);
        p.desc = OrNull(push.desc);
        p.ext = OrNull(push.ext);
        p.disable_push = push.disablePush;
        p.ios_sound = OrNull(push.iOSSound);
        p.ignore_ios_badge = push.ignoreIOSBadge;
        p.ios_push_type = static_cast<int32_t>(push.iOSPushType);
        p.android_sound = OrNull(push.AndroidSound);
        p.android_oppo_channel_id = OrNull(push.AndroidOPPOChannelID);
        p.android_fcm_channel_id = OrNull(push.AndroidFCMChannelID);
        p.android_xiaomi_channel_id = OrNull(push.AndroidXiaoMiChannelID);
        p.android_vivo_classification = push.AndroidVIVOClassification;
        p.android_huawei_category = OrNull(push.AndroidHuaWeiCategory);
        p.android_honor_importance = OrNull(push.AndroidHonorImportance);
        return c::v2tim_message_set_offline_push_info(h, &p);
    }

    /// Gives a message built field by field an SDK handle made from its first element.
    void Build(V2TIMMessage &message) {
        namespace c = v2tim::c;
        for (size_t i = 0; i < message.elemList.Size(); i++) {
            const V2TIMElem *e = message.elemList[i];
            if (!e) continue;
            c::V2TIMMessage *h = nullptr;
            if (e->elemType == V2TIM_ELEM_TYPE_TEXT) {
                h = c::v2tim_create_text_message(manager_, static_cast<const V2TIMTextElem *>(e)->text.CString());
            } else if (e->elemType == V2TIM_ELEM_TYPE_CUSTOM) {
                const V2TIMCustomElem *ce = static_cast<const V2TIMCustomElem *>(e);
                h = c::v2tim_create_custom_message(manager_, ce->data.Data(), ce->data.Size(),
                                                   ce->desc.CString(), ce->extension.CString());
            } else {
                continue;
            }
            if (h) {
                message.handle_.reset(h, &c::v2tim_message_release);
                message.Refresh();
            }
            return;
        }
    }

    void Revoke(const V2TIMMessage &message, const char *reason, V2TIMCallback *callback) {
        namespace c = v2tim::c;
        c::V2TIMCallback cb = v2tim::detail::Trampolines::Callback(callback);
        if (message.Handle()) {
            c::v2tim_revoke_message_with_reason(manager_, message.Handle(), reason, cb);
        } else {
            c::v2tim_revoke_message_by_id(manager_, v2tim::detail::OrNull(message.userID),
                                          v2tim::detail::OrNull(message.groupID), message.msgID.CString(),
                                          reason, cb);
        }
    }

    v2tim::c::V2TIMManager *manager_;
};

#endif  // V2TIM_CPP_MESSAGE_MANAGER_H
