//! Notes, themes, the word cloud and voting results as screens show them. The projector's
//! [`Wall`] follows what the facilitator chose (newest, by question, by group, by theme, word
//! cloud, results, or one note or theme in focus) and sizes its notes by how many there are,
//! so 5 and 500 notes both fill the screen legibly. Text is always shown as text: a note
//! containing markup shows the markup.

use leptos::prelude::*;
use ordet_shared::notes::{Focus, Place, WallMode};
use ordet_shared::programme::StepKind;
use ordet_shared::state::{Note, State};
use ordet_shared::voting::{self, ItemResult};
use ordet_shared::words::word_cloud;
use ordet_shared::{Key, Lang, NoteId, ThemeId};
use uuid::Uuid;

use crate::i18n::I18n;
use crate::live::Live;
use crate::step_view::group_label;
use crate::widgets::{note_role_label, role_label};

/// Most words in a word cloud.
const CLOUD_WORDS: usize = 40;

/// Who a note is from, as shown under it: the group (for a group's note), or the role, with
/// the name when the writer's name was shown.
pub fn note_from(state: &State, note: &Note, i18n: I18n, lang: Lang) -> String {
    let group = || {
        let group = state.programme.group(note.step?, note.group?)?;
        Some(group_label(i18n, group))
    };
    let from = if note.for_group {
        group().unwrap_or_else(|| i18n.t(Key::NoGroupLabel))
    } else {
        note_role_label(state, note, lang)
    };
    match &note.name {
        Some(name) => format!("{name} · {from}"),
        None => from,
    }
}

/// The notes the wall shows: those on the wall, of the running step unless the facilitator
/// asked for the whole conference (or nothing runs), in the order written.
///
/// A clustering, voting or reports step writes no notes of its own (or few): it works on those
/// of the steps before it. "This step" would show it an empty wall (empty theme headings, a
/// blank word cloud, nothing beside the reporters) until the facilitator thought of ticking
/// "whole conference", so in those steps the wall always shows the whole conference. The
/// stored wall setting is left as chosen.
pub fn wall_notes(state: &State) -> Vec<&Note> {
    let step = state.programme.current;
    let works_on_earlier = state.programme.current_step().is_some_and(|s| {
        matches!(
            s.kind,
            StepKind::Clustering | StepKind::Voting | StepKind::Reports
        )
    });
    let whole = state.wall.whole_conference || works_on_earlier || step.is_none();
    state
        .notes_in_order()
        .into_iter()
        .filter(|n| n.place.is_visible())
        .filter(|n| whole || n.step == step)
        .collect()
}

/// The text of a theme or note that a vote offers.
pub fn item_label(state: &State, item: Uuid) -> String {
    state
        .theme(ThemeId(item))
        .map(|t| t.name.clone())
        .or_else(|| state.notes.get(&NoteId(item)).map(|n| n.text.clone()))
        .unwrap_or_default()
}

/// A size class for `count` notes, so few notes are large and many still fit.
fn density(count: usize) -> &'static str {
    match count {
        0..=8 => "wall-few",
        9..=30 => "wall-some",
        31..=90 => "wall-many",
        _ => "wall-lots",
    }
}

/// One sticky note: its text, who it is from, and how many similar notes were merged into it.
fn sticky(state: &State, note: &Note, i18n: I18n, lang: Lang) -> impl IntoView + use<> {
    let merged = state
        .notes
        .values()
        .filter(|n| n.place == Place::Merged { into: note.id })
        .count();
    let from = note_from(state, note, i18n, lang);
    let text = note.text.clone();
    view! {
        <li class="sticky">
            <p class="note-text" dir="auto">{text}</p>
            <p class="note-role">
                {from}
                {(merged > 0).then(|| format!(" · {}", i18n.fill(Key::MoreSimilar, &[("count", merged.to_string())])))}
            </p>
        </li>
    }
}

/// A titled section of notes.
fn section(title: String, notes: Vec<AnyView>) -> AnyView {
    view! {
        <section class="wall-section">
            <h3 class="wall-section-title">{title}</h3>
            <ul class="wall-notes">{notes}</ul>
        </section>
    }
    .into_any()
}

/// What one page of the wall is made of: notes, result rows, words of the cloud. A page
/// shows whole units only.
const PAGE_UNITS: &str = ".sticky, .result, .cloud-word, .focus-note, .focus-merged";

/// How long one page of the wall stays up before the next.
const PAGE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether the person at this screen asked their system for reduced motion.
fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Splits what is in `area` into pages that each fit it, and shows page `page` (modulo the
/// count); returns the number of pages.
///
/// The pages are measured, not guessed: the units before a page's start are hidden, the
/// layout is read back, and the first unit that reaches below the area starts the next
/// page. So whatever the fonts, the window, the note lengths or the mode, a page holds what
/// fits, and whole units only (a single unit taller than the area gets a page of its own,
/// cut off at the bottom). A titled section whose units are all on other pages is hidden
/// with them; its title shows again on every page that has its notes.
fn paginate(area: &web_sys::HtmlElement, page: usize) -> usize {
    use wasm_bindgen::JsCast;
    let Ok(list) = area.query_selector_all(PAGE_UNITS) else {
        return 1;
    };
    let units: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect();
    let sections: Vec<web_sys::Element> = area
        .query_selector_all(".wall-section")
        .ok()
        .map(|l| {
            (0..l.length())
                .filter_map(|i| l.item(i)?.dyn_into().ok())
                .collect()
        })
        .unwrap_or_default();
    let show = |range: std::ops::Range<usize>| {
        for (i, unit) in units.iter().enumerate() {
            unit.set_hidden(!range.contains(&i));
        }
        for section in &sections {
            let any = section
                .query_selector(":is(.sticky, .result):not([hidden])")
                .ok()
                .flatten()
                .is_some();
            let _ = section.toggle_attribute_with_force("hidden", !any);
        }
    };
    let n = units.len();
    // Offsets are from the area (it is the units' offset parent), so its client height is
    // the limit; one pixel of slack for rounding.
    let limit = f64::from(area.client_height()) + 1.0;
    let bottom = |u: &web_sys::HtmlElement| {
        let mut top = f64::from(u.offset_top());
        let mut parent = u.offset_parent();
        while let Some(p) = parent {
            if p.is_same_node(Some(area)) {
                break;
            }
            let Ok(p) = p.dyn_into::<web_sys::HtmlElement>() else {
                break;
            };
            top += f64::from(p.offset_top());
            parent = p.offset_parent();
        }
        top + f64::from(u.offset_height())
    };
    let mut starts = vec![0];
    while let Some(&start) = starts.last() {
        show(start..n);
        let Some(next) = (start..n).find(|&i| bottom(&units[i]) > limit) else {
            break;
        };
        let next = next.max(start + 1);
        if next >= n || starts.len() >= 100 {
            break;
        }
        starts.push(next);
    }
    let count = starts.len();
    let page = page % count;
    show(starts[page]..starts.get(page + 1).copied().unwrap_or(n));
    count
}

/// The projector's wall of notes, as the facilitator set it, in pages that fit the screen.
///
/// The projector lays itself out as a grid of the viewport's size: header and step (title,
/// question, clock) in rows sized by their content, the wall in a `minmax(0, 1fr)` row with
/// `overflow: hidden`, so the page never scrolls and the question and clock never move off
/// it. The wall then measures what fits in its row ([`paginate`]) rather than counting
/// items per mode: note lengths, window sizes and modes differ too much for a fixed count
/// to be both full and safe. Pages turn every [`PAGE_EVERY`] with "1/3" in large type; for
/// a viewer who asked for reduced motion, nothing moves: the first page stays, marked
/// "1/3 — more on the console".
#[component]
pub fn Wall(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let area = NodeRef::<leptos::html::Div>::new();
    let page = RwSignal::new(0usize);
    let pages = RwSignal::new(1usize);
    let resized = RwSignal::new(0u32);
    let still = reduced_motion();
    let on_resize = window_event_listener(leptos::ev::resize, move |_| {
        resized.update(|r| *r = r.wrapping_add(1));
    });
    on_cleanup(move || on_resize.remove());
    if !still
        && let Ok(turner) = set_interval_with_handle(
            move || {
                let count = pages.get_untracked();
                if count > 1 {
                    page.update(|p| *p = (*p + 1) % count);
                }
            },
            PAGE_EVERY,
        )
    {
        on_cleanup(move || turner.clear());
    }
    // After every change of what the wall shows, of the page or of the window: measure
    // once the browser has laid the change out. A new arrangement or step starts at its
    // first page.
    let shown_setting = StoredValue::new(None);
    Effect::new(move |_| {
        let setting = live
            .state
            .with(|s| s.as_ref().map(|s| (s.wall, s.programme.current)));
        resized.track();
        let mut wanted = page.get();
        if shown_setting.get_value() != Some(setting) {
            shown_setting.set_value(Some(setting));
            if wanted != 0 {
                wanted = 0;
                page.set(0);
            }
        }
        request_animation_frame(move || {
            let Some(el) = area.get_untracked() else {
                return;
            };
            let count = paginate(&el, wanted);
            if pages.get_untracked() != count {
                let shows_indicator = pages.get_untracked() > 1;
                pages.set(count);
                // The page indicator takes a line of the wall only when there are pages: when
                // it comes or goes, measure again in the room that is left.
                if shows_indicator != (count > 1) {
                    request_animation_frame(move || {
                        if let Some(el) = area.get_untracked() {
                            pages.set(paginate(&el, wanted));
                        }
                    });
                }
            }
        });
    });
    let indicator = move || {
        let count = pages.get();
        (count > 1).then(|| {
            let shown = page.get() % count + 1;
            let args = [("page", shown.to_string()), ("pages", count.to_string())];
            let text = if still {
                i18n.fill(Key::WallPageStill, &args)
            } else {
                i18n.fill(Key::WallPage, &args)
            };
            view! {
                <span class="visually-hidden">{i18n.fill(Key::WallPageLabel, &args)}</span>
                <span aria-hidden="true">{text}</span>
            }
        })
    };
    let paged = move || pages.get() > 1;
    view! {
        <div class="wall-area" node_ref=area>{move || wall_body(live, i18n)}</div>
        <p class="wall-page" class:paged=paged aria-live="off">{indicator}</p>
    }
}

/// The wall's content for the current setting, every unit shown (the paging hides some).
fn wall_body(live: Live, i18n: I18n) -> Option<AnyView> {
    {
        let lang = i18n.lang();
        live.state.with(|state| {
            let state = state.as_ref()?;
            let wall = state.wall;
            if let Some(focus) = wall.focus {
                return Some(focused(state, focus, i18n, lang));
            }
            let notes = wall_notes(state);
            let class = format!("wall-body {}", density(notes.len()));
            let body = match wall.mode {
                WallMode::Newest => {
                    let cards = notes
                        .iter()
                        .rev()
                        .map(|n| sticky(state, n, i18n, lang).into_any())
                        .collect_view();
                    view! { <ul class="wall-notes">{cards}</ul> }.into_any()
                }
                WallMode::ByQuestion => {
                    let questions = state
                        .programme
                        .current_step()
                        .map(|s| s.questions.clone())
                        .unwrap_or_default();
                    let mut sections: Vec<AnyView> = Vec::new();
                    for (i, question) in questions.iter().enumerate() {
                        let cards: Vec<AnyView> = notes
                            .iter()
                            .filter(|n| n.question == Some(i as u16))
                            .map(|n| sticky(state, n, i18n, lang).into_any())
                            .collect();
                        if !cards.is_empty() {
                            sections.push(section(question.clone(), cards));
                        }
                    }
                    let rest: Vec<AnyView> = notes
                        .iter()
                        .filter(|n| n.question.is_none_or(|q| usize::from(q) >= questions.len()))
                        .map(|n| sticky(state, n, i18n, lang).into_any())
                        .collect();
                    if !rest.is_empty() {
                        sections.push(section(i18n.t(Key::NoQuestionLabel), rest));
                    }
                    sections.into_view().into_any()
                }
                WallMode::ByGroup => {
                    let groups = state
                        .programme
                        .current
                        .and_then(|s| state.programme.groups.get(&s))
                        .cloned()
                        .unwrap_or_default();
                    let mut sections: Vec<AnyView> = Vec::new();
                    for group in &groups {
                        let cards: Vec<AnyView> = notes
                            .iter()
                            .filter(|n| n.group == Some(group.id))
                            .map(|n| sticky(state, n, i18n, lang).into_any())
                            .collect();
                        if !cards.is_empty() {
                            sections.push(section(group_label(i18n, group), cards));
                        }
                    }
                    let rest: Vec<AnyView> = notes
                        .iter()
                        .filter(|n| n.group.is_none_or(|g| !groups.iter().any(|x| x.id == g)))
                        .map(|n| sticky(state, n, i18n, lang).into_any())
                        .collect();
                    if !rest.is_empty() {
                        sections.push(section(i18n.t(Key::NoGroupLabel), rest));
                    }
                    sections.into_view().into_any()
                }
                WallMode::ByTheme => {
                    let mut sections: Vec<AnyView> = Vec::new();
                    for theme in &state.themes {
                        let cards: Vec<AnyView> = notes
                            .iter()
                            .filter(|n| n.place.theme() == Some(theme.id))
                            .map(|n| sticky(state, n, i18n, lang).into_any())
                            .collect();
                        // An empty heading tells the back of the hall nothing and takes room.
                        if !cards.is_empty() {
                            sections.push(section(theme.name.clone(), cards));
                        }
                    }
                    let rest: Vec<AnyView> = notes
                        .iter()
                        .filter(|n| n.place.theme().is_none())
                        .map(|n| sticky(state, n, i18n, lang).into_any())
                        .collect();
                    if !rest.is_empty() {
                        sections.push(section(i18n.t(Key::Unsorted), rest));
                    }
                    sections.into_view().into_any()
                }
                WallMode::WordCloud => cloud(&notes).into_any(),
                WallMode::Results => results_view(state, i18n, lang).into_any(),
            };
            Some(view! { <div class=class>{body}</div> }.into_any())
        })
    }
}

/// One note or one theme, large, for the plenary.
fn focused(state: &State, focus: Focus, i18n: I18n, lang: Lang) -> AnyView {
    match focus {
        Focus::Note { note } => {
            let Some(note) = state.notes.get(&note) else {
                return ().into_any();
            };
            let merged: Vec<String> = ordet_shared::notes::merged_into(state, note.id)
                .iter()
                .map(|n| n.text.clone())
                .collect();
            let from = note_from(state, note, i18n, lang);
            view! {
                <div class="wall-focus">
                    <p class="focus-note" dir="auto">{note.text.clone()}</p>
                    {merged.into_iter().map(|t| view! { <p class="focus-merged">{t}</p> }).collect_view()}
                    <p class="note-role">{from}</p>
                </div>
            }
            .into_any()
        }
        Focus::Theme { theme } => {
            let name = state
                .theme(theme)
                .map(|t| t.name.clone())
                .unwrap_or_default();
            let cards = wall_notes(state)
                .into_iter()
                .filter(|n| n.place.theme() == Some(theme))
                .map(|n| sticky(state, n, i18n, lang).into_any())
                .collect_view();
            view! {
                <div class="wall-focus">
                    <h3 class="focus-theme">{name}</h3>
                    <ul class="wall-notes wall-few">{cards}</ul>
                </div>
            }
            .into_any()
        }
    }
}

/// A word cloud: the most used words, larger the more notes use them. Sizes are classes
/// (no inline styles); each word also says its count to screen readers.
fn cloud(notes: &[&Note]) -> impl IntoView + use<> {
    let words = word_cloud(notes.iter().map(|n| n.text.as_str()), CLOUD_WORDS);
    let top = words.first().map_or(1, |w| w.count).max(1);
    let mut shuffled = words.clone();
    // Alphabetical, so the largest words are spread over the cloud rather than first.
    shuffled.sort_by(|a, b| a.word.cmp(&b.word));
    let items = shuffled
        .into_iter()
        .map(|w| {
            let size = (w.count * 5).div_ceil(top).clamp(1, 5);
            view! {
                <li class=format!("cloud-word cloud-{size}")>
                    {w.word}<span class="visually-hidden">{format!(" ({})", w.count)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="word-cloud">{items}</ul> }
}

/// "1 dot", "3 dots".
pub fn dots_text(i18n: I18n, dots: u32) -> String {
    if dots == 1 {
        i18n.t(Key::OneDot)
    } else {
        i18n.fill(Key::DotsOnItem, &[("dots", dots.to_string())])
    }
}

/// The ranked results as bars with numbers; near-ties share a place and say so. While
/// voting is open, or closed with results not yet revealed, a line saying when they come.
pub fn results_view(state: &State, i18n: I18n, lang: Lang) -> impl IntoView + use<> {
    let Some(voting) = state.voting.as_ref() else {
        return ().into_any();
    };
    // Totals come only once voting has closed (see `ordet_shared::voting`).
    let Some(results) = voting.results.as_ref() else {
        let wait = if voting.open {
            Key::ResultsAtClose
        } else {
            Key::ResultsHidden
        };
        // The ballot state: how many have voted so far, and when the results come.
        return view! {
            <div class="results">
                <p class="results-voters">{i18n.fill(Key::VotersCount, &[("count", voting.voters.to_string())])}</p>
                <p class="results-hidden">{i18n.t(wait)}</p>
            </div>
        }
        .into_any();
    };
    let results: Vec<ItemResult> = results
        .iter()
        .filter(|r| voting::item_is_live(state, r.item))
        .cloned()
        .collect();
    let ranks = voting::ranks(results.iter().map(|r| r.dots));
    let top = results.first().map_or(1, |r| r.dots).max(1);
    let rows = results
        .iter()
        .zip(&ranks)
        .map(|(result, rank)| {
            let shared = ranks.iter().filter(|r| *r == rank).count() > 1;
            let place = if shared {
                i18n.fill(Key::SharedRank, &[("rank", rank.to_string())])
            } else {
                i18n.fill(Key::RankLabel, &[("rank", rank.to_string())])
            };
            let share = (result.dots * 20).div_ceil(top);
            let by_role = result
                .by_role
                .iter()
                .map(|(role, dots)| format!("{} {dots}", role_label(state, Some(*role), lang)))
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <li class="result" class:tied=shared>
                    <p class="result-label"><span class="result-place">{place}</span>" "{item_label(state, result.item)}</p>
                    <p class="result-bar-row">
                        <span class=format!("result-bar bar-{share}") aria-hidden="true"></span>
                        <span class="result-dots">{dots_text(i18n, result.dots)}</span>
                    </p>
                    {(!by_role.is_empty()).then(|| view! { <p class="result-roles">{i18n.t(Key::ByRoleLabel)}": "{by_role}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="results">
            <p class="results-voters">{i18n.fill(Key::VotersCount, &[("count", voting.voters.to_string())])}</p>
            <ol class="results-list">{rows}</ol>
        </div>
    }
    .into_any()
}
