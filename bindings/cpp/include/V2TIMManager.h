// v2tim C++ layer: V2TIMManager, the entry point (as V2TIM's V2TIMManager.h). Including
// this header includes the whole layer.
//
//   #include "V2TIMManager.h"
//   g++ -std=c++11 -I <v2tim>/include -I <v2tim>/bindings/cpp/include app.cpp -lv2tim
//
// Threads: every method may be called from any thread; callbacks and listener events run on
// the SDK event thread (one per process, in order) and may call back into the SDK.

#ifndef V2TIM_CPP_MANAGER_H
#define V2TIM_CPP_MANAGER_H

#include "V2TIMBuffer.h"
#include "V2TIMCallback.h"
#include "V2TIMCommon.h"
#include "V2TIMConversation.h"
#include "V2TIMConversationManager.h"
#include "V2TIMDefine.h"
#include "V2TIMDetail.h"
#include "V2TIMErrorCode.h"
#include "V2TIMFriendship.h"
#include "V2TIMGroup.h"
#include "V2TIMGroupManager.h"
#include "V2TIMListener.h"
#include "V2TIMMessage.h"
#include "V2TIMMessageManager.h"
#include "V2TIMString.h"

#include <mutex>

/// Login status (GetLoginStatus).
enum V2TIMLoginStatus {
    V2TIM_STATUS_LOGINED = 1,
    V2TIM_STATUS_LOGINING = 2,
    V2TIM_STATUS_LOGOUT = 3,
};

/// Configuration of InitSDK: V2TIM's fields plus v2tim's serverURL and secretKey.
struct TIM_API V2TIMSDKConfig {
    /// Directory for the SDK's state (and the embedded server's database); "" = in memory.
    V2TIMString initPath;
    /// Accepted and not used (v2tim logs through its own facility).
    V2TIMString logPath;
    V2TIMLogLevel logLevel;
    /// Receives the SDK's log lines of `logLevel` and above, on the SDK event thread (the
    /// whole process's: the last InitSDK with a listener wins). Keep it alive while set.
    V2TIMLogListener *logListener;
    /// v2tim: `ws://host:port` or `wss://...` of a v2tim server (or several, comma-separated:
    /// the servers of one cluster, tried in turn); "" = the embedded
    /// in-process server (shared by every manager of the process with the same SDKAppID).
    V2TIMString serverURL;
    /// v2tim, embedded server only: the SDKAppID's secret key that UserSigs are checked
    /// against; "" = not checked.
    V2TIMString secretKey;

    V2TIMSDKConfig() : logLevel(V2TIM_LOG_INFO), logListener(nullptr) {}
};

/// One SDK instance. GetInstance() is the process-wide one (as in V2TIM); Create() (v2tim
/// extension) makes independent ones, e.g. several users in one process.
class TIM_API V2TIMManager {
public:
    /// The process-wide instance (never destroyed).
    static V2TIMManager *GetInstance() {
        static V2TIMManager instance(v2tim::c::v2tim_manager_get_instance(), false);
        return &instance;
    }

    /// v2tim extension: a new independent instance, uninitialized; destroying it
    /// uninitializes it (requests in flight fail with 200007). Do not destroy it from one of
    /// its own callbacks. NULL if the SDK could not make one.
    static std::unique_ptr<V2TIMManager> Create() {
        v2tim::c::V2TIMManager *h = v2tim::c::v2tim_manager_create();
        if (!h) return std::unique_ptr<V2TIMManager>();
        return std::unique_ptr<V2TIMManager>(new V2TIMManager(h, true));
    }

    virtual ~V2TIMManager() {
        if (owned_) v2tim::c::v2tim_manager_destroy(handle_);
    }

    /// Starts the SDK for `sdkAppID`. True on success (also when already initialized with
    /// the same SDKAppID); the reason of a failure is v2tim::c::v2tim_last_error_code().
    bool InitSDK(uint32_t sdkAppID, const V2TIMSDKConfig &config) {
        v2tim::c::V2TIMSDKConfig c = v2tim::c::V2TIMSDKConfig();
        c.server_url = v2tim::detail::OrNull(config.serverURL);
        c.data_dir = v2tim::detail::OrNull(config.initPath);
        c.log_level = static_cast<int32_t>(config.logLevel);
        c.secret_key = v2tim::detail::OrNull(config.secretKey);
        if (config.logListener) {
            v2tim::c::V2TIMLogListener l = v2tim::c::V2TIMLogListener();
            l.user_data = config.logListener;
            l.on_log = &LogTrampoline;
            v2tim::c::v2tim_set_log_listener(&l, static_cast<int32_t>(config.logLevel));
        }
        return v2tim::c::v2tim_init_sdk(handle_, sdkAppID, &c) == 0;
    }

    /// Stops the SDK: logs out without waiting, drops the connection; requests in flight
    /// fail with 200007. Listeners stay registered.
    void UnInitSDK() { v2tim::c::v2tim_uninit_sdk(handle_); }

    /// The version of this C++ layer.
    V2TIMString GetVersion() { return V2TIMString("0.1.0"); }

    /// Server time (seconds since the epoch) as last learned from the server.
    int64_t GetServerTime() { return v2tim::c::v2tim_get_server_time(handle_); }

    /// Registers `listener` (kept by pointer until removed); NULL is ignored.
    void AddSDKListener(V2TIMSDKListener *listener) {
        if (!listener) return;
        v2tim::c::V2TIMSDKListener s = v2tim::detail::Trampolines::Sdk(listener);
        v2tim::c::v2tim_add_sdk_listener(handle_, &s);
    }

    /// Unregisters `listener`; when this returns it is not called again.
    void RemoveSDKListener(V2TIMSDKListener *listener) {
        if (!listener) return;
        v2tim::c::V2TIMSDKListener s = v2tim::detail::Trampolines::Sdk(listener);
        v2tim::c::v2tim_remove_sdk_listener(handle_, &s);
    }

    /// Logs in as `userID` with `userSig`. Errors: 6013 not initialized, 70001 / 70003
    /// expired / invalid UserSig, network errors.
    void Login(const V2TIMString &userID, const V2TIMString &userSig, V2TIMCallback *callback) {
        v2tim::c::v2tim_login(handle_, userID.CString(), userSig.CString(),
                              v2tim::detail::Trampolines::Callback(callback));
    }

    void Logout(V2TIMCallback *callback) {
        v2tim::c::v2tim_logout(handle_, v2tim::detail::Trampolines::Callback(callback));
    }

    /// The logged-in user id ("" when logged out).
    V2TIMString GetLoginUser() {
        char *s = v2tim::c::v2tim_get_login_user(handle_);
        V2TIMString r(s);
        v2tim::c::v2tim_string_free(s);
        return r;
    }

    V2TIMLoginStatus GetLoginStatus() {
        return static_cast<V2TIMLoginStatus>(v2tim::c::v2tim_get_login_status(handle_));
    }

    /// Registers `listener` (kept by pointer until removed); adding it twice changes
    /// nothing; NULL is ignored.
    void AddSimpleMsgListener(V2TIMSimpleMsgListener *listener) {
        if (!listener) return;
        std::unique_ptr<SimpleAdapter> adapter;
        {
            std::lock_guard<std::mutex> lock(simpleMu_);
            for (const auto &a : simple_) {
                if (a->listener == listener) return;
            }
            adapter.reset(new SimpleAdapter(listener));
            messageManager_.AddAdvancedMsgListener(adapter.get());
            simple_.push_back(std::move(adapter));
        }
    }

    /// Unregisters `listener`; when this returns it is not called again.
    void RemoveSimpleMsgListener(V2TIMSimpleMsgListener *listener) {
        std::unique_ptr<SimpleAdapter> gone;
        {
            std::lock_guard<std::mutex> lock(simpleMu_);
            for (size_t i = 0; i < simple_.size(); i++) {
                if (simple_[i]->listener == listener) {
                    gone = std::move(simple_[i]);
                    simple_.erase(simple_.begin() + static_cast<std::ptrdiff_t>(i));
                    break;
                }
            }
        }
        if (gone) messageManager_.RemoveAdvancedMsgListener(gone.get());
    }

    /// Sends `text` to `userID`; answers the message id (the callback gets the message).
    V2TIMString SendC2CTextMessage(const V2TIMString &text, const V2TIMString &userID, V2TIMSendCallback *callback) {
        V2TIMMessage m = messageManager_.CreateTextMessage(text);
        return messageManager_.SendMessage(m, userID, "", V2TIM_PRIORITY_NORMAL, false, V2TIMOfflinePushInfo(),
                                           callback);
    }

    V2TIMString SendC2CCustomMessage(const V2TIMBuffer &customData, const V2TIMString &userID,
                                     V2TIMSendCallback *callback) {
        V2TIMMessage m = messageManager_.CreateCustomMessage(customData);
        return messageManager_.SendMessage(m, userID, "", V2TIM_PRIORITY_NORMAL, false, V2TIMOfflinePushInfo(),
                                           callback);
    }

    V2TIMString SendGroupTextMessage(const V2TIMString &text, const V2TIMString &groupID,
                                     V2TIMMessagePriority priority, V2TIMSendCallback *callback) {
        V2TIMMessage m = messageManager_.CreateTextMessage(text);
        return messageManager_.SendMessage(m, "", groupID, priority, false, V2TIMOfflinePushInfo(), callback);
    }

    V2TIMString SendGroupCustomMessage(const V2TIMBuffer &customData, const V2TIMString &groupID,
                                       V2TIMMessagePriority priority, V2TIMSendCallback *callback) {
        V2TIMMessage m = messageManager_.CreateCustomMessage(customData);
        return messageManager_.SendMessage(m, "", groupID, priority, false, V2TIMOfflinePushInfo(), callback);
    }

    /// Changes the logged-in user's profile: the fields `info.modifyFlag` names (custom keys
    /// one by one). Every device of the user then hears V2TIMSDKListener::OnSelfInfoUpdated.
    void SetSelfInfo(const V2TIMUserFullInfo &info, V2TIMCallback *callback) {
        std::vector<const char *> keys;
        std::vector<const uint8_t *> values;
        std::vector<size_t> lengths;
        V2TIMStringVector allKeys = info.customInfo.AllKeys();
        std::vector<V2TIMBuffer> buffers;
        for (size_t i = 0; i < allKeys.Size(); i++) buffers.push_back(info.customInfo.Get(allKeys[i]));
        for (size_t i = 0; i < allKeys.Size(); i++) {
            keys.push_back(allKeys[i].CString());
            values.push_back(buffers[i].Data());
            lengths.push_back(buffers[i].Size());
        }
        v2tim::c::V2TIMSelfInfo c = v2tim::c::V2TIMSelfInfo();
        c.modify_flag = info.modifyFlag;
        c.nick_name = info.nickName.CString();
        c.face_url = info.faceURL.CString();
        c.self_signature = info.selfSignature.CString();
        c.gender = static_cast<int32_t>(info.gender);
        c.role = info.role;
        c.level = info.level;
        c.birthday = info.birthday;
        c.allow_type = static_cast<int32_t>(info.allowType);
        c.custom_info_keys = keys.empty() ? nullptr : &keys[0];
        c.custom_info_values = values.empty() ? nullptr : &values[0];
        c.custom_info_lengths = lengths.empty() ? nullptr : &lengths[0];
        c.custom_info_count = keys.size();
        v2tim::c::v2tim_set_self_info_fields(handle_, &c, v2tim::detail::Trampolines::Callback(callback));
    }

    /// Profiles of up to 100 users; users without an account are left out.
    void GetUsersInfo(const V2TIMStringVector &userIDList, V2TIMValueCallback<V2TIMUserFullInfoVector> *callback) {
        std::vector<const char *> ids;
        for (size_t i = 0; i < userIDList.Size(); i++) ids.push_back(userIDList[i].CString());
        v2tim::c::v2tim_get_users_info(handle_, ids.empty() ? nullptr : &ids[0], ids.size(),
                                       v2tim::detail::Trampolines::UsersCallback(callback));
    }

    /// See V2TIMGroupManager::CreateGroup.
    void CreateGroup(const V2TIMString &groupType, const V2TIMString &groupID, const V2TIMString &groupName,
                     V2TIMValueCallback<V2TIMString> *callback) {
        groupManager_.CreateGroup(groupType, groupID, groupName, callback);
    }

    /// Joins `groupID`; `message` is the application text.
    void JoinGroup(const V2TIMString &groupID, const V2TIMString &message, V2TIMCallback *callback) {
        v2tim::c::v2tim_join_group(handle_, groupID.CString(), message.CString(),
                                   v2tim::detail::Trampolines::Callback(callback));
    }

    /// Leaves `groupID`.
    void QuitGroup(const V2TIMString &groupID, V2TIMCallback *callback) {
        v2tim::c::v2tim_quit_group(handle_, groupID.CString(), v2tim::detail::Trampolines::Callback(callback));
    }

    /// Dismisses `groupID`: its owner, any type but Work (V2TIM's rule). Every member hears
    /// OnGroupDismissed.
    void DismissGroup(const V2TIMString &groupID, V2TIMCallback *callback) {
        v2tim::c::v2tim_dismiss_group(handle_, groupID.CString(), v2tim::detail::Trampolines::Callback(callback));
    }

    /// Registers `listener` (kept by pointer until removed); adding it twice changes
    /// nothing; NULL is ignored.
    void AddGroupListener(V2TIMGroupListener *listener) {
        if (!listener) return;
        std::lock_guard<std::mutex> lock(groupMu_);
        for (const auto &a : groups_) {
            if (a->listener == listener) return;
        }
        std::unique_ptr<GroupAdapter> a(new GroupAdapter());
        a->listener = listener;
        a->manager = handle_;
        v2tim::c::V2TIMGroupListener s = v2tim::detail::GroupTrampolines::Listener(a.get());
        v2tim::c::v2tim_add_group_listener(handle_, &s);
        groups_.push_back(std::move(a));
    }

    /// Unregisters `listener`; when this returns it is not called again.
    void RemoveGroupListener(V2TIMGroupListener *listener) {
        std::unique_ptr<GroupAdapter> gone;
        {
            std::lock_guard<std::mutex> lock(groupMu_);
            for (size_t i = 0; i < groups_.size(); i++) {
                if (groups_[i]->listener == listener) {
                    gone = std::move(groups_[i]);
                    groups_.erase(groups_.begin() + static_cast<std::ptrdiff_t>(i));
                    break;
                }
            }
        }
        if (!gone) return;
        // Outside the lock: the listener may be running, and may call into this manager.
        v2tim::c::V2TIMGroupListener s = v2tim::detail::GroupTrampolines::Listener(gone.get());
        v2tim::c::v2tim_remove_group_listener(handle_, &s);
    }

    V2TIMMessageManager *GetMessageManager() { return &messageManager_; }
    V2TIMGroupManager *GetGroupManager() { return &groupManager_; }
    V2TIMConversationManager *GetConversationManager() { return &conversationManager_; }

    /// v2tim extension: the C manager (v2tim::c::V2TIMManager) behind this object.
    v2tim::c::V2TIMManager *Handle() const { return handle_; }

private:
    static void LogTrampoline(void *ud, int32_t level, const char *text) {
        try {
            static_cast<V2TIMLogListener *>(ud)->OnLog(static_cast<V2TIMLogLevel>(level),
                                                        v2tim::detail::Str(text));
        } catch (...) {
        }
    }

    /// A simple listener as an advanced one: text and custom messages, split by kind.
    struct SimpleAdapter : public V2TIMAdvancedMsgListener {
        explicit SimpleAdapter(V2TIMSimpleMsgListener *l) : listener(l) {}
        void OnRecvNewMessage(const V2TIMMessage &m) override {
            if (m.elemList.Size() != 1) return;
            const V2TIMElem *e = m.elemList[0];
            V2TIMUserFullInfo user;
            user.userID = m.sender;
            user.nickName = m.nickName;
            user.faceURL = m.faceURL;
            V2TIMGroupMemberFullInfo member;
            member.userID = m.sender;
            member.nickName = m.nickName;
            member.faceURL = m.faceURL;
            if (e->elemType == V2TIM_ELEM_TYPE_TEXT) {
                const V2TIMString &text = static_cast<const V2TIMTextElem *>(e)->text;
                if (m.groupID.Empty())
                    listener->OnRecvC2CTextMessage(m.msgID, user, text);
                else
                    listener->OnRecvGroupTextMessage(m.msgID, m.groupID, member, text);
            } else if (e->elemType == V2TIM_ELEM_TYPE_CUSTOM) {
                const V2TIMBuffer &data = static_cast<const V2TIMCustomElem *>(e)->data;
                if (m.groupID.Empty())
                    listener->OnRecvC2CCustomMessage(m.msgID, user, data);
                else
                    listener->OnRecvGroupCustomMessage(m.msgID, m.groupID, member, data);
            }
        }
        V2TIMSimpleMsgListener *listener;
    };

    V2TIMManager(v2tim::c::V2TIMManager *handle, bool owned)
        : handle_(handle),
          owned_(owned),
          messageManager_(handle),
          groupManager_(handle),
          conversationManager_(handle) {}
    V2TIMManager(const V2TIMManager &);
    V2TIMManager &operator=(const V2TIMManager &);

    v2tim::c::V2TIMManager *handle_;
    bool owned_;
    V2TIMMessageManager messageManager_;
    V2TIMGroupManager groupManager_;
    V2TIMConversationManager conversationManager_;
    std::mutex simpleMu_;
    std::vector<std::unique_ptr<SimpleAdapter>> simple_;
    typedef v2tim::detail::GroupTrampolines::GroupAdapter GroupAdapter;
    std::mutex groupMu_;
    std::vector<std::unique_ptr<GroupAdapter>> groups_;
};

#endif  // V2TIM_CPP_MANAGER_H
