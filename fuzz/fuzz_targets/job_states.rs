#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| seedance_fuzz_checks::check_job_states(data));
