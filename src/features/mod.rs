//! Editor features computed from the article model: plain Rust types and byte offsets,
//! converted to the protocol by `server`.

pub mod folding;
pub mod names;
pub mod outline;
pub mod table_format;
