//! The inline player's video source over real HTTP.

mod access;
mod memory;
mod ranges;
