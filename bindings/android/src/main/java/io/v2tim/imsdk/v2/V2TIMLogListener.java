package io.v2tim.imsdk.v2;

/**
 * The SDK's log ({@link V2TIMSDKConfig#setLogListener}): one line per call, on the SDK event
 * thread. {@code logLevel} is V2TIM's: {@link V2TIMSDKConfig#V2TIM_LOG_DEBUG} (3) to
 * {@link V2TIMSDKConfig#V2TIM_LOG_ERROR} (6).
 */
public abstract class V2TIMLogListener {
    public void onLog(int logLevel, String logContent) {}
}
