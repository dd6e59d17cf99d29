package io.v2tim.imsdk.v2;

/** The text of a text message. */
public class V2TIMTextElem extends V2TIMElem {
    V2TIMTextElem(V2TIMMessage message) {
        super(message);
    }

    /** The text; "" once the message was recalled. */
    public String getText() {
        String text = message.string(V2TIMMessage.S_TEXT);
        return text == null ? "" : text;
    }
}
