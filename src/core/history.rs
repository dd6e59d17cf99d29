//! V2TIM's history options (`V2TIMMessageListGetOption`) as one history read: direction,
//! start and time range, with the unsupported parts refused (the same words in every layer,
//! since every layer calls this).

use v2tim_proto::{limits, model::ConvRef};

use super::error::{Error, Result};
use super::message::Message;

/// `V2TIMMessageListGetOption`'s fields. The LOCAL types read the server like the CLOUD
/// ones: the SDK keeps no message store of its own.
#[derive(Default)]
pub struct HistoryOptions {
    /// `V2TIMMessageGetType`: 1 cloud older, 2 cloud newer, 3 local older, 4 local newer.
    pub get_type: i32,
    pub user_id: Option<String>,
    pub group_id: Option<String>,
    pub count: i32,
    /// The start, not included; takes precedence over `last_msg_seq`.
    pub last_msg: Option<Message>,
    /// Groups only: the start, included; 0 for none.
    pub last_msg_seq: u64,
    /// Seconds since the epoch; 0 is now.
    pub time_begin: i64,
    /// Seconds; 0 is no limit.
    pub time_period: u64,
    /// `V2TIMElemType`s to keep (the type as sent: a recalled message keeps its type);
    /// empty keeps all.
    pub message_types: Vec<i32>,
}

/// What the server is asked, besides the conversation and count.
#[derive(Clone, Debug, Default)]
pub(super) struct Range {
    pub newer: bool,
    /// Exclusive: older reads `seq < start`, newer reads `seq > start`.
    pub start: Option<u64>,
    pub time_from_ms: Option<i64>,
    pub time_to_ms: Option<i64>,
    /// Empty keeps every type.
    pub elem_types: Vec<i32>,
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn ms(secs: i64) -> Result<i64> {
    secs.checked_mul(1000)
        .ok_or_else(|| Error::invalid("getTimeBegin/getTimePeriod are out of range"))
}

impl HistoryOptions {
    pub(super) fn range(&self, conv: &ConvRef) -> Result<Range> {
        let newer = match self.get_type {
            1 | 3 => false,
            2 | 4 => true,
            t => {
                return Err(Error::invalid(format!(
                    "getType {t} is not a V2TIMMessageGetType (1 to 4)"
                )))
            }
        };
        if self.message_types.len() > limits::MAX_HISTORY_ELEM_TYPES {
            return Err(Error::invalid(format!(
                "messageTypeList has more than {} types",
                limits::MAX_HISTORY_ELEM_TYPES
            )));
        }
        if let Some(t) = self.message_types.iter().find(|t| !(0..32).contains(*t)) {
            return Err(Error::invalid(format!(
                "messageTypeList: {t} is not a V2TIMElemType"
            )));
        }
        let start = match (&self.last_msg, self.last_msg_seq) {
            (None, 0) | (Some(_), _) => None,
            (None, seq) => {
                if matches!(conv, ConvRef::C2c { .. }) {
                    return Err(Error::invalid(
                        "lastMsgSeq pages group history only (V2TIM's rule): page one-to-one \
                         history with lastMsg",
                    ));
                }
                // Included: one past it, in the direction of the read.
                Some(if newer {
                    seq - 1
                } else {
                    seq.saturating_add(1)
                })
            }
        };
        if self.time_begin < 0 {
            return Err(Error::invalid("getTimeBegin must not be negative"));
        }
        let period = i64::try_from(self.time_period)
            .map_err(|_| Error::invalid("getTimePeriod is out of range"))?;
        let mut range = Range {
            newer,
            start,
            elem_types: self.message_types.clone(),
            ..Range::default()
        };
        if self.time_begin == 0 && period == 0 {
            return Ok(range);
        }
        // V2TIM: older reads [begin - period, begin], newer [begin, begin + period]; a
        // period of 0 leaves the far end open. Seconds are whole: an end includes its second.
        let begin = if self.time_begin == 0 {
            now_secs()
        } else {
            self.time_begin
        };
        let bounded = period > 0;
        let overflow = || Error::invalid("getTimeBegin/getTimePeriod are out of range");
        if newer {
            range.time_from_ms = Some(ms(begin)?);
            if bounded {
                let end = begin.checked_add(period).ok_or_else(overflow)?;
                range.time_to_ms = Some(ms(end)? + 999);
            }
        } else {
            range.time_to_ms = Some(ms(begin)? + 999);
            if bounded {
                range.time_from_ms = Some(ms(begin - period)?);
            }
        }
        Ok(range)
    }
}
