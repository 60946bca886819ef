//! A Ballista executor that runs `carrier_district` and `carrier_zone`.
//!
//! ```text
//! cargo run --release -p carrier-quota-ballista --example executor -- \
//!     --scheduler-host localhost --scheduler-port 50050 --port 50051 --grpc-port 50052
//! ```

use std::process::ExitCode;

use carrier_quota_cli::output::{exit, Failure, Outcome};
use std::sync::Arc;

use ballista_executor::executor_process::start_executor_process;
use clap::Parser;

/// Run a Ballista executor with carrier_district and carrier_zone.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Host of the scheduler to register with.
    #[arg(long, default_value = "localhost")]
    scheduler_host: String,
    /// Port of the scheduler.
    #[arg(long, default_value_t = 50050)]
    scheduler_port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind_host: String,
    /// Host name the scheduler and other executors reach this one by
    /// (by default the bind address).
    #[arg(long)]
    external_host: Option<String>,
    /// Port of the executor's Arrow Flight service (results and shuffles).
    #[arg(long, default_value_t = 50051)]
    port: u16,
    /// Port of the executor's gRPC service.
    #[arg(long, default_value_t = 50052)]
    grpc_port: u16,
    /// Tasks run at once (0: one per core).
    #[arg(long, default_value_t = 0)]
    concurrent_tasks: usize,
    #[command(flatten)]
    regions: carrier_quota_cli::inputs::RegionFlags,
}

#[tokio::main]
async fn main() -> ExitCode {
    exit(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<Outcome, Failure> {
    let atlas = args.regions.shared_atlas()?;
    let mut config = carrier_quota_ballista::executor_config(atlas);
    config.scheduler_host = args.scheduler_host;
    config.scheduler_port = args.scheduler_port;
    config.bind_host = args.bind_host;
    config.external_host = args.external_host;
    config.port = args.port;
    config.grpc_port = args.grpc_port;
    config.vcores = args.concurrent_tasks;
    eprintln!(
        "executor on {}:{}, registering with {}:{}",
        config.bind_host, config.port, config.scheduler_host, config.scheduler_port
    );
    start_executor_process(Arc::new(config))
        .await
        .map_err(|e| e.to_string())?;
    Ok(Outcome::Done)
}
