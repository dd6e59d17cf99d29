package io.v2tim.imsdk.v2;

/** Base of the message elements; reads through its message. */
public class V2TIMElem {
    final V2TIMMessage message;

    V2TIMElem(V2TIMMessage message) {
        this.message = message;
    }
}
