//! Profiles: setting one's own, reading others', and the names every message carries (the
//! sender's, and a recalled message's revoker's, current nick name and face URL).

use std::collections::HashMap;

use v2tim_proto::frames::{SelfInfoAck, UsersInfo};
use v2tim_proto::limits::{self, MAX_USERS_INFO};
use v2tim_proto::model::{MessageInfo, ProfileChanges, UserProfile};
use v2tim_proto::{Push, ServerFrame};

use crate::handlers::Done;
use crate::rules::Refusal;
use crate::store::Tx;

/// Nick names and face URLs looked up once per user for the messages of one answer.
#[derive(Default)]
pub(crate) struct Names {
    known: HashMap<String, (String, String)>,
}

impl Names {
    pub(crate) async fn of<T: Tx>(
        &mut self,
        db: &mut T,
        app: u32,
        user: &str,
    ) -> Result<(String, String), Refusal> {
        if let Some(n) = self.known.get(user) {
            return Ok(n.clone());
        }
        let n = db
            .profile(app, user)
            .await?
            .map(|p| (p.nick_name, p.face_url))
            .unwrap_or_default();
        self.known.insert(user.to_string(), n.clone());
        Ok(n)
    }

    /// Sets the sender's (and the revoker's) names on `m`.
    pub(crate) async fn fill<T: Tx>(
        &mut self,
        db: &mut T,
        app: u32,
        m: &mut MessageInfo,
    ) -> Result<(), Refusal> {
        (m.nick_name, m.face_url) = self.of(db, app, &m.sender).await?;
        if let Some(r) = &mut m.revoked {
            (r.revoker_nick, r.revoker_face) = self.of(db, app, &r.revoker).await?;
        }
        Ok(())
    }

    pub(crate) async fn fill_all<T: Tx>(
        &mut self,
        db: &mut T,
        app: u32,
        msgs: &mut [MessageInfo],
    ) -> Result<(), Refusal> {
        for m in msgs {
            self.fill(db, app, m).await?;
        }
        Ok(())
    }
}

/// The names of one message.
pub(crate) async fn named<T: Tx>(
    db: &mut T,
    app: u32,
    mut m: MessageInfo,
) -> Result<MessageInfo, Refusal> {
    Names::default().fill(db, app, &mut m).await?;
    Ok(m)
}

/// Applies `changes` to `user`'s profile (creating the account on first sight).
pub(crate) async fn change<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    changes: &ProfileChanges,
    now: i64,
) -> Result<UserProfile, Refusal> {
    changes.check().map_err(Refusal::invalid)?;
    db.ensure_account(app, user, now).await?;
    let mut profile = db.profile(app, user).await?.unwrap_or_else(|| UserProfile {
        user_id: user.to_string(),
        ..UserProfile::default()
    });
    changes.apply(&mut profile);
    if profile.custom_info.len() > limits::MAX_PROFILE_CUSTOM_KEYS {
        return Err(Refusal::invalid(format!(
            "a profile holds at most {} custom_info keys",
            limits::MAX_PROFILE_CUSTOM_KEYS
        )));
    }
    db.set_profile(app, &profile).await?;
    Ok(profile)
}

/// `set_self_info`: the caller's other devices are told.
pub(crate) async fn set_self<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    changes: &ProfileChanges,
    now: i64,
) -> Result<Done, Refusal> {
    let info = change(db, app, user, changes, now).await?;
    let notice = ServerFrame::Push {
        push: Push::SelfInfoUpdated { info: info.clone() },
    }
    .encode();
    Ok(Done::Told {
        data: v2tim_proto::AnswerData::of(&SelfInfoAck { info }),
        users: vec![user.to_string()],
        notice,
    })
}

/// Profiles of existing accounts among `user_ids`, in the order asked, each once.
pub(crate) async fn get<T: Tx>(
    db: &mut T,
    app: u32,
    user_ids: &[String],
) -> Result<Vec<UserProfile>, Refusal> {
    if user_ids.is_empty() || user_ids.len() > MAX_USERS_INFO {
        return Err(Refusal::invalid(format!(
            "user_ids must name 1 to {MAX_USERS_INFO} users"
        )));
    }
    if let Some(bad) = user_ids.iter().find(|u| !limits::is_valid_user_id(u)) {
        return Err(Refusal::invalid(format!("{bad:?} is not a valid user id")));
    }
    let mut seen = std::collections::HashSet::new();
    let mut users = Vec::new();
    for u in user_ids {
        if seen.insert(u.as_str()) {
            if let Some(p) = db.profile(app, u).await? {
                users.push(p);
            }
        }
    }
    Ok(users)
}

pub(crate) async fn get_users<T: Tx>(
    db: &mut T,
    app: u32,
    user_ids: &[String],
) -> Result<Done, Refusal> {
    let users = get(db, app, user_ids).await?;
    Ok(Done::answer(&UsersInfo { users }))
}
