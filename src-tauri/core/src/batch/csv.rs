//! A strict, small CSV reader that says where a file is broken. RFC 4180 as Excel writes it: cells split by
//! one separator, a cell in double quotes may hold separators and line breaks, a quote inside a quoted
//! cell is written twice. The separator is `,`, `;` (Excel where the decimal mark is a comma) or a tab
//! (Excel's "Unicode text"): whichever occurs most often outside quotes on the header line, `,` on a tie,
//! or the one an Excel `sep=;` first line names.
//!
//! A general CSV library would read every file somehow (an unclosed quote silently swallows the rest of the
//! file into one cell); here a broken line is reported with its line and character and left out, and the
//! lines around it are still read. A quote inside an unquoted cell (`a "big" cat`) is kept as text, as
//! Excel does.

use super::BatchIssue;

/// One record: the physical line it starts on (1-based) and its cells.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Record {
    pub line: u32,
    pub cells: Vec<String>,
}

/// A line left out, and why.
#[derive(Debug, PartialEq)]
pub(crate) struct Fault {
    pub line: u32,
    pub issue: BatchIssue,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a cell.
    Start,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: the cell's end, or the first half of `""`.
    QuoteInQuoted,
}

/// Splits `text` into records. Blank lines give no record.
pub(crate) fn read(text: &str) -> (Vec<Record>, Vec<Fault>) {
    let (separator, text, first_line) = match sep_line(text) {
        Some((separator, rest)) => (separator, rest, 2),
        None => (detect(text), text, 1),
    };
    let mut reader = Reader {
        separator,
        records: Vec::new(),
        faults: Vec::new(),
        cells: Vec::new(),
        cell: String::new(),
        record_line: first_line,
        fault: None,
    };
    reader.run(text, first_line);
    (reader.records, reader.faults)
}

/// Excel's `sep=;` first line: the separator it names, and the text after that line.
fn sep_line(text: &str) -> Option<(char, &str)> {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let first = first.strip_suffix('\r').unwrap_or(first);
    let mut chars = first.strip_prefix("sep=")?.chars();
    let separator = chars.next()?;
    chars.next().is_none().then_some((separator, rest))
}

/// The separator of the first record: the candidate seen most often outside quotes.
fn detect(text: &str) -> char {
    const CANDIDATES: [char; 3] = [',', ';', '\t'];
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|s| *s == c) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

struct Reader {
    separator: char,
    records: Vec<Record>,
    faults: Vec<Fault>,
    cells: Vec<String>,
    cell: String,
    record_line: u32,
    /// The first fault of the record being read (its physical line and what): the record is left out.
    fault: Option<(u32, BatchIssue)>,
}

impl Reader {
    fn run(&mut self, text: &str, first_line: u32) {
        let mut state = State::Start;
        let mut line = first_line;
        // 1-based character of the line, and where the open quote of a quoted cell was.
        let mut char_at: u32 = 0;
        let mut quote_from = (line, 0u32);
        let mut chars = text.chars().peekable();
        while let Some(mut c) = chars.next() {
            char_at += 1;
            if c == '\r' {
                // CRLF and a lone CR both end a line.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                c = '\n';
            }
            let newline = c == '\n';
            state = match state {
                State::Start | State::Unquoted if c == self.separator => {
                    self.end_cell();
                    State::Start
                }
                State::Start | State::Unquoted if newline => {
                    self.end_record(line + 1);
                    State::Start
                }
                State::Start if c == '"' => {
                    quote_from = (line, char_at);
                    State::Quoted
                }
                State::Start | State::Unquoted => {
                    self.cell.push(c);
                    State::Unquoted
                }
                State::Quoted if c == '"' => State::QuoteInQuoted,
                State::Quoted => {
                    self.cell.push(c);
                    State::Quoted
                }
                State::QuoteInQuoted if c == '"' => {
                    self.cell.push('"');
                    State::Quoted
                }
                State::QuoteInQuoted if c == self.separator => {
                    self.end_cell();
                    State::Start
                }
                State::QuoteInQuoted if newline => {
                    self.end_record(line + 1);
                    State::Start
                }
                State::QuoteInQuoted => {
                    self.fault
                        .get_or_insert((line, BatchIssue::CsvTextAfterQuote { char: char_at }));
                    self.cell.push(c);
                    State::Unquoted
                }
            };
            if newline {
                line += 1;
                char_at = 0;
            }
        }
        if state == State::Quoted {
            // Everything from the quote on would be one cell: reported where the quote opened.
            let (at_line, at_char) = quote_from;
            self.faults.push(Fault {
                line: at_line,
                issue: BatchIssue::CsvUnclosedQuote { char: at_char },
            });
            return;
        }
        if state != State::Start || !self.cells.is_empty() || !self.cell.is_empty() {
            self.end_record(line);
        }
    }

    fn end_cell(&mut self) {
        self.cells.push(std::mem::take(&mut self.cell));
    }

    /// Ends the record and notes where the next one starts.
    fn end_record(&mut self, next_line: u32) {
        self.end_cell();
        let cells = std::mem::take(&mut self.cells);
        let line = std::mem::replace(&mut self.record_line, next_line);
        if let Some((line, issue)) = self.fault.take() {
            self.faults.push(Fault { line, issue });
        } else if !cells.iter().all(|c| c.trim().is_empty()) {
            self.records.push(Record { line, cells });
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn cells(text: &str) -> Vec<(u32, Vec<&'static str>)> {
        let (records, faults) = read(text);
        assert!(faults.is_empty(), "{faults:?}");
        records
            .into_iter()
            .map(|r| {
                let leaked: Vec<&'static str> = r
                    .cells
                    .into_iter()
                    .map(|c| &*Box::leak(c.into_boxed_str()))
                    .collect();
                (r.line, leaked)
            })
            .collect()
    }

    #[test]
    fn quoted_cells_hold_separators_quotes_and_line_breaks() {
        let got = cells(
            "first,prompt\r\na.jpg,\"A cat, \"\"slowly\"\"\r\nturns\"\r\n\r\nb.jpg,a \"big\" dog\n",
        );
        assert_eq!(
            got,
            vec![
                (1, vec!["first", "prompt"]),
                (2, vec!["a.jpg", "A cat, \"slowly\"\nturns"]),
                (5, vec!["b.jpg", "a \"big\" dog"]),
            ]
        );
    }

    #[test]
    fn the_separator_is_found_on_the_header_line() {
        assert_eq!(cells("first;prompt\na,b;c\n")[1].1, vec!["a,b", "c"]);
        assert_eq!(cells("first\tprompt\na,b\tc;d")[1].1, vec!["a,b", "c;d"]);
        assert_eq!(cells("\"x;y\",prompt\na,b")[1].1, vec!["a", "b"]);
        assert_eq!(cells("prompt\nhello; world")[1].1, vec!["hello; world"]);
        let sep = cells("sep=;\nfirst,x;prompt\na,b;c\n");
        assert_eq!(
            sep,
            vec![(2, vec!["first,x", "prompt"]), (3, vec!["a,b", "c"])]
        );
    }

    #[test]
    fn broken_lines_are_reported_where_they_break_and_the_others_are_kept() {
        let (records, faults) =
            read("first,prompt\na.jpg,\"ok\"x\nb.jpg,fine\nc.jpg,\"never closed\nd.jpg,lost\n");
        assert_eq!(
            records.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![1, 3]
        );
        assert_eq!(
            faults,
            vec![
                Fault {
                    line: 2,
                    issue: BatchIssue::CsvTextAfterQuote { char: 11 }
                },
                Fault {
                    line: 4,
                    issue: BatchIssue::CsvUnclosedQuote { char: 7 }
                },
            ]
        );
    }

    /// A cell as Excel writes it: quoted (quotes doubled) when it holds a separator, quote or line break.
    fn excel_cell(cell: &str, separator: char) -> String {
        if cell.contains([separator, '"', '\n']) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell.to_owned()
        }
    }

    proptest::proptest! {
        #[test]
        fn whatever_excel_writes_reads_back_cell_for_cell(
            separator in proptest::sample::select(vec![',', ';', '\t']),
            crlf in proptest::bool::ANY,
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-z猫 ,;\t\"\n]{0,12}", 3),
                1..20,
            ),
        ) {
            let newline = if crlf { "\r\n" } else { "\n" };
            let sep = separator.to_string();
            let mut text = ["first", "prompt", "c"].join(&sep) + newline;
            // A row of blank cells is skipped by design; a leading letter keeps every row.
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|mut r| {
                    r[0].insert(0, 'x');
                    r
                })
                .collect();
            for row in &rows {
                let cells: Vec<String> = row.iter().map(|c| excel_cell(c, separator)).collect();
                text += &cells.join(&sep);
                text += newline;
            }
            let (records, faults) = read(&text);
            proptest::prop_assert!(faults.is_empty(), "{:?}", faults);
            let read_rows: Vec<Vec<String>> = records.into_iter().skip(1).map(|r| r.cells).collect();
            proptest::prop_assert_eq!(read_rows, rows);
        }

        #[test]
        fn any_text_is_read_without_panic_and_lines_stay_in_the_file(text in "[a-z,;\t\"\r\n ]{0,80}") {
            let (records, faults) = read(&text);
            let lines = u32::try_from(text.split('\n').count() + text.matches('\r').count()).unwrap();
            for line in records.iter().map(|r| r.line).chain(faults.iter().map(|f| f.line)) {
                proptest::prop_assert!(line >= 1 && line <= lines, "{} of {}", line, lines);
            }
        }
    }

    #[test]
    fn the_last_line_needs_no_line_break_and_blank_lines_are_skipped() {
        assert_eq!(
            cells("prompt\n\n  \n,,\nlast"),
            vec![(1, vec!["prompt"]), (5, vec!["last"])]
        );
    }
}
