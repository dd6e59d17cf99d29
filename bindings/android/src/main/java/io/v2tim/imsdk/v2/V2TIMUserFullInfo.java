package io.v2tim.imsdk.v2;

/** A user's profile, as far as the SDK knows it (v2tim: the user ID; the rest is empty). */
public class V2TIMUserFullInfo {
    private final String userID;
    private final String nickName;
    private final String faceUrl;

    /** Called by native code. */
    V2TIMUserFullInfo(String userID, String nickName, String faceUrl) {
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

    @Override
    public String toString() {
        return "V2TIMUserFullInfo{userID=" + userID + "}";
    }
}
