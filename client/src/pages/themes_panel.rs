//! The facilitator's clustering board: unsorted notes and one column per theme.
//!
//! Notes are dragged onto a theme with a mouse, or handled with the keyboard, touch and screen
//! readers through one "Actions" button per note and per theme. The button opens a menu that
//! is built only when it opens (no list of every other note on every card, which made the page
//! grow with the square of the notes); arrow keys move between cards and within a menu and
//! never act by themselves: only Enter or a click does (WCAG 3.2.2). Merging asks first, and
//! renaming a theme or fixing a typo happens in a dialog in the page, with focus moved in and
//! back out again.
//!
//! The board follows the conference through memos: one per column (which notes, in order) and
//! one per card (its text, writer and merged duplicates), with keyed lists, so an event
//! redraws the card it touched and not the board.
//!
//! Themes are created, renamed, merged and deleted here; the server's suggestion can be taken
//! in part or whole; notes are hidden, restored, merged and corrected; the projector wall is
//! chosen, and one note or theme can be shown large. The last actions can be undone: each
//! action remembers the commands that put things back.

use std::collections::HashMap;

use leptos::ev::{DragEvent, KeyboardEvent, SubmitEvent};
use leptos::prelude::*;
use ordet_shared::notes::{Focus, Place, Wall, WallMode};
use ordet_shared::state::State;
use ordet_shared::{Command, Key, NoteId, ThemeId};
use wasm_bindgen::JsCast;

use crate::i18n::I18n;
use crate::live::Live;
use crate::notes_view::note_from;

/// How many actions can be undone.
const UNDO_DEPTH: usize = 30;
/// How much of a note a menu item or a button's label quotes.
const QUOTE_CHARS: usize = 40;

/// Actions that can be undone, each as the commands that undo it.
#[derive(Clone, Copy)]
struct Undo(RwSignal<Vec<Vec<Command>>>);

impl Undo {
    /// Sends `commands` and remembers `inverse` to undo them.
    fn act(self, live: Live, commands: Vec<Command>, inverse: Vec<Command>) {
        for command in commands {
            live.send(command);
        }
        self.0.update(|stack| {
            stack.push(inverse);
            if stack.len() > UNDO_DEPTH {
                stack.remove(0);
            }
        });
    }

    fn undo(self, live: Live) {
        if let Some(inverse) = self.0.try_update(Vec::pop).flatten() {
            for command in inverse {
                live.send(command);
            }
        }
    }
}

fn read<T>(live: Live, default: T, f: impl FnOnce(&State) -> T) -> T {
    live.state.with(|s| s.as_ref().map(f)).unwrap_or(default)
}

/// Moves a note, remembering where it was.
fn place_note(live: Live, undo: Undo, note: NoteId, place: Place) {
    let before = live
        .state
        .with_untracked(|s| s.as_ref().and_then(|s| s.notes.get(&note).map(|n| n.place)));
    let Some(before) = before else { return };
    if before == place {
        return;
    }
    undo.act(
        live,
        vec![Command::PlaceNote { note, place }],
        vec![Command::PlaceNote {
            note,
            place: before,
        }],
    );
}

/// The commands that bring back `theme` with its notes, for undoing a delete or a merge.
fn restore_theme(state: &State, theme: ThemeId) -> Vec<Command> {
    let Some(found) = state.theme(theme) else {
        return vec![];
    };
    let mut commands = vec![Command::CreateTheme {
        theme,
        name: found.name.clone(),
    }];
    for note in state.notes.values() {
        if note.place.theme() == Some(theme) {
            commands.push(Command::PlaceNote {
                note: note.id,
                place: note.place,
            });
        }
    }
    commands
}

/// A drop target for notes dragged from the board: `theme` (or unsorted).
fn on_drop(live: Live, undo: Undo, theme: Option<ThemeId>) -> impl Fn(DragEvent) + Copy {
    move |ev: DragEvent| {
        ev.prevent_default();
        let dropped = ev
            .data_transfer()
            .and_then(|d| d.get_data("text/plain").ok())
            .and_then(|id| id.parse::<NoteId>().ok());
        if let Some(note) = dropped {
            place_note(live, undo, note, Place::Wall { theme });
        }
    }
}

/// The first characters of `text`, to quote it in a label.
fn quote(text: &str) -> String {
    let mut short: String = text.chars().take(QUOTE_CHARS).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// Whose menu is open on the board (at most one is).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum MenuFor {
    /// A note's.
    Note(NoteId),
    /// A theme's.
    Theme(ThemeId),
}

/// Which part of the open menu is shown.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum MenuPage {
    /// The actions.
    Main,
    /// Where to move the note.
    MoveTo,
    /// What to merge the note or theme with.
    MergeWith,
}

/// A question the board's dialog asks before acting.
#[derive(Clone, PartialEq, Debug)]
enum Ask {
    /// A theme's new name.
    RenameTheme { theme: ThemeId, old: String },
    /// A note's corrected text.
    FixTypo { note: NoteId, old: String },
    /// Whether to merge `note` into `into`.
    MergeNotes { note: NoteId, into: NoteId },
    /// Whether to merge theme `theme` into `into`.
    MergeThemes { theme: ThemeId, into: ThemeId },
}

/// The selector of a note's "Actions" button.
fn note_button(note: NoteId) -> String {
    format!(".note-actions[data-note='{note}']")
}

/// The selector of a theme's "Actions" button.
fn theme_button(theme: ThemeId) -> String {
    format!(".theme-actions[data-theme='{theme}']")
}

/// The selector of the button that opened `menu`.
fn opener(menu: MenuFor) -> String {
    match menu {
        MenuFor::Note(note) => note_button(note),
        MenuFor::Theme(theme) => theme_button(theme),
    }
}

/// Focuses the element matching `selector` once the page has drawn what is pending.
fn focus_soon(selector: String) {
    set_timeout(
        move || {
            if let Ok(Some(found)) = document().query_selector(&selector)
                && let Ok(found) = found.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = found.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Focuses `element` if it is (or holds) an "Actions" button; whether it did.
fn focus_actions(element: Option<web_sys::Element>) -> bool {
    let Some(element) = element else { return false };
    let button = if element
        .matches(".note-actions, .theme-actions")
        .unwrap_or(false)
    {
        Some(element)
    } else {
        element
            .query_selector(".theme-actions, .note-actions")
            .ok()
            .flatten()
    };
    match button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(button) => button.focus().is_ok(),
        None => false,
    }
}

/// Arrow keys on an "Actions" button move to the card above or below, or to the column on
/// either side. They only move focus: nothing is done until Enter.
fn walk_board(ev: KeyboardEvent) {
    if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
        return;
    }
    let Some(here) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let card = here.closest(".board-note").ok().flatten();
    let column = here.closest(".theme-column").ok().flatten();
    let target = match ev.key().as_str() {
        "ArrowDown" => match &card {
            Some(card) => card.next_element_sibling(),
            None => column.and_then(|c| c.query_selector(".board-note").ok().flatten()),
        },
        "ArrowUp" => match &card {
            Some(card) => card.previous_element_sibling().or(column),
            None => return,
        },
        "ArrowRight" => column.and_then(|c| c.next_element_sibling()),
        "ArrowLeft" => column.and_then(|c| c.previous_element_sibling()),
        _ => return,
    };
    ev.prevent_default();
    focus_actions(target);
}

/// Where focus goes when the card of `note` leaves the board: the next card, the one before,
/// or the field for a new theme.
fn after_card(note: NoteId) -> String {
    let card = document()
        .query_selector(&note_button(note))
        .ok()
        .flatten()
        .and_then(|b| b.closest(".board-note").ok().flatten());
    let neighbour = card
        .as_ref()
        .and_then(|c| c.next_element_sibling())
        .or_else(|| card.as_ref().and_then(|c| c.previous_element_sibling()))
        .and_then(|n| n.query_selector(".note-actions").ok().flatten())
        .and_then(|b| b.get_attribute("data-note"));
    match neighbour {
        Some(id) => format!(".note-actions[data-note='{id}']"),
        None => "#new-theme".into(),
    }
}

/// What the board's pieces share: the connection, undo, the open menu and dialog, where focus
/// goes next, and the memos each column and card draws from.
#[derive(Clone, Copy)]
struct Board {
    live: Live,
    undo: Undo,
    i18n: I18n,
    /// The open menu.
    menu: RwSignal<Option<MenuFor>>,
    /// The part of it shown.
    page: RwSignal<MenuPage>,
    /// The dialog's question, while it is open.
    ask: RwSignal<Option<Ask>>,
    /// What the dialog's field holds.
    draft: RwSignal<String>,
    /// Where focus goes when the dialog closes.
    back_to: StoredValue<String>,
    /// A note moved with the keyboard: focus follows it to its new column once it is there.
    follow: RwSignal<Option<(NoteId, Place)>>,
    /// The notes on the wall by column (`None`: unsorted), in the order written.
    columns: Memo<HashMap<Option<ThemeId>, Vec<NoteId>>>,
    /// The themes in order, with their names.
    themes: Memo<Vec<(ThemeId, String)>>,
    /// The texts of the notes merged into each note.
    merged: Memo<HashMap<NoteId, Vec<String>>>,
}

impl Board {
    fn new(live: Live, undo: Undo, i18n: I18n) -> Board {
        let columns = Memo::new(move |_| {
            let mut columns: HashMap<Option<ThemeId>, Vec<NoteId>> = HashMap::new();
            live.state.with(|s| {
                if let Some(s) = s {
                    for note in s.notes_in_order() {
                        if note.place.is_visible() {
                            columns.entry(note.place.theme()).or_default().push(note.id);
                        }
                    }
                }
            });
            columns
        });
        let themes = Memo::new(move |_| {
            read(live, Vec::new(), |s| {
                s.themes.iter().map(|t| (t.id, t.name.clone())).collect()
            })
        });
        let merged = Memo::new(move |_| {
            let mut merged: HashMap<NoteId, Vec<String>> = HashMap::new();
            live.state.with(|s| {
                if let Some(s) = s {
                    for note in s.notes_in_order() {
                        if let Place::Merged { into } = note.place {
                            merged.entry(into).or_default().push(note.text.clone());
                        }
                    }
                }
            });
            merged
        });
        Board {
            live,
            undo,
            i18n,
            menu: RwSignal::new(None),
            page: RwSignal::new(MenuPage::Main),
            ask: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            back_to: StoredValue::new(String::new()),
            follow: RwSignal::new(None),
            columns,
            themes,
            merged,
        }
    }

    /// Opens `menu` (closing any other) and puts focus on its first item.
    fn open(self, menu: MenuFor) {
        self.page.set(MenuPage::Main);
        self.menu.set(Some(menu));
        focus_soon("#board-menu [role=menuitem]".into());
    }

    /// Shows another part of the open menu.
    fn show(self, page: MenuPage) {
        self.page.set(page);
        focus_soon("#board-menu [role=menuitem]".into());
    }

    /// Closes the menu and gives focus back to its button.
    fn close_menu(self) {
        if let Some(menu) = self.menu.get_untracked() {
            self.menu.set(None);
            focus_soon(opener(menu));
        }
    }

    /// Closes the menu and asks `ask` in the dialog.
    fn ask(self, ask: Ask) {
        let back = self.menu.get_untracked().map(opener).unwrap_or_default();
        self.back_to.set_value(back);
        self.menu.set(None);
        self.draft.set(match &ask {
            Ask::RenameTheme { old, .. } | Ask::FixTypo { old, .. } => old.clone(),
            _ => String::new(),
        });
        self.ask.set(Some(ask));
    }

    /// Closes the dialog and gives focus back.
    fn close_ask(self) {
        self.ask.set(None);
        focus_soon(self.back_to.get_value());
    }

    /// Moves `note` to `place`, closes the menu, and lets focus follow the note.
    fn move_note(self, note: NoteId, place: Place) {
        self.menu.set(None);
        place_note(self.live, self.undo, note, place);
        self.follow.set(Some((note, place)));
        focus_soon(note_button(note));
    }

    /// Shows `focus` large on the projector.
    fn show_large(self, focus: Focus) {
        self.live.send(Command::SetWall {
            wall: Wall {
                focus: Some(focus),
                ..current_wall(self.live)
            },
        });
        self.close_menu();
    }
}

/// One item of a menu: a button that acts when chosen (Enter, Space or a click).
fn item(label: String, act: impl Fn() + 'static) -> AnyView {
    view! {
        <button type="button" role="menuitem" tabindex="-1" class="menu-item" on:click=move |_| act()>{label}</button>
    }
    .into_any()
}

/// Keys in an open menu: arrows, Home and End move the highlight, Escape closes and gives focus
/// back, Tab closes and goes on. Enter and Space are the buttons' own.
fn menu_keys(board: Board) -> impl Fn(KeyboardEvent) + Copy {
    move |ev: KeyboardEvent| {
        let Some(menu) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let here = document()
            .active_element()
            .filter(|e| e.parent_element().as_ref() == Some(&menu));
        let next = match ev.key().as_str() {
            "ArrowDown" => here
                .and_then(|e| e.next_element_sibling())
                .or_else(|| menu.first_element_child()),
            "ArrowUp" => here
                .and_then(|e| e.previous_element_sibling())
                .or_else(|| menu.last_element_child()),
            "Home" => menu.first_element_child(),
            "End" => menu.last_element_child(),
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                board.close_menu();
                return;
            }
            "Tab" => {
                board.menu.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(next) = next.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = next.focus();
        }
    }
}

/// The board: toolbar, suggestion, new theme, columns, hidden notes, and the board's dialog.
#[component]
pub fn ThemesPanel(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let undo = Undo(RwSignal::new(Vec::new()));
    let board = Board::new(live, undo, i18n);
    let new_theme = RwSignal::new(String::new());
    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = new_theme.get_untracked();
        match ordet_shared::notes::clean_theme_name(&name) {
            Err(problem) => live.problem.set(Some(problem)),
            Ok(name) => {
                let theme = ThemeId::random();
                undo.act(
                    live,
                    vec![Command::CreateTheme { theme, name }],
                    vec![Command::DeleteTheme { theme }],
                );
                new_theme.set(String::new());
            }
        }
    };
    // Focus follows a note moved with the keyboard to its new column, once it is there.
    Effect::new(move |_| {
        let Some((note, place)) = board.follow.get() else {
            return;
        };
        let arrived = live.state.with(|s| {
            s.as_ref()
                .and_then(|s| s.notes.get(&note))
                .is_none_or(|n| n.place == place)
        });
        if arrived {
            board.follow.set(None);
            focus_soon(note_button(note));
        }
    });
    let current = move || read(live, None, |s| s.programme.current);
    let locked = move || read(live, false, |s| s.locked.contains(&s.programme.current));
    let names = move || read(live, false, |s| s.show_names);
    let hidden = Memo::new(move |_| {
        read(live, Vec::new(), |s| {
            s.notes_in_order()
                .into_iter()
                .filter(|n| n.place == Place::Hidden)
                .map(|n| (n.id, n.text.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card themes-panel" aria-labelledby="themes-heading">
            <h2 id="themes-heading">{i18n.text(Key::ThemesHeading)}</h2>
            <div class="button-row">
                <button type="button" class="secondary" disabled=move || undo.0.with(Vec::is_empty)
                    on:click=move |_| undo.undo(live)>
                    <span aria-hidden="true">"↶ "</span>{i18n.text(Key::Undo)}
                </button>
                <button type="button" class="secondary" on:click=move |_| { live.send(Command::SuggestThemes { step: None }); }>
                    {i18n.text(Key::SuggestThemes)}
                </button>
                <button type="button" class="secondary" disabled=move || read(live, true, |s| s.themes.is_empty())
                    on:click=move |_| { live.send(Command::SortIntoThemes { step: None }); }>
                    {i18n.text(Key::SortTheRest)}
                </button>
            </div>
            <div class="choice">
                <input id="lock-notes" type="checkbox" prop:checked=locked
                    on:change=move |ev| { live.send(Command::LockNotes { step: current(), locked: event_target_checked(&ev) }); }/>
                <label for="lock-notes">{i18n.text(Key::LockNotesLabel)}</label>
            </div>
            <div class="choice">
                <input id="show-names" type="checkbox" prop:checked=names
                    on:change=move |ev| { live.send(Command::ShowNames { shown: event_target_checked(&ev) }); }/>
                <label for="show-names">{i18n.text(Key::ShowNamesLabel)}</label>
            </div>
            <SuggestionBox live=live undo=undo/>
            <PlacementsBox live=live undo=undo/>
            <form class="inline-form" on:submit=create novalidate>
                <label for="new-theme">{i18n.text(Key::NewThemeLabel)}</label>
                <div class="inline-row">
                    <input id="new-theme" type="text" maxlength=ordet_shared::notes::THEME_NAME_MAX_CHARS.to_string()
                        prop:value=move || new_theme.get() on:input=move |ev| new_theme.set(event_target_value(&ev))/>
                    <button type="submit" class="secondary">{i18n.text(Key::AddTheme)}</button>
                </div>
            </form>
            <p class="hint">{i18n.text(Key::DragHint)}</p>
            <div class="board">
                <Column board=board theme=None/>
                <For each=move || board.themes.get() key=|(id, _)| *id
                    children=move |(id, _)| view! { <Column board=board theme=Some(id)/> }/>
            </div>
            <Show when=move || hidden.with(|h| !h.is_empty())>
                <h3>{i18n.text(Key::HiddenNotes)}</h3>
                <ul class="hidden-notes">
                    <For each=move || hidden.get() key=|(id, text)| (*id, text.clone())
                        children=move |(id, text)| view! {
                            <li>
                                <span>{text}</span>
                                <button type="button" class="secondary small"
                                    on:click=move |_| place_note(live, undo, id, Place::default())>{i18n.t(Key::RestoreNote)}</button>
                            </li>
                        }/>
                </ul>
            </Show>
            <BoardDialog board=board/>
        </section>
        <WallPanel live=live/>
    }
}

/// One column of the board: unsorted notes (`theme` is `None`) or a theme's, with the theme's
/// "Actions" button. Its notes come from the board's memo, as a list keyed by note.
#[component]
fn Column(board: Board, theme: Option<ThemeId>) -> impl IntoView {
    let Board {
        live, undo, i18n, ..
    } = board;
    let name = Memo::new(move |_| match theme {
        None => i18n.t(Key::Unsorted),
        Some(id) => board.themes.with(|themes| {
            themes
                .iter()
                .find(|(t, _)| *t == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        }),
    });
    let notes = Memo::new(move |_| {
        board
            .columns
            .with(|c| c.get(&theme).cloned().unwrap_or_default())
    });
    let open = Memo::new(move |_| theme.is_some() && board.menu.get() == theme.map(MenuFor::Theme));
    let tools = theme.map(|id| {
        view! {
            <button type="button" class="secondary small theme-actions" data-theme=id.to_string()
                aria-haspopup="menu" aria-expanded=move || open.get().to_string()
                aria-label=move || i18n.fill(Key::ThemeActionsFor, &[("theme", name.get())])
                on:click=move |_| if open.get_untracked() { board.close_menu() } else { board.open(MenuFor::Theme(id)) }
                on:keydown=walk_board>
                {i18n.text(Key::NoteActions)}<span aria-hidden="true">" ▾"</span>
            </button>
            {move || open.get().then(|| theme_menu(board, id))}
        }
    });
    view! {
        <section class="theme-column" aria-label=move || name.get()
            on:dragover=move |ev: DragEvent| ev.prevent_default()
            on:drop=on_drop(live, undo, theme)>
            <h3>{move || name.get()}</h3>
            {tools}
            <ul class="board-notes">
                <For each=move || notes.get() key=|id| *id
                    children=move |id| view! { <NoteCard board=board id=id/> }/>
            </ul>
        </section>
    }
}

/// A theme's menu: rename, merge into another, show large, delete.
fn theme_menu(board: Board, theme: ThemeId) -> impl IntoView {
    let Board {
        live, undo, i18n, ..
    } = board;
    let name = move || {
        board.themes.with_untracked(|themes| {
            themes
                .iter()
                .find(|(t, _)| *t == theme)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        })
    };
    let items = move || match board.page.get() {
        MenuPage::MergeWith => {
            let mut items =
                vec![item(i18n.t(Key::MenuBack), move || board.show(MenuPage::Main)).into_any()];
            for (into, other) in board.themes.get_untracked() {
                if into != theme {
                    items.push(
                        item(other, move || board.ask(Ask::MergeThemes { theme, into })).into_any(),
                    );
                }
            }
            items
        }
        _ => vec![
            item(
                format!(
                    "{} …",
                    i18n.fill(Key::RenameThemeButton, &[("theme", name())])
                ),
                move || board.ask(Ask::RenameTheme { theme, old: name() }),
            )
            .into_any(),
            item(
                format!("{} …", i18n.fill(Key::MergeThemeInto, &[("theme", name())])),
                move || board.show(MenuPage::MergeWith),
            )
            .into_any(),
            item(i18n.t(Key::ShowLarge), move || {
                board.show_large(Focus::Theme { theme })
            })
            .into_any(),
            item(
                i18n.fill(Key::DeleteThemeButton, &[("theme", name())]),
                move || {
                    let restore = live
                        .state
                        .with_untracked(|s| s.as_ref().map(|s| restore_theme(s, theme)));
                    board.menu.set(None);
                    undo.act(
                        live,
                        vec![Command::DeleteTheme { theme }],
                        restore.unwrap_or_default(),
                    );
                    focus_soon("#new-theme".into());
                },
            )
            .into_any(),
        ],
    };
    view! {
        <div id="board-menu" class="board-menu" role="menu"
            aria-label=move || i18n.fill(Key::ThemeActionsFor, &[("theme", name())])
            on:keydown=menu_keys(board)>{items}</div>
    }
}

/// One note on the board: draggable, with its one "Actions" button. It redraws from its own
/// memo, so an event about another note leaves it alone.
#[component]
fn NoteCard(board: Board, id: NoteId) -> impl IntoView {
    let Board { live, i18n, .. } = board;
    let data = Memo::new(move |_| {
        let lang = i18n.lang();
        live.state.with(|s| {
            let s = s.as_ref()?;
            let note = s.notes.get(&id)?;
            Some((note.text.clone(), note_from(s, note, i18n, lang)))
        })
    });
    let merged = Memo::new(move |_| {
        board
            .merged
            .with(|m| m.get(&id).cloned().unwrap_or_default())
    });
    let open = Memo::new(move |_| board.menu.get() == Some(MenuFor::Note(id)));
    let text = move || data.with(|d| d.as_ref().map(|d| d.0.clone()).unwrap_or_default());
    let from = move || data.with(|d| d.as_ref().map(|d| d.1.clone()).unwrap_or_default());
    view! {
        <li class="board-note" draggable="true"
            on:dragstart=move |ev: DragEvent| {
                if let Some(data) = ev.data_transfer() {
                    let _ = data.set_data("text/plain", &id.to_string());
                }
            }>
            <p class="note-text" dir="auto">{text}</p>
            {move || merged.get().into_iter().map(|t| view! { <p class="note-merged">"+ "{t}</p> }).collect_view()}
            <p class="note-role">{from}</p>
            <button type="button" class="secondary small note-actions" data-note=id.to_string()
                aria-haspopup="menu" aria-expanded=move || open.get().to_string()
                aria-label=move || i18n.fill(Key::NoteActionsFor, &[("note", quote(&text()))])
                on:click=move |_| if open.get_untracked() { board.close_menu() } else { board.open(MenuFor::Note(id)) }
                on:keydown=walk_board>
                {i18n.text(Key::NoteActions)}<span aria-hidden="true">" ▾"</span>
            </button>
            {move || open.get().then(|| note_menu(board, id))}
        </li>
    }
}

/// A note's menu, built when it opens: move to a column, merge with another note (asked
/// first), fix a typo, hide, show large.
fn note_menu(board: Board, id: NoteId) -> impl IntoView {
    let Board {
        live, undo, i18n, ..
    } = board;
    let here = move || {
        live.state
            .with_untracked(|s| s.as_ref().and_then(|s| s.notes.get(&id).map(|n| n.place)))
    };
    let text = move || {
        live.state.with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.notes.get(&id).map(|n| n.text.clone()))
                .unwrap_or_default()
        })
    };
    let items = move || match board.page.get() {
        MenuPage::MoveTo => {
            let mut items =
                vec![item(i18n.t(Key::MenuBack), move || board.show(MenuPage::Main)).into_any()];
            let current = here().and_then(|p| p.theme());
            let columns = std::iter::once((None, i18n.t(Key::Unsorted))).chain(
                board
                    .themes
                    .get_untracked()
                    .into_iter()
                    .map(|(t, n)| (Some(t), n)),
            );
            for (theme, name) in columns {
                if theme != current {
                    items.push(
                        item(name, move || board.move_note(id, Place::Wall { theme })).into_any(),
                    );
                }
            }
            items
        }
        MenuPage::MergeWith => {
            let mut items =
                vec![item(i18n.t(Key::MenuBack), move || board.show(MenuPage::Main)).into_any()];
            let others: Vec<(NoteId, String)> = live.state.with_untracked(|s| {
                s.as_ref()
                    .map(|s| {
                        s.notes_in_order()
                            .into_iter()
                            .filter(|n| n.id != id && n.place.is_visible())
                            .map(|n| (n.id, quote(&n.text)))
                            .collect()
                    })
                    .unwrap_or_default()
            });
            for (into, other) in others {
                items.push(
                    item(other, move || board.ask(Ask::MergeNotes { note: id, into })).into_any(),
                );
            }
            items
        }
        MenuPage::Main => vec![
            item(format!("{} …", i18n.t(Key::MoveNoteTo)), move || {
                board.show(MenuPage::MoveTo)
            })
            .into_any(),
            item(format!("{} …", i18n.t(Key::MergeNoteInto)), move || {
                board.show(MenuPage::MergeWith)
            })
            .into_any(),
            item(format!("{} …", i18n.t(Key::FixTypo)), move || {
                board.ask(Ask::FixTypo {
                    note: id,
                    old: text(),
                })
            })
            .into_any(),
            item(i18n.t(Key::HideNote), move || {
                let next = after_card(id);
                board.menu.set(None);
                place_note(live, undo, id, Place::Hidden);
                focus_soon(next);
            })
            .into_any(),
            item(i18n.t(Key::ShowLarge), move || {
                board.show_large(Focus::Note { note: id })
            })
            .into_any(),
        ],
    };
    view! {
        <div id="board-menu" class="board-menu" role="menu"
            aria-label=move || i18n.fill(Key::NoteActionsFor, &[("note", quote(&text()))])
            on:keydown=menu_keys(board)>{items}</div>
    }
}

/// Calls `method` (`showModal` or `close`) on the board's `<dialog>`.
fn dialog_call(method: &str) {
    if let Some(dialog) = document().get_element_by_id("board-dialog")
        && let Ok(function) = js_sys::Reflect::get(&dialog, &method.into())
        && let Some(function) = function.dyn_ref::<js_sys::Function>()
    {
        let _ = function.call0(&dialog);
    }
}

/// The board's dialog in the page: a theme's new name, a note's corrected text, or whether to
/// merge. Modal while open (Escape cancels); focus goes back where it came from.
#[component]
fn BoardDialog(board: Board) -> impl IntoView {
    let Board {
        live,
        undo,
        i18n,
        ask,
        draft,
        ..
    } = board;
    Effect::new(move |_| {
        let open = document()
            .get_element_by_id("board-dialog")
            .is_some_and(|d| d.has_attribute("open"));
        match (ask.with(Option::is_some), open) {
            (true, false) => dialog_call("showModal"),
            (false, true) => dialog_call("close"),
            _ => {}
        }
    });
    let note_text = move |note: NoteId| {
        live.state.with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.notes.get(&note).map(|n| quote(&n.text)))
                .unwrap_or_default()
        })
    };
    let theme_name = move |theme: ThemeId| {
        live.state.with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.theme(theme).map(|t| t.name.clone()))
                .unwrap_or_default()
        })
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(asked) = ask.get_untracked() else {
            return;
        };
        let text = draft.get_untracked();
        match asked {
            Ask::RenameTheme { theme, old } => match ordet_shared::notes::clean_theme_name(&text) {
                Err(problem) => live.problem.set(Some(problem)),
                Ok(name) if name == old => {}
                Ok(name) => undo.act(
                    live,
                    vec![Command::RenameTheme { theme, name }],
                    vec![Command::RenameTheme { theme, name: old }],
                ),
            },
            Ask::FixTypo { note, old } => {
                if !text.trim().is_empty() && text != old {
                    undo.act(
                        live,
                        vec![Command::EditNote { note, text }],
                        vec![Command::EditNote { note, text: old }],
                    );
                }
            }
            Ask::MergeNotes { note, into } => {
                place_note(live, undo, note, Place::Merged { into });
                board.back_to.set_value(note_button(into));
            }
            Ask::MergeThemes { theme, into } => {
                let restore = live
                    .state
                    .with_untracked(|s| s.as_ref().map(|s| restore_theme(s, theme)));
                undo.act(
                    live,
                    vec![Command::MergeThemes { theme, into }],
                    restore.unwrap_or_default(),
                );
                board.back_to.set_value(theme_button(into));
            }
        }
        board.close_ask();
    };
    let cancel = move || {
        if ask.get_untracked().is_some() {
            board.close_ask();
        }
    };
    let body = move || {
        ask.get().map(|asked| {
            let (title, question, field) = match asked {
                Ask::RenameTheme { old, .. } => (
                    i18n.fill(Key::RenameThemeButton, &[("theme", old)]),
                    None,
                    Some(view! {
                        <label for="board-dialog-field">{i18n.t(Key::ThemeNameLabel)}</label>
                        <input id="board-dialog-field" type="text" autofocus=true
                            maxlength=ordet_shared::notes::THEME_NAME_MAX_CHARS.to_string()
                            prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))/>
                    }
                    .into_any()),
                ),
                Ask::FixTypo { .. } => (
                    i18n.t(Key::FixTypo),
                    None,
                    Some(view! {
                        <label for="board-dialog-field">{i18n.t(Key::NoteEditLabel)}</label>
                        <textarea id="board-dialog-field" rows="3" autofocus=true
                            maxlength=ordet_shared::limits::NOTE_MAX_CHARS.to_string()
                            prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    }
                    .into_any()),
                ),
                Ask::MergeNotes { note, into } => (
                    i18n.t(Key::MergeNoteInto),
                    Some(i18n.fill(Key::MergeNoteQuestion, &[("note", note_text(note)), ("into", note_text(into))])),
                    None,
                ),
                Ask::MergeThemes { theme, into } => (
                    i18n.t(Key::MergeButton),
                    Some(i18n.fill(Key::MergeThemeQuestion, &[("theme", theme_name(theme)), ("into", theme_name(into))])),
                    None,
                ),
            };
            let asks_merge = question.is_some();
            view! {
                <form on:submit=submit novalidate>
                    <h2 id="board-dialog-title">{title}</h2>
                    {question.map(|q| view! { <p>{q}</p> })}
                    {field}
                    <div class="dialog-buttons">
                        <button type="button" class="secondary" autofocus=asks_merge on:click=move |_| cancel()>{i18n.t(Key::CancelEdit)}</button>
                        <button type="submit" class="primary-inline">
                            {if asks_merge { i18n.t(Key::MergeButton) } else { i18n.t(Key::NoteSave) }}
                        </button>
                    </div>
                </form>
            }
        })
    };
    view! {
        <dialog id="board-dialog" class="board-dialog" aria-labelledby="board-dialog-title"
            on:close=move |_| cancel()>{body}</dialog>
    }
}

fn current_wall(live: Live) -> Wall {
    live.state
        .with_untracked(|s| s.as_ref().map(|s| s.wall))
        .unwrap_or_default()
}

/// The server's proposed themes, each with a checkbox, to take in part or whole.
#[component]
fn SuggestionBox(live: Live, undo: Undo) -> impl IntoView {
    let i18n = I18n::get();
    let chosen = RwSignal::new(Vec::<u16>::new());
    let suggestion = Memo::new(move |_| {
        live.state
            .with(|s| s.as_ref().and_then(|s| s.suggestion.clone()))
    });
    Effect::new(move |_| {
        // A fresh proposal starts with every theme chosen.
        let count = suggestion.with(|s| s.as_ref().map_or(0, |s| s.themes.len()));
        chosen.set((0..count as u16).collect());
    });
    let accept = move |_| {
        let picked = chosen.get_untracked();
        let accept: Vec<(u16, ThemeId)> = picked.iter().map(|i| (*i, ThemeId::random())).collect();
        let inverse = accept
            .iter()
            .map(|(_, theme)| Command::DeleteTheme { theme: *theme })
            .collect();
        undo.act(live, vec![Command::AcceptSuggestion { accept }], inverse);
    };
    move || {
        let suggestion = suggestion.get().filter(|s| !s.themes.is_empty())?;
        let texts = live.state.with(|s| {
            s.as_ref().map(|s| {
                suggestion
                    .themes
                    .iter()
                    .map(|t| {
                        t.notes
                            .iter()
                            .filter_map(|n| s.notes.get(n).map(|n| n.text.clone()))
                            .take(3)
                            .collect::<Vec<_>>()
                            .join(" · ")
                    })
                    .collect::<Vec<_>>()
            })
        })?;
        let items = suggestion
            .themes
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(i, (theme, sample))| {
                let i = i as u16;
                let input = format!("suggested-{i}");
                view! {
                    <li class="choice">
                        <input type="checkbox" id=input.clone() prop:checked=move || chosen.with(|c| c.contains(&i))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { c.retain(|x| *x != i); if on { c.push(i); } });
                            }/>
                        <label for=input>
                            <strong>{theme.label.clone()}</strong>
                            " · "{i18n.fill(Key::SuggestionNotes, &[("count", theme.notes.len().to_string())])}
                            <span class="suggestion-sample">{sample}</span>
                        </label>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="suggestion" role="region" aria-labelledby="suggestion-heading">
                <h3 id="suggestion-heading">{i18n.t(Key::SuggestionHeading)}</h3>
                <ul class="suggested-themes">{items}</ul>
                <div class="button-row">
                    <button type="button" class="primary-inline" on:click=accept>{i18n.t(Key::AcceptSelected)}</button>
                    <button type="button" class="secondary" on:click=move |_| { live.send(Command::DismissSuggestion); }>{i18n.t(Key::DismissSuggestion)}</button>
                </div>
            </div>
        })
    }
}

/// The most proposed placements listed one by one; the rest are counted (and taken by "use all").
const PLACEMENTS_LISTED: usize = 100;

/// "Sort the rest into my themes": each proposed placement with its note, its theme, how sure
/// and why, surest first; those at least half sure start chosen. Accepting can be undone.
#[component]
fn PlacementsBox(live: Live, undo: Undo) -> impl IntoView {
    let i18n = I18n::get();
    let chosen = RwSignal::new(Vec::<NoteId>::new());
    let proposal = Memo::new(move |_| {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let suggestion = s.suggestion.as_ref().filter(|g| g.themes.is_empty())?;
            let mut placements = suggestion.placements.clone();
            placements.sort_by_key(|p| std::cmp::Reverse(p.sure));
            Some(placements)
        })
    });
    Effect::new(move |_| {
        let surest = proposal.with(|p| {
            p.iter()
                .flatten()
                .filter(|p| p.sure >= 50)
                .map(|p| p.note)
                .collect::<Vec<_>>()
        });
        chosen.set(surest);
    });
    let accept = move |notes: Vec<NoteId>| {
        let Some(placements) = proposal.get_untracked() else {
            return;
        };
        let inverse = vec![Command::ReturnNotes {
            notes: placements
                .iter()
                .filter(|p| notes.contains(&p.note))
                .map(|p| (p.note, p.theme))
                .collect(),
        }];
        undo.act(live, vec![Command::AcceptPlacements { notes }], inverse);
    };
    move || {
        let placements = proposal.get()?;
        let dismiss = view! {
            <button type="button" class="secondary" on:click=move |_| { live.send(Command::DismissSuggestion); }>{i18n.t(Key::DismissSuggestion)}</button>
        };
        if placements.is_empty() {
            return Some(
                view! {
                    <div class="suggestion" role="region" aria-labelledby="placements-heading">
                        <h3 id="placements-heading">{i18n.t(Key::PlacementsHeading)}</h3>
                        <p>{i18n.t(Key::NoPlacements)}</p>
                        <div class="button-row">{dismiss}</div>
                    </div>
                }
                .into_any(),
            );
        }
        let rows = live.state.with(|s| {
            let s = s.as_ref()?;
            Some(
                placements
                    .iter()
                    .take(PLACEMENTS_LISTED)
                    .map(|p| {
                        let note = s
                            .notes
                            .get(&p.note)
                            .map(|n| n.text.clone())
                            .unwrap_or_default();
                        let theme = s.theme(p.theme).map(|t| t.name.clone()).unwrap_or_default();
                        (p.clone(), note, theme)
                    })
                    .collect::<Vec<_>>(),
            )
        })?;
        let items = rows
            .into_iter()
            .map(|(placement, note, theme)| {
                let id = placement.note;
                let input = format!("placement-{id}");
                let why = if placement.words.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", i18n.fill(Key::PlacementWords, &[("words", placement.words.join(", "))]))
                };
                view! {
                    <li class="choice">
                        <input type="checkbox" id=input.clone() prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                            }/>
                        // One child in the (flex) label, so the words keep their spaces.
                        <label for=input>
                            <span>
                                <span class="placement-note">{quote(&note)}</span>
                                " "<strong>{i18n.fill(Key::PlacementInto, &[("theme", theme)])}</strong>
                                " · "
                                <span class="suggestion-sample">
                                    {i18n.fill(Key::PlacementSure, &[("sure", placement.sure.to_string())])}{why}
                                </span>
                            </span>
                        </label>
                    </li>
                }
            })
            .collect_view();
        let more = placements.len().saturating_sub(PLACEMENTS_LISTED);
        let all: Vec<NoteId> = placements.iter().map(|p| p.note).collect();
        let count = all.len();
        Some(view! {
            <div class="suggestion" role="region" aria-labelledby="placements-heading">
                <h3 id="placements-heading">{i18n.t(Key::PlacementsHeading)}</h3>
                <ul class="suggested-themes">{items}</ul>
                {(more > 0).then(|| view! { <p>{i18n.fill(Key::PlacementsMore, &[("count", more.to_string())])}</p> })}
                <div class="button-row">
                    <button type="button" class="primary-inline" on:click=move |_| accept(chosen.get_untracked())>{i18n.t(Key::AcceptSelected)}</button>
                    <button type="button" class="secondary" on:click=move |_| accept(all.clone())>
                        {i18n.fill(Key::AcceptAllPlacements, &[("count", count.to_string())])}
                    </button>
                    {dismiss}
                </div>
            </div>
        }
        .into_any())
    }
}

fn mode_key(mode: WallMode) -> Key {
    match mode {
        WallMode::Newest => Key::WallNewest,
        WallMode::ByQuestion => Key::WallByQuestion,
        WallMode::ByGroup => Key::WallByGroup,
        WallMode::ByTheme => Key::WallByTheme,
        WallMode::WordCloud => Key::WallWordCloud,
        WallMode::Results => Key::WallResults,
    }
}

/// What the projector wall shows: arrangement, whole conference or step, and the focus.
#[component]
fn WallPanel(live: Live) -> impl IntoView {
    let i18n = I18n::get();
    let wall = move || read(live, Wall::default(), |s| s.wall);
    let set = move |change: &dyn Fn(&mut Wall)| {
        let mut next = current_wall(live);
        change(&mut next);
        live.send(Command::SetWall { wall: next });
    };
    let modes = WallMode::ALL
        .iter()
        .map(|mode| {
            let mode = *mode;
            let id = format!("wall-{}", mode_key(mode).text(ordet_shared::Lang::En).to_lowercase().replace(' ', "-"));
            view! {
                <div class="choice">
                    <input type="radio" name="wall-mode" id=id.clone() prop:checked=move || wall().mode == mode
                        on:change=move |_| set(&|w| { w.mode = mode; w.focus = None; })/>
                    <label for=id>{i18n.text(mode_key(mode))}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card wall-panel" aria-labelledby="wall-panel-heading">
            <h2 id="wall-panel-heading">{i18n.text(Key::WallHeading)}</h2>
            <fieldset>
                <legend class="visually-hidden">{i18n.text(Key::WallHeading)}</legend>
                {modes}
            </fieldset>
            <div class="choice">
                <input id="wall-whole" type="checkbox" prop:checked=move || wall().whole_conference
                    on:change=move |ev| { let on = event_target_checked(&ev); set(&|w| w.whole_conference = on); }/>
                <label for="wall-whole">{i18n.text(Key::WallWhole)}</label>
            </div>
            <Show when=move || wall().focus.is_some()>
                <button type="button" class="secondary" on:click=move |_| set(&|w| w.focus = None)>{i18n.text(Key::StopFocus)}</button>
            </Show>
        </section>
    }
}
