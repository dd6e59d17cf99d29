//! Which connections the server takes: caps on open connections (in all, per source
//! address, not yet logged in) and per-address rates of new connections and failed logins.
//!
//! The accept loop asks [`Admission::admit`] before anything else is done with a socket;
//! a refused socket is dropped at once, so a flood costs an `accept` and a `close` each.
//! An admitted connection holds a [`Ticket`] until it ends, which gives its slot back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::limits::Limits;

/// Addresses tracked at most beyond the open connections: past it, addresses without an
/// open connection are forgotten (their rate state with them), so the table stays bounded
/// whatever number of addresses a flood comes from.
const SPARE_ADDRESSES: usize = 65_536;
/// Refusals are logged as a count at most this often, not one line each.
const REFUSAL_LOG_EVERY: Duration = Duration::from_secs(10);

/// Why a connection was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// `max_connections` open.
    Full,
    /// `max_unauthenticated` connections have not logged in yet.
    TooManyUnauthenticated,
    /// `max_connections_per_ip` open from this address.
    AddressFull,
    /// Over `connections_per_ip_per_sec`.
    TooFast,
}

/// A source address as limits see it: IPv4 addresses alone, IPv6 addresses by /64 (one
/// subscriber's network), IPv4-mapped IPv6 addresses as IPv4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct AddrKey(u128);

impl From<IpAddr> for AddrKey {
    fn from(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(v4) => AddrKey(u128::from(u32::from(v4))),
            IpAddr::V6(v6) => AddrKey((u128::from(v6) & !((1u128 << 64) - 1)) | 1),
        }
    }
}

/// A token bucket: `rate` tokens per second up to `burst`.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(burst: f64, now: Instant) -> Self {
        Bucket {
            tokens: burst,
            at: now,
        }
    }

    fn refill(&mut self, rate: f64, burst: f64, now: Instant) {
        let secs = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + secs * rate).min(burst);
        self.at = now;
    }

    fn take(&mut self, rate: f64, burst: f64, now: Instant) -> bool {
        self.refill(rate, burst, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn has(&mut self, rate: f64, burst: f64, now: Instant) -> bool {
        self.refill(rate, burst, now);
        self.tokens >= 1.0
    }
}

#[derive(Debug)]
struct Address {
    open: usize,
    connects: Bucket,
    failed_logins: Bucket,
}

#[derive(Default)]
struct Counts {
    open: usize,
    unauthenticated: usize,
    addresses: HashMap<AddrKey, Address>,
    refused: [u64; 4],
    logged_at: Option<Instant>,
}

/// The connection caps and per-address rates of one server.
pub(crate) struct Admission {
    max_connections: usize,
    max_unauthenticated: usize,
    max_per_ip: usize,
    connect_rate: f64,
    connect_burst: f64,
    fail_rate: f64,
    fail_burst: f64,
    counts: Mutex<Counts>,
}

/// An admitted connection's slot; dropping it gives the slot back.
pub(crate) struct Ticket {
    admission: Arc<Admission>,
    addr: AddrKey,
    logged_in: bool,
}

impl Admission {
    /// `max_connections` is the cap in force (see `limits::effective_max_connections`).
    pub(crate) fn new(limits: &Limits, max_connections: usize) -> Arc<Self> {
        let connect_rate = f64::from(limits.connections_per_ip_per_sec);
        let fail_burst = f64::from(limits.failed_logins_per_ip_per_min);
        Arc::new(Admission {
            max_connections,
            max_unauthenticated: limits.max_unauthenticated.min(max_connections),
            max_per_ip: limits.max_connections_per_ip,
            connect_rate,
            connect_burst: connect_rate * 2.0,
            fail_rate: fail_burst / 60.0,
            fail_burst,
            counts: Mutex::new(Counts::default()),
        })
    }

    /// Takes a connection from `ip`, or says why not.
    pub(crate) fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Ticket, Refused> {
        let now = Instant::now();
        let key = AddrKey::from(ip);
        let mut c = self.counts.lock();
        let verdict = self.check(&mut c, key, now);
        if let Err(why) = verdict {
            c.refused[why as usize] += 1;
            self.log_refusals(&mut c, now);
            return Err(why);
        }
        c.open += 1;
        c.unauthenticated += 1;
        Ok(Ticket {
            admission: self.clone(),
            addr: key,
            logged_in: false,
        })
    }

    fn check(&self, c: &mut Counts, key: AddrKey, now: Instant) -> Result<(), Refused> {
        if c.open >= self.max_connections {
            return Err(Refused::Full);
        }
        if c.unauthenticated >= self.max_unauthenticated {
            return Err(Refused::TooManyUnauthenticated);
        }
        if !c.addresses.contains_key(&key)
            && c.addresses.len() >= self.max_connections + SPARE_ADDRESSES
        {
            c.addresses.retain(|_, a| a.open > 0);
        }
        let a = c.addresses.entry(key).or_insert_with(|| Address {
            open: 0,
            connects: Bucket::full(self.connect_burst, now),
            failed_logins: Bucket::full(self.fail_burst, now),
        });
        if a.open >= self.max_per_ip {
            return Err(Refused::AddressFull);
        }
        if !a.connects.take(self.connect_rate, self.connect_burst, now) {
            return Err(Refused::TooFast);
        }
        a.open += 1;
        Ok(())
    }

    fn log_refusals(&self, c: &mut Counts, now: Instant) {
        if c.logged_at
            .is_some_and(|t| now.duration_since(t) < REFUSAL_LOG_EVERY)
        {
            return;
        }
        c.logged_at = Some(now);
        let [full, unauth, address, fast] = std::mem::take(&mut c.refused);
        tracing::warn!(
            open = c.open,
            unauthenticated = c.unauthenticated,
            refused_full = full,
            refused_unauthenticated = unauth,
            refused_per_address = address,
            refused_rate = fast,
            "refusing connections (counts since the last such line)"
        );
    }

    /// Whether `ticket`'s address may try a login now (its failed-login budget is left).
    pub(crate) fn login_allowed(&self, ticket: &Ticket) -> bool {
        let now = Instant::now();
        let mut c = self.counts.lock();
        c.addresses
            .get_mut(&ticket.addr)
            .is_none_or(|a| a.failed_logins.has(self.fail_rate, self.fail_burst, now))
    }

    /// Counts a refused login against `ticket`'s address.
    pub(crate) fn login_failed(&self, ticket: &Ticket) {
        let now = Instant::now();
        let mut c = self.counts.lock();
        if let Some(a) = c.addresses.get_mut(&ticket.addr) {
            a.failed_logins.take(self.fail_rate, self.fail_burst, now);
        }
    }

    /// The cap on open connections in force.
    pub(crate) fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// Open connections (logged in or not).
    pub(crate) fn open(&self) -> usize {
        self.counts.lock().open
    }

    fn release(&self, addr: AddrKey, logged_in: bool) {
        let now = Instant::now();
        let mut c = self.counts.lock();
        c.open -= 1;
        if !logged_in {
            c.unauthenticated -= 1;
        }
        let forget = match c.addresses.get_mut(&addr) {
            Some(a) => {
                a.open -= 1;
                // An address with nothing open and nothing spent is as good as new.
                a.connects
                    .refill(self.connect_rate, self.connect_burst, now);
                a.failed_logins.refill(self.fail_rate, self.fail_burst, now);
                a.open == 0
                    && a.connects.tokens >= self.connect_burst
                    && a.failed_logins.tokens >= self.fail_burst
            }
            None => false,
        };
        if forget {
            c.addresses.remove(&addr);
        }
    }
}

impl Ticket {
    /// The connection logged in: it no longer counts as unauthenticated.
    pub(crate) fn logged_in(&mut self) {
        if !self.logged_in {
            self.logged_in = true;
            self.admission.counts.lock().unauthenticated -= 1;
        }
    }

    pub(crate) fn admission(&self) -> &Admission {
        &self.admission
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.admission.release(self.addr, self.logged_in);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            max_connections_per_ip: 3,
            max_unauthenticated: 4,
            connections_per_ip_per_sec: 100,
            failed_logins_per_ip_per_min: 2,
            ..Limits::default()
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn caps_total_per_address_and_unauthenticated() {
        let a = Admission::new(&limits(), 5);
        let t: Vec<_> = (0..3).map(|_| a.admit(ip("10.0.0.1")).unwrap()).collect();
        assert_eq!(a.admit(ip("10.0.0.1")).err(), Some(Refused::AddressFull));
        let mut u = a.admit(ip("10.0.0.2")).unwrap();
        assert_eq!(
            a.admit(ip("10.0.0.3")).err(),
            Some(Refused::TooManyUnauthenticated)
        );
        u.logged_in();
        let _v = a.admit(ip("10.0.0.3")).unwrap();
        assert_eq!(a.admit(ip("10.0.0.4")).err(), Some(Refused::Full));
        drop(t);
        assert_eq!(a.open(), 2);
        drop(u);
        assert!(a.admit(ip("10.0.0.1")).is_ok());
    }

    #[test]
    fn ipv6_counts_by_64_and_mapped_v4_as_v4() {
        let a = Admission::new(&limits(), 100);
        let _t: Vec<_> = (1..=3)
            .map(|i| a.admit(ip(&format!("2001:db8:0:1::{i}"))).unwrap())
            .collect();
        assert_eq!(
            a.admit(ip("2001:db8:0:1:ffff::9")).err(),
            Some(Refused::AddressFull)
        );
        assert!(a.admit(ip("2001:db8:0:2::1")).is_ok());
        assert_eq!(
            AddrKey::from(ip("::ffff:10.0.0.1")),
            AddrKey::from(ip("10.0.0.1"))
        );
    }

    #[test]
    fn connection_rate_and_failed_logins_per_address() {
        let l = Limits {
            connections_per_ip_per_sec: 2,
            ..limits()
        };
        let a = Admission::new(&l, 100);
        // Burst of twice the rate, then refused until tokens come back.
        for _ in 0..4 {
            drop(a.admit(ip("10.0.0.9")).unwrap());
        }
        assert_eq!(a.admit(ip("10.0.0.9")).err(), Some(Refused::TooFast));
        assert!(
            a.admit(ip("10.0.0.10")).is_ok(),
            "other addresses unaffected"
        );

        let a = Admission::new(&limits(), 100);
        let t = a.admit(ip("10.0.0.5")).unwrap();
        assert!(a.login_allowed(&t));
        a.login_failed(&t);
        a.login_failed(&t);
        assert!(!a.login_allowed(&t), "two failures per minute spent");
        let other = a.admit(ip("10.0.0.6")).unwrap();
        assert!(a.login_allowed(&other));
    }
}
