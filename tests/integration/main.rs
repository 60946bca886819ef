//! Integration tests, through the public API only, built as one binary.

mod examples;
mod invariants;
mod parallel;
mod read;
mod report;
