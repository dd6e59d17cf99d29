package io.v2tim.imsdk.v2;

/** Accepted by {@link V2TIMMessageManager#sendMessage} so V2TIM code compiles; v2tim has no
 * offline push and ignores it. */
public class V2TIMOfflinePushInfo {
    private String title = "";
    private String desc = "";
    private byte[] ext = new byte[0];

    public void setTitle(String title) {
        this.title = title;
    }

    public String getTitle() {
        return title;
    }

    public void setDesc(String desc) {
        this.desc = desc;
    }

    public String getDesc() {
        return desc;
    }

    public void setExt(byte[] ext) {
        this.ext = ext;
    }

    public byte[] getExt() {
        return ext;
    }
}
