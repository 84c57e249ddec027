//! One module per `ccip` command.

pub(crate) mod behave;
pub(crate) mod bench_up;
pub(crate) mod chain;
pub(crate) mod curse;
pub(crate) mod deploy;
pub(crate) mod gas;
pub(crate) mod lane;
pub(crate) mod manual_exec;
pub(crate) mod rpc;
pub(crate) mod run;
pub(crate) mod send;
pub(crate) mod status;
pub(crate) mod time;
pub(crate) mod up;
