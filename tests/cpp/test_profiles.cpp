// Profiles through the C++ layer with the code of Tencent's "User Profile" page (Windows)
// nearly verbatim: SetSelfInfo with modifyFlag, an SDK listener's OnSelfInfoUpdated,
// GetUsersInfo with the page's ValueCallback<T>. Around them: the sender's nickName on a
// received message, and a recall's operateUser carrying the revoker's nick name, so the app
// shows "Alice recalled a message".

#include <functional>

#include "harness.h"

using harness::S;

// ---- As on Tencent's page ----

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
        if (success_callback_) {
            success_callback_();
        }
    }
    void OnError(int error_code, const V2TIMString &error_message) override {
        if (error_callback_) {
            error_callback_(error_code, error_message);
        }
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
        if (success_callback_) {
            success_callback_(value);
        }
    }
    void OnError(int error_code, const V2TIMString &error_message) override {
        if (error_callback_) {
            error_callback_(error_code, error_message);
        }
    }

private:
    SuccessCallback success_callback_;
    ErrorCallback error_callback_;
};

class SDKListener final : public V2TIMSDKListener {
public:
    SDKListener() = default;
    ~SDKListener() override = default;

    void OnSelfInfoUpdated(const V2TIMUserFullInfo &info) override {
        harness::OnEventThread();
        std::lock_guard<std::mutex> lock(mu);
        infos.push_back(info);
        signal.Notify();
    }

    std::mutex mu;
    std::vector<V2TIMUserFullInfo> infos;
    harness::Signal signal;
};

class RecallListener final : public V2TIMAdvancedMsgListener {
public:
    void OnRecvNewMessage(const V2TIMMessage &message) override {
        std::lock_guard<std::mutex> lock(mu);
        received.push_back(message);
        signal.Notify();
    }
    void OnRecvMessageRevoked(const V2TIMString &msgID, const V2TIMUserFullInfo &operateUser,
                              const V2TIMString &reason) override {
        (void)msgID;
        (void)reason;
        std::lock_guard<std::mutex> lock(mu);
        shown.push_back(S(operateUser.nickName) + " recalled a message");
        faces.push_back(S(operateUser.faceURL));
        signal.Notify();
    }

    std::mutex mu;
    std::vector<V2TIMMessage> received;
    std::vector<std::string> shown, faces;
    harness::Signal signal;
};

int main() {
    harness::MainThread();
    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bobOwner = V2TIMManager::Create();
    V2TIMManager *bob = bobOwner.get();
    harness::Login(alice, "alice");
    harness::Login(bob, "bob");

    // Listen for the callback for a user's profile change (as on the page).
    SDKListener sdkListener;
    alice->AddSDKListener(&sdkListener);

    // Set the user's profile (as on the page).
    V2TIMUserFullInfo info;
    info.nickName = u8"Alice";
    info.faceURL = u8"https://example.com/alice.png";
    info.modifyFlag = V2TIMUserInfoModifyFlag::V2TIM_USER_INFO_MODIFY_FLAG_NICK |
                      V2TIMUserInfoModifyFlag::V2TIM_USER_INFO_MODIFY_FLAG_FACE_URL;
    harness::Signal setDone;
    int setCode = -1;
    auto callback = new Callback{};
    callback->SetCallback(
        [=, &setCode, &setDone]() {
            // User's profile set successfully
            setCode = 0;
            setDone.Notify();
            delete callback;
        },
        [=, &setCode, &setDone](int error_code, const V2TIMString &error_message) {
            // Failed to set the user's profile
            (void)error_message;
            setCode = error_code;
            setDone.Notify();
            delete callback;
        });
    alice->SetSelfInfo(info, callback);
    setDone.Wait(1, "SetSelfInfo");
    CHECK(setCode == 0);
    sdkListener.signal.Wait(1, "OnSelfInfoUpdated");
    {
        std::lock_guard<std::mutex> lock(sdkListener.mu);
        CHECK_EQ(sdkListener.infos[0].nickName, "Alice");
        CHECK_EQ(sdkListener.infos[0].userID, "alice");
    }

    // Fields beyond the page's two, and a custom one; only flagged fields change.
    V2TIMUserFullInfo more;
    more.selfSignature = "hi there";
    more.gender = V2TIM_GENDER_FEMALE;
    more.level = 3;
    more.nickName = "NOT APPLIED";
    const uint8_t city[] = {'P', 'a', 'r', 'i', 's'};
    more.customInfo.Insert("city", V2TIMBuffer(city, sizeof city));
    more.modifyFlag = V2TIM_USER_INFO_MODIFY_FLAG_SELF_SIGNATURE | V2TIM_USER_INFO_MODIFY_FLAG_GENDER |
                      V2TIM_USER_INFO_MODIFY_FLAG_LEVEL | V2TIM_USER_INFO_MODIFY_FLAG_CUSTOM;
    harness::Done moreDone;
    alice->SetSelfInfo(more, &moreDone);
    CHECK(moreDone.Wait("SetSelfInfo (more)") == 0);

    // Get the profile of a non-friend user (as on the page).
    V2TIMStringVector userIDList;
    userIDList.PushBack(u8"alice");
    userIDList.PushBack(u8"nobody-here");
    harness::Signal getDone;
    V2TIMUserFullInfoVector got;
    auto valueCallback = new ValueCallback<V2TIMUserFullInfoVector>{};
    valueCallback->SetCallback(
        [=, &got, &getDone](const V2TIMUserFullInfoVector &userFullInfoList) {
            // Obtained the profile of the non-friend user successfully
            got = userFullInfoList;
            getDone.Notify();
            delete valueCallback;
        },
        [=, &getDone](int error_code, const V2TIMString &error_message) {
            // Failed to obtain the profile of the non-friend user
            std::fprintf(stderr, "GetUsersInfo: %d %s\n", error_code, error_message.CString());
            getDone.Notify();
            delete valueCallback;
        });
    bob->GetUsersInfo(userIDList, valueCallback);
    getDone.Wait(1, "GetUsersInfo");
    CHECK(got.Size() == 1);
    CHECK_EQ(got[0].userID, "alice");
    CHECK_EQ(got[0].nickName, "Alice");
    CHECK_EQ(got[0].faceURL, "https://example.com/alice.png");
    CHECK_EQ(got[0].selfSignature, "hi there");
    CHECK(got[0].gender == V2TIM_GENDER_FEMALE);
    CHECK(got[0].level == 3);
    CHECK(got[0].customInfo.Count("city") == 1);
    CHECK(got[0].customInfo.Get("city") == V2TIMBuffer(city, sizeof city));

    // The sender's nick on a message, the revoker's on the recall.
    RecallListener recalls;
    bob->GetMessageManager()->AddAdvancedMsgListener(&recalls);
    V2TIMMessage msg = alice->GetMessageManager()->CreateTextMessage("oops");
    CHECK(harness::Send(alice, msg, "bob", "") == 0);
    recalls.signal.Wait(1, "the message");
    {
        std::lock_guard<std::mutex> lock(recalls.mu);
        CHECK_EQ(recalls.received[0].nickName, "Alice");
        CHECK_EQ(recalls.received[0].faceURL, "https://example.com/alice.png");
    }
    harness::Done revoked;
    alice->GetMessageManager()->RevokeMessage(msg, &revoked);
    CHECK(revoked.Wait("RevokeMessage") == 0);
    recalls.signal.Wait(2, "the recall");
    {
        std::lock_guard<std::mutex> lock(recalls.mu);
        CHECK_EQ(recalls.shown[0], "Alice recalled a message");
        CHECK_EQ(recalls.faces[0], "https://example.com/alice.png");
        V2TIMMessage held = recalls.received[0];
        CHECK(held.Refresh());
        CHECK_EQ(held.revokerInfo.nickName, "Alice");
    }

    // An argument error names the real reason.
    V2TIMUserFullInfo tooLong;
    tooLong.nickName = std::string(501, 'x').c_str();
    tooLong.modifyFlag = V2TIM_USER_INFO_MODIFY_FLAG_NICK;
    harness::Done bad;
    alice->SetSelfInfo(tooLong, &bad);
    CHECK(bad.Wait("SetSelfInfo (too long)") == 6017);
    CHECK(bad.desc.find("nick_name") != std::string::npos);

    bob->GetMessageManager()->RemoveAdvancedMsgListener(&recalls);
    alice->RemoveSDKListener(&sdkListener);
    std::printf("profiles: ok\n");
    return 0;
}
