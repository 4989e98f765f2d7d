//! One generation run (check, upload, create, poll, download) against the simulator.

mod failures;
mod frame_changed;
mod runs;
