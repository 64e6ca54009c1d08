//! What the input document says, in which order: the chapters a steering group needs to
//! write a plan (see DOMAIN.md, "What comes out"), built from an [`InputDocument`] as an
//! [`Outline`] that every layout format writes the same way.

use ordet_shared::Lang;
use ordet_shared::programme::StepKind;
use ordet_shared::voting::{VoteOn, ranks};
use ordet_shared::words::word_cloud;

use super::model::{InputDocument, Meeting, MeetingNote, RoleCount};
use super::outline::{Block, CloudWord, Outline, Span, Table};
use super::texts::{DocKey, long_date, minutes, number};

/// How many words the word cloud shows.
const CLOUD_WORDS: usize = 40;
/// How many priorities per meeting pre-fill the plan table.
const PLAN_ROWS_PER_MEETING: usize = 5;

/// The whole document.
pub fn outline(document: &InputDocument) -> Outline {
    let writer = Writer {
        lang: document.language,
        blocks: Vec::new(),
    };
    writer.write(document)
}

struct Writer {
    lang: Lang,
    blocks: Vec<Block>,
}

impl Writer {
    fn t(&self, key: DocKey) -> &'static str {
        key.text(self.lang)
    }

    fn fill(&self, key: DocKey, values: &[(&str, String)]) -> String {
        key.fill(self.lang, values)
    }

    fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading {
            level,
            text: text.into(),
        });
    }

    fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(vec![Span::plain(text)]));
    }

    /// A table whose header row is `header` in the document's language.
    fn table(&mut self, header: &[DocKey], rows: Vec<Vec<String>>, widths: &[u16]) {
        self.blocks.push(Block::Table(Table {
            header: header.iter().map(|k| self.t(*k).to_string()).collect(),
            rows,
            widths: widths.to_vec(),
        }));
    }

    fn write(mut self, document: &InputDocument) -> Outline {
        self.title_page(document);
        self.about(document);
        self.participation(document);
        self.method(document);
        self.inputs(document);
        self.priorities(document);
        self.cloud(document);
        self.floor(document);
        self.plan_table(document);
        self.appendix(document);
        Outline {
            lang: self.lang,
            title: document.title.clone(),
            blocks: self.blocks,
        }
    }

    fn title_page(&mut self, document: &InputDocument) {
        let mut lines = vec![self.t(DocKey::InputDocument).to_string()];
        let dates: Vec<_> = document.meetings.iter().map(|m| m.date).collect();
        if let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) {
            let (first, last) = (long_date(*first, self.lang), long_date(*last, self.lang));
            lines.push(if first == last {
                first
            } else {
                format!("{first} – {last}")
            });
        }
        if document.plan {
            lines.push(self.fill(
                DocKey::MeetingCount,
                &[("count", number(document.meetings.len() as u64, self.lang))],
            ));
            lines.extend(document.meetings.iter().map(|m| m.title.clone()));
        }
        lines.push(self.t(DocKey::MadeWith).to_string());
        self.blocks.push(Block::TitlePage {
            title: document.title.clone(),
            lines,
        });
    }

    fn about(&mut self, document: &InputDocument) {
        self.heading(1, self.t(DocKey::About));
        self.paragraph(self.t(DocKey::AboutText));
        let hidden: u64 = document
            .meetings
            .iter()
            .map(|m| u64::from(m.hidden_notes))
            .sum();
        if hidden > 0 {
            self.paragraph(self.fill(
                DocKey::HiddenLeftOut,
                &[("count", number(hidden, self.lang))],
            ));
        }
        self.heading(2, self.t(DocKey::UseHeading));
        self.paragraph(self.t(DocKey::UseText));
    }

    fn role_label(&self, role: &RoleCount) -> String {
        role.role
            .clone()
            .unwrap_or_else(|| self.t(DocKey::SmallRoles).to_string())
    }

    fn participation(&mut self, document: &InputDocument) {
        self.heading(1, self.t(DocKey::Participation));
        let rows = document
            .meetings
            .iter()
            .map(|m| {
                let by_role = m
                    .roles
                    .iter()
                    .map(|r| {
                        format!(
                            "{}: {}",
                            self.role_label(r),
                            number(r.count.into(), self.lang)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    m.title.clone(),
                    long_date(m.date, self.lang),
                    number(m.participants.into(), self.lang),
                    by_role,
                ]
            })
            .collect();
        self.table(
            &[
                DocKey::Meeting,
                DocKey::Date,
                DocKey::Participants,
                DocKey::ByRole,
            ],
            rows,
            &[3, 2, 2, 4],
        );
    }

    fn method(&mut self, document: &InputDocument) {
        self.heading(1, self.t(DocKey::Method));
        self.paragraph(self.t(DocKey::MethodText));
        for meeting in &document.meetings {
            self.heading(2, meeting_heading(meeting, self.lang));
            let items = meeting
                .steps
                .iter()
                .map(|step| {
                    let mut line = vec![
                        Span::strong(step.title.clone()),
                        Span::quiet(format!(" ({})", step.kind.key().text(self.lang))),
                    ];
                    for question in &step.questions {
                        line.push(Span::plain(format!("\n{}: ", self.t(DocKey::Question))));
                        line.push(Span::quote(question.clone()));
                    }
                    line
                })
                .collect();
            self.blocks.push(Block::Bullets(items));
        }
    }

    /// Facts shown after a note: group, role, "for the group", dots.
    fn note_facts(&self, note: &MeetingNote, with_group: bool) -> Option<String> {
        let mut facts = Vec::new();
        if with_group && let Some(group) = note.group {
            facts.push(self.fill(DocKey::Group, &[("number", group.to_string())]));
        }
        if let Some(role) = &note.role {
            facts.push(role.clone());
        }
        if note.for_group {
            facts.push(self.t(DocKey::ForGroup).to_string());
        }
        if let Some(votes) = note.votes {
            facts.push(self.fill(DocKey::Dots, &[("count", number(votes.into(), self.lang))]));
        }
        (!facts.is_empty()).then(|| facts.join(" · "))
    }

    fn note_item(&self, note: &MeetingNote, with_group: bool) -> Vec<Span> {
        let mut line = vec![Span::quote(note.text.clone())];
        if let Some(facts) = self.note_facts(note, with_group) {
            line.push(Span::quiet(format!(" — {facts}")));
        }
        for merged in &note.merged {
            line.push(Span::quiet(format!("\n{} ", self.t(DocKey::AlsoSaid))));
            line.push(Span::quote(merged.clone()));
        }
        line
    }

    fn inputs(&mut self, document: &InputDocument) {
        self.heading(1, self.t(DocKey::Inputs));
        for meeting in &document.meetings {
            self.heading(2, meeting_heading(meeting, self.lang));
            if meeting.notes.is_empty() {
                self.paragraph(self.t(DocKey::NoInputs));
                continue;
            }
            for (question, notes) in by_question(meeting) {
                let heading = question
                    .map(|(step, q)| question_heading(meeting, step, q))
                    .unwrap_or_else(|| self.t(DocKey::NoQuestion).to_string());
                self.heading(3, heading);
                self.themed_notes(meeting, &notes);
            }
        }
    }

    /// Notes under their themes (in the meeting's theme order), then those without a theme.
    fn themed_notes(&mut self, meeting: &Meeting, notes: &[&MeetingNote]) {
        let theme_dots = theme_dots(meeting);
        let mut themes: Vec<Option<usize>> = (0..meeting.themes.len()).map(Some).collect();
        themes.push(None);
        for theme in themes {
            let items: Vec<Vec<Span>> = notes
                .iter()
                .filter(|n| n.theme == theme)
                .map(|n| self.note_item(n, true))
                .collect();
            if items.is_empty() {
                continue;
            }
            let mut title = vec![Span::strong(match theme {
                Some(t) => meeting.themes[t].clone(),
                None => self.t(DocKey::NoTheme).to_string(),
            })];
            if let Some(dots) = theme.and_then(|t| theme_dots.get(t).copied().flatten()) {
                title.push(Span::quiet(format!(
                    " ({})",
                    self.fill(DocKey::Dots, &[("count", number(dots.into(), self.lang))])
                )));
            }
            self.blocks.push(Block::Paragraph(title));
            self.blocks.push(Block::Bullets(items));
        }
    }

    fn priorities(&mut self, document: &InputDocument) {
        self.heading(1, self.t(DocKey::Priorities));
        for meeting in &document.meetings {
            self.heading(2, meeting_heading(meeting, self.lang));
            let Some(priorities) = &meeting.priorities else {
                self.paragraph(self.t(DocKey::NoVote));
                continue;
            };
            let on = match priorities.on {
                VoteOn::Themes => DocKey::OnThemes,
                VoteOn::Notes => DocKey::OnNotes,
            };
            self.paragraph(self.fill(
                DocKey::VotingFacts,
                &[
                    ("on", self.t(on).to_string()),
                    ("voters", number(priorities.voters.into(), self.lang)),
                    ("budget", number(priorities.budget.into(), self.lang)),
                ],
            ));
            let ranks = item_ranks(meeting);
            let rows = priorities
                .items
                .iter()
                .zip(ranks)
                .map(|(item, rank)| {
                    vec![
                        rank.to_string(),
                        item.label.clone(),
                        number(item.dots.into(), self.lang),
                        item.by_role
                            .iter()
                            .map(|r| {
                                format!(
                                    "{}: {}",
                                    self.role_label(r),
                                    number(r.count.into(), self.lang)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                })
                .collect();
            let subject = match priorities.on {
                VoteOn::Themes => DocKey::Theme,
                VoteOn::Notes => DocKey::Text,
            };
            self.table(
                &[DocKey::Rank, subject, DocKey::DotsHeader, DocKey::ByRole],
                rows,
                &[1, 5, 1, 4],
            );
        }
    }

    fn cloud(&mut self, document: &InputDocument) {
        self.heading(1, self.t(DocKey::WordCloud));
        self.paragraph(self.t(DocKey::WordCloudText));
        let texts = document
            .meetings
            .iter()
            .flat_map(|m| &m.notes)
            .flat_map(|n| std::iter::once(&n.text).chain(&n.merged))
            .map(String::as_str);
        let cloud = word_cloud(texts, CLOUD_WORDS);
        let top = cloud.first().map_or(1, |w| w.count.max(1));
        let words = cloud
            .into_iter()
            .map(|w| CloudWord {
                size: (w.count * 5).div_ceil(top).clamp(1, 5) as u8,
                text: w.word,
                count: w.count,
            })
            .collect();
        self.blocks.push(Block::WordCloud(words));
    }

    fn floor(&mut self, document: &InputDocument) {
        self.heading(1, self.t(DocKey::Floor));
        self.paragraph(self.t(DocKey::FloorText));
        for meeting in &document.meetings {
            self.heading(2, meeting_heading(meeting, self.lang));
            if meeting.floor.is_empty() {
                self.paragraph(self.t(DocKey::NoRounds));
                continue;
            }
            let rows = meeting
                .floor
                .iter()
                .map(|row| {
                    vec![
                        row.role
                            .clone()
                            .unwrap_or_else(|| self.t(DocKey::SmallRoles).to_string()),
                        minutes(row.seconds, self.lang),
                        number(row.turns.into(), self.lang),
                        number(row.passes.into(), self.lang),
                    ]
                })
                .collect();
            self.table(
                &[
                    DocKey::Role,
                    DocKey::SpeakingTime,
                    DocKey::Turns,
                    DocKey::Passes,
                ],
                rows,
                &[3, 2, 1, 1],
            );
        }
    }

    fn plan_table(&mut self, document: &InputDocument) {
        self.blocks.push(Block::PageBreak);
        self.heading(1, self.t(DocKey::PlanTable));
        self.paragraph(self.t(DocKey::PlanTableText));
        let mut rows = Vec::new();
        for meeting in &document.meetings {
            let Some(priorities) = &meeting.priorities else {
                continue;
            };
            let ranks = item_ranks(meeting);
            for (item, rank) in priorities
                .items
                .iter()
                .zip(ranks)
                .take(PLAN_ROWS_PER_MEETING)
                .filter(|(item, _)| item.dots > 0)
            {
                let priority = match rank {
                    1..=2 => "A",
                    3..=4 => "B",
                    _ => "C",
                };
                rows.push(vec![
                    item.label.clone(),
                    String::new(),
                    String::new(),
                    priority.to_string(),
                    self.fill(
                        DocKey::FromMeeting,
                        &[
                            ("dots", number(item.dots.into(), self.lang)),
                            ("meeting", meeting.title.clone()),
                        ],
                    ),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        // Empty rows for the steering group's own goals.
        rows.extend(std::iter::repeat_n(vec![String::new(); 8], 3));
        self.table(
            &[
                DocKey::MainGoal,
                DocKey::SubGoal,
                DocKey::Measure,
                DocKey::Priority,
                DocKey::Comment,
                DocKey::Cost,
                DocKey::Responsible,
                DocKey::Year,
            ],
            rows,
            &[4, 3, 4, 3, 4, 3, 3, 2],
        );
    }

    fn appendix(&mut self, document: &InputDocument) {
        self.blocks.push(Block::PageBreak);
        self.heading(1, self.t(DocKey::Appendix));
        for meeting in &document.meetings {
            self.heading(2, meeting_heading(meeting, self.lang));
            let mut groups: Vec<Option<u32>> = meeting.notes.iter().map(|n| n.group).collect();
            groups.sort_by_key(|g| (g.is_none(), *g));
            groups.dedup();
            for group in groups {
                self.heading(
                    3,
                    match group {
                        Some(number) => self.fill(DocKey::Group, &[("number", number.to_string())]),
                        None => self.t(DocKey::NoGroup).to_string(),
                    },
                );
                let items = meeting
                    .notes
                    .iter()
                    .filter(|n| n.group == group)
                    .map(|n| self.note_item(n, false))
                    .collect();
                self.blocks.push(Block::Bullets(items));
            }
        }
    }
}

/// "Title, 23. november 2026".
fn meeting_heading(meeting: &Meeting, lang: Lang) -> String {
    format!("{}, {}", meeting.title, long_date(meeting.date, lang))
}

/// "Step title: the question" (the step's title alone when the question was left out).
fn question_heading(meeting: &Meeting, step: usize, question: Option<usize>) -> String {
    let step = &meeting.steps[step];
    match question.and_then(|q| step.questions.get(q)) {
        Some(q) if step.kind != StepKind::Plenary || !q.is_empty() => {
            format!("{}: {q}", step.title)
        }
        _ => step.title.clone(),
    }
}

/// A question as (step index, question index); no question index for the notes of a step
/// whose question was left out ([`Meeting::question_index`]).
type QuestionRef = (usize, Option<usize>);

/// The meeting's notes grouped by (step, question) in programme order, a step's notes with
/// their question left out after its questions; notes written outside any step come last,
/// under `None`.
fn by_question(meeting: &Meeting) -> Vec<(Option<QuestionRef>, Vec<&MeetingNote>)> {
    let key = |n: &MeetingNote| n.step.map(|s| (s, meeting.question_index(n)));
    let mut keys: Vec<Option<QuestionRef>> = meeting.notes.iter().map(key).collect();
    keys.sort_by_key(|k| (k.is_none(), k.map(|(s, q)| (s, q.is_none(), q))));
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            let notes = meeting.notes.iter().filter(|n| key(n) == k).collect();
            (k, notes)
        })
        .collect()
}

/// Dots per theme (by theme index), when the vote was on themes.
fn theme_dots(meeting: &Meeting) -> Vec<Option<u32>> {
    let mut dots = vec![None; meeting.themes.len()];
    if let Some(priorities) = &meeting.priorities {
        for item in &priorities.items {
            if let Some(slot) = item.theme.and_then(|t| dots.get_mut(t)) {
                *slot = Some(item.dots);
            }
        }
    }
    dots
}

/// The rank of each priority, with near-ties sharing a rank as on the projector.
fn item_ranks(meeting: &Meeting) -> Vec<usize> {
    meeting
        .priorities
        .as_ref()
        .map(|p| ranks(p.items.iter().map(|item| item.dots)))
        .unwrap_or_default()
}
