package io.v2tim.imsdk.v2;

import java.util.concurrent.Executor;

/**
 * Configuration of {@link V2TIMManager#initSDK}: V2TIM's fields plus v2tim's own
 * ({@link #setServerURL}, {@link #setSecretKey}, {@link #setInitPath},
 * {@link #setCallbackExecutor}).
 */
public class V2TIMSDKConfig {
    public static final int V2TIM_LOG_NONE = 0;
    public static final int V2TIM_LOG_DEBUG = 3;
    public static final int V2TIM_LOG_INFO = 4;
    public static final int V2TIM_LOG_WARN = 5;
    public static final int V2TIM_LOG_ERROR = 6;

    private int logLevel = V2TIM_LOG_INFO;
    private V2TIMLogListener logListener;
    private String serverURL = "";
    private String secretKey = "";
    private String initPath = "";
    private Executor callbackExecutor;

    /**
     * Receives the SDK's log lines of {@link #getLogLevel()} and above (the whole
     * process's: the last initSDK with a listener wins). v2tim does not write to logcat
     * itself yet: forward them to {@code android.util.Log} from the listener.
     */
    public void setLogListener(V2TIMLogListener logListener) {
        this.logListener = logListener;
    }

    public V2TIMLogListener getLogListener() {
        return logListener;
    }

    public void setLogLevel(int logLevel) {
        this.logLevel = logLevel;
    }

    public int getLogLevel() {
        return logLevel;
    }

    /**
     * v2tim: {@code ws://host:port} or {@code wss://...} of a v2tim server, or several
     * separated by commas (the servers of one cluster, tried in turn). Empty (default) =
     * the embedded in-process server, shared by every manager of this process with the same
     * SDKAppID (tests, demos).
     */
    public void setServerURL(String serverURL) {
        this.serverURL = serverURL == null ? "" : serverURL;
    }

    public String getServerURL() {
        return serverURL;
    }

    /**
     * v2tim, embedded server only: the SDKAppID's secret key UserSigs are checked against.
     * Empty (default) = UserSigs are not checked.
     */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey == null ? "" : secretKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    /**
     * v2tim (named after V2TIM C++'s {@code V2TIMSDKConfig::initPath}; V2TIM Android derives
     * it from the Context): directory for the SDK's state and the embedded server's
     * database, e.g. {@code context.getFilesDir() + "/v2tim"}. Empty (default) = in memory.
     */
    public void setInitPath(String initPath) {
        this.initPath = initPath == null ? "" : initPath;
    }

    public String getInitPath() {
        return initPath;
    }

    /**
     * v2tim: where callbacks and listener events run. {@code null} (default) = directly on
     * the SDK event thread (not the Android main thread, unlike V2TIM). To behave like V2TIM
     * on Android: {@code new Handler(Looper.getMainLooper())::post}. Each callback is handed
     * to the executor in the order the SDK produced it; a serial executor keeps that order.
     */
    public void setCallbackExecutor(Executor executor) {
        this.callbackExecutor = executor;
    }

    public Executor getCallbackExecutor() {
        return callbackExecutor;
    }
}
