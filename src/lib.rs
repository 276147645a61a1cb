//! newsls: a language server for news articles.
//!
//! Data flows one way: text → [`text`] (rope, positions) → [`article`] (the model,
//! re-parsed incrementally) → [`features`] and [`rules`] (outline, folding, diagnostics,
//! fixes) → [`server`], the only module that knows about LSP, JSON-RPC or tokio.
//! [`config`] is the one configuration struct; [`cli`] is `newsls outline` / `check`.

pub mod article;
pub mod cli;
pub mod config;
pub mod entities;
pub mod features;
pub mod rules;
pub mod server;
pub mod text;
