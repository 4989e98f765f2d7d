//! The job runner against the simulator: runs, failures, the money rules, several processes, a killed worker.

mod failures;
mod kill;
mod leases;
mod money;
mod quit_mid_create;
mod recipe;
mod runs;
mod send_hold;
mod shared_history;
mod spend_limits;
mod stalled_download;
mod stored_problem;
mod submit_once;
mod timeline;
mod two_processes;
mod unsent;
