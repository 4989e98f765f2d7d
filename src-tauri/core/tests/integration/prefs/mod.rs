//! The preferences file, its validation, and result file names.

mod file_names;
mod store;
mod validate;
