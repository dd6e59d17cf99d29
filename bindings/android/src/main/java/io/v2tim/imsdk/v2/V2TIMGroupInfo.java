package io.v2tim.imsdk.v2;

/**
 * A group's profile. For {@code createGroup}: type, ID ("" or null lets the server choose),
 * name, notification, introduction, face URL. For {@code setGroupInfo}: the ID and the
 * fields whose setters were called. The rest is filled by {@code getGroupsInfo} and
 * {@code getJoinedGroupList}.
 */
public class V2TIMGroupInfo {
    static final int MODIFY_NAME = 0x01;
    static final int MODIFY_NOTIFICATION = 0x01 << 1;
    static final int MODIFY_INTRODUCTION = 0x01 << 2;
    static final int MODIFY_FACE_URL = 0x01 << 3;

    String groupID;
    String groupType;
    String groupName;
    String notification;
    String introduction;
    String faceUrl;
    String owner;
    long createTime;
    int memberCount;
    int role;
    long joinTime;
    int modifyFlag;

    public V2TIMGroupInfo() {}

    public String getGroupID() {
        return groupID;
    }

    public void setGroupID(String groupID) {
        this.groupID = groupID;
    }

    public String getGroupType() {
        return groupType;
    }

    /** {@link V2TIMManager#GROUP_TYPE_WORK}, {@code _PUBLIC}, {@code _MEETING}, ... */
    public void setGroupType(String groupType) {
        this.groupType = groupType;
    }

    public String getGroupName() {
        return groupName;
    }

    public void setGroupName(String groupName) {
        this.groupName = groupName;
        modifyFlag |= MODIFY_NAME;
    }

    public String getNotification() {
        return notification;
    }

    public void setNotification(String notification) {
        this.notification = notification;
        modifyFlag |= MODIFY_NOTIFICATION;
    }

    public String getIntroduction() {
        return introduction;
    }

    public void setIntroduction(String introduction) {
        this.introduction = introduction;
        modifyFlag |= MODIFY_INTRODUCTION;
    }

    public String getFaceUrl() {
        return faceUrl;
    }

    public void setFaceUrl(String faceUrl) {
        this.faceUrl = faceUrl;
        modifyFlag |= MODIFY_FACE_URL;
    }

    /** The owner's user ID. */
    public String getOwner() {
        return owner;
    }

    /** Seconds since the epoch. */
    public long getCreateTime() {
        return createTime;
    }

    public int getMemberCount() {
        return memberCount;
    }

    /** The user's role in the group ({@link V2TIMGroupMemberFullInfo}'s constants; 0: none). */
    public int getRole() {
        return role;
    }

    /** When the user joined, seconds since the epoch (0: not a member). */
    public long getJoinTime() {
        return joinTime;
    }
}
