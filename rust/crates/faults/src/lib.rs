//! Faults on purpose. [`FaultProxy`] sits between the off-chain networks and one chain's RPC and
//! misbehaves as told ([`Fault`]): `ccip up` puts one in front of every chain it starts (the
//! `ccip rpc` command sets them), and the chaos suite drives them in tests.

mod proxy;

pub use proxy::{Fault, FaultProxy};
