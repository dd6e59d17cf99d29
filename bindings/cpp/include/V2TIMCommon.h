// v2tim C++ layer: containers and common types (as V2TIM's V2TIMCommon.h).

#ifndef V2TIM_CPP_COMMON_H
#define V2TIM_CPP_COMMON_H

#include "V2TIMDefine.h"
#include "V2TIMString.h"

/// A sequence owned by value (V2TIM's TXV2TIM...Vector classes). Copies are independent
/// (a vector of pointers copies the pointers, not what they point to).
template <class T>
class V2TIMVector {
public:
    V2TIMVector() {}
    V2TIMVector(const V2TIMVector &other) : items_(other.items_) {}
    V2TIMVector(V2TIMVector &&other) noexcept : items_(std::move(other.items_)) {}
    virtual ~V2TIMVector() {}

    V2TIMVector &operator=(const V2TIMVector &other) {
        items_ = other.items_;
        return *this;
    }
    V2TIMVector &operator=(V2TIMVector &&other) noexcept {
        items_ = std::move(other.items_);
        return *this;
    }

    void PushBack(const T &obj) { items_.push_back(obj); }
    /// Removes the last element (no-op when empty).
    void PopBack() {
        if (!items_.empty()) items_.pop_back();
    }
    /// Index must be below Size().
    T &operator[](size_t index) { return items_[index]; }
    const T &operator[](size_t index) const { return items_[index]; }
    size_t Size() const { return items_.size(); }
    bool Empty() const { return items_.empty(); }
    void Clear() { items_.clear(); }
    /// Removes the element at `index` (no-op when out of range).
    void Erase(size_t index) {
        if (index < items_.size()) items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(index));
    }

    // v2tim extension: range-for.
    typename std::vector<T>::iterator begin() { return items_.begin(); }
    typename std::vector<T>::iterator end() { return items_.end(); }
    typename std::vector<T>::const_iterator begin() const { return items_.begin(); }
    typename std::vector<T>::const_iterator end() const { return items_.end(); }

private:
    std::vector<T> items_;
};

typedef V2TIMVector<V2TIMString> V2TIMStringVector;

/// Log levels (V2TIMLogLevel); V2TIMSDKConfig::logLevel.
enum V2TIMLogLevel {
    V2TIM_LOG_NONE = 0,
    V2TIM_LOG_DEBUG = 3,
    V2TIM_LOG_INFO = 4,
    V2TIM_LOG_WARN = 5,
    V2TIM_LOG_ERROR = 6,
};

/// A map owned by value (V2TIM's TXV2TIM...Map classes), in insertion order.
template <class K, class V>
class V2TIMMap {
public:
    /// Sets `key` to `value` (replacing an earlier value).
    void Insert(const K &key, const V &value) {
        for (auto &kv : items_) {
            if (kv.first == key) {
                kv.second = value;
                return;
            }
        }
        items_.push_back(std::make_pair(key, value));
    }
    void Erase(const K &key) {
        for (size_t i = 0; i < items_.size(); i++) {
            if (items_[i].first == key) {
                items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
                return;
            }
        }
    }
    /// 1 if `key` is present, else 0.
    size_t Count(const K &key) const {
        for (const auto &kv : items_) {
            if (kv.first == key) return 1;
        }
        return 0;
    }
    size_t Size() const { return items_.size(); }
    /// The value of `key`; a default value when absent.
    V Get(const K &key) const {
        for (const auto &kv : items_) {
            if (kv.first == key) return kv.second;
        }
        return V();
    }
    V2TIMVector<K> AllKeys() const {
        V2TIMVector<K> keys;
        for (const auto &kv : items_) keys.PushBack(kv.first);
        return keys;
    }

private:
    std::vector<std::pair<K, V>> items_;
};

/// Custom profile fields by key (V2TIMCustomInfo).
typedef V2TIMMap<V2TIMString, V2TIMBuffer> V2TIMCustomInfo;

/// Gender (V2TIMUserFullInfo::gender).
enum V2TIMGender {
    V2TIM_GENDER_UNKNOWN = 0,
    V2TIM_GENDER_MALE = 1,
    V2TIM_GENDER_FEMALE = 2,
};

/// Who may send a friend request (V2TIMUserFullInfo::allowType).
enum V2TIMFriendAllowType {
    V2TIM_FRIEND_ALLOW_ANY = 0,
    V2TIM_FRIEND_NEED_CONFIRM = 1,
    V2TIM_FRIEND_DENY_ANY = 2,
};

/// The fields SetSelfInfo changes (V2TIMUserFullInfo::modifyFlag), OR-ed together.
enum V2TIMUserInfoModifyFlag {
    V2TIM_USER_INFO_MODIFY_FLAG_UNKNOWN = 0,
    V2TIM_USER_INFO_MODIFY_FLAG_NICK = 1,
    V2TIM_USER_INFO_MODIFY_FLAG_FACE_URL = 2,
    V2TIM_USER_INFO_MODIFY_FLAG_GENDER = 4,
    V2TIM_USER_INFO_MODIFY_FLAG_BIRTHDAY = 8,
    V2TIM_USER_INFO_MODIFY_FLAG_SELF_SIGNATURE = 16,
    V2TIM_USER_INFO_MODIFY_FLAG_ALLOW_TYPE = 32,
    V2TIM_USER_INFO_MODIFY_FLAG_LEVEL = 64,
    V2TIM_USER_INFO_MODIFY_FLAG_ROLE = 128,
    V2TIM_USER_INFO_MODIFY_FLAG_CUSTOM = 256,
};

/// A user's profile (V2TIMUserFullInfo). For SetSelfInfo, `modifyFlag` names the fields
/// that change (custom keys one by one).
struct TIM_API V2TIMUserFullInfo {
    V2TIMString userID;
    V2TIMString nickName;
    V2TIMString faceURL;
    V2TIMString selfSignature;
    V2TIMGender gender;
    V2TIMFriendAllowType allowType;
    uint32_t role;
    uint32_t level;
    uint32_t birthday;
    V2TIMCustomInfo customInfo;
    uint32_t modifyFlag;

    V2TIMUserFullInfo()
        : gender(V2TIM_GENDER_UNKNOWN), allowType(V2TIM_FRIEND_ALLOW_ANY), role(0), level(0),
          birthday(0), modifyFlag(0) {}
};

typedef V2TIMVector<V2TIMUserFullInfo> V2TIMUserFullInfoVector;

namespace v2tim {
namespace detail {

/// A string the C ABI lent (NULL reads as "").
inline V2TIMString Str(const char *s) { return V2TIMString(s ? s : ""); }

/// NULL for an empty string (the C ABI reads NULL as "not given").
inline const char *OrNull(const V2TIMString &s) { return s.Empty() ? nullptr : s.CString(); }

inline V2TIMUserFullInfo UserFromHandle(const c::V2TIMUserFullInfo *info) {
    V2TIMUserFullInfo u;
    if (info) {
        u.userID = Str(c::v2tim_user_full_info_get_user_id(info));
        u.nickName = Str(c::v2tim_user_full_info_get_nick_name(info));
        u.faceURL = Str(c::v2tim_user_full_info_get_face_url(info));
        u.selfSignature = Str(c::v2tim_user_full_info_get_self_signature(info));
        u.gender = static_cast<V2TIMGender>(c::v2tim_user_full_info_get_gender(info));
        u.allowType = static_cast<V2TIMFriendAllowType>(c::v2tim_user_full_info_get_allow_type(info));
        u.role = c::v2tim_user_full_info_get_role(info);
        u.level = c::v2tim_user_full_info_get_level(info);
        u.birthday = c::v2tim_user_full_info_get_birthday(info);
        size_t n = c::v2tim_user_full_info_get_custom_info_count(info);
        for (size_t i = 0; i < n; i++) {
            const uint8_t *value = nullptr;
            size_t length = 0;
            const char *key = c::v2tim_user_full_info_get_custom_info(info, i, &value, &length);
            if (key) u.customInfo.Insert(Str(key), V2TIMBuffer(value, length));
        }
    }
    return u;
}

}  // namespace detail
}  // namespace v2tim

#endif  // V2TIM_CPP_COMMON_H
