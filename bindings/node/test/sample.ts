// Checked by `tsc --noEmit` (tests/node.rs): the seeds' samples and the rest of the API, typed.
import TencentCloudChat = require('v2tim');

const chat = TencentCloudChat.create({ SDKAppID: 1400000001, serverURL: '' });
const TIM = TencentCloudChat.TIM;

async function main(): Promise<void> {
  await chat.login({ userID: 'alice', userSig: TencentCloudChat.genTestUserSig({ SDKAppID: 1400000001, secretKey: 'k', userID: 'alice' }) });
  const message = chat.createTextMessage({ to: 'bob', conversationType: TencentCloudChat.TYPES.CONV_C2C, payload: { text: 'hi' } });
  const sent: TencentCloudChat.Message = (await chat.sendMessage(message, { onlineUserOnly: false })).data.message;

  // Recall a message
  let promise = chat.revokeMessage(sent);
  promise.then(function(imResponse) {
    // Message recalled successfully
    const recalled: boolean = imResponse.data.message.isRevoked;
    console.log(recalled);
  }).catch(function(imError: TencentCloudChat.TIMError) {
    // Failed to recall the message
    console.warn('revokeMessage error:', imError.code, imError.message);
  });

  // Received a message recall notification
  chat.on(TencentCloudChat.EVENT.MESSAGE_REVOKED, function(event) {
    const list: TencentCloudChat.Message[] = event.data;
    list.forEach((m) => console.log(m.isRevoked, m.revoker, m.revokerInfo.nick, m.revokeReason));
  });
  chat.on(TIM.EVENT.NET_STATE_CHANGE, (event) => console.log(event.data.state));

  // Encountered the recalled message while getting the list of messages in the conversation
  const listPromise = chat.getMessageList({ conversationID: 'C2Ctest', count: 15 });
  listPromise.then(function(imResponse) {
    const messageList = imResponse.data.messageList; // Message list
    messageList.forEach(function(message) {
      if (message.isRevoked) {
        // Process the recalled message
      } else if (message.type === TencentCloudChat.TYPES.MSG_TEXT) {
        console.log(message.payload);
      }
    });
  });

  const group = await chat.createGroup({ type: TencentCloudChat.TYPES.GRP_PUBLIC, name: 'team', memberList: [{ userID: 'bob' }] });
  await chat.joinGroup({ groupID: group.data.group.groupID });
  await chat.setGroupMemberRole({ groupID: group.data.group.groupID, userID: 'bob', role: TencentCloudChat.TYPES.GRP_MBR_ROLE_ADMIN });
  await chat.revokeMessage(sent, { reason: 'spam' });
  const convs = await chat.getConversationList();
  convs.data.conversationList.forEach((c) => console.log(c.conversationID, c.unreadCount, c.lastMessage?.isRevoked));
  const profiles = await chat.getUserProfile({ userIDList: ['bob'] });
  console.log(profiles.data[0].nick);
  await chat.updateMyProfile({ nick: 'Alice', gender: TencentCloudChat.TYPES.GENDER_FEMALE });
  const total: number = chat.getTotalUnreadMessageCount();
  console.log(total);
  promise = chat.revokeMessage(sent);
  await promise.catch(() => undefined);
  await chat.destroy();
}

main().catch((e: TencentCloudChat.TIMError) => console.error(e.code));
