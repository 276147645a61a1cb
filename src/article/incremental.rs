use super::*;
pub(super) fn edit(a: &mut Article, rope: &Rope, _old: Span, _new_len: usize) -> Reparsed {
    *a = Article::parse(rope, a.format);
    Reparsed { old: Span::new(0, 0), new: Span::new(0, 0), full: true }
}
