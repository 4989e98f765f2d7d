#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| seedance_fuzz_checks::check_intake(data));
