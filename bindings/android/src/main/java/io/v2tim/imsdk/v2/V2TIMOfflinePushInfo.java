package io.v2tim.imsdk.v2;

/**
 * How a push service should announce a message to a receiver's device that is offline
 * (V2TIM's offline push info). Passed to {@code sendMessage}: the server keeps it with the
 * message for a push service (v2tim has none built in), and a recall erases it.
 */
public class V2TIMOfflinePushInfo {
    public static final int IOS_OFFLINE_PUSH_TYPE_APNS = 0;
    public static final int IOS_OFFLINE_PUSH_TYPE_VOIP = 1;

    private String title = "";
    private String desc = "";
    private byte[] ext = new byte[0];
    private boolean disablePush;
    private String iOSSound = "";
    private boolean ignoreIOSBadge;
    private int iOSPushType = IOS_OFFLINE_PUSH_TYPE_APNS;
    private String androidSound = "";
    private String androidOPPOChannelID = "";
    private String androidFCMChannelID = "";
    private String androidXiaoMiChannelID = "";
    private int androidVIVOClassification = 1;
    private String androidHuaWeiCategory = "";
    private String androidHonorImportance = "";
    boolean changed;

    public void setTitle(String title) {
        this.title = title;
        changed = true;
    }

    public String getTitle() {
        return title;
    }

    public void setDesc(String desc) {
        this.desc = desc;
        changed = true;
    }

    public String getDesc() {
        return desc;
    }

    /** UTF-8 text (sendMessage refuses other bytes with 6017). */
    public void setExt(byte[] ext) {
        this.ext = ext;
        changed = true;
    }

    public byte[] getExt() {
        return ext;
    }

    public void setDisablePush(boolean disable) {
        this.disablePush = disable;
        changed = true;
    }

    public boolean isDisablePush() {
        return disablePush;
    }

    public void setIOSSound(String sound) {
        this.iOSSound = sound;
        changed = true;
    }

    public String getIOSSound() {
        return iOSSound;
    }

    public void setIgnoreIOSBadge(boolean ignore) {
        this.ignoreIOSBadge = ignore;
        changed = true;
    }

    public boolean isIgnoreIOSBadge() {
        return ignoreIOSBadge;
    }

    public void setIOSPushType(int type) {
        this.iOSPushType = type;
        changed = true;
    }

    public int getIOSPushType() {
        return iOSPushType;
    }

    public void setAndroidSound(String sound) {
        this.androidSound = sound;
        changed = true;
    }

    public String getAndroidSound() {
        return androidSound;
    }

    public void setAndroidOPPOChannelID(String channelID) {
        this.androidOPPOChannelID = channelID;
        changed = true;
    }

    public String getAndroidOPPOChannelID() {
        return androidOPPOChannelID;
    }

    public void setAndroidFCMChannelID(String channelID) {
        this.androidFCMChannelID = channelID;
        changed = true;
    }

    public String getAndroidFCMChannelID() {
        return androidFCMChannelID;
    }

    public void setAndroidXiaoMiChannelID(String channelID) {
        this.androidXiaoMiChannelID = channelID;
        changed = true;
    }

    public String getAndroidXiaoMiChannelID() {
        return androidXiaoMiChannelID;
    }

    public void setAndroidVIVOClassification(int classification) {
        this.androidVIVOClassification = classification;
        changed = true;
    }

    public int getAndroidVIVOClassification() {
        return androidVIVOClassification;
    }

    public void setAndroidHuaWeiCategory(String category) {
        this.androidHuaWeiCategory = category;
        changed = true;
    }

    public String getAndroidHuaWeiCategory() {
        return androidHuaWeiCategory;
    }

    public void setAndroidHonorImportance(String importance) {
        this.androidHonorImportance = importance;
        changed = true;
    }

    public String getAndroidHonorImportance() {
        return androidHonorImportance;
    }

    /** The strings in the order of {@code src/jni/message.rs}'s offline push table. */
    String[] strings(String ext) {
        return new String[] {n(title), n(desc), ext, n(iOSSound), n(androidSound),
                n(androidOPPOChannelID), n(androidFCMChannelID), n(androidXiaoMiChannelID),
                n(androidHuaWeiCategory), n(androidHonorImportance)};
    }

    private static String n(String s) {
        return s == null ? "" : s;
    }

    /** The numbers in the order of that table. */
    int[] numbers() {
        return new int[] {disablePush ? 1 : 0, ignoreIOSBadge ? 1 : 0, iOSPushType,
                androidVIVOClassification};
    }
}
