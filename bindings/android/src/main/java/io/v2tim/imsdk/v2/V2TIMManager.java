package io.v2tim.imsdk.v2;

import io.v2tim.imsdk.BaseConstants;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SDK (V2TIM's {@code V2TIMManager}, in package {@code io.v2tim.imsdk.v2}: port V2TIM code
 * by changing {@code com.tencent.imsdk.v2} imports to this package).
 *
 * <p>Threading: every method may be called from any thread. Callbacks and listener events
 * run on the SDK event thread, one at a time and in order — V2TIM on Android runs them on the
 * main thread instead; see {@link V2TIMSDKConfig#setCallbackExecutor}. They may call back into
 * the SDK.
 *
 * <p>Several users in one process (v2tim extension, for tests and multi-account apps):
 * {@link #createInstance()} gives an independent manager; reach its message and group
 * managers with {@link #messageManager()} and {@link #groupManager()} (the static
 * {@link #getMessageManager()} / {@link #getGroupManager()} are those of
 * {@link #getInstance()}), and end it with {@link #destroy()}.
 */
public class V2TIMManager {
    public static final String GROUP_TYPE_WORK = "Work";
    public static final String GROUP_TYPE_PUBLIC = "Public";
    public static final String GROUP_TYPE_MEETING = "Meeting";
    public static final String GROUP_TYPE_AVCHATROOM = "AVChatRoom";
    public static final String GROUP_TYPE_COMMUNITY = "Community";

    public static final int V2TIM_STATUS_LOGINED = 1;
    public static final int V2TIM_STATUS_LOGINING = 2;
    public static final int V2TIM_STATUS_LOGOUT = 3;

    private static volatile V2TIMManager instance;
    private static final AtomicLong NEXT_LISTENER_ID = new AtomicLong();

    final long id;
    private final boolean shared;
    private volatile Executor executor;
    private final V2TIMMessageManager messageManager;
    private final V2TIMGroupManager groupManager;
    private final V2TIMConversationManager conversationManager;
    private final Map<V2TIMSimpleMsgListener, V2TIMSimpleMsgListener.Adapter> simpleListeners =
            new IdentityHashMap<V2TIMSimpleMsgListener, V2TIMSimpleMsgListener.Adapter>();
    private final Map<V2TIMSDKListener, SDKListenerBridge> sdkListeners =
            new IdentityHashMap<V2TIMSDKListener, SDKListenerBridge>();
    private final Map<V2TIMGroupListener, GroupListenerBridge> groupListeners =
            new IdentityHashMap<V2TIMGroupListener, GroupListenerBridge>();

    private V2TIMManager(boolean shared) {
        this.id = NativeBridge.createManager();
        this.shared = shared;
        this.messageManager = new V2TIMMessageManager(this);
        this.groupManager = new V2TIMGroupManager(this);
        this.conversationManager = new V2TIMConversationManager(this);
    }

    /** The process-wide instance. */
    public static V2TIMManager getInstance() {
        V2TIMManager m = instance;
        if (m == null) {
            synchronized (V2TIMManager.class) {
                m = instance;
                if (m == null) {
                    m = new V2TIMManager(true);
                    instance = m;
                }
            }
        }
        return m;
    }

    /**
     * v2tim extension (V2TIM Android has only {@link #getInstance()}): a new, independent
     * manager, e.g. a second user in the same process. Free it with {@link #destroy()}.
     */
    public static V2TIMManager createInstance() {
        return new V2TIMManager(false);
    }

    /**
     * v2tim extension: uninitializes a manager from {@link #createInstance()} and frees it;
     * later calls on it fail with 6013. On {@link #getInstance()} it only uninitializes.
     */
    public void destroy() {
        if (shared) {
            unInitSDK();
            return;
        }
        NativeBridge.destroyManager(id);
        clearListeners();
    }

    /** The message manager of the process-wide instance. */
    public static V2TIMMessageManager getMessageManager() {
        return getInstance().messageManager;
    }

    /** The group manager of the process-wide instance. */
    public static V2TIMGroupManager getGroupManager() {
        return getInstance().groupManager;
    }

    /** The conversation manager of the process-wide instance. */
    public static V2TIMConversationManager getConversationManager() {
        return getInstance().conversationManager;
    }

    /** v2tim extension: this instance's conversation manager. */
    public V2TIMConversationManager conversationManager() {
        return conversationManager;
    }

    /** v2tim extension: this instance's message manager. */
    public V2TIMMessageManager messageManager() {
        return messageManager;
    }

    /** v2tim extension: this instance's group manager. */
    public V2TIMGroupManager groupManager() {
        return groupManager;
    }

    /**
     * V2TIM's form; {@code context} (an {@code android.content.Context}) is accepted and not
     * used: set {@link V2TIMSDKConfig#setInitPath} to keep state on disk.
     */
    public boolean initSDK(Object context, int sdkAppID, V2TIMSDKConfig config) {
        return initSDK(sdkAppID, config);
    }

    /** V2TIM's deprecated form: adds {@code listener}, then initializes. */
    public boolean initSDK(Object context, int sdkAppID, V2TIMSDKConfig config,
            V2TIMSDKListener listener) {
        addIMSDKListener(listener);
        return initSDK(sdkAppID, config);
    }

    /**
     * Starts the SDK for {@code sdkAppID}. {@code config} may be null (defaults: embedded
     * server, in memory). Returns false on bad arguments. Calling it again with the same
     * SDKAppID succeeds and changes nothing.
     */
    public boolean initSDK(int sdkAppID, V2TIMSDKConfig config) {
        if (config == null) {
            config = new V2TIMSDKConfig();
        }
        executor = config.getCallbackExecutor();
        if (config.getLogListener() != null) {
            NativeBridge.setLogListener(config.getLogListener(), config.getLogLevel());
        }
        int code = NativeBridge.initSDK(id, sdkAppID, config.getServerURL(),
                config.getSecretKey(), config.getInitPath(), config.getLogLevel());
        return code == 0;
    }

    /**
     * Stops the SDK; requests in flight fail with {@code V2TIM_ERR_SHUTDOWN} (200007). Unlike
     * V2TIM, it also removes every listener of this manager (releasing them): add them again
     * after the next {@code initSDK}.
     */
    public void unInitSDK() {
        NativeBridge.unInitSDK(id);
        clearListeners();
    }

    private void clearListeners() {
        synchronized (sdkListeners) {
            for (SDKListenerBridge bridge : sdkListeners.values()) {
                bridge.active = false;
            }
            sdkListeners.clear();
        }
        messageManager.clearListeners();
        conversationManager.clearListeners();
        synchronized (groupListeners) {
            for (GroupListenerBridge bridge : groupListeners.values()) {
                bridge.active = false;
            }
            groupListeners.clear();
        }
        synchronized (simpleListeners) {
            simpleListeners.clear();
        }
    }

    /** Adding the same listener object twice registers it once. */
    public void addSimpleMsgListener(V2TIMSimpleMsgListener listener) {
        if (listener == null) {
            return;
        }
        synchronized (simpleListeners) {
            if (simpleListeners.containsKey(listener)) {
                return;
            }
            V2TIMSimpleMsgListener.Adapter adapter = new V2TIMSimpleMsgListener.Adapter(listener);
            simpleListeners.put(listener, adapter);
            messageManager.addAdvancedMsgListener(adapter);
        }
    }

    /** After this returns the listener is not called again. */
    public void removeSimpleMsgListener(V2TIMSimpleMsgListener listener) {
        V2TIMSimpleMsgListener.Adapter adapter;
        synchronized (simpleListeners) {
            adapter = simpleListeners.remove(listener);
        }
        if (adapter != null) {
            messageManager.removeAdvancedMsgListener(adapter);
        }
    }

    /** Sends {@code text} to {@code userID}; answers the message id. */
    public String sendC2CTextMessage(String text, String userID,
            V2TIMValueCallback<V2TIMMessage> callback) {
        return sendSimple(messageManager.createTextMessage(text), userID, null,
                V2TIMMessage.V2TIM_PRIORITY_NORMAL, callback);
    }

    public String sendC2CCustomMessage(byte[] customData, String userID,
            V2TIMValueCallback<V2TIMMessage> callback) {
        return sendSimple(messageManager.createCustomMessage(customData), userID, null,
                V2TIMMessage.V2TIM_PRIORITY_NORMAL, callback);
    }

    public String sendGroupTextMessage(String text, String groupID, int priority,
            V2TIMValueCallback<V2TIMMessage> callback) {
        return sendSimple(messageManager.createTextMessage(text), null, groupID, priority,
                callback);
    }

    public String sendGroupCustomMessage(byte[] customData, String groupID, int priority,
            V2TIMValueCallback<V2TIMMessage> callback) {
        return sendSimple(messageManager.createCustomMessage(customData), null, groupID, priority,
                callback);
    }

    private String sendSimple(V2TIMMessage msg, String userID, String groupID, int priority,
            final V2TIMValueCallback<V2TIMMessage> callback) {
        return messageManager.sendMessage(msg, userID, groupID, priority, false, null,
                callback == null ? null : new V2TIMSendCallback<V2TIMMessage>() {
                    @Override
                    public void onProgress(int progress) {}

                    @Override
                    public void onSuccess(V2TIMMessage m) {
                        callback.onSuccess(m);
                    }

                    @Override
                    public void onError(int code, String desc) {
                        callback.onError(code, desc);
                    }
                });
    }

    /**
     * Changes the logged-in user's profile: the fields set on {@code info} through its setters
     * (custom keys one by one). Every device of the user then hears
     * {@link V2TIMSDKListener#onSelfInfoUpdated}.
     */
    public void setSelfInfo(V2TIMUserFullInfo info, V2TIMCallback callback) {
        NativeCallback cb = NativeCallback.of(this, callback);
        if (info == null) {
            NativeBridge.postError(cb, BaseConstants.ERR_INVALID_PARAMETERS, "info is null");
            return;
        }
        String[] keys = info.customKeys();
        NativeBridge.setSelfInfo(id, info.modifyFlags, info.getNickName(), info.getFaceUrl(),
                info.getSelfSignature(), info.getGender(), info.getRole(), info.getLevel(),
                info.getBirthday(), info.getAllowType(), keys, info.customValues(keys), cb);
    }

    /** Profiles of up to 100 users; users without an account are left out. */
    public void getUsersInfo(List<String> userIDList,
            V2TIMValueCallback<List<V2TIMUserFullInfo>> callback) {
        NativeCallback cb = NativeCallback.value(this, callback);
        if (userIDList == null) {
            NativeBridge.postError(cb, BaseConstants.ERR_INVALID_PARAMETERS, "userIDList is null");
            return;
        }
        NativeBridge.getUsersInfo(id, userIDList.toArray(new String[0]), cb);
    }

    public void login(String userID, String userSig, V2TIMCallback callback) {
        NativeBridge.login(id, userID, userSig, NativeCallback.of(this, callback));
    }

    public void logout(V2TIMCallback callback) {
        NativeBridge.logout(id, NativeCallback.of(this, callback));
    }

    /** The logged-in user, or null. */
    public String getLoginUser() {
        return NativeBridge.getLoginUser(id);
    }

    /** {@link #V2TIM_STATUS_LOGINED}, {@link #V2TIM_STATUS_LOGINING} or {@link #V2TIM_STATUS_LOGOUT}. */
    public int getLoginStatus() {
        return NativeBridge.getLoginStatus(id);
    }

    /** Server time in seconds. */
    public long getServerTime() {
        return NativeBridge.getServerTime(id);
    }

    /** Adding the same listener object twice registers it once. */
    public void addIMSDKListener(V2TIMSDKListener listener) {
        if (listener == null) {
            return;
        }
        synchronized (sdkListeners) {
            if (sdkListeners.containsKey(listener)) {
                return;
            }
            SDKListenerBridge bridge = new SDKListenerBridge(this, listener);
            sdkListeners.put(listener, bridge);
            NativeBridge.addSDKListener(id, bridge.id, bridge);
        }
    }

    /** After this returns, the listener is not called again. */
    public void removeIMSDKListener(V2TIMSDKListener listener) {
        SDKListenerBridge bridge;
        synchronized (sdkListeners) {
            bridge = sdkListeners.remove(listener);
        }
        if (bridge != null) {
            bridge.active = false;
            NativeBridge.removeSDKListener(id, bridge.id);
        }
    }

    /**
     * {@code groupID} null or "" lets the server choose; the callback gets the group ID.
     * {@code groupType}: {@link #GROUP_TYPE_WORK} (invite only), {@link #GROUP_TYPE_PUBLIC},
     * {@link #GROUP_TYPE_MEETING}, {@link #GROUP_TYPE_AVCHATROOM}, {@link #GROUP_TYPE_COMMUNITY}.
     */
    public void createGroup(String groupType, String groupID, String groupName,
            V2TIMValueCallback<String> callback) {
        NativeBridge.createGroup(id, groupType, groupID, groupName,
                NativeCallback.value(this, callback));
    }

    public void joinGroup(String groupID, String message, V2TIMCallback callback) {
        NativeBridge.joinGroup(id, groupID, message, NativeCallback.of(this, callback));
    }

    public void quitGroup(String groupID, V2TIMCallback callback) {
        NativeBridge.quitGroup(id, groupID, NativeCallback.of(this, callback));
    }

    /**
     * Dismisses the group: its owner, any type but {@link #GROUP_TYPE_WORK} (V2TIM's rule).
     * Every member hears {@link V2TIMGroupListener#onGroupDismissed}.
     */
    public void dismissGroup(String groupID, V2TIMCallback callback) {
        NativeBridge.dismissGroup(id, groupID, NativeCallback.of(this, callback));
    }

    /** Adding the same listener object twice registers it once. */
    public void addGroupListener(V2TIMGroupListener listener) {
        if (listener == null) {
            return;
        }
        synchronized (groupListeners) {
            if (groupListeners.containsKey(listener)) {
                return;
            }
            GroupListenerBridge bridge = new GroupListenerBridge(this, listener);
            groupListeners.put(listener, bridge);
            NativeBridge.addGroupListener(id, bridge.id, bridge);
        }
    }

    /** After this returns the listener is not called again. */
    public void removeGroupListener(V2TIMGroupListener listener) {
        GroupListenerBridge bridge;
        synchronized (groupListeners) {
            bridge = groupListeners.remove(listener);
        }
        if (bridge != null) {
            bridge.active = false;
            NativeBridge.removeGroupListener(id, bridge.id);
        }
    }

    static long nextListenerId() {
        return NEXT_LISTENER_ID.incrementAndGet();
    }

    /** Runs an SDK callback on the configured executor, or right here (event thread). */
    void dispatch(Runnable r) {
        Executor e = executor;
        if (e == null) {
            r.run();
            return;
        }
        try {
            e.execute(r);
        } catch (RejectedExecutionException ex) {
            System.err.println("v2tim: callback executor rejected a callback; running it inline");
            r.run();
        }
    }
}
