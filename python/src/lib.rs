//! The `carrier_quota._native` extension module: the library's atlas,
//! readers, placement, plan check and reports for Python, with Arrow in
//! and out. The `carrier_quota` package wraps it in DataFrames; every call
//! that works on data lets other Python threads run meanwhile.

use pyo3::prelude::*;

mod atlas;
mod check;
mod errors;
mod placed;

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<atlas::Atlas>()?;
    m.add_class::<placed::Carriers>()?;
    m.add_class::<placed::Placed>()?;
    m.add_class::<check::Check>()?;
    m.add_function(wrap_pyfunction!(placed::read_carriers, m)?)?;
    m.add_function(wrap_pyfunction!(check::check, m)?)?;
    m.add_function(wrap_pyfunction!(check::split, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("LON_LAT_NAMES", carrier_quota::read::LON_LAT_NAMES.to_vec())?;
    Ok(())
}
