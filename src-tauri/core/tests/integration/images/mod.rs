//! Frame intake and fixes on generated images, and the frame path checks.

mod errors;
mod fixes;
mod frame_paths;
mod geometry;
mod intake;
