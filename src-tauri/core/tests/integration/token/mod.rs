//! Where the API token is kept and where it may go: the keychain, the environment, bound hosts, the token check.

mod check;
mod env;
mod hosts;
mod keychain;
