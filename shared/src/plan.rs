//! Plans and exports as the HTTP API speaks of them. A plan (such as "Upbringing plan
//! 2027–2030") gathers the meetings whose inputs go into one shared input document. It has
//! its own secret key, like a conference's facilitator key: the plan page's link carries it
//! in its `#fragment`, scripts send it as `Authorization: Bearer KEY`.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::ids::{ConferenceId, MeetingId, PlanId, Timestamp};

/// `POST /api/plans` request body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePlan {
    /// The plan's name, such as "Oppvekstplan 2027–2030".
    pub title: String,
    /// The language its documents are written in.
    pub language: Lang,
    /// The organiser password, on a server that asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organiser_password: Option<String>,
}

/// `POST /api/plans` answer (201). The key is shown once; the server keeps only its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedPlan {
    /// The new plan.
    pub id: PlanId,
    /// Its secret key.
    pub key: String,
    /// Path of the plan page, key included (keep it secret).
    pub plan_path: String,
}

/// `POST /api/plans/{id}/meetings` request body: a conference joins the plan. Its
/// facilitator key proves that whoever adds it may read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachMeeting {
    /// The conference.
    pub conference: ConferenceId,
    /// Its facilitator key.
    pub facilitator_key: String,
}

/// `GET /api/plans/{id}` answer: the plan and its meetings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInfo {
    /// The plan.
    pub id: PlanId,
    /// Its name.
    pub title: String,
    /// The language of its documents.
    pub language: Lang,
    /// Its meetings, oldest first.
    pub meetings: Vec<PlanMeeting>,
}

/// One meeting as the plan page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanMeeting {
    /// Identifier within the plan (for removing it).
    pub id: MeetingId,
    /// The conference, when it lives on this server; `None` when imported from a file.
    pub conference: Option<ConferenceId>,
    /// Its title.
    pub title: String,
    /// When it was held (created).
    pub date: Timestamp,
    /// How many took part.
    pub participants: u32,
    /// How many notes the document shows.
    pub notes: u32,
}

/// The formats an input document is exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Word document (opens in Word and LibreOffice).
    Docx,
    /// One self-contained web page, good to print to PDF.
    Html,
    /// Markdown text.
    Md,
    /// One row per note, for spreadsheets.
    Csv,
    /// Everything, importable into another Ordet server.
    Json,
}

impl ExportFormat {
    /// Every format, in the order the console offers them.
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Docx,
        ExportFormat::Html,
        ExportFormat::Md,
        ExportFormat::Csv,
        ExportFormat::Json,
    ];

    /// The name in URLs and the file extension: `docx`, `html`, `md`, `csv`, `json`.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Docx => "docx",
            ExportFormat::Html => "html",
            ExportFormat::Md => "md",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// The format named `name` in a URL, if Ordet writes it.
    pub fn from_extension(name: &str) -> Option<ExportFormat> {
        Self::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(name))
    }

    /// The name people know the format by.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Docx => "Word (DOCX)",
            ExportFormat::Html => "HTML",
            ExportFormat::Md => "Markdown",
            ExportFormat::Csv => "CSV",
            ExportFormat::Json => "JSON",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_round_trips_through_its_extension() {
        for format in ExportFormat::ALL {
            assert_eq!(
                ExportFormat::from_extension(format.extension()),
                Some(format)
            );
        }
        assert_eq!(
            ExportFormat::from_extension("DOCX"),
            Some(ExportFormat::Docx)
        );
        assert_eq!(ExportFormat::from_extension("pdf"), None);
    }
}
