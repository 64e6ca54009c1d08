//! The facilitator's clustering board: unsorted notes and one column per theme. Notes are
//! dragged onto a theme with a mouse, or moved with the list on each note (touch, keyboard,
//! screen readers). Themes are created, renamed, merged and deleted here; the server's
//! suggestion can be taken in part or whole; notes are hidden, restored, merged and corrected;
//! the projector wall is chosen, and one note or theme can be shown large. The last actions
//! can be undone: each action remembers the commands that put things back.

use leptos::ev::{DragEvent, SubmitEvent};
use leptos::prelude::*;
use ordet_shared::notes::{Focus, Place, Wall, WallMode};
use ordet_shared::state::{Note, State};
use ordet_shared::{Command, Key, NoteId, ThemeId};

use crate::i18n::I18n;
use crate::live::Live;
use crate::notes_view::note_from;

/// How many actions can be undone.
const UNDO_DEPTH: usize = 30;

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
    let before = read(live, None, |s| s.notes.get(&note).map(|n| n.place));
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

/// The board: toolbar, suggestion, new theme, columns, hidden notes.
#[component]
pub fn ThemesPanel(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let undo = Undo(RwSignal::new(Vec::new()));
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
    let current = move || read(live, None, |s| s.programme.current);
    let locked = move || read(live, false, |s| s.locked.contains(&s.programme.current));
    let names = move || read(live, false, |s| s.show_names);
    let columns = move || {
        let lang = i18n.lang();
        live.state.with(|state| {
            let state = state.as_ref()?;
            let visible: Vec<&Note> = state
                .notes_in_order()
                .into_iter()
                .filter(|n| n.place.is_visible())
                .collect();
            let themes: Vec<(ThemeId, String)> = state
                .themes
                .iter()
                .map(|t| (t.id, t.name.clone()))
                .collect();
            let column = |theme: Option<ThemeId>, title: String| {
                let cards = visible
                    .iter()
                    .filter(|n| n.place.theme() == theme)
                    .map(|n| note_card(live, undo, state, n, &themes, &visible, i18n, lang))
                    .collect_view();
                let tools =
                    theme.map(|id| theme_tools(live, undo, state, id, &title, &themes, i18n));
                let heading = title.clone();
                view! {
                    <section class="theme-column" aria-label=title.clone()
                        on:dragover=move |ev: DragEvent| ev.prevent_default()
                        on:drop=on_drop(live, undo, theme)>
                        <h3>{heading}</h3>
                        {tools}
                        <ul class="board-notes">{cards}</ul>
                    </section>
                }
            };
            let mut all = vec![column(None, i18n.t(Key::Unsorted)).into_any()];
            for (id, name) in &themes {
                all.push(column(Some(*id), name.clone()).into_any());
            }
            Some(all)
        })
    };
    let hidden = move || {
        live.state.with(|state| {
            let state = state.as_ref()?;
            let notes: Vec<(NoteId, String)> = state
                .notes_in_order()
                .into_iter()
                .filter(|n| n.place == Place::Hidden)
                .map(|n| (n.id, n.text.clone()))
                .collect();
            (!notes.is_empty()).then(|| {
                let items = notes
                    .into_iter()
                    .map(|(id, text)| view! {
                        <li>
                            <span>{text}</span>
                            <button type="button" class="secondary small"
                                on:click=move |_| place_note(live, undo, id, Place::default())>{i18n.t(Key::RestoreNote)}</button>
                        </li>
                    })
                    .collect_view();
                view! {
                    <h3>{i18n.t(Key::HiddenNotes)}</h3>
                    <ul class="hidden-notes">{items}</ul>
                }
            })
        })
    };
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
            <form class="inline-form" on:submit=create novalidate>
                <label for="new-theme">{i18n.text(Key::NewThemeLabel)}</label>
                <div class="inline-row">
                    <input id="new-theme" type="text" maxlength=ordet_shared::notes::THEME_NAME_MAX_CHARS.to_string()
                        prop:value=move || new_theme.get() on:input=move |ev| new_theme.set(event_target_value(&ev))/>
                    <button type="submit" class="secondary">{i18n.text(Key::AddTheme)}</button>
                </div>
            </form>
            <p class="hint">{i18n.text(Key::DragHint)}</p>
            <div class="board">{columns}</div>
            {hidden}
        </section>
        <WallPanel live=live/>
    }
}

/// A theme's rename, delete, merge and show-large controls.
fn theme_tools(
    live: Live,
    undo: Undo,
    state: &State,
    theme: ThemeId,
    name: &str,
    themes: &[(ThemeId, String)],
    i18n: I18n,
) -> impl IntoView + use<> {
    let name = name.to_string();
    let restore = restore_theme(state, theme);
    let restore_for_merge = restore.clone();
    let rename_label = i18n.fill(Key::RenameThemeButton, &[("theme", name.clone())]);
    let delete_label = i18n.fill(Key::DeleteThemeButton, &[("theme", name.clone())]);
    let merge_label = i18n.fill(Key::MergeThemeInto, &[("theme", name.clone())]);
    let merge_id = format!("merge-{theme}");
    let old_name = name.clone();
    let others = themes
        .iter()
        .filter(|(id, _)| *id != theme)
        .map(|(id, n)| view! { <option value=id.to_string()>{n.clone()}</option> })
        .collect_view();
    view! {
        <div class="theme-tools">
            <button type="button" class="secondary small" aria-label=rename_label
                on:click=move |_| {
                    let asked = window().prompt_with_message_and_default(&i18n.t(Key::NewThemeLabel), &old_name);
                    if let Ok(Some(name)) = asked && !name.trim().is_empty() && name != old_name {
                        undo.act(live,
                            vec![Command::RenameTheme { theme, name }],
                            vec![Command::RenameTheme { theme, name: old_name.clone() }]);
                    }
                }><span aria-hidden="true">"✎"</span></button>
            <button type="button" class="secondary small" aria-label=delete_label
                on:click=move |_| undo.act(live, vec![Command::DeleteTheme { theme }], restore.clone())>
                <span aria-hidden="true">"✕"</span></button>
            <button type="button" class="secondary small"
                on:click=move |_| { live.send(Command::SetWall { wall: Wall { focus: Some(Focus::Theme { theme }), ..current_wall(live) } }); }>
                {i18n.t(Key::ShowLarge)}</button>
            <label class="visually-hidden" for=merge_id.clone()>{merge_label}</label>
            <select id=merge_id on:change=move |ev| {
                if let Ok(into) = event_target_value(&ev).parse::<ThemeId>() {
                    undo.act(live, vec![Command::MergeThemes { theme, into }], restore_for_merge.clone());
                }
            }>
                <option value="" selected=true>{format!("{} …", i18n.t(Key::MergeNoteInto))}</option>
                {others}
            </select>
        </div>
    }
}

fn current_wall(live: Live) -> Wall {
    live.state
        .with_untracked(|s| s.as_ref().map(|s| s.wall))
        .unwrap_or_default()
}

/// One note on the board: draggable, with move, merge, hide, fix and show-large controls.
#[allow(clippy::too_many_arguments)]
fn note_card(
    live: Live,
    undo: Undo,
    state: &State,
    note: &Note,
    themes: &[(ThemeId, String)],
    visible: &[&Note],
    i18n: I18n,
    lang: ordet_shared::Lang,
) -> impl IntoView + use<> {
    let id = note.id;
    let text = note.text.clone();
    let from = note_from(state, note, i18n, lang);
    let merged: Vec<String> = ordet_shared::notes::merged_into(state, id)
        .iter()
        .map(|n| n.text.clone())
        .collect();
    let theme = note.place.theme();
    let move_id = format!("move-{id}");
    let merge_id = format!("merge-note-{id}");
    let theme_options = std::iter::once((None, i18n.t(Key::Unsorted)))
        .chain(themes.iter().map(|(t, n)| (Some(*t), n.clone())))
        .map(|(t, n)| {
            let value = t.map(|t| t.to_string()).unwrap_or_default();
            view! { <option value=value selected=t == theme>{n}</option> }
        })
        .collect_view();
    let merge_options = visible
        .iter()
        .filter(|n| n.id != id)
        .map(|n| {
            let short: String = n.text.chars().take(40).collect();
            view! { <option value=n.id.to_string()>{short}</option> }
        })
        .collect_view();
    let old_text = text.clone();
    view! {
        <li class="board-note" draggable="true"
            on:dragstart=move |ev: DragEvent| {
                if let Some(data) = ev.data_transfer() {
                    let _ = data.set_data("text/plain", &id.to_string());
                }
            }>
            <p class="note-text" dir="auto">{text}</p>
            {merged.into_iter().map(|t| view! { <p class="note-merged">"+ "{t}</p> }).collect_view()}
            <p class="note-role">{from}</p>
            <div class="note-tools">
                <label class="visually-hidden" for=move_id.clone()>{i18n.t(Key::MoveNoteTo)}</label>
                <select id=move_id on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let theme = value.parse::<ThemeId>().ok();
                    place_note(live, undo, id, Place::Wall { theme });
                }>{theme_options}</select>
                <label class="visually-hidden" for=merge_id.clone()>{i18n.t(Key::MergeNoteInto)}</label>
                <select id=merge_id on:change=move |ev| {
                    if let Ok(into) = event_target_value(&ev).parse::<NoteId>() {
                        place_note(live, undo, id, Place::Merged { into });
                    }
                }>
                    <option value="" selected=true>{format!("{} …", i18n.t(Key::MergeNoteInto))}</option>
                    {merge_options}
                </select>
                <button type="button" class="secondary small" on:click=move |_| place_note(live, undo, id, Place::Hidden)>{i18n.t(Key::HideNote)}</button>
                <button type="button" class="secondary small" on:click=move |_| {
                    let asked = window().prompt_with_message_and_default(&i18n.t(Key::FixTypo), &old_text);
                    if let Ok(Some(text)) = asked && text != old_text && !text.trim().is_empty() {
                        undo.act(live,
                            vec![Command::EditNote { note: id, text }],
                            vec![Command::EditNote { note: id, text: old_text.clone() }]);
                    }
                }>{i18n.t(Key::FixTypo)}</button>
                <button type="button" class="secondary small"
                    on:click=move |_| { live.send(Command::SetWall { wall: Wall { focus: Some(Focus::Note { note: id }), ..current_wall(live) } }); }>
                    {i18n.t(Key::ShowLarge)}</button>
            </div>
        </li>
    }
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
        let suggestion = suggestion.get()?;
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
