// v2tim C++ layer: V2TIMConversationManager (as V2TIM's V2TIMConversationManager.h), from
// V2TIMManager::GetInstance()->GetConversationManager().

#ifndef V2TIM_CPP_CONVERSATION_MANAGER_H
#define V2TIM_CPP_CONVERSATION_MANAGER_H

#include "V2TIMCallback.h"
#include "V2TIMCommon.h"
#include "V2TIMConversation.h"
#include "V2TIMDefine.h"
#include "V2TIMDetail.h"
#include "V2TIMListener.h"
#include "V2TIMString.h"

namespace v2tim {
namespace detail {

/// Trampolines of the conversation calls and listener (see V2TIMDetail.h).
struct ConversationTrampolines {
    static void PageSuccess(void *ud, const c::V2TIMConversationList *list, uint64_t next_seq,
                            bool is_finished) {
        try {
            V2TIMConversationResult r;
            r.nextSeq = next_seq;
            r.isFinished = is_finished;
            r.conversationList = ConversationsFromList(list);
            static_cast<V2TIMValueCallback<V2TIMConversationResult> *>(ud)->OnSuccess(r);
        } catch (...) {
        }
    }
    static void PageError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<V2TIMConversationResult> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMConversationResultCallback Page(V2TIMValueCallback<V2TIMConversationResult> *cb) {
        c::V2TIMConversationResultCallback s = c::V2TIMConversationResultCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &PageSuccess;
            s.on_error = &PageError;
        }
        return s;
    }

    static void OneSuccess(void *ud, const c::V2TIMConversation *conv) {
        try {
            V2TIMConversation c = V2TIMConversation::FromHandle(conv);
            static_cast<V2TIMValueCallback<V2TIMConversation> *>(ud)->OnSuccess(c);
        } catch (...) {
        }
    }
    static void OneError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<V2TIMConversation> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMConversationCallback One(V2TIMValueCallback<V2TIMConversation> *cb) {
        c::V2TIMConversationCallback s = c::V2TIMConversationCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &OneSuccess;
            s.on_error = &OneError;
        }
        return s;
    }

    static void CountSuccess(void *ud, uint64_t value) {
        try {
            static_cast<V2TIMValueCallback<uint64_t> *>(ud)->OnSuccess(value);
        } catch (...) {
        }
    }
    static void CountError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<uint64_t> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMUint64Callback Count(V2TIMValueCallback<uint64_t> *cb) {
        c::V2TIMUint64Callback s = c::V2TIMUint64Callback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &CountSuccess;
            s.on_error = &CountError;
        }
        return s;
    }

    static void New(void *ud, const c::V2TIMConversationList *list) {
        try {
            V2TIMConversationVector v = ConversationsFromList(list);
            static_cast<V2TIMConversationListener *>(ud)->OnNewConversation(v);
        } catch (...) {
        }
    }
    static void Changed(void *ud, const c::V2TIMConversationList *list) {
        try {
            V2TIMConversationVector v = ConversationsFromList(list);
            static_cast<V2TIMConversationListener *>(ud)->OnConversationChanged(v);
        } catch (...) {
        }
    }
    static void Total(void *ud, uint64_t total) {
        try {
            static_cast<V2TIMConversationListener *>(ud)->OnTotalUnreadMessageCountChanged(total);
        } catch (...) {
        }
    }
    static c::V2TIMConversationListener Listener(V2TIMConversationListener *l) {
        c::V2TIMConversationListener s = c::V2TIMConversationListener();
        s.user_data = l;
        s.on_new_conversation = &New;
        s.on_conversation_changed = &Changed;
        s.on_total_unread_message_count_changed = &Total;
        return s;
    }
};

}  // namespace detail
}  // namespace v2tim

/// The conversation list of the logged-in user. After login the SDK reads it from the server
/// (and again after every reconnection); calls made before that read ended wait for it.
class TIM_API V2TIMConversationManager {
public:
    /// Registers `listener` (kept by pointer: keep it alive until removed); NULL is ignored.
    void AddConversationListener(V2TIMConversationListener *listener) {
        if (!listener) return;
        v2tim::c::V2TIMConversationListener s = v2tim::detail::ConversationTrampolines::Listener(listener);
        v2tim::c::v2tim_add_conversation_listener(manager_, &s);
    }

    /// Unregisters `listener`; when this returns it is not called again.
    void RemoveConversationListener(V2TIMConversationListener *listener) {
        if (!listener) return;
        v2tim::c::V2TIMConversationListener s = v2tim::detail::ConversationTrampolines::Listener(listener);
        v2tim::c::v2tim_remove_conversation_listener(manager_, &s);
    }

    /// A page of the list, newest activity first: `nextSeq` 0 for the first page, then the
    /// previous page's nextSeq until isFinished. `count` 1 to 100 (6017 otherwise).
    void GetConversationList(uint64_t nextSeq, uint32_t count,
                             V2TIMValueCallback<V2TIMConversationResult> *callback) {
        v2tim::c::v2tim_get_conversation_list(manager_, nextSeq, count,
                                              v2tim::detail::ConversationTrampolines::Page(callback));
    }

    /// One conversation by id ("c2c_<userID>" or "group_<groupID>").
    void GetConversation(const V2TIMString &conversationID, V2TIMValueCallback<V2TIMConversation> *callback) {
        v2tim::c::v2tim_get_conversation(manager_, conversationID.CString(),
                                         v2tim::detail::ConversationTrampolines::One(callback));
    }

    /// The sum of every conversation's unread count.
    void GetTotalUnreadMessageCount(V2TIMValueCallback<uint64_t> *callback) {
        v2tim::c::v2tim_get_total_unread_message_count(manager_,
                                                       v2tim::detail::ConversationTrampolines::Count(callback));
    }

    /// Marks a conversation read on every device of the user: up to the message of seq
    /// `cleanSequence` when it is not 0, else up to the newest message sent at or before
    /// `cleanTimestamp` (seconds) when that is not 0, else all of it.
    void CleanConversationUnreadMessageCount(const V2TIMString &conversationID, uint64_t cleanTimestamp,
                                             uint64_t cleanSequence, V2TIMCallback *callback) {
        v2tim::c::v2tim_clean_conversation_unread_message_count(manager_, conversationID.CString(), cleanTimestamp,
                                                                cleanSequence,
                                                                v2tim::detail::Trampolines::Callback(callback));
    }

private:
    friend class V2TIMManager;
    explicit V2TIMConversationManager(v2tim::c::V2TIMManager *manager) : manager_(manager) {}
    V2TIMConversationManager(const V2TIMConversationManager &);
    V2TIMConversationManager &operator=(const V2TIMConversationManager &);

    v2tim::c::V2TIMManager *manager_;
};

#endif  // V2TIM_CPP_CONVERSATION_MANAGER_H
