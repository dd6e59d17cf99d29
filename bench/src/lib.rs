//! Load benchmarks of v2tim (bench/README.md). Clients go through the C ABI; the server
//! runs as its own process with durable storage.

pub mod capi;
pub mod crowd;
pub mod load;
pub mod report;
pub mod server;
pub mod stats;
