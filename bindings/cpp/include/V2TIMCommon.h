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

/// A user's profile (V2TIMUserFullInfo). v2tim fills userID, nickName and faceURL; the
/// other V2TIM profile fields are not provided.
struct TIM_API V2TIMUserFullInfo {
    V2TIMString userID;
    V2TIMString nickName;
    V2TIMString faceURL;
    V2TIMString selfSignature;

    V2TIMUserFullInfo() {}
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
    }
    return u;
}

}  // namespace detail
}  // namespace v2tim

#endif  // V2TIM_CPP_COMMON_H
