package io.v2tim.imsdk.v2;

import java.util.HashMap;

/**
 * A user's profile (V2TIMUserFullInfo). For {@link V2TIMManager#setSelfInfo}, the fields set
 * through the setters are the ones that change (custom keys one by one).
 */
public class V2TIMUserFullInfo extends V2TIMUserInfo {
    public static final int V2TIM_GENDER_UNKNOWN = 0;
    public static final int V2TIM_GENDER_MALE = 1;
    public static final int V2TIM_GENDER_FEMALE = 2;
    public static final int V2TIM_FRIEND_ALLOW_ANY = 0;
    public static final int V2TIM_FRIEND_NEED_CONFIRM = 1;
    public static final int V2TIM_FRIEND_DENY_ANY = 2;

    // The modify flags of the C ABI (V2TIMSelfInfo.modify_flag).
    static final int FLAG_NICK = 1;
    static final int FLAG_FACE_URL = 2;
    static final int FLAG_GENDER = 4;
    static final int FLAG_BIRTHDAY = 8;
    static final int FLAG_SELF_SIGNATURE = 16;
    static final int FLAG_ALLOW_TYPE = 32;
    static final int FLAG_LEVEL = 64;
    static final int FLAG_ROLE = 128;
    static final int FLAG_CUSTOM = 256;

    private String selfSignature;
    private int gender;
    private int role;
    private int level;
    private long birthday;
    private int allowType;
    private HashMap<String, byte[]> customInfo = new HashMap<String, byte[]>();
    int modifyFlags;

    public V2TIMUserFullInfo() {}

    /** Called by native code (a recall's revoker). */
    V2TIMUserFullInfo(String userID, String nickName, String faceUrl) {
        super(userID, nickName, faceUrl);
    }

    /** Called by native code (a whole profile). */
    V2TIMUserFullInfo(String userID, String nickName, String faceUrl, String selfSignature,
            int gender, int role, int level, long birthday, int allowType, String[] customKeys,
            byte[][] customValues) {
        this(userID, nickName, faceUrl);
        this.selfSignature = selfSignature;
        this.gender = gender;
        this.role = role;
        this.level = level;
        this.birthday = birthday;
        this.allowType = allowType;
        for (int i = 0; i < customKeys.length; i++) {
            customInfo.put(customKeys[i], customValues[i]);
        }
    }

    public void setNickname(String nickName) {
        this.nickName = nickName;
        modifyFlags |= FLAG_NICK;
    }

    public void setFaceUrl(String faceUrl) {
        this.faceUrl = faceUrl;
        modifyFlags |= FLAG_FACE_URL;
    }

    public String getSelfSignature() {
        return selfSignature;
    }

    public void setSelfSignature(String selfSignature) {
        this.selfSignature = selfSignature;
        modifyFlags |= FLAG_SELF_SIGNATURE;
    }

    /** {@link #V2TIM_GENDER_UNKNOWN}, {@code _MALE} or {@code _FEMALE}. */
    public int getGender() {
        return gender;
    }

    public void setGender(int gender) {
        this.gender = gender;
        modifyFlags |= FLAG_GENDER;
    }

    public int getRole() {
        return role;
    }

    public void setRole(int role) {
        this.role = role;
        modifyFlags |= FLAG_ROLE;
    }

    public int getLevel() {
        return level;
    }

    public void setLevel(int level) {
        this.level = level;
        modifyFlags |= FLAG_LEVEL;
    }

    public long getBirthday() {
        return birthday;
    }

    public void setBirthday(long birthday) {
        this.birthday = birthday;
        modifyFlags |= FLAG_BIRTHDAY;
    }

    /** {@link #V2TIM_FRIEND_ALLOW_ANY}, {@code _NEED_CONFIRM} or {@code _DENY_ANY}. */
    public int getAllowType() {
        return allowType;
    }

    public void setAllowType(int allowType) {
        this.allowType = allowType;
        modifyFlags |= FLAG_ALLOW_TYPE;
    }

    public HashMap<String, byte[]> getCustomInfo() {
        return customInfo;
    }

    /** Sets these custom keys (others keep their values). */
    public void setCustomInfo(HashMap<String, byte[]> customInfo) {
        this.customInfo = customInfo == null ? new HashMap<String, byte[]>() : customInfo;
        modifyFlags |= FLAG_CUSTOM;
    }

    String[] customKeys() {
        return customInfo.keySet().toArray(new String[0]);
    }

    byte[][] customValues(String[] keys) {
        byte[][] values = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            byte[] v = customInfo.get(keys[i]);
            values[i] = v == null ? new byte[0] : v;
        }
        return values;
    }

    @Override
    public String toString() {
        return "V2TIMUserFullInfo{userID=" + userID + ", nickName=" + nickName + "}";
    }
}
