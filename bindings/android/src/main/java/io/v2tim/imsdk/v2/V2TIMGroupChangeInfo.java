package io.v2tim.imsdk.v2;

/** One field a group profile change changed: its type and new value (OWNER: the user ID). */
public class V2TIMGroupChangeInfo {
    public static final int V2TIM_GROUP_INFO_CHANGE_TYPE_NAME = 0x01;
    public static final int V2TIM_GROUP_INFO_CHANGE_TYPE_INTRODUCTION = 0x02;
    public static final int V2TIM_GROUP_INFO_CHANGE_TYPE_NOTIFICATION = 0x03;
    public static final int V2TIM_GROUP_INFO_CHANGE_TYPE_FACE_URL = 0x04;
    public static final int V2TIM_GROUP_INFO_CHANGE_TYPE_OWNER = 0x05;

    private final int type;
    private final String value;

    V2TIMGroupChangeInfo(int type, String value) {
        this.type = type;
        this.value = value;
    }

    public int getType() {
        return type;
    }

    public String getValue() {
        return value;
    }

    /** Custom fields only: always "" in v2tim. */
    public String getKey() {
        return "";
    }

    public boolean getBoolValue() {
        return false;
    }
}
