//! Prompt measurements for the live counter under the prompt box.

use serde::{Deserialize, Serialize};

/// Hard limit of the create endpoint, in Unicode scalar values (not bytes).
pub const PROMPT_MAX_CHARS: usize = 2000;
/// The service recommends staying under this many words; longer prompts are allowed.
pub const PROMPT_ADVISED_WORDS: usize = 500;

/// The parameter flags the upstream model reads inside prompt text (long and short names). SinanCode does not
/// say whether it passes the prompt on unchanged; if it does, a flag can change the video and the bill.
const UPSTREAM_FLAGS: [(&str, &str); 11] = [
    ("resolution", "--resolution"),
    ("rs", "--resolution"),
    ("ratio", "--ratio"),
    ("rt", "--ratio"),
    ("duration", "--duration"),
    ("dur", "--duration"),
    ("seed", "--seed"),
    ("camerafixed", "--camerafixed"),
    ("cf", "--camerafixed"),
    ("watermark", "--watermark"),
    ("wm", "--watermark"),
];

/// What the prompt counter and the hints under the prompt show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PromptStats {
    pub chars: u32,
    pub words: u32,
    /// Past the hard limit: the request will be refused.
    pub over_limit: bool,
    /// Past the advised word count: only a hint.
    pub over_word_advice: bool,
    /// Most of the words are CJK characters, so hints speak of characters (字), not words.
    pub mostly_cjk: bool,
    /// Upstream parameter flags written in the prompt (e.g. `--duration`), each once, by their long name.
    /// Not refused: the user is warned that the bill may differ from the estimate.
    pub flags: Vec<String>,
}

/// Counts characters the way the service does, and words the way a reader would: each CJK character
/// is a word of its own (Chinese and Japanese do not separate words with spaces), everything else is
/// whitespace-separated runs.
pub fn prompt_stats(prompt: &str) -> PromptStats {
    let chars = prompt.chars().count();
    let words = count_words(prompt);
    let cjk = prompt.chars().filter(|c| is_cjk_word_char(*c)).count();
    PromptStats {
        chars: saturate(chars),
        words: saturate(words),
        over_limit: chars > PROMPT_MAX_CHARS,
        over_word_advice: words > PROMPT_ADVISED_WORDS,
        mostly_cjk: cjk * 2 > words,
        flags: upstream_flags(prompt),
    }
}

/// The upstream flags in `prompt`: `--name` (or an auto-corrected dash: `—name`, `——name`, `–name`,
/// full-width `－－name`) at the start or after a space, and not followed by more letters (`--durations` is no
/// flag).
pub fn upstream_flags(prompt: &str) -> Vec<String> {
    let lower = prompt.to_lowercase();
    let mut found: Vec<String> = Vec::new();
    for dash in ["--", "\u{2014}", "\u{2013}", "\u{FF0D}\u{FF0D}"] {
        for (at, _) in lower.match_indices(dash) {
            let before = lower[..at].chars().next_back();
            // A Chinese keyboard types "——" for "--": a dash right before is part of the flag.
            let separates = |c: char| {
                c.is_whitespace() || is_cjk_punctuation(c) || matches!(c, '\u{2014}' | '\u{2013}')
            };
            if before.is_some_and(|c| !separates(c)) {
                continue;
            }
            let rest = &lower[at + dash.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if let Some((_, long)) = UPSTREAM_FLAGS.iter().find(|(short, _)| *short == name) {
                if !found.iter().any(|f| f == long) {
                    found.push((*long).to_owned());
                }
            }
        }
    }
    found
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn count_words(text: &str) -> usize {
    let mut words = 0;
    // A run of non-CJK, non-space characters is a word once it holds a letter or digit, so stray
    // quotes and dashes ("你好", a - b) do not count.
    let mut run_has_word = false;
    for c in text.chars() {
        let ends_run = c.is_whitespace() || is_cjk_punctuation(c) || is_cjk_word_char(c);
        if ends_run {
            words += usize::from(std::mem::take(&mut run_has_word));
            words += usize::from(is_cjk_word_char(c));
        } else if c.is_alphanumeric() {
            run_has_word = true;
        }
    }
    words + usize::from(run_has_word)
}

/// Han ideographs and kana. Hangul is left out on purpose: Korean separates words with spaces.
fn is_cjk_word_char(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'   // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{20000}'..='\u{3134F}' // CJK extensions B..G
    )
}

/// Full-width punctuation such as ，。「」！ separates words but is not a word itself.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'     // CJK symbols and punctuation
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let stats = prompt_stats("一只猫");
        assert_eq!(stats.chars, 3);
        assert_eq!(stats.words, 3);
    }

    #[test]
    fn counts_latin_words_by_whitespace() {
        let stats = prompt_stats("  A cat walks,\tslowly\n across  ");
        assert_eq!(stats.words, 5);
        assert!(!stats.over_limit);
        assert!(!stats.over_word_advice);
    }

    #[test]
    fn mixed_text_counts_each_cjk_character_and_each_latin_run() {
        // "camera" "缓" "慢" "push" "in" — the full-width comma and 。 are separators only.
        assert_eq!(prompt_stats("camera缓慢，push in。").words, 5);
        assert_eq!(prompt_stats("她说：\"你好\" - then waves").words, 2 + 2 + 2);
        assert_eq!(prompt_stats("“你好”").words, 2);
    }

    #[test]
    fn limit_is_exactly_2000_characters() {
        let at_limit = "猫".repeat(2000);
        let over = "猫".repeat(2001);
        assert!(!prompt_stats(&at_limit).over_limit);
        assert_eq!(prompt_stats(&over).chars, 2001);
        assert!(prompt_stats(&over).over_limit);
    }

    #[test]
    fn word_advice_starts_after_500_words() {
        let five_hundred = "word ".repeat(500);
        let five_hundred_one = "word ".repeat(501);
        assert!(!prompt_stats(&five_hundred).over_word_advice);
        assert!(prompt_stats(&five_hundred_one).over_word_advice);
        assert!(prompt_stats(&"字".repeat(501)).over_word_advice);
        assert!(!prompt_stats(&"字".repeat(501)).over_limit);
    }

    #[test]
    fn empty_prompt_has_no_words() {
        assert_eq!(
            prompt_stats(" \n"),
            PromptStats {
                chars: 2,
                words: 0,
                over_limit: false,
                over_word_advice: false,
                mostly_cjk: false,
                flags: vec![],
            }
        );
    }

    #[test]
    fn chinese_prompts_are_counted_in_characters() {
        let long = "猫".repeat(2000);
        let stats = prompt_stats(&long);
        assert_eq!((stats.chars, stats.words), (2000, 2000));
        assert!(stats.mostly_cjk);
        assert!(prompt_stats("一只猫 walks slowly 在海边").mostly_cjk);
        assert!(!prompt_stats("A cat walks 慢").mostly_cjk);
    }

    #[test]
    fn upstream_flags_are_found_in_any_spelling() {
        assert_eq!(
            upstream_flags("A cat --duration 12 --rs 1080p"),
            vec!["--duration", "--resolution"]
        );
        assert_eq!(upstream_flags("--SEED 42"), vec!["--seed"]);
        assert_eq!(upstream_flags("猫在跑，--cf true"), vec!["--camerafixed"]);
        assert_eq!(upstream_flags("猫在跑 \u{2014}ratio 16:9"), vec!["--ratio"]);
        assert_eq!(upstream_flags("\u{FF0D}\u{FF0D}wm"), vec!["--watermark"]);
        assert_eq!(
            upstream_flags("镜头固定 \u{2014}\u{2014}seed 7"),
            vec!["--seed"]
        );
        assert_eq!(
            upstream_flags("--dur 5 and --duration 6"),
            vec!["--duration"]
        );
        assert_eq!(
            prompt_stats("slow pan --watermark").flags,
            vec!["--watermark"]
        );
    }

    #[test]
    fn ordinary_dashes_are_not_flags() {
        for prompt in [
            "a well--known place",
            "--durations of light",
            "-- a pause --",
            "x--seed",
            "she says \"--\" and waits",
            "--unknown 3",
        ] {
            assert!(upstream_flags(prompt).is_empty(), "{prompt}");
        }
    }
}
