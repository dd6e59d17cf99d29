package io.v2tim.imsdk.v2;

import java.util.List;

/** A page of {@link V2TIMConversationManager#getConversationList}. */
public class V2TIMConversationResult {
    private final long nextSeq;
    private final boolean finished;
    private final List<V2TIMConversation> conversationList;

    /** Made by native code. */
    V2TIMConversationResult(long nextSeq, boolean finished,
            List<V2TIMConversation> conversationList) {
        this.nextSeq = nextSeq;
        this.finished = finished;
        this.conversationList = conversationList;
    }

    /** Pass to the next {@code getConversationList} call. */
    public long getNextSeq() {
        return nextSeq;
    }

    public boolean isFinished() {
        return finished;
    }

    public List<V2TIMConversation> getConversationList() {
        return conversationList;
    }
}
