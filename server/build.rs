//! Turns on the PostgreSQL variants of the integration tests when `CANVASS_TEST_POSTGRES_URL` is
//! set at build time; without it they are reported as ignored ("skipped"), never as passed.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=CANVASS_TEST_POSTGRES_URL");
    if std::env::var_os("CANVASS_TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
