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
/// How long a starting node waits for its broker subscriptions before it serves anyway:
/// what other nodes tell its users before then (online-only messages, profile and read
/// changes) would be lost.
pub(crate) const BROKER_START_WAIT: Duration = Duration::from_secs(3);

/// The subject prefix of the notices; the app id follows.
const SUBJECT: &str = "v2tim.changed";
/// The subject prefix of pushes for another node's connections (`<node> <user> <frame>`);
/// the app id follows.
const TOLD: &str = "v2tim.told";

/// A push outside the sync sequence for a user's connections on the other nodes.
type Told = (u32, String, String);

/// The cluster thread: the broker connection and the poll.
pub(crate) struct Cluster {
    notices: Mutex<Option<mpsc::UnboundedSender<(u32, u64)>>>,
    tells: Mutex<Option<mpsc::UnboundedSender<Told>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Cluster {
    /// Starts the thread and waits (up to [`BROKER_START_WAIT`]) until it listens to the
    /// broker. With a broker that is down it goes on connecting in the background (and
    /// keeps reconnecting): a node starts and serves while the broker is down.
    pub(crate) fn start(
        relay: Arc<Relay>,
        broker_url: Option<String>,
        node_id: String,
    ) -> Result<Arc<Cluster>, ServerError> {
        let (tx, rx) = mpsc::unbounded_channel();
        let (tell_tx, tell_rx) = mpsc::unbounded_channel();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = crate::threads::spawn_with_runtime("v2tim-cluster", move || {
            run(relay, broker_url, node_id, rx, tell_rx, ready_tx)
        })?;
        if ready_rx.recv_timeout(BROKER_START_WAIT).is_err() {
            tracing::warn!(
                "cluster: the broker is not reachable yet; serving without it until it is"
            );
        }
        Ok(Arc::new(Cluster {
            notices: Mutex::new(Some(tx)),
            tells: Mutex::new(Some(tell_tx)),
            thread: Mutex::new(Some(thread)),
        }))
    }

    /// Tells the other nodes that `app`'s log reached `head` (never waits).
    pub(crate) fn announce(&self, app: u32, head: u64) {
        if let Some(tx) = self.notices.lock().as_ref() {
            let _ = tx.send((app, head));
        }
    }

    /// Has the other nodes queue `frame` to `user`'s connections (never waits; without a
    /// broker, or while it is away, nobody hears it: the devices there learn the change at
    /// their next read).
    pub(crate) fn tell(&self, app: u32, user: &str, frame: &str) {
        if let Some(tx) = self.tells.lock().as_ref() {
            let _ = tx.send((app, user.to_string(), frame.to_string()));
        }
    }

    /// Stops the thread. Idempotent.
    pub(crate) fn stop(&self) {
        drop(self.tells.lock().take());
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
    mut tells: mpsc::UnboundedReceiver<Told>,
    ready: std::sync::mpsc::Sender<()>,
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
    let mut told = match &broker {
        Some(client) => match client.subscribe(format!("{TOLD}.*")).await {
            Ok(sub) => Some(sub),
            Err(e) => {
                tracing::error!("cluster: cannot subscribe to the broker: {e}");
                None
            }
        },
        None => None,
    };
    if let Some(client) = &broker {
        listening(client).await;
    }
    let _ = ready.send(());
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
            Some((app, user, frame)) = tells.recv() => {
                if let Some(client) = &broker {
                    let payload = format!("{node_id} {user} {frame}");
                    if let Err(e) = client.publish(format!("{TOLD}.{app}"), payload.into()).await {
                        tracing::debug!("cluster: push for other nodes not published: {e}");
                    }
                }
            }
            Some(msg) = next(&mut incoming) => {
                if let Some((app, head)) = parse_notice(&msg.subject, &msg.payload, &node_id) {
                    relay.noticed(app, head);
                }
            }
            Some(msg) = next(&mut told) => {
                if let Some((app, user, frame)) = parse_told(&msg.subject, &msg.payload, &node_id) {
                    relay.told(app, user, frame);
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

/// Returns once the broker has the subscriptions (connected, and a flush round trip
/// after them), or after [`BROKER_START_WAIT`].
async fn listening(client: &async_nats::Client) {
    let connected = async {
        while client.connection_state() != async_nats::connection::State::Connected {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let _ = client.flush().await;
    };
    let _ = tokio::time::timeout(BROKER_START_WAIT, connected).await;
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

/// `v2tim.told.<app>` with `<node> <user> <frame>`, from another node. User ids hold no
/// spaces; the frame is the rest.
fn parse_told<'a>(subject: &str, payload: &'a [u8], me: &str) -> Option<(u32, &'a str, &'a str)> {
    let app = subject
        .strip_prefix(TOLD)?
        .strip_prefix('.')?
        .parse()
        .ok()?;
    let text = std::str::from_utf8(payload).ok()?;
    let (node, rest) = text.split_once(' ')?;
    let (user, frame) = rest.split_once(' ')?;
    if node == me || user.is_empty() || frame.is_empty() {
        return None;
    }
    Some((app, user, frame))
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

    #[test]
    fn pushes_for_other_nodes_are_parsed_and_own_ignored() {
        let frame = br#"node-b bob {"t":"push","push":{"kind":"x y"}}"#;
        assert_eq!(
            parse_told("v2tim.told.7", frame, "node-a"),
            Some((7, "bob", r#"{"t":"push","push":{"kind":"x y"}}"#))
        );
        assert_eq!(parse_told("v2tim.told.7", frame, "node-b"), None);
        assert_eq!(parse_told("v2tim.told.7", b"node-b bob", "node-a"), None);
        assert_eq!(parse_told("v2tim.changed.7", frame, "node-a"), None);
    }
}
