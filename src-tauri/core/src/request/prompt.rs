//! Prompt measurements for the live counter under the prompt box.

use serde::{Deserialize, Serialize};

/// Hard limit of the create endpoint, in Unicode scalar values (not bytes).
pub const PROMPT_MAX_CHARS: usize = 2000;
/// The service recommends staying under this many words; longer prompts are allowed.
pub const PROMPT_ADVISED_WORDS: usize = 500;

/// What the prompt counter shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PromptStats {
    pub chars: u32,
    pub words: u32,
    /// Past the hard limit: the request will be refused.
    pub over_limit: bool,
    /// Past the advised word count: only a hint.
    pub over_word_advice: bool,
}

/// Counts characters the way the service does, and words the way a reader would: each CJK character
/// is a word of its own (Chinese and Japanese do not separate words with spaces), everything else is
/// whitespace-separated runs.
pub fn prompt_stats(prompt: &str) -> PromptStats {
    let chars = prompt.chars().count();
    let words = count_words(prompt);
    PromptStats {
        chars: saturate(chars),
        words: saturate(words),
        over_limit: chars > PROMPT_MAX_CHARS,
        over_word_advice: words > PROMPT_ADVISED_WORDS,
    }
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
                over_word_advice: false
            }
        );
    }
}
