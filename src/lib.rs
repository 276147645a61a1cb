//! newsls: a language server for news articles.
//!
//! Data flows one way: text → [`text`] (rope, positions, edits) → [`article`] (the
//! model, re-parsed incrementally) → [`rules`] (diagnostics and their fixes) and
//! [`features`] (outline, folding, formatting) → [`analysis`] (the open documents, their
//! diagnostics per source, what an edit made stale) → [`server`], the only module that
//! knows about LSP, JSON-RPC or tokio. [`config`] is the one configuration struct, read
//! from disk through [`reading`] (inside the workspace, bounded); [`limits`] says how much
//! the server takes on; [`cli`] is `newsls outline` / `check` / `rules`.

pub mod analysis;
pub mod article;
pub mod cli;
pub mod config;
pub mod entities;
pub mod features;
pub mod limits;
pub mod reading;
pub mod rules;
pub mod server;
pub mod text;
