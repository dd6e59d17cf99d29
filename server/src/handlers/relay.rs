//! What a cluster node reads to push what other nodes committed: the log after the
//! position it has pushed up to, each entry with the users it is for. The same events
//! and the same audience as the request that wrote the entry would have pushed, read
//! back from storage (`crate::cluster`).

use v2tim_proto::codes;
use v2tim_proto::model::{Event, EventBody};

use crate::handlers::profiles::Names;
use crate::handlers::{Done, Fanout};
use crate::rules::Refusal;
use crate::store::{EntryKind, Tx};

/// Most entries one read carries; a node further behind reads again.
pub(crate) const RELAY_PAGE: u32 = 500;

/// The entries after `after` (all of them up to the head, or the first [`RELAY_PAGE`]),
/// and the position up to which the answer is complete. `None`: only that position (the
/// head), for a node that starts.
pub(crate) async fn committed_after<T: Tx>(
    db: &mut T,
    app: u32,
    after: Option<u64>,
) -> Result<Done, Refusal> {
    let head = db.stream_head(app).await?;
    let Some(after) = after else {
        return Ok(Done::Relayed {
            pushes: Vec::new(),
            upto: head,
        });
    };
    let entries = db.log_after(app, after, head, RELAY_PAGE).await?;
    let upto = match entries.last() {
        Some(last) if entries.len() as u32 >= RELAY_PAGE => last.pos,
        _ => head,
    };
    let mut pushes = Vec::with_capacity(entries.len());
    let mut names = Names::default();
    for e in entries {
        let Some(mut msg) = db.get_message_by_seq(app, &e.conv_key, e.conv_seq).await? else {
            return Err(Refusal::new(
                codes::V2TIM_ERR_STORAGE,
                format!("the message of log entry {} is missing", e.pos),
            ));
        };
        names.fill(db, app, &mut msg).await?;
        let users = db.audience(app, &e).await?;
        let body = match e.kind {
            EntryKind::Message => EventBody::NewMessage { msg },
            EntryKind::Recall => EventBody::MessageRevoked { msg },
        };
        pushes.push(Fanout {
            users,
            event: Event { seq: e.pos, body },
        });
    }
    Ok(Done::Relayed { pushes, upto })
}
