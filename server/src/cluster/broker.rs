//! The cluster thread: the broker (NATS) connection, its notices, and the poll.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use futures_util::StreamExt;
use parking_lot::Mutex;
use tokio::sync::mpsc;

use super::relay::Relay;
use crate::error::ServerError;

/// How often a node reads the log for what a lost notice did not tell it, with a broker.
pub(crate) const POLL_WITH_BROKER: Duration = Duration::from_secs(1);
/// ... and without one: then polling is the only way a node learns of the others' commits.
pub(crate) const POLL_WITHOUT_BROKER: Duration = Duration::from_millis(200);

/// The subject prefix of the notices; the app id follows.
const SUBJECT: &str = "v2tim.changed";

/// The cluster thread: the broker connection and the poll.
pub(crate) struct Cluster {
    notices: Mutex<Option<mpsc::UnboundedSender<(u32, u64)>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Cluster {
    /// Starts the thread. With a broker, connects in the background (and keeps
    /// reconnecting): a node starts and serves while the broker is down.
    pub(crate) fn start(
        relay: Arc<Relay>,
        broker_url: Option<String>,
        node_id: String,
    ) -> Result<Arc<Cluster>, ServerError> {
        let (tx, rx) = mpsc::unbounded_channel();
        let thread = crate::threads::spawn_with_runtime("v2tim-cluster", move || {
            run(relay, broker_url, node_id, rx)
        })?;
        Ok(Arc::new(Cluster {
            notices: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        }))
    }

    /// Tells the other nodes that `app`'s log reached `head` (never waits).
    pub(crate) fn announce(&self, app: u32, head: u64) {
        if let Some(tx) = self.notices.lock().as_ref() {
            let _ = tx.send((app, head));
        }
    }

    /// Stops the thread. Idempotent.
    pub(crate) fn stop(&self) {
        drop(self.notices.lock().take());
        if let Some(handle) = self.thread.lock().take() {
            if handle.join().is_err() {
                tracing::error!("cluster thread panicked");
            }
        }
    }
}

async fn run(
    relay: Arc<Relay>,
    broker_url: Option<String>,
    node_id: String,
    mut notices: mpsc::UnboundedReceiver<(u32, u64)>,
) {
    let poll_every = if broker_url.is_some() {
        POLL_WITH_BROKER
    } else {
        POLL_WITHOUT_BROKER
    };
    let broker = match &broker_url {
        Some(url) => connect(url, &node_id).await,
        None => None,
    };
    let mut incoming = match &broker {
        Some(client) => match client.subscribe(format!("{SUBJECT}.*")).await {
            Ok(sub) => Some(sub),
            Err(e) => {
                tracing::error!("cluster: cannot subscribe to the broker: {e}");
                None
            }
        },
        None => None,
    };
    let mut poll = tokio::time::interval(poll_every);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            notice = notices.recv() => {
                let Some((app, head)) = notice else { break };
                // Only the newest position of each app is news.
                let mut newest = std::collections::HashMap::from([(app, head)]);
                while let Ok((app, head)) = notices.try_recv() {
                    let h = newest.entry(app).or_insert(head);
                    *h = (*h).max(head);
                }
                if let Some(client) = &broker {
                    for (app, head) in newest {
                        let payload = format!("{node_id} {head}");
                        if let Err(e) = client.publish(format!("{SUBJECT}.{app}"), payload.into()).await {
                            tracing::debug!("cluster: notice not published: {e}");
                        }
                    }
                }
            }
            Some(msg) = next(&mut incoming) => {
                if let Some((app, head)) = parse_notice(&msg.subject, &msg.payload, &node_id) {
                    relay.noticed(app, head);
                }
            }
            _ = poll.tick() => relay.poll(),
        }
    }
    if let Some(client) = broker {
        let _ = client.flush().await;
    }
    tracing::debug!("cluster thread stopped");
}

/// The next notice, or never when there is no subscription.
async fn next(sub: &mut Option<async_nats::Subscriber>) -> Option<async_nats::Message> {
    match sub {
        Some(sub) => sub.next().await,
        None => std::future::pending().await,
    }
}

async fn connect(url: &str, node_id: &str) -> Option<async_nats::Client> {
    let options = async_nats::ConnectOptions::new()
        .name(format!("v2tim-server {node_id}"))
        .retry_on_initial_connect()
        .connection_timeout(Duration::from_secs(5))
        // Back soon after the broker restarts; the poll covers the gap.
        .reconnect_delay_callback(|attempts| {
            Duration::from_millis(100u64.saturating_mul(1 << attempts.min(5)).min(2_000))
        })
        .event_callback(|event| async move {
            tracing::info!("cluster: broker {event}");
        });
    match options.connect(url).await {
        Ok(client) => Some(client),
        Err(e) => {
            tracing::error!("cluster: broker {url}: {e}; polling only");
            None
        }
    }
}

/// `v2tim.changed.<app>` with `<node> <head>`, from another node.
fn parse_notice(subject: &str, payload: &[u8], me: &str) -> Option<(u32, u64)> {
    let app = subject
        .strip_prefix(SUBJECT)?
        .strip_prefix('.')?
        .parse()
        .ok()?;
    let text = std::str::from_utf8(payload).ok()?;
    let (node, head) = text.rsplit_once(' ')?;
    if node == me {
        return None;
    }
    Some((app, head.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_from_others_are_parsed_and_own_ignored() {
        assert_eq!(
            parse_notice("v2tim.changed.7", b"node-b 42", "node-a"),
            Some((7, 42))
        );
        assert_eq!(
            parse_notice("v2tim.changed.7", b"node-a 42", "node-a"),
            None
        );
        assert_eq!(
            parse_notice("v2tim.changed.x", b"node-b 42", "node-a"),
            None
        );
        assert_eq!(parse_notice("v2tim.changed.7", b"garbage", "node-a"), None);
        assert_eq!(parse_notice("other.7", b"node-b 1", "node-a"), None);
    }
}
