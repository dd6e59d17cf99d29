// v2tim C++ layer: V2TIMString and V2TIMBuffer (as V2TIM's V2TIMString.h / V2TIMBuffer.h).

#ifndef V2TIM_CPP_STRING_H
#define V2TIM_CPP_STRING_H

#include "V2TIMDefine.h"

/// A UTF-8 string owned by value (V2TIMString). Copies are independent.
class TIM_API V2TIMString {
public:
    V2TIMString() {}
    /// Copies the NUL-terminated `str`; NULL gives the empty string.
    V2TIMString(const char *str) : str_(str ? str : "") {}
    /// Copies `len` bytes of `str`; NULL gives the empty string.
    V2TIMString(const char *str, size_t len) : str_(str ? std::string(str, len) : std::string()) {}
    V2TIMString(const V2TIMString &other) : str_(other.str_) {}
    V2TIMString(V2TIMString &&other) noexcept : str_(std::move(other.str_)) {}
    ~V2TIMString() {}

    V2TIMString &operator=(const V2TIMString &other) {
        str_ = other.str_;
        return *this;
    }
    V2TIMString &operator=(V2TIMString &&other) noexcept {
        str_ = std::move(other.str_);
        return *this;
    }
    V2TIMString &operator=(const char *str) {
        str_ = str ? str : "";
        return *this;
    }
    V2TIMString &operator+=(const V2TIMString &other) {
        str_ += other.str_;
        return *this;
    }

    /// Length in bytes, without the terminating NUL.
    size_t Size() const { return str_.size(); }
    bool Empty() const { return str_.empty(); }
    /// NUL-terminated; valid until this string is changed or destroyed. Never NULL.
    const char *CString() const { return str_.c_str(); }

    friend bool operator==(const V2TIMString &a, const V2TIMString &b) { return a.str_ == b.str_; }
    friend bool operator!=(const V2TIMString &a, const V2TIMString &b) { return a.str_ != b.str_; }
    friend bool operator<(const V2TIMString &a, const V2TIMString &b) { return a.str_ < b.str_; }
    friend bool operator>(const V2TIMString &a, const V2TIMString &b) { return a.str_ > b.str_; }
    friend bool operator<=(const V2TIMString &a, const V2TIMString &b) { return a.str_ <= b.str_; }
    friend bool operator>=(const V2TIMString &a, const V2TIMString &b) { return a.str_ >= b.str_; }
    friend V2TIMString operator+(const V2TIMString &a, const V2TIMString &b) {
        V2TIMString r(a);
        r += b;
        return r;
    }

private:
    std::string str_;
};

/// Bytes owned by value (V2TIMBuffer), e.g. the data of a custom message.
class TIM_API V2TIMBuffer {
public:
    V2TIMBuffer() {}
    /// Copies `size` bytes of `data` (NULL with size 0 is the empty buffer).
    V2TIMBuffer(const uint8_t *data, size_t size)
        : data_(data && size ? std::vector<uint8_t>(data, data + size) : std::vector<uint8_t>()) {}
    V2TIMBuffer(const V2TIMBuffer &other) : data_(other.data_) {}
    V2TIMBuffer(V2TIMBuffer &&other) noexcept : data_(std::move(other.data_)) {}
    ~V2TIMBuffer() {}

    V2TIMBuffer &operator=(const V2TIMBuffer &other) {
        data_ = other.data_;
        return *this;
    }
    V2TIMBuffer &operator=(V2TIMBuffer &&other) noexcept {
        data_ = std::move(other.data_);
        return *this;
    }

    /// The bytes (NULL when empty); valid until this buffer is changed or destroyed.
    const uint8_t *Data() const { return data_.empty() ? nullptr : &data_[0]; }
    size_t Size() const { return data_.size(); }
    bool Empty() const { return data_.empty(); }

    friend bool operator==(const V2TIMBuffer &a, const V2TIMBuffer &b) { return a.data_ == b.data_; }
    friend bool operator!=(const V2TIMBuffer &a, const V2TIMBuffer &b) { return a.data_ != b.data_; }

private:
    std::vector<uint8_t> data_;
};

#endif  // V2TIM_CPP_STRING_H
