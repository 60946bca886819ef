//! A Ballista scheduler whose sessions know `carrier_district` and
//! `carrier_zone`.
//!
//! ```text
//! cargo run --release -p carrier-quota-ballista --example scheduler -- --port 50050
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;

use carrier_quota_cli::output::{exit, Failure, Outcome};
use std::sync::Arc;

use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::scheduler_process::start_server;
use clap::Parser;

/// Run a Ballista scheduler with carrier_district and carrier_zone.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind_host: String,
    /// Host name executors and clients reach this scheduler by.
    #[arg(long, default_value = "localhost")]
    external_host: String,
    /// Port of the scheduler's gRPC service.
    #[arg(long, default_value_t = 50050)]
    port: u16,
    #[command(flatten)]
    regions: carrier_quota_cli::inputs::RegionFlags,
}

#[tokio::main]
async fn main() -> ExitCode {
    exit(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<Outcome, Failure> {
    let atlas = args.regions.shared_atlas()?;
    let mut config = carrier_quota_ballista::scheduler_config(atlas);
    config.bind_host = args.bind_host;
    config.external_host = args.external_host;
    config.bind_port = args.port;
    let address: SocketAddr = format!("{}:{}", config.bind_host, config.bind_port)
        .parse()
        .map_err(|e| format!("--bind-host: {e}"))?;
    let cluster = BallistaCluster::new_from_config(&config)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!("scheduler listening on {address}");
    start_server(cluster, address, Arc::new(config))
        .await
        .map_err(|e| e.to_string())?;
    Ok(Outcome::Done)
}
