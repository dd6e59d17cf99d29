package io.v2tim.imsdk.v2;

/** A user as a message names its sender (V2TIMUserInfo): id, nick name, face URL. */
public class V2TIMUserInfo {
    String userID;
    String nickName;
    String faceUrl;

    V2TIMUserInfo() {}

    V2TIMUserInfo(String userID, String nickName, String faceUrl) {
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

    public String getFaceUrl() {
        return faceUrl;
    }
}
