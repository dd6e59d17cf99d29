package io.v2tim.imsdk.v2;

/**
 * A group member (V2TIMGroupMemberInfo). v2tim fills the user id, nick name and face URL
 * (the user's profile); the name card and friend remark stay empty (no group name cards, no
 * friends).
 */
public class V2TIMGroupMemberInfo {
    String userID;
    String nickName;
    String faceUrl;

    V2TIMGroupMemberInfo() {}

    V2TIMGroupMemberInfo(String userID, String nickName, String faceUrl) {
        this.userID = userID;
        this.nickName = nickName;
        this.faceUrl = faceUrl;
    }

    public String getUserID() {
        return userID;
    }

    public String getNickName() {
        return nickName;
    }

    public String getNameCard() {
        return "";
    }

    public String getFriendRemark() {
        return "";
    }

    public String getFaceUrl() {
        return faceUrl;
    }
}
