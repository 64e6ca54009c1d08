//! One module per screen.

pub mod console;
pub mod document_panel;
pub mod not_found;
pub mod participants_panel;
pub mod phone;
pub mod plan;
pub mod programme_panel;
pub mod screen;
pub mod start;
pub mod themes_panel;
