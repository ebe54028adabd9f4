//! Abstracts arrive as HTML or text with personal details in them: turned into plain text,
//! with e-mail addresses and phone numbers removed.

/// Plain text from HTML-ish text: tags dropped (block tags become line breaks), entities
/// decoded, runs of blank lines collapsed.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            out.push_str(&rest[lt..]);
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            name.as_str(),
            "p" | "br"
                | "div"
                | "li"
                | "ul"
                | "ol"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "blockquote"
                | "tr"
        ) {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    let mut lines: Vec<&str> = Vec::new();
    for line in decoded.lines().map(str::trim) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    scrub(&lines.join("\n"))
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes e-mail addresses and phone numbers.
pub fn scrub(text: &str) -> String {
    let mut out = Vec::new();
    for line in text.split('\n') {
        let words: Vec<String> = line
            .split(' ')
            .map(|w| {
                let core = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '+');
                let is_email =
                    core.contains('@') && core.rsplit('@').next().is_some_and(|d| d.contains('.'));
                if is_email {
                    w.replacen(core, "[e-mail removed]", 1)
                } else {
                    w.to_string()
                }
            })
            .collect();
        out.push(remove_phones(&words.join(" ")));
    }
    out.join("\n")
}

/// A run of 8 or more digits (spaces, dashes, dots, brackets and a leading + allowed
/// between them) is a phone number.
fn remove_phones(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() && (chars[j].is_ascii_digit() || " -.()/+".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                }
                j += 1;
            }
            // The run ends at its last digit; what follows stays.
            while j > i && !chars[j - 1].is_ascii_digit() {
                j -= 1;
            }
            if digits >= 8 {
                out.push_str("[phone number removed]");
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            plain(
                "<p>Hello <b>world</b> &amp; friends</p><p>Second&nbsp;para &#39;x&#39; &lt;tag&gt;</p>"
            ),
            "Hello world & friends\n\nSecond para 'x' <tag>"
        );
        assert_eq!(plain("<script>alert(1)</script>x"), "alert(1)x");
    }

    #[test]
    fn personal_details_are_removed() {
        assert_eq!(
            scrub("Mail me: ada@example.org, or call +45 12 34 56 78."),
            "Mail me: [e-mail removed], or call [phone number removed]."
        );
        assert_eq!(
            scrub("In 2020 we had 300 talks at 9:30."),
            "In 2020 we had 300 talks at 9:30."
        );
    }
}
