//! Batches: reading every kind of source (files in any encoding Excel writes, folders, lists of images, the
//! form) with every kind of bad input reported where it is, and planning items × takes into jobs with one
//! total; and running a batch through the job queue.

mod bad_files;
mod files;
mod folders;
mod links;
mod plans;
pub mod run;
mod scale;
