//! Integration tests, through the public API only, built as one binary.

mod examples;
mod invariants;
mod read;
mod report;
