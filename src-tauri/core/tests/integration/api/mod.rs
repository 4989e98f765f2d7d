//! The SinanCode client against the simulator: creates, task queries, uploads, result downloads, redirects.

mod create;
mod download;
mod download_limits;
mod redirects;
mod tasks;
mod upload;
