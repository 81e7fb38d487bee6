//! Reading instances and plans, and writing outputs safely.

pub mod instance;
pub mod locks;
pub mod output;
pub mod plan;
pub mod schema;
pub mod settings;
pub mod table;
pub mod text;

pub use instance::load_instance;
