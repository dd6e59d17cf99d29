// v2tim C++ layer: V2TIMUserFullInfo lives in V2TIMCommon.h; this header is for V2TIM's
// include line (v2tim has no friendship or profile service).

#ifndef V2TIM_CPP_FRIENDSHIP_H
#define V2TIM_CPP_FRIENDSHIP_H

#include "V2TIMCommon.h"

#endif  // V2TIM_CPP_FRIENDSHIP_H
