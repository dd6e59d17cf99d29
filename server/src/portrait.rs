//! The admin API's profile commands in V2TIM's REST shape (`v4/profile/portrait_set`,
//! `v4/profile/portrait_get`): tags such as `Tag_Profile_IM_Nick` to and from profiles.

use std::collections::BTreeMap;

use base64::{engine::general_purpose::STANDARD, Engine};
use serde::Deserialize;
use serde_json::{json, Value};
use v2tim_proto::limits;
use v2tim_proto::model::{ProfileChanges, UserProfile};

use crate::rules::Refusal;

pub(crate) const TAG_NICK: &str = "Tag_Profile_IM_Nick";
pub(crate) const TAG_GENDER: &str = "Tag_Profile_IM_Gender";
pub(crate) const TAG_BIRTHDAY: &str = "Tag_Profile_IM_BirthDay";
pub(crate) const TAG_SELF_SIGNATURE: &str = "Tag_Profile_IM_SelfSignature";
pub(crate) const TAG_ALLOW_TYPE: &str = "Tag_Profile_IM_AllowType";
pub(crate) const TAG_IMAGE: &str = "Tag_Profile_IM_Image";
pub(crate) const TAG_LEVEL: &str = "Tag_Profile_IM_Level";
pub(crate) const TAG_ROLE: &str = "Tag_Profile_IM_Role";
/// Custom fields: the prefix, then the key.
pub(crate) const TAG_CUSTOM: &str = "Tag_Profile_Custom_";

/// V2TIM's result code for an account that does not exist.
pub(crate) const RESULT_NO_ACCOUNT: i32 = 40003;

const GENDERS: [&str; 3] = [
    "Gender_Type_Unknown",
    "Gender_Type_Male",
    "Gender_Type_Female",
];
const ALLOW_TYPES: [&str; 3] = [
    "AllowType_Type_AllowAny",
    "AllowType_Type_NeedConfirm",
    "AllowType_Type_DenyAny",
];

#[derive(Deserialize)]
struct Item {
    #[serde(rename = "Tag")]
    tag: String,
    #[serde(rename = "Value")]
    value: Value,
}

#[derive(Deserialize)]
pub(crate) struct PortraitSet {
    #[serde(rename = "From_Account")]
    pub from: String,
    #[serde(rename = "ProfileItem")]
    items: Vec<Item>,
}

#[derive(Deserialize)]
pub(crate) struct PortraitGet {
    #[serde(rename = "To_Account")]
    pub to: Vec<String>,
    #[serde(rename = "TagList")]
    pub tags: Vec<String>,
}

fn text(tag: &str, v: &Value) -> Result<String, Refusal> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| Refusal::invalid(format!("{tag}: the value must be a string")))
}

fn number(tag: &str, v: &Value) -> Result<u32, Refusal> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| Refusal::invalid(format!("{tag}: the value must be a number 0..2^32")))
}

fn one_of(tag: &str, v: &Value, names: &[&str]) -> Result<i32, Refusal> {
    let s = text(tag, v)?;
    names
        .iter()
        .position(|n| *n == s)
        .map(|i| i as i32)
        .ok_or_else(|| Refusal::invalid(format!("{tag}: the value must be one of {names:?}")))
}

impl PortraitSet {
    /// The changes the items ask for.
    pub(crate) fn changes(&self) -> Result<ProfileChanges, Refusal> {
        if !limits::is_valid_user_id(&self.from) {
            return Err(Refusal::invalid("From_Account must be a valid user id"));
        }
        if self.items.is_empty() {
            return Err(Refusal::invalid("ProfileItem is empty"));
        }
        let mut c = ProfileChanges::default();
        for Item { tag, value } in &self.items {
            let tag = tag.as_str();
            match tag {
                TAG_NICK => c.nick_name = Some(text(tag, value)?),
                TAG_IMAGE => c.face_url = Some(text(tag, value)?),
                TAG_SELF_SIGNATURE => c.self_signature = Some(text(tag, value)?),
                TAG_GENDER => c.gender = Some(one_of(tag, value, &GENDERS)?),
                TAG_ALLOW_TYPE => c.allow_type = Some(one_of(tag, value, &ALLOW_TYPES)?),
                TAG_BIRTHDAY => c.birthday = Some(number(tag, value)?),
                TAG_LEVEL => c.level = Some(number(tag, value)?),
                TAG_ROLE => c.role = Some(number(tag, value)?),
                _ => match tag.strip_prefix(TAG_CUSTOM) {
                    Some(key) => c.set_custom(key, text(tag, value)?.as_bytes()),
                    None => return Err(Refusal::invalid(format!("unknown profile tag {tag:?}"))),
                },
            }
        }
        Ok(c)
    }
}

impl PortraitGet {
    pub(crate) fn check(&self) -> Result<(), Refusal> {
        if self.tags.is_empty() {
            return Err(Refusal::invalid("TagList is empty"));
        }
        Ok(())
    }
}

/// The value of `tag` in `p`, as V2TIM's REST API spells it; `None` for an unknown tag.
fn value_of(p: &UserProfile, tag: &str) -> Option<Value> {
    fn pick(names: &[&'static str; 3], i: i32) -> &'static str {
        names.get(i as usize).copied().unwrap_or(names[0])
    }
    Some(match tag {
        TAG_NICK => json!(p.nick_name),
        TAG_IMAGE => json!(p.face_url),
        TAG_SELF_SIGNATURE => json!(p.self_signature),
        TAG_GENDER => json!(pick(&GENDERS, p.gender)),
        TAG_ALLOW_TYPE => json!(pick(&ALLOW_TYPES, p.allow_type)),
        TAG_BIRTHDAY => json!(p.birthday),
        TAG_LEVEL => json!(p.level),
        TAG_ROLE => json!(p.role),
        _ => {
            let key = tag.strip_prefix(TAG_CUSTOM)?;
            let bytes = p
                .custom_info
                .get(key)
                .and_then(|v| STANDARD.decode(v).ok())
                .unwrap_or_default();
            json!(String::from_utf8_lossy(&bytes))
        }
    })
}

/// `portrait_get`'s `UserProfileItem`: one entry per asked account, in the order asked.
pub(crate) fn profile_items(asked: &[String], tags: &[String], found: &[UserProfile]) -> Value {
    let by_id: BTreeMap<&str, &UserProfile> =
        found.iter().map(|p| (p.user_id.as_str(), p)).collect();
    let items: Vec<Value> = asked
        .iter()
        .map(|id| match by_id.get(id.as_str()) {
            Some(p) => json!({
                "To_Account": id,
                "ProfileItem": tags
                    .iter()
                    .filter_map(|t| value_of(p, t).map(|v| json!({"Tag": t, "Value": v})))
                    .collect::<Vec<_>>(),
                "ResultCode": 0,
                "ResultInfo": "",
            }),
            None => json!({
                "To_Account": id,
                "ProfileItem": [],
                "ResultCode": RESULT_NO_ACCOUNT,
                "ResultInfo": format!("account {id:?} does not exist"),
            }),
        })
        .collect();
    json!({ "UserProfileItem": items })
}
