//! HTML to plain text with html5ever (through `scraper`).

use scraper::{Html, Node};

/// Elements whose contents are never text a customer wrote.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template"];

/// Elements that separate words: block-level elements, table cells, list items and line
/// breaks. Inline elements (`b`, `span`, `a`) do not, so `fan<b>tas</b>tic` stays one word.
const SEPARATING: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "legend",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The text of an HTML fragment: tags removed, entities decoded, the contents of `script`,
/// `style`, `noscript` and `template` (and comments) left out, and a space between the words
/// of adjacent block-level elements and around `<br>`.
///
/// Text containing neither `<` nor `&` is returned as it is, without parsing. Whitespace inside
/// text is kept as written; collapse it afterwards if wanted.
///
/// ```
/// use restock_text::html_to_text;
/// assert_eq!(html_to_text("<p>Tom &amp; Jerry</p><p>fan<b>tas</b>tic</p>"), "Tom & Jerry fantastic");
/// assert_eq!(html_to_text("não é 😀"), "não é 😀");
/// ```
pub fn html_to_text(input: &str) -> String {
    if !input.contains(['<', '&']) {
        return input.to_owned();
    }
    let fragment = Html::parse_fragment(input);
    let mut out = String::with_capacity(input.len());
    // A space is owed between what came before and the next text (after a block boundary).
    let mut owed = false;
    // Depth-first, without recursion (deeply nested input must not overflow the stack):
    // `Some(node)` visits a node, `None` marks the end of a separating element.
    let mut stack = vec![Some(fragment.tree.root())];
    while let Some(step) = stack.pop() {
        let Some(node) = step else {
            owed = true;
            continue;
        };
        match node.value() {
            Node::Text(text) => push_text(&mut out, text, &mut owed),
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                if SEPARATING.contains(&name) {
                    owed = true;
                    stack.push(None);
                }
                stack.extend(node.children().rev().map(Some));
            }
            Node::Document | Node::Fragment => stack.extend(node.children().rev().map(Some)),
            Node::Doctype(_) | Node::Comment(_) | Node::ProcessingInstruction(_) => {}
        }
    }
    out
}

fn push_text(out: &mut String, text: &str, owed: &mut bool) {
    if text.is_empty() {
        return;
    }
    if *owed
        && !out.is_empty()
        && !out.ends_with(char::is_whitespace)
        && !text.starts_with(char::is_whitespace)
    {
        out.push(' ');
    }
    *owed = false;
    out.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_entities_are_decoded_and_code_is_left_out() {
        let input = "<p>&#39;Five stars&#39; &amp; fast shipping</p><style>p{color:red}</style>\
                     <script>x()</script> &lt;3";
        assert_eq!(html_to_text(input), "'Five stars' & fast shipping <3");
    }

    #[test]
    fn blocks_and_line_breaks_separate_words() {
        assert_eq!(html_to_text("a<br>b"), "a b");
        assert_eq!(html_to_text("a<br/>b"), "a b");
        assert_eq!(html_to_text("<div>one</div><div>two</div>"), "one two");
        assert_eq!(html_to_text("<div>one</div>two"), "one two");
        assert_eq!(html_to_text("<ul><li>one</li><li>two</li></ul>"), "one two");
        assert_eq!(
            html_to_text("<table><tr><td>a</td><td>b</td></tr></table>"),
            "a b"
        );
    }

    #[test]
    fn inline_elements_do_not_split_words() {
        assert_eq!(
            html_to_text("fan<b>tas</b>tic <a href='x'>link</a>"),
            "fantastic link"
        );
    }

    #[test]
    fn no_space_is_added_where_there_is_one() {
        assert_eq!(html_to_text("<p>a</p>\n<p>b</p>"), "a\nb");
        assert_eq!(html_to_text("<p>a</p>"), "a");
        assert_eq!(html_to_text("<br>a<br>"), "a");
    }

    #[test]
    fn noscript_template_and_comments_are_left_out() {
        assert_eq!(
            html_to_text("a<noscript>enable JS</noscript><template><p>t</p></template><!-- c -->b"),
            "ab"
        );
    }

    #[test]
    fn plain_text_is_not_parsed() {
        assert_eq!(
            html_to_text("Produto   chegou\n\nantes"),
            "Produto   chegou\n\nantes"
        );
        assert_eq!(html_to_text("很好 👍 não"), "很好 👍 não");
    }

    #[test]
    fn stray_ampersands_and_angle_brackets_survive() {
        assert_eq!(
            html_to_text("Tom & Jerry, AT&T, 3 < 5"),
            "Tom & Jerry, AT&T, 3 < 5"
        );
        assert_eq!(
            html_to_text("&nbsp;não &eacute; &#128077;"),
            "\u{a0}não é 👍"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let input = "<div>".repeat(5_000) + "deep" + &"</div>".repeat(5_000);
        assert_eq!(html_to_text(&input), "deep");
    }
}
