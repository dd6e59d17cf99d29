//! TUIKit's quoted replies. A reply carries its quote in `cloudCustomData` as
//! `{"messageReply": {"messageID": "...", "messageAbstract": "...", ...}}`; the abstract is
//! a copy of the quoted text, so when the quoted message is recalled it must be blanked in
//! every reply (the server does it in storage, the SDK in the messages it holds).

use serde_json::Value;

fn reply(cloud: &Value) -> Option<&serde_json::Map<String, Value>> {
    cloud.get("messageReply")?.as_object()
}

/// The id of the message `cloud_custom_data` quotes, if it is a TUIKit reply.
pub fn quoted_msg_id(cloud_custom_data: &str) -> Option<String> {
    if !cloud_custom_data.contains("messageReply") {
        return None;
    }
    let v: Value = serde_json::from_str(cloud_custom_data).ok()?;
    let id = reply(&v)?.get("messageID")?.as_str()?;
    crate::limits::is_valid_msg_id(id).then(|| id.to_owned())
}

/// `cloud_custom_data` with the quote's `messageAbstract` emptied, when it quotes
/// `recalled` and the abstract is not empty yet; everything else is kept as it was.
pub fn blank_abstract(cloud_custom_data: &str, recalled: &str) -> Option<String> {
    if !cloud_custom_data.contains(recalled) {
        return None;
    }
    let mut v: Value = serde_json::from_str(cloud_custom_data).ok()?;
    let reply = v.get_mut("messageReply")?.as_object_mut()?;
    if reply.get("messageID")?.as_str()? != recalled {
        return None;
    }
    match reply.get_mut("messageAbstract") {
        Some(Value::String(s)) if !s.is_empty() => s.clear(),
        _ => return None,
    }
    serde_json::to_string(&v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLY: &str = r#"{"messageReply":{"messageID":"m1","messageAbstract":"secret","messageSender":"alice","messageType":1,"version":1},"other":2}"#;

    #[test]
    fn finds_the_quoted_message() {
        assert_eq!(quoted_msg_id(REPLY).as_deref(), Some("m1"));
        assert_eq!(quoted_msg_id(r#"{"messageReply":{"messageID":""}}"#), None);
        assert_eq!(quoted_msg_id("not json messageReply"), None);
        assert_eq!(quoted_msg_id(r#"{"other":1}"#), None);
    }

    #[test]
    fn blanks_only_the_abstract_of_a_quote_of_the_recalled_message() {
        let blanked = blank_abstract(REPLY, "m1").unwrap();
        let v: Value = serde_json::from_str(&blanked).unwrap();
        assert_eq!(v["messageReply"]["messageAbstract"], "");
        assert_eq!(v["messageReply"]["messageSender"], "alice");
        assert_eq!(v["other"], 2);
        assert!(!blanked.contains("secret"));
        assert_eq!(blank_abstract(&blanked, "m1"), None, "already blank");
        assert_eq!(blank_abstract(REPLY, "m2"), None);
        assert_eq!(blank_abstract("{}", "m1"), None);
    }
}
