//! A byte stream that may deliver only so many bytes before its connection logs in.
//!
//! Until login, a connection is anyone's: whatever it sends is held by the server for
//! nothing. [`Metered`] fails the read that takes a connection past its pre-login budget
//! (`limits.prelogin_max_bytes`: the WebSocket handshake and a login frame fit many times
//! over), so a frame announced as 1 MiB and trickled in can hold at most the budget, not
//! the frame. Login lifts the budget.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Bytes a connection may still send; `usize::MAX` once lifted.
#[derive(Clone, Debug)]
pub(crate) struct Budget(Arc<AtomicUsize>);

impl Budget {
    pub(crate) fn new(bytes: usize) -> Self {
        Budget(Arc::new(AtomicUsize::new(bytes)))
    }

    /// No limit from now on (the connection logged in).
    pub(crate) fn lift(&self) {
        self.0.store(usize::MAX, Ordering::Relaxed);
    }
}

/// `S` with reads counted against a [`Budget`].
pub(crate) struct Metered<S> {
    inner: S,
    budget: Budget,
    limit: usize,
}

impl<S> Metered<S> {
    pub(crate) fn new(inner: S, budget: Budget) -> Self {
        let limit = budget.0.load(Ordering::Relaxed);
        Metered {
            inner,
            budget,
            limit,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Metered<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        let left = self.budget.0.load(Ordering::Relaxed);
        if left == usize::MAX || read == 0 {
            return polled;
        }
        if read > left {
            let limit = self.limit;
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("more than {limit} bytes before login"),
            )));
        }
        self.budget.0.fetch_sub(read, Ordering::Relaxed);
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Metered<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn reads_past_the_budget_fail_until_it_is_lifted() {
        let (mut client, server) = tokio::io::duplex(1024);
        let budget = Budget::new(10);
        let mut m = Metered::new(server, budget.clone());
        let mut buf = [0u8; 64];
        client.write_all(b"0123456789").await.unwrap();
        assert_eq!(m.read(&mut buf).await.unwrap(), 10);
        client.write_all(b"x").await.unwrap();
        let e = m.read(&mut buf).await.unwrap_err();
        assert!(e.to_string().contains("10 bytes before login"), "{e}");

        let (mut client, server) = tokio::io::duplex(1024);
        let budget = Budget::new(4);
        let mut m = Metered::new(server, budget.clone());
        budget.lift();
        client.write_all(&[7u8; 100]).await.unwrap();
        assert_eq!(m.read(&mut buf).await.unwrap(), 64);
    }
}
