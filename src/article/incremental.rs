//! Re-parse only what an edit touched.
//!
//! The model is re-parsed from a *restart point* before the edit to a *sync point* after
//! it, and the blocks in between are spliced into the block list; blocks after the sync
//! point are only moved. Both points are block starts preceded by a blank line (or the
//! start of the body), where the parser's state is known to be fresh:
//!
//! - **Markdown**: a top-level block that starts after a blank line owes nothing to what
//!   precedes it (an open fence, HTML block or list would have swallowed it instead). The
//!   restart goes back at least one block before the edit (a setext underline or table
//!   delimiter changes the block above it); the sync point is the first old block start
//!   after the edit at which the new parse also starts a block. The region parsed grows
//!   until such a point is found or the document ends.
//! - **Plain text**: groups of lines between blank lines are the unit. A group's heading
//!   status depends on the group after it, and the headline on there being nothing before
//!   it, so the restart goes back two groups and the sync point must agree on whether any
//!   text precedes it.
//!
//! Front matter changes (or an edit in the first line when the document opens with a
//! fence) fall back to a full parse. `tests/incremental.rs` checks the result against a
//! fresh parse on random edit sequences.

use super::*;
use crate::text::Span;

pub(super) fn edit(a: &mut Article, rope: &Rope, old: Span, new_len: usize) -> Reparsed {
    let old_len = a.len;
    a.len = rope.len_bytes();
    let delta = new_len as isize - old.len() as isize;
    let full = || Reparsed {
        old: Span::new(0, old_len),
        new: Span::new(0, rope.len_bytes()),
        full: true,
    };
    if a.format == Format::Markdown {
        let touches_front_matter = match &a.front_matter {
            Some(fm) => old.start <= fm.span.end,
            None => starts_with_fence(rope),
        };
        if touches_front_matter {
            *a = Article::parse(rope, a.format);
            return full();
        }
    }
    let body_start = a.front_matter.as_ref().map_or(0, |f| f.span.end);
    let edit_end_new = old.start + new_len;
    match a.format {
        Format::Markdown => markdown(a, rope, old, delta, body_start, edit_end_new),
        Format::PlainText => plaintext(a, rope, old, delta, edit_end_new),
    }
}

fn starts_with_fence(rope: &Rope) -> bool {
    let first: String = rope.line(0).chars().take(8).collect();
    frontmatter::opener(&first).is_some()
}

/// Is the line before `offset` (a line start) blank, or is `offset` the start of the body?
fn after_blank_line(rope: &Rope, offset: usize, body_start: usize) -> bool {
    if offset <= body_start {
        return true;
    }
    if offset > rope.len_bytes() {
        return false;
    }
    let before = rope.byte(offset - 1);
    if before != b'\n' && before != b'\r' {
        return false;
    }
    let line = rope.byte_to_line(offset);
    if line == 0 {
        return true;
    }
    let prev = rope.line(line - 1);
    if rope.line_to_byte(line - 1) < body_start {
        return true;
    }
    prev.chars().all(char::is_whitespace)
}

/// The blocks before the one an edit at `at` starts in, nearest first.
fn blocks_before_edited(a: &Article, at: usize) -> impl Iterator<Item = Block> + '_ {
    let mut before = a.blocks.iter_before(at).peekable();
    if before.peek().is_some_and(|b| b.span.end >= at) {
        before.next();
    }
    before
}

/// Replaces every block from `restart` to the end of the document.
fn replace_to_end(
    a: &mut Article,
    rope: &Rope,
    restart: usize,
    new_blocks: Vec<Block>,
    delta: isize,
) -> Reparsed {
    let old_end = rope.len_bytes().wrapping_add_signed(-delta);
    a.blocks
        .splice(Span::new(restart, old_end + 1), new_blocks, delta);
    Reparsed {
        old: Span::new(restart, old_end),
        new: Span::new(restart, rope.len_bytes()),
        full: false,
    }
}

fn slice(rope: &Rope, start: usize, end: usize) -> String {
    rope.byte_slice(start..end).to_string()
}

fn markdown(
    a: &mut Article,
    rope: &Rope,
    old: Span,
    delta: isize,
    body_start: usize,
    edit_end_new: usize,
) -> Reparsed {
    // Restart: the block before the one the edit starts in, then back to a blank line.
    let before = blocks_before_edited(a, old.start);
    let mut restart = body_start;
    for b in before {
        restart = b.span.start;
        if after_blank_line(rope, b.span.start, body_start) {
            break;
        }
        restart = body_start;
    }

    let mut want = 4usize;
    loop {
        let candidates: Vec<usize> = a
            .blocks
            .iter_from(old.end)
            .map(|b| b.span.start)
            .filter(|&s| s >= old.end)
            .take(want)
            .collect();
        let reached_end = candidates.len() < want;
        let region_end = if reached_end {
            rope.len_bytes()
        } else {
            candidates[want - 1].wrapping_add_signed(delta)
        };
        let text = slice(rope, restart, region_end);
        let new_blocks = markdown::parse(&text, restart);
        for &c in candidates.iter().take(if reached_end {
            candidates.len()
        } else {
            want - 1
        }) {
            let p = c.wrapping_add_signed(delta);
            if p <= edit_end_new || !after_blank_line(rope, p, body_start) {
                continue;
            }
            if let Some(k) = new_blocks.iter().position(|b| b.span.start == p) {
                let mut new_blocks = new_blocks;
                new_blocks.truncate(k);
                a.blocks.splice(Span::new(restart, c), new_blocks, delta);
                return Reparsed {
                    old: Span::new(restart, c),
                    new: Span::new(restart, p),
                    full: false,
                };
            }
        }
        if reached_end {
            return replace_to_end(a, rope, restart, new_blocks, delta);
        }
        want *= 4;
    }
}

fn plaintext(
    a: &mut Article,
    rope: &Rope,
    old: Span,
    delta: isize,
    edit_end_new: usize,
) -> Reparsed {
    // Restart: the start of the group before the one holding the block before the edit.
    let before = blocks_before_edited(a, old.start);
    let mut restart = 0;
    let mut groups_left = 2;
    for b in before {
        restart = b.span.start;
        if after_blank_line(rope, b.span.start, 0) {
            groups_left -= 1;
            if groups_left == 0 {
                break;
            }
        }
    }
    if groups_left > 0 {
        restart = 0;
    }
    let seen_before = a.blocks.iter_before(restart).next().is_some();

    let mut from = old.end;
    loop {
        let next: Vec<Block> = a
            .blocks
            .iter_from(from)
            .filter(|b| b.span.start >= from)
            .take(8)
            .collect();
        if next.is_empty() {
            let text = slice(rope, restart, rope.len_bytes());
            let new_blocks = plaintext::parse(&text, restart, seen_before, None);
            return replace_to_end(a, rope, restart, new_blocks, delta);
        }
        for b in &next {
            let c = b.span.start;
            let p = c.wrapping_add_signed(delta);
            if p <= edit_end_new || !after_blank_line(rope, p, 0) {
                continue;
            }
            // The blank line must predate the edit too, or the group starting at `p`
            // used to continue an earlier group (and could not have been a heading).
            let line = rope.byte_to_line(p);
            if line == 0 || rope.line_to_byte(line - 1) <= edit_end_new {
                continue;
            }
            let text = slice(rope, restart, p);
            let line = rope.byte_to_line(p);
            let look_end = if line + 2 < rope.len_lines() {
                rope.line_to_byte(line + 2)
            } else {
                rope.len_bytes()
            };
            let lookahead = slice(rope, p, look_end);
            let new_blocks = plaintext::parse(&text, restart, seen_before, Some(&lookahead));
            let old_seen = a.blocks.iter_before(c).next().is_some();
            if old_seen != (seen_before || !new_blocks.is_empty()) {
                continue;
            }
            a.blocks.splice(Span::new(restart, c), new_blocks, delta);
            return Reparsed {
                old: Span::new(restart, c),
                new: Span::new(restart, p),
                full: false,
            };
        }
        from = next.last().unwrap().span.start + 1;
    }
}
