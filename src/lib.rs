//! alisplan: plans the hospital service (sykehusår) and guidance groups of doctors in
//! general-practice specialist training (ALIS), by integer programming.
//!
//! The binary is a thin shell over this library: [`io`] reads instances and plans,
//! [`model`] holds the domain, [`travel`] the road and ferry network, [`verify`] re-checks
//! plans independently of the formulations, and [`cli`] has one module per subcommand.

// Links the COIN-OR CBC libraries built from source by `cbc-src`.
extern crate cbc_src;

pub mod analysis;
pub mod budget;
pub mod cli;
pub mod error;
pub mod generate;
pub mod groups;
pub mod i18n;
pub mod io;
pub mod model;
pub mod placement;
pub mod planning;
pub mod publish;
pub mod replan;
pub mod report;
pub mod review;
pub mod roster;
pub mod rules;
pub mod solver;
pub mod summary;
pub mod travel;
pub mod verify;

pub use error::{Error, Result};
pub use model::Instance;
