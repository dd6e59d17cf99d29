package io.v2tim.imsdk.v2;

/**
 * Text and custom messages, simply ({@link V2TIMManager#addSimpleMsgListener}): the same
 * messages as {@link V2TIMAdvancedMsgListener#onRecvNewMessage}, split by kind, with the
 * sender's profile. Every method has an empty default body.
 */
public abstract class V2TIMSimpleMsgListener {
    public void onRecvC2CTextMessage(String msgID, V2TIMUserInfo sender, String text) {}

    public void onRecvC2CCustomMessage(String msgID, V2TIMUserInfo sender, byte[] customData) {}

    public void onRecvGroupTextMessage(String msgID, String groupID, V2TIMGroupMemberInfo sender,
            String text) {}

    public void onRecvGroupCustomMessage(String msgID, String groupID,
            V2TIMGroupMemberInfo sender, byte[] customData) {}

    /** The simple listener as an advanced one, registered in its place. */
    static final class Adapter extends V2TIMAdvancedMsgListener {
        final V2TIMSimpleMsgListener listener;

        Adapter(V2TIMSimpleMsgListener listener) {
            this.listener = listener;
        }

        @Override
        public void onRecvNewMessage(V2TIMMessage m) {
            String group = m.getGroupID();
            String sender = m.getSender();
            if (m.getElemType() == V2TIMMessage.V2TIM_ELEM_TYPE_TEXT) {
                String text = m.getTextElem().getText();
                if (group == null) {
                    listener.onRecvC2CTextMessage(m.getMsgID(),
                            new V2TIMUserInfo(sender, m.getNickName(), m.getFaceUrl()), text);
                } else {
                    listener.onRecvGroupTextMessage(m.getMsgID(), group,
                            new V2TIMGroupMemberInfo(sender, m.getNickName(), m.getFaceUrl()), text);
                }
            } else if (m.getElemType() == V2TIMMessage.V2TIM_ELEM_TYPE_CUSTOM) {
                byte[] data = m.getCustomElem().getData();
                if (group == null) {
                    listener.onRecvC2CCustomMessage(m.getMsgID(),
                            new V2TIMUserInfo(sender, m.getNickName(), m.getFaceUrl()), data);
                } else {
                    listener.onRecvGroupCustomMessage(m.getMsgID(), group,
                            new V2TIMGroupMemberInfo(sender, m.getNickName(), m.getFaceUrl()), data);
                }
            }
        }
    }
}
