// v2tim C++ layer: V2TIMBuffer lives with V2TIMString (this header is for V2TIM's include).

#ifndef V2TIM_CPP_BUFFER_H
#define V2TIM_CPP_BUFFER_H

#include "V2TIMString.h"

#endif  // V2TIM_CPP_BUFFER_H
