// v2tim C++ layer, internal: trampolines from the C ABI's callback structs to the C++
// callback and listener objects. Not part of V2TIM's API.
//
// Every trampoline is a static member function of a class (external linkage, one address in
// the whole program), so a listener struct built in one translation unit equals the one
// built in another: the C ABI identifies listeners by their contents. user_data is the C++
// object's pointer. A trampoline never touches its callback object after calling it (the
// object may delete itself) and lets no exception escape into the C code.

#ifndef V2TIM_CPP_DETAIL_H
#define V2TIM_CPP_DETAIL_H

#include "V2TIMCallback.h"
#include "V2TIMCommon.h"
#include "V2TIMDefine.h"
#include "V2TIMGroup.h"
#include "V2TIMListener.h"
#include "V2TIMMessage.h"
#include "V2TIMString.h"

namespace v2tim {
namespace detail {

struct Trampolines {
    // V2TIMCallback
    static void Success(void *ud) {
        try {
            static_cast<V2TIMCallback *>(ud)->OnSuccess();
        } catch (...) {
        }
    }
    static void Error(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMCallback *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMCallback Callback(V2TIMCallback *cb) {
        c::V2TIMCallback s = c::V2TIMCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &Success;
            s.on_error = &Error;
        }
        return s;
    }

    // V2TIMValueCallback<V2TIMString>
    static void StringSuccess(void *ud, const char *value) {
        try {
            static_cast<V2TIMValueCallback<V2TIMString> *>(ud)->OnSuccess(Str(value));
        } catch (...) {
        }
    }
    static void StringError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<V2TIMString> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMStringCallback StringCallback(V2TIMValueCallback<V2TIMString> *cb) {
        c::V2TIMStringCallback s = c::V2TIMStringCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &StringSuccess;
            s.on_error = &StringError;
        }
        return s;
    }

    // V2TIMSendCallback
    static void SendSuccess(void *ud, const c::V2TIMMessage *message) {
        try {
            V2TIMMessage m = V2TIMMessage::FromHandle(message);
            static_cast<V2TIMSendCallback *>(ud)->OnSuccess(m);
        } catch (...) {
        }
    }
    static void SendError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMSendCallback *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static void SendProgress(void *ud, uint32_t progress) {
        try {
            static_cast<V2TIMSendCallback *>(ud)->OnProgress(progress);
        } catch (...) {
        }
    }
    static c::V2TIMSendCallback SendCallback(V2TIMSendCallback *cb) {
        c::V2TIMSendCallback s = c::V2TIMSendCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &SendSuccess;
            s.on_error = &SendError;
            s.on_progress = &SendProgress;
        }
        return s;
    }

    // V2TIMValueCallback<V2TIMMessageVector>
    static void ListSuccess(void *ud, const c::V2TIMMessageList *list) {
        try {
            V2TIMMessageVector messages;
            size_t n = c::v2tim_message_list_size(list);
            for (size_t i = 0; i < n; i++) {
                messages.PushBack(V2TIMMessage::FromHandle(c::v2tim_message_list_get(list, i)));
            }
            static_cast<V2TIMValueCallback<V2TIMMessageVector> *>(ud)->OnSuccess(messages);
        } catch (...) {
        }
    }
    static void ListError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<V2TIMMessageVector> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMMessageListCallback ListCallback(V2TIMValueCallback<V2TIMMessageVector> *cb) {
        c::V2TIMMessageListCallback s = c::V2TIMMessageListCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &ListSuccess;
            s.on_error = &ListError;
        }
        return s;
    }

    // V2TIMValueCallback<V2TIMUserFullInfoVector>
    static void UsersSuccess(void *ud, const c::V2TIMUserFullInfoList *list) {
        try {
            V2TIMUserFullInfoVector users;
            size_t n = c::v2tim_user_full_info_list_size(list);
            for (size_t i = 0; i < n; i++) users.PushBack(UserFromHandle(c::v2tim_user_full_info_list_get(list, i)));
            static_cast<V2TIMValueCallback<V2TIMUserFullInfoVector> *>(ud)->OnSuccess(users);
        } catch (...) {
        }
    }
    static void UsersError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<V2TIMUserFullInfoVector> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMUserFullInfoListCallback UsersCallback(V2TIMValueCallback<V2TIMUserFullInfoVector> *cb) {
        c::V2TIMUserFullInfoListCallback s = c::V2TIMUserFullInfoListCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &UsersSuccess;
            s.on_error = &UsersError;
        }
        return s;
    }

    // InviteUserToGroup and KickGroupMember: one result per user.
    struct Invite {
        V2TIMValueCallback<V2TIMGroupMemberOperationResultVector> *cb;
    };
    static void InviteSuccess(void *ud, const c::V2TIMGroupMemberOperationResultList *list) {
        Invite *inv = static_cast<Invite *>(ud);
        V2TIMValueCallback<V2TIMGroupMemberOperationResultVector> *cb = inv->cb;
        delete inv;
        try {
            V2TIMGroupMemberOperationResultVector results;
            size_t n = c::v2tim_group_member_operation_result_list_size(list);
            for (size_t i = 0; i < n; i++) {
                V2TIMGroupMemberOperationResult r;
                r.userID = Str(c::v2tim_group_member_operation_result_list_get_user_id(list, i));
                r.result = static_cast<V2TIMGroupMemberResult>(
                    c::v2tim_group_member_operation_result_list_get_result(list, i));
                results.PushBack(r);
            }
            cb->OnSuccess(results);
        } catch (...) {
        }
    }
    static void InviteError(void *ud, int32_t code, const char *desc) {
        Invite *inv = static_cast<Invite *>(ud);
        V2TIMValueCallback<V2TIMGroupMemberOperationResultVector> *cb = inv->cb;
        delete inv;
        try {
            cb->OnError(code, Str(desc));
        } catch (...) {
        }
    }

    // V2TIMAdvancedMsgListener
    static void NewMessage(void *ud, const c::V2TIMMessage *message) {
        try {
            V2TIMMessage m = V2TIMMessage::FromHandle(message);
            static_cast<V2TIMAdvancedMsgListener *>(ud)->OnRecvNewMessage(m);
        } catch (...) {
        }
    }
    static void Revoked(void *ud, const char *msg_id, const c::V2TIMUserFullInfo *operate_user,
                        const char *reason) {
        V2TIMAdvancedMsgListener *l = static_cast<V2TIMAdvancedMsgListener *>(ud);
        // The deprecated form first, then the 7.4 one: the order of V2TIM's own Android
        // implementation (the Java layer does the same).
        try {
            l->OnRecvMessageRevoked(Str(msg_id));
        } catch (...) {
        }
        try {
            V2TIMString id = Str(msg_id);
            V2TIMUserFullInfo op = UserFromHandle(operate_user);
            l->OnRecvMessageRevoked(id, op, Str(reason));
        } catch (...) {
        }
    }
    static c::V2TIMAdvancedMsgListener Advanced(V2TIMAdvancedMsgListener *l) {
        c::V2TIMAdvancedMsgListener s = c::V2TIMAdvancedMsgListener();
        s.user_data = l;
        s.on_recv_new_message = &NewMessage;
        s.on_recv_message_revoked = &Revoked;
        return s;
    }

    // V2TIMSDKListener
    static void Connecting(void *ud) {
        try {
            static_cast<V2TIMSDKListener *>(ud)->OnConnecting();
        } catch (...) {
        }
    }
    static void ConnectSuccess(void *ud) {
        try {
            static_cast<V2TIMSDKListener *>(ud)->OnConnectSuccess();
        } catch (...) {
        }
    }
    static void ConnectFailed(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMSDKListener *>(ud)->OnConnectFailed(code, Str(desc));
        } catch (...) {
        }
    }
    static void KickedOffline(void *ud) {
        try {
            static_cast<V2TIMSDKListener *>(ud)->OnKickedOffline();
        } catch (...) {
        }
    }
    static void UserSigExpired(void *ud) {
        try {
            static_cast<V2TIMSDKListener *>(ud)->OnUserSigExpired();
        } catch (...) {
        }
    }
    static void SelfInfoUpdated(void *ud, const c::V2TIMUserFullInfo *info) {
        try {
            V2TIMUserFullInfo u = UserFromHandle(info);
            static_cast<V2TIMSDKListener *>(ud)->OnSelfInfoUpdated(u);
        } catch (...) {
        }
    }
    static c::V2TIMSDKListener Sdk(V2TIMSDKListener *l) {
        c::V2TIMSDKListener s = c::V2TIMSDKListener();
        s.user_data = l;
        s.on_connecting = &Connecting;
        s.on_connect_success = &ConnectSuccess;
        s.on_connect_failed = &ConnectFailed;
        s.on_kicked_offline = &KickedOffline;
        s.on_user_sig_expired = &UserSigExpired;
        s.on_self_info_updated = &SelfInfoUpdated;
        return s;
    }
};

}  // namespace detail
}  // namespace v2tim

#endif  // V2TIM_CPP_DETAIL_H
