// The conversation list through the C++ layer, with the code of Tencent's "Conversation
// List" and "Unread Count" pages (Windows) nearly verbatim: the ValueCallback<T> helper of
// those pages, GetConversationList(nextSeq, count), a V2TIMConversationListener,
// GetTotalUnreadMessageCount and CleanConversationUnreadMessageCount. Around them, the
// recall cases: when alice recalls bob's last message, bob's listener hears
// OnConversationChanged once with lastMessage recalled and the unread count lowered, and
// OnTotalUnreadMessageCountChanged follows.

#include <functional>

#include "harness.h"

using harness::S;

// ---- As on Tencent's pages ----

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

class ConversationListener final : public V2TIMConversationListener {
public:
    ConversationListener() = default;
    ~ConversationListener() override = default;

    void OnNewConversation(const V2TIMConversationVector &conversationList) override {
        harness::OnEventThread();
        std::lock_guard<std::mutex> lock(mu);
        for (size_t i = 0; i < conversationList.Size(); i++) news.push_back(conversationList[i]);
        signal.Notify();
    }
    void OnConversationChanged(const V2TIMConversationVector &conversationList) override {
        harness::OnEventThread();
        std::lock_guard<std::mutex> lock(mu);
        for (size_t i = 0; i < conversationList.Size(); i++) changes.push_back(conversationList[i]);
        signal.Notify();
    }
    void OnTotalUnreadMessageCountChanged(uint64_t totalUnreadCount) override {
        harness::OnEventThread();
        std::lock_guard<std::mutex> lock(mu);
        totals.push_back(totalUnreadCount);
        signal.Notify();
    }

    std::mutex mu;
    std::vector<V2TIMConversation> news, changes;
    std::vector<uint64_t> totals;
    harness::Signal signal;
};

// ---- Test plumbing ----

static V2TIMConversationResult GetList(V2TIMManager *m) {
    harness::Signal done;
    V2TIMConversationResult got;
    int code = -1;
    // The page's code: a callback that deletes itself.
    auto callback = new ValueCallback<V2TIMConversationResult>{};
    callback->SetCallback(
        [=, &got, &code, &done](const V2TIMConversationResult &conversationResult) {
            got = conversationResult;
            code = 0;
            done.Notify();
            delete callback;
        },
        [=, &code, &done](int error_code, const V2TIMString &error_message) {
            (void)error_message;
            code = error_code;
            done.Notify();
            delete callback;
        });
    m->GetConversationManager()->GetConversationList(0, 50, callback);
    done.Wait(1, "GetConversationList");
    CHECK(code == 0);
    return got;
}

static uint64_t Total(V2TIMManager *m) {
    harness::ValueDone<uint64_t> d;
    m->GetConversationManager()->GetTotalUnreadMessageCount(&d);
    CHECK(d.Wait("GetTotalUnreadMessageCount") == 0);
    return d.value;
}

static void WaitTotal(ConversationListener &l, uint64_t total) {
    for (int seen = 1;; seen++) {
        l.signal.Wait(seen, "a conversation event");
        std::lock_guard<std::mutex> lock(l.mu);
        if (!l.totals.empty() && l.totals.back() == total) return;
    }
}

int main() {
    harness::MainThread();
    V2TIMManager *alice = V2TIMManager::GetInstance();
    std::unique_ptr<V2TIMManager> bobOwner = V2TIMManager::Create();
    V2TIMManager *bob = bobOwner.get();
    harness::Login(alice, "alice");
    harness::Login(bob, "bob");

    CHECK(GetList(bob).conversationList.Empty());
    ConversationListener listener;
    bob->GetConversationManager()->AddConversationListener(&listener);

    V2TIMMessageManager *am = alice->GetMessageManager();
    V2TIMMessage first = am->CreateTextMessage("first");
    CHECK(harness::Send(alice, first, "bob", "") == 0);
    V2TIMMessage last = am->CreateTextMessage("meant for someone else");
    CHECK(harness::Send(alice, last, "bob", "") == 0);
    WaitTotal(listener, 2);
    {
        std::lock_guard<std::mutex> lock(listener.mu);
        CHECK(listener.news.size() == 1);
        CHECK_EQ(listener.news[0].conversationID, "c2c_alice");
        CHECK(listener.news[0].type == V2TIM_C2C);
    }

    V2TIMConversationResult page = GetList(bob);
    CHECK(page.isFinished);
    CHECK(page.conversationList.Size() == 1);
    const V2TIMConversation &conv = page.conversationList[0];
    CHECK_EQ(conv.conversationID, "c2c_alice");
    CHECK_EQ(conv.userID, "alice");
    CHECK_EQ(conv.showName, "alice");
    CHECK(conv.unreadCount == 2);
    CHECK(conv.lastMessage != nullptr);
    CHECK_EQ(conv.lastMessage->msgID, last.msgID);
    CHECK(conv.orderKey > 0);
    V2TIMConversation copy = conv;  // deep copy: its own lastMessage
    CHECK(copy.lastMessage != conv.lastMessage);
    CHECK_EQ(copy.lastMessage->msgID, last.msgID);
    CHECK(Total(bob) == 2);

    // alice recalls the last message: one change, recalled form, unread lowered.
    size_t changesBefore;
    {
        std::lock_guard<std::mutex> lock(listener.mu);
        changesBefore = listener.changes.size();
    }
    harness::Done revoked;
    am->RevokeMessage(last, &revoked);
    CHECK(revoked.Wait("RevokeMessage") == 0);
    WaitTotal(listener, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    {
        std::lock_guard<std::mutex> lock(listener.mu);
        CHECK(listener.changes.size() == changesBefore + 1);
        const V2TIMConversation &c = listener.changes.back();
        CHECK(c.unreadCount == 1);
        CHECK(c.lastMessage != nullptr);
        CHECK(c.lastMessage->status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
        CHECK(c.lastMessage->elemList.Empty());
        CHECK_EQ(c.lastMessage->revokerInfo.userID, "alice");
    }
    // The page read before the recall refers to the same live message.
    CHECK(copy.lastMessage->Refresh());
    CHECK(copy.lastMessage->status == V2TIM_MSG_STATUS_LOCAL_REVOKED);

    // One conversation by id, then read: the total goes to 0.
    harness::ValueDone<V2TIMConversation> one;
    bob->GetConversationManager()->GetConversation("c2c_alice", &one);
    CHECK(one.Wait("GetConversation") == 0);
    CHECK(one.value.unreadCount == 1);
    auto cleaned = new Callback{};
    harness::Signal cleanDone;
    int cleanCode = -1;
    cleaned->SetCallback(
        [=, &cleanCode, &cleanDone]() {
            cleanCode = 0;
            cleanDone.Notify();
            delete cleaned;
        },
        [=, &cleanCode, &cleanDone](int error_code, const V2TIMString &error_message) {
            (void)error_message;
            cleanCode = error_code;
            cleanDone.Notify();
            delete cleaned;
        });
    bob->GetConversationManager()->CleanConversationUnreadMessageCount("c2c_alice", 0, 0, cleaned);
    cleanDone.Wait(1, "CleanConversationUnreadMessageCount");
    CHECK(cleanCode == 0);
    WaitTotal(listener, 0);
    CHECK(Total(bob) == 0);

    // Errors carry what was wrong.
    harness::ValueDone<V2TIMConversation> bad;
    bob->GetConversationManager()->GetConversation("alice", &bad);
    CHECK(bad.Wait("GetConversation with a bad id") == V2TIM_ERR_INVALID_PARAMETERS);
    CHECK(bad.desc.find("c2c_") != std::string::npos);
    harness::Done marked;
    bob->GetMessageManager()->MarkC2CMessageAsRead("alice", &marked);
    CHECK(marked.Wait("MarkC2CMessageAsRead") == 0);

    bob->GetConversationManager()->RemoveConversationListener(&listener);
    std::printf("conversations: ok\n");
    return 0;
}
