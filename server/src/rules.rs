//! Validation of client input and the permission rules of groups. Pure functions: the
//! handlers call them before touching storage, so a refused request changes nothing.

use base64::{engine::general_purpose::STANDARD, Engine};
use v2tim_proto::codes;
use v2tim_proto::limits;
use v2tim_proto::model::{role, Elem, GROUP_TYPES};
use v2tim_proto::usersig::{self, SigError};

use crate::config::AppConfig;

/// A request refused: the V2TIM code and an English description for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: i32,
    pub desc: String,
}

impl Refusal {
    pub fn new(code: i32, desc: impl Into<String>) -> Self {
        Refusal {
            code,
            desc: desc.into(),
        }
    }

    pub fn invalid(desc: impl Into<String>) -> Self {
        Refusal::new(codes::ERR_SVR_COMM_INVALID_REQUEST, desc)
    }

    pub fn group_denied(desc: impl Into<String>) -> Self {
        Refusal::new(codes::ERR_SVR_GROUP_PERMISSION_DENY, desc)
    }

    pub fn group_params(desc: impl Into<String>) -> Self {
        Refusal::new(codes::ERR_SVR_GROUP_INVALID_PARAMETERS, desc)
    }

    pub fn group_not_found(group_id: &str) -> Self {
        Refusal::new(
            codes::ERR_SVR_GROUP_NOT_FOUND,
            format!("group {group_id:?} does not exist"),
        )
    }
}

impl From<crate::store::StoreError> for Refusal {
    /// Storage failures abort the command's savepoint, so the request had no effect.
    fn from(e: crate::store::StoreError) -> Self {
        tracing::error!("storage error: {e}");
        Refusal::new(
            codes::V2TIM_ERR_STORAGE,
            format!("storage error, the request had no effect: {e}"),
        )
    }
}

/// Longest idempotency key, bytes (a UUID is 36).
pub const MAX_IDEM_KEY_BYTES: usize = 128;
/// Longest device id, bytes.
pub const MAX_DEVICE_ID_BYTES: usize = 128;
/// Most users one invitation may name.
pub const MAX_INVITEES: usize = 500;

/// Checks everything about a login that needs no storage. Answers the UserSig's expiry
/// (seconds since the epoch), or 0 when the app does not check UserSigs.
pub fn check_login(
    app: Option<&AppConfig>,
    protocol: u32,
    sdk_app_id: u32,
    user_id: &str,
    user_sig: &str,
    device_id: &str,
) -> Result<i64, Refusal> {
    if protocol != v2tim_proto::PROTOCOL_VERSION {
        return Err(Refusal::new(
            codes::V2TIM_ERR_PROTOCOL_VERSION,
            format!(
                "protocol version {protocol} is not supported; this server speaks version {}",
                v2tim_proto::PROTOCOL_VERSION
            ),
        ));
    }
    let Some(app) = app else {
        return Err(Refusal::new(
            codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID,
            format!("SDKAppID {sdk_app_id} is not served here"),
        ));
    };
    if !limits::is_valid_user_id(user_id) {
        return Err(Refusal::new(
            codes::ERR_SDK_COMM_INVALID_IDENTIFIER,
            "user id must be 1 to 32 printable ASCII characters without spaces",
        ));
    }
    if !device_id.is_empty() && !limits::is_valid_id(device_id, MAX_DEVICE_ID_BYTES) {
        return Err(Refusal::invalid(
            "device id must be empty or up to 128 printable ASCII characters without spaces",
        ));
    }
    check_sig(app, sdk_app_id, user_id, user_sig)
}

/// Checks a UserSig against the app's key: its expiry (seconds since the epoch), or 0 when
/// the app does not check UserSigs.
fn check_sig(
    app: &AppConfig,
    sdk_app_id: u32,
    user_id: &str,
    user_sig: &str,
) -> Result<i64, Refusal> {
    let Some(key) = app.secret_key.as_deref() else {
        return Ok(0);
    };
    match usersig::verify(user_sig, sdk_app_id, key, user_id) {
        Ok(info) => Ok(info.expire_at),
        Err(SigError::Invalid(why)) => Err(Refusal::new(
            codes::ERR_SVR_ACCOUNT_USERSIG_INVALID,
            format!("UserSig is invalid: {why}"),
        )),
        Err(SigError::Expired { expired_at }) => Err(Refusal::new(
            codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED,
            format!("UserSig expired at {expired_at} (seconds since the Unix epoch)"),
        )),
        Err(SigError::IdentifierMismatch) => Err(Refusal::new(
            codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID,
            "UserSig was issued for another user id",
        )),
        Err(SigError::AppMismatch) => Err(Refusal::new(
            codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID,
            "UserSig was issued for another SDKAppID",
        )),
    }
}

/// The identity the admin API acts as, as in V2TIM's REST API.
pub const ADMIN_IDENTIFIER: &str = "administrator";

/// Checks the credentials of an admin API call: a served SDKAppID, the `administrator`
/// identifier and its UserSig (not checked for an app without a secret key, like logins).
pub fn check_admin(
    app: Option<&AppConfig>,
    sdk_app_id: u32,
    identifier: &str,
    user_sig: &str,
) -> Result<(), Refusal> {
    let Some(app) = app else {
        return Err(Refusal::new(
            codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID,
            format!("SDKAppID {sdk_app_id} is not served here"),
        ));
    };
    if identifier != ADMIN_IDENTIFIER {
        return Err(Refusal::new(
            codes::ERR_SVR_ACCOUNT_USERSIG_INVALID,
            format!("the admin API takes identifier={ADMIN_IDENTIFIER} and its UserSig"),
        ));
    }
    check_sig(app, sdk_app_id, identifier, user_sig).map(|_| ())
}

/// Where a message goes, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    C2c(&'a str),
    Group(&'a str),
}

/// Checks a send request's fields; storage-dependent checks (membership, duplicates) come
/// later.
/// V2TIM's `cloudCustomData`: any UTF-8 up to [`limits::MAX_CLOUD_CUSTOM_DATA_BYTES`].
pub fn check_cloud_custom_data(data: &str) -> Result<(), Refusal> {
    if data.len() > limits::MAX_CLOUD_CUSTOM_DATA_BYTES {
        return Err(Refusal::new(
            codes::ERR_SVR_MSG_BODY_SIZE_LIMIT,
            format!(
                "cloud_custom_data is over the {} byte limit",
                limits::MAX_CLOUD_CUSTOM_DATA_BYTES
            ),
        ));
    }
    Ok(())
}

/// V2TIM's `offlinePushInfo`: at most [`limits::MAX_OFFLINE_PUSH_BYTES`] as stored.
pub fn check_offline_push(push: &v2tim_proto::OfflinePushInfo) -> Result<(), Refusal> {
    if push.stored_len() > limits::MAX_OFFLINE_PUSH_BYTES {
        return Err(Refusal::new(
            codes::ERR_SVR_MSG_BODY_SIZE_LIMIT,
            format!(
                "offline_push is over the {} byte limit",
                limits::MAX_OFFLINE_PUSH_BYTES
            ),
        ));
    }
    Ok(())
}

pub fn check_send<'a>(
    idem_key: &str,
    msg_id: &str,
    receiver: &'a str,
    group_id: &'a str,
    priority: i32,
    elem: &Elem,
) -> Result<Target<'a>, Refusal> {
    let target = match (receiver.is_empty(), group_id.is_empty()) {
        (false, true) => {
            if !limits::is_valid_user_id(receiver) {
                return Err(Refusal::new(
                    codes::ERR_SVR_MSG_INVALID_TOACCOUNT,
                    "receiver must be a valid user id (1 to 32 printable ASCII characters)",
                ));
            }
            Target::C2c(receiver)
        }
        (true, false) => {
            if !limits::is_valid_group_id(group_id) {
                return Err(Refusal::group_params(
                    "group id must be 1 to 48 printable ASCII characters without spaces",
                ));
            }
            Target::Group(group_id)
        }
        _ => {
            return Err(Refusal::invalid(
                "exactly one of receiver and group_id must be non-empty",
            ))
        }
    };
    if !limits::is_valid_id(idem_key, MAX_IDEM_KEY_BYTES) {
        return Err(Refusal::invalid(
            "idem_key must be 1 to 128 printable ASCII characters without spaces",
        ));
    }
    if !limits::is_valid_msg_id(msg_id) {
        return Err(Refusal::invalid(
            "msg_id must be 1 to 64 printable ASCII characters without spaces",
        ));
    }
    if msg_id.starts_with(TIPS_MSG_PREFIX) {
        return Err(Refusal::invalid(
            "msg_ids starting with @TIPS# are reserved for the server's group tips",
        ));
    }
    if !(0..=3).contains(&priority) {
        return Err(Refusal::invalid(
            "priority must be 0 (default), 1 (high), 2 (normal) or 3 (low)",
        ));
    }
    check_elem(elem)?;
    Ok(target)
}

fn check_elem(elem: &Elem) -> Result<(), Refusal> {
    if elem.body_len() > limits::MAX_MSG_BODY_BYTES {
        return Err(Refusal::new(
            codes::ERR_SVR_MSG_BODY_SIZE_LIMIT,
            format!(
                "message body is {} bytes, the most is {}",
                elem.body_len(),
                limits::MAX_MSG_BODY_BYTES
            ),
        ));
    }
    match elem {
        Elem::Text { .. } => Ok(()),
        Elem::Custom { data, .. } => match STANDARD.decode(data) {
            Ok(_) => Ok(()),
            Err(_) => Err(Refusal::invalid(
                "custom data must be standard padded base64",
            )),
        },
        Elem::None | Elem::GroupTips(_) => Err(Refusal::invalid(
            "a message must have a text or custom element",
        )),
    }
}

/// Checks a group id given by a client creating a group. `@TGS#` ids are the server's own.
pub fn check_new_group(group_type: &str, group_id: &str, name: &str) -> Result<(), Refusal> {
    if !GROUP_TYPES.contains(&group_type) {
        return Err(Refusal::group_params(format!(
            "group type {group_type:?} is not one of {}",
            GROUP_TYPES.join(", ")
        )));
    }
    if !group_id.is_empty() {
        if !limits::is_valid_group_id(group_id) {
            return Err(Refusal::group_params(
                "group id must be 1 to 48 printable ASCII characters without spaces",
            ));
        }
        if group_id.starts_with(GENERATED_GROUP_PREFIX) {
            return Err(Refusal::group_params(
                "group ids starting with @TGS# are reserved for ids the server generates",
            ));
        }
    }
    if name.len() > limits::MAX_GROUP_NAME_BYTES {
        return Err(Refusal::group_params(format!(
            "group name is {} bytes, the most is {}",
            name.len(),
            limits::MAX_GROUP_NAME_BYTES
        )));
    }
    Ok(())
}

/// Prefix of group ids the server generates, as V2TIM's.
pub const GENERATED_GROUP_PREFIX: &str = "@TGS#";

/// Checks a group id named by a request on an existing group.
pub fn check_group_id(group_id: &str) -> Result<(), Refusal> {
    if limits::is_valid_group_id(group_id) {
        Ok(())
    } else {
        Err(Refusal::group_params(
            "group id must be 1 to 48 printable ASCII characters without spaces",
        ))
    }
}

/// Work groups are invite-only (as in V2TIM); every other type may be joined freely.
pub fn may_join_freely(group_type: &str) -> bool {
    group_type != "Work"
}

/// Work groups: any member invites. Other types: the owner and admins.
pub fn may_invite(group_type: &str, inviter_role: u32) -> bool {
    group_type == "Work" || inviter_role == role::OWNER || inviter_role == role::ADMIN
}

/// Prefix of the ids of group tips messages, which the server writes; clients cannot use it.
pub const TIPS_MSG_PREFIX: &str = "@TIPS#";

/// The most members a group of the type holds (V2TIM's defaults); invitations past it are
/// reported OVERLIMIT and joins refused.
pub fn max_members(group_type: &str) -> usize {
    match group_type {
        "Work" => 200,
        "Public" => 2_000,
        "Meeting" => 6_000,
        _ => 100_000,
    }
}

/// Whether a member with `caller_role` may remove one with `target_role`: the owner
/// anyone else, an admin ordinary members.
pub fn may_kick(caller_role: u32, target_role: u32) -> bool {
    may_recall_others(caller_role, target_role) && target_role != role::OWNER
}

/// Work groups: any member edits the profile. Other types: the owner and admins.
pub fn may_set_group_info(group_type: &str, role: u32) -> bool {
    may_invite(group_type, role)
}

/// The owner dismisses any group but a Work group (V2TIM: nobody dismisses a Work group
/// from a client; the admin API can).
pub fn may_dismiss(group_type: &str, role: u32) -> bool {
    role == role::OWNER && group_type != "Work"
}

/// Longest recall reason, bytes.
pub const MAX_REVOKE_REASON_BYTES: usize = 512;

/// Whether a group member with `recaller_role` may recall a message of another member whose
/// role is `sender_role` (both current; an author who left counts as a member): the owner
/// anyone's, an admin ordinary members', nobody else.
pub fn may_recall_others(recaller_role: u32, sender_role: u32) -> bool {
    match recaller_role {
        role::OWNER => true,
        role::ADMIN => sender_role == role::MEMBER,
        _ => false,
    }
}

/// Roles `SetMemberRole` accepts.
pub fn is_settable_role(r: u32) -> bool {
    matches!(r, role::MEMBER | role::ADMIN | role::OWNER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Elem {
        Elem::Text { text: s.into() }
    }

    #[test]
    fn send_targets() {
        assert_eq!(
            check_send("k", "m", "bob", "", 0, &text("hi")),
            Ok(Target::C2c("bob"))
        );
        assert_eq!(
            check_send("k", "m", "", "g", 0, &text("hi")),
            Ok(Target::Group("g"))
        );
        let both = check_send("k", "m", "bob", "g", 0, &text("hi")).unwrap_err();
        assert_eq!(both.code, codes::ERR_SVR_COMM_INVALID_REQUEST);
        let none = check_send("k", "m", "", "", 0, &text("hi")).unwrap_err();
        assert_eq!(none.code, codes::ERR_SVR_COMM_INVALID_REQUEST);
        assert_eq!(
            check_send("k", "m", "b b", "", 0, &text("hi"))
                .unwrap_err()
                .code,
            codes::ERR_SVR_MSG_INVALID_TOACCOUNT
        );
        assert!(check_send("k", "", "bob", "", 0, &text("hi")).is_err());
        assert!(check_send("", "m", "bob", "", 0, &text("hi")).is_err());
        assert!(check_send("k", "m", "bob", "", 9, &text("hi")).is_err());
    }

    #[test]
    fn bodies() {
        let big = "x".repeat(limits::MAX_MSG_BODY_BYTES + 1);
        assert_eq!(
            check_send("k", "m", "bob", "", 0, &text(&big))
                .unwrap_err()
                .code,
            codes::ERR_SVR_MSG_BODY_SIZE_LIMIT
        );
        let exact = "x".repeat(limits::MAX_MSG_BODY_BYTES);
        assert!(check_send("k", "m", "bob", "", 0, &text(&exact)).is_ok());
        let custom = |d: &str| Elem::Custom {
            data: d.into(),
            description: String::new(),
            extension: String::new(),
        };
        assert!(check_send("k", "m", "bob", "", 0, &custom("aGk=")).is_ok());
        assert!(check_send("k", "m", "bob", "", 0, &custom("not base64!")).is_err());
        assert!(check_send("k", "m", "bob", "", 0, &Elem::None).is_err());
    }

    #[test]
    fn login_checks() {
        const P: u32 = v2tim_proto::PROTOCOL_VERSION;
        let open = AppConfig::new(1, None);
        let locked = AppConfig::new(1, Some("key".into()));
        assert_eq!(check_login(Some(&open), P, 1, "alice", "", "d"), Ok(0));
        assert_eq!(
            check_login(
                Some(&open),
                v2tim_proto::PROTOCOL_VERSION - 1,
                1,
                "alice",
                "",
                "d"
            )
            .unwrap_err()
            .code,
            codes::V2TIM_ERR_PROTOCOL_VERSION
        );
        assert_eq!(
            check_login(None, P, 1, "alice", "", "d").unwrap_err().code,
            codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID
        );
        assert_eq!(
            check_login(Some(&open), P, 1, "", "", "d")
                .unwrap_err()
                .code,
            codes::ERR_SDK_COMM_INVALID_IDENTIFIER
        );
        assert_eq!(
            check_login(Some(&locked), P, 1, "alice", "junk", "d")
                .unwrap_err()
                .code,
            codes::ERR_SVR_ACCOUNT_USERSIG_INVALID
        );
        let sig = usersig::gen_user_sig(1, "key", "alice", 60);
        assert!(check_login(Some(&locked), P, 1, "alice", &sig, "").unwrap() > 0);
        assert_eq!(
            check_login(Some(&locked), P, 1, "bob", &sig, "d")
                .unwrap_err()
                .code,
            codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID
        );
    }

    #[test]
    fn group_rules() {
        assert!(check_new_group("Public", "", "").is_ok());
        assert!(check_new_group("Private", "", "").is_err());
        assert!(check_new_group("Work", "@TGS#abc", "").is_err());
        assert!(check_new_group("Work", "a b", "").is_err());
        assert!(check_new_group("Work", "g", &"n".repeat(101)).is_err());
        assert!(!may_join_freely("Work"));
        assert!(may_join_freely("Public"));
        assert!(may_invite("Work", role::MEMBER));
        assert!(!may_invite("Public", role::MEMBER));
        assert!(may_invite("Public", role::ADMIN));
        assert!(is_settable_role(300) && !is_settable_role(100));
    }

    #[test]
    fn recall_hierarchy_checks_the_senders_role() {
        use role::{ADMIN, MEMBER, OWNER};
        assert!(may_recall_others(OWNER, MEMBER));
        assert!(may_recall_others(OWNER, ADMIN));
        assert!(may_recall_others(ADMIN, MEMBER));
        assert!(!may_recall_others(ADMIN, ADMIN));
        assert!(!may_recall_others(ADMIN, OWNER));
        assert!(!may_recall_others(MEMBER, MEMBER));
        assert!(!may_recall_others(MEMBER, OWNER));
    }
}
