// v2tim C++ layer: platform definitions and the C ABI underneath.
//
// This layer is header-only C++11. It gives V2TIM's Windows C++ classes (V2TIMManager,
// V2TIMMessage, V2TIMCallback, ...) in the global namespace, implemented over the C ABI of
// libv2tim (include/v2tim.h), which stays reachable as `v2tim::c::`.
//
// Do not include "v2tim.h" yourself in a translation unit that uses this layer: the layer
// includes it inside `namespace v2tim { namespace c { ... } }`; use `v2tim::c::v2tim_...`.

#ifndef V2TIM_CPP_DEFINE_H
#define V2TIM_CPP_DEFINE_H

#if !defined(__cplusplus) || __cplusplus < 201103L
#  if !defined(_MSVC_LANG) || _MSVC_LANG < 201103L
#    error "the v2tim C++ layer needs C++11 or later"
#  endif
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#ifdef V2TIM_H
#  error "v2tim.h was included before the v2tim C++ layer: include only the layer's headers \
and reach the C ABI as v2tim::c::"
#endif

namespace v2tim {
namespace c {
#include "v2tim.h"
}  // namespace c
}  // namespace v2tim

// V2TIM marks its exported classes TIM_API; this layer is header-only, nothing is exported.
#ifndef TIM_API
#  define TIM_API
#endif

// Version of this C++ layer (the library's own version is that of the v2tim package).
#define V2TIM_CPP_VERSION_MAJOR 0
#define V2TIM_CPP_VERSION_MINOR 1
#define V2TIM_CPP_VERSION_PATCH 0

#endif  // V2TIM_CPP_DEFINE_H
