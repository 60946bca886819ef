//! [`carrier_quota::sql`]'s functions (`carrier_district`, `carrier_zone`)
//! on a [Ballista](https://datafusion.apache.org/ballista/) cluster.
//!
//! A query that calls them is planned by the client, planned again by the
//! scheduler and run by the executors, and each must know the functions
//! (they travel by name): the client and the scheduler through their
//! session state ([`session_state`]), executors through their function
//! registry ([`function_registry`]). [`scheduler_config`] and
//! [`executor_config`] set both up; [`connect`] opens a client session. All
//! three must use the same atlas.
//!
//! The `scheduler`, `executor` and `query` examples of this crate are the
//! three processes; the README's "Beyond one machine" runs them.

use std::sync::Arc;

use ballista::prelude::SessionContextExt;
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_executor::executor_process::ExecutorProcessConfig;
use ballista_scheduler::config::SchedulerConfig;
use carrier_quota::{sql, Atlas};
use datafusion::error::Result;
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::{SessionConfig, SessionContext};

/// A session with DataFusion's functions and the atlas's.
pub fn session_state(config: SessionConfig, atlas: Arc<Atlas>) -> Result<SessionState> {
    let mut state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    // Registered one by one: the builder's `with_scalar_functions` would
    // replace the built-in functions.
    for function in sql::carrier_functions(atlas) {
        state.register_udf(Arc::new(function))?;
    }
    Ok(state)
}

/// An executor's function registry: DataFusion's functions and the atlas's.
pub fn function_registry(atlas: Arc<Atlas>) -> Arc<BallistaFunctionRegistry> {
    let mut registry = BallistaFunctionRegistry::default();
    for function in sql::carrier_functions(atlas) {
        registry
            .scalar_functions
            .insert(function.name().to_string(), Arc::new(function));
    }
    Arc::new(registry)
}

/// Ballista's default scheduler configuration, whose sessions know the
/// atlas's functions. Set its address fields before starting it.
pub fn scheduler_config(atlas: Arc<Atlas>) -> SchedulerConfig {
    SchedulerConfig {
        override_session_builder: Some(Arc::new(move |config| {
            session_state(config, atlas.clone())
        })),
        ..Default::default()
    }
}

/// Ballista's default executor configuration, with the atlas's functions.
/// Set its address and scheduler fields before starting it.
pub fn executor_config(atlas: Arc<Atlas>) -> ExecutorProcessConfig {
    ExecutorProcessConfig {
        override_function_registry: Some(function_registry(atlas)),
        ..Default::default()
    }
}

/// A client session on the scheduler at `url` (`df://host:port`), with the
/// atlas's functions.
pub async fn connect(url: &str, atlas: Arc<Atlas>) -> Result<SessionContext> {
    let ctx = SessionContext::remote(url).await?;
    // After connecting: the upgrade to a Ballista session replaces the
    // scalar functions with Ballista's list.
    sql::register_carrier_functions(&ctx, atlas);
    Ok(ctx)
}
