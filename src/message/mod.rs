//! The API's document model: field paths, the schema of every field, and the validator.
//!
//! This layer knows nothing of the terminal, the network or async: it is plain functions
//! over `serde_json::Value`, so the forms, the sandbox and the command line share it.

pub mod edit;
pub mod gsm;
pub mod path;
pub mod report;
pub mod samples;
pub mod schema;
pub mod uri;
pub mod validate;
pub mod value;

pub use path::{FieldPath, Segment};
pub use report::{Issue, Report, Severity};
pub use schema::{ChoiceType, Field, Kind, MessageType, Required};
pub use validate::{revalidate_field, validate, validate_at};
