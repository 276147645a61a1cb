//! newsls: a language server for news articles.
//!
//! Data flows one way: text → [`text`] (rope, positions) → [`article`] (the model,
//! re-parsed incrementally) → [`features`] and [`rules`] (outline, folding, diagnostics,
//! fixes) → [`server`], the only module that knows about LSP, JSON or tokio.

pub mod article;
pub mod text;
