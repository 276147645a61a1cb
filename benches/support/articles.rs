//! Generated articles of a given size for the benchmarks: realistic sections of Arabic
//! and English news prose, lists and tables, repeated with varying numbers.

#![allow(dead_code)]

pub fn markdown(bytes: usize) -> String {
    let mut out = String::from(
        "---\ntitle: \"Benchmark article\"\nauthor: Desk\n---\n\n# Benchmark article\n\n",
    );
    let mut i = 0;
    while out.len() < bytes {
        i += 1;
        out.push_str(&format!(
            "## Section {i}: talks in Anchorage\n\n\
             ANCHORAGE, Alaska (Reuters) — President Vladimir Putin and President Donald Trump met for {i} hours on Friday, \
             officials said, in talks that both sides described as constructive but that produced no agreement on Ukraine.\n\n\
             قال الرئيس الروسي فلاديمير بوتين إن القمة في ألاسكا كانت مفيدة، وأكد أن الحوار مع واشنطن سيستمر في الأسابيع المقبلة.\n\n\
             - a ceasefire proposal, round {i}\n- an exchange of prisoners\n- talks on sanctions | to be continued\n\n\
             | Delegation | Members | Hours |\n|---|:---:|---:|\n| Russia | {a} | {i} |\n| United States | {b} | {i} |\n\n\
             > \"We will meet again,\" Trump said.\n\n",
            a = i % 7 + 3,
            b = i % 5 + 4,
        ));
    }
    out
}

pub fn plaintext(bytes: usize) -> String {
    let mut out = String::from("تنويه رسمي.. بوتين يطلع القيادة الروسية على نتائج قمة ألاسكا\n\n");
    let mut i = 0;
    while out.len() < bytes {
        i += 1;
        out.push_str(&format!(
            "قمة ألاسكا والجولة رقم {i} من المحادثات\n\n\
             قال الرئيس الروسي فلاديمير بوتين إن القمة في ألاسكا كانت مفيدة، وأكد أن الحوار مع واشنطن سيستمر في الأسابيع المقبلة، \
             مشيرًا إلى أن المباحثات استمرت {i} ساعات وتناولت الأزمة الأوكرانية والعلاقات الثنائية.\n\n\
             Talks round {i} in Anchorage\n\n\
             President Vladimir Putin and President Donald Trump met for {i} hours on Friday, officials said, in talks that both \
             sides described as constructive but that produced no agreement on Ukraine. The key points were:\n\n\
             \x20 • a ceasefire proposal\n  • an exchange of prisoners\n  • talks on sanctions\n\
             Delegation\tMembers\tHours\nRussia\t{a}\t{i}\nUnited States\t{b}\t{i}\n\n",
            a = i % 7 + 3,
            b = i % 5 + 4,
        ));
    }
    out
}

/// Offset of a spot in the middle of a body paragraph, for keystrokes.
pub fn middle_of_a_paragraph(text: &str) -> usize {
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid += 1;
    }
    text[mid..]
        .find("constructive")
        .expect("a paragraph after the middle")
        + mid
}
