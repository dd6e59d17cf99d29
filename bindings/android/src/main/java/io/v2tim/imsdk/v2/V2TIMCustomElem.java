package io.v2tim.imsdk.v2;

import java.nio.charset.Charset;

/** The content of a custom message. */
public class V2TIMCustomElem extends V2TIMElem {
    private static final Charset UTF8 = Charset.forName("UTF-8");

    V2TIMCustomElem(V2TIMMessage message) {
        super(message);
    }

    /** The data; empty once the message was recalled. */
    public byte[] getData() {
        byte[] data = NativeBridge.messageCustomData(message, message.handle);
        return data == null ? new byte[0] : data;
    }

    public String getDescription() {
        String s = message.string(V2TIMMessage.S_CUSTOM_DESCRIPTION);
        return s == null ? "" : s;
    }

    /** The extension (v2tim stores it as UTF-8 text). */
    public byte[] getExtension() {
        String s = message.string(V2TIMMessage.S_CUSTOM_EXTENSION);
        return (s == null ? "" : s).getBytes(UTF8);
    }
}
