//! Programme templates a facilitator starts from. Every text is a translation key, so a
//! template is written out in the conference's language when it is used; the facilitator can
//! then edit, add, remove and reorder steps like any others.

use crate::i18n::{Key, Lang};
use crate::ids::StepId;
use crate::programme::{Step, StepKind};

/// One step of a template.
pub struct TemplateStep {
    /// What happens.
    pub kind: StepKind,
    /// The step's title.
    pub title: Key,
    /// Its questions.
    pub questions: &'static [Key],
    /// Suggested length in minutes (0: no clock).
    pub minutes: u32,
    /// Whether phones may write notes.
    pub notes_open: bool,
    /// Whether each group takes its own question.
    pub per_group: bool,
}

/// A programme template.
pub struct Template {
    /// Stable name, for tests and links.
    pub slug: &'static str,
    /// The template's name.
    pub name: Key,
    /// What it is for, in a sentence.
    pub summary: Key,
    /// Its steps.
    pub steps: &'static [TemplateStep],
}

const fn step(
    kind: StepKind,
    title: Key,
    questions: &'static [Key],
    minutes: u32,
    notes_open: bool,
) -> TemplateStep {
    TemplateStep {
        kind,
        title,
        questions,
        minutes,
        notes_open,
        per_group: false,
    }
}

/// A step where each group takes its own question.
const fn per_group(title: Key, questions: &'static [Key], minutes: u32) -> TemplateStep {
    TemplateStep {
        kind: StepKind::GroupRound,
        title,
        questions,
        minutes,
        notes_open: true,
        per_group: true,
    }
}

use StepKind::{Clustering, GroupRound, Plenary, Reports, Voting};

/// The templates, in the order the console offers them.
pub const TEMPLATES: &[Template] = &[
    Template {
        slug: "dialogue-conference",
        name: Key::TplDialogueName,
        summary: Key::TplDialogueSummary,
        steps: &[
            step(
                Plenary,
                Key::TplWelcomeTitle,
                &[Key::TplWelcomeQuestion],
                10,
                false,
            ),
            step(
                GroupRound,
                Key::TplRound1Title,
                &[Key::QuestionWhereAreWe],
                30,
                true,
            ),
            step(
                Reports,
                Key::TplReportsTitle,
                &[Key::TplReportsQuestion],
                15,
                false,
            ),
            step(
                GroupRound,
                Key::TplRound2Title,
                &[Key::QuestionWhereShouldWeGo],
                30,
                true,
            ),
            step(
                Reports,
                Key::TplReportsTitle,
                &[Key::TplReportsQuestion],
                15,
                false,
            ),
            step(
                Clustering,
                Key::TplClusteringTitle,
                &[Key::TplClusteringQuestion],
                15,
                false,
            ),
            step(
                Voting,
                Key::TplVotingTitle,
                &[Key::TplVotingQuestion],
                10,
                false,
            ),
            step(
                Plenary,
                Key::TplWayForwardTitle,
                &[Key::TplWayForwardQuestion],
                5,
                false,
            ),
        ],
    },
    Template {
        slug: "appreciative-inquiry",
        name: Key::TplAiName,
        summary: Key::TplAiSummary,
        steps: &[
            step(
                Plenary,
                Key::TplAiDefinitionTitle,
                &[Key::TplAiDefinitionQuestion],
                10,
                true,
            ),
            step(
                GroupRound,
                Key::TplAiDiscoveryTitle,
                &[Key::TplAiDiscoveryQuestion],
                20,
                true,
            ),
            step(
                GroupRound,
                Key::TplAiDreamTitle,
                &[Key::TplAiDreamQuestion],
                20,
                true,
            ),
            step(
                GroupRound,
                Key::TplAiDesignTitle,
                &[Key::TplAiDesignQuestion],
                20,
                true,
            ),
            step(
                Plenary,
                Key::TplAiDestinyTitle,
                &[Key::TplAiDestinyQuestion],
                15,
                true,
            ),
        ],
    },
    Template {
        slug: "short-meeting",
        name: Key::TplShortName,
        summary: Key::TplShortSummary,
        steps: &[
            step(
                Plenary,
                Key::TplWelcomeTitle,
                &[Key::TplWelcomeQuestion],
                5,
                false,
            ),
            step(
                GroupRound,
                Key::TitleWhereAreWe,
                &[Key::QuestionWhereAreWe],
                20,
                true,
            ),
            step(
                GroupRound,
                Key::TitleWhereShouldWeGo,
                &[Key::QuestionWhereShouldWeGo],
                20,
                true,
            ),
            step(
                Plenary,
                Key::TplOpenDiscussionTitle,
                &[Key::TplOpenDiscussionQuestion],
                15,
                true,
            ),
        ],
    },
    Template {
        slug: "child-rights",
        name: Key::TplRightsName,
        summary: Key::TplRightsSummary,
        steps: &[
            step(
                Plenary,
                Key::TplWelcomeTitle,
                &[Key::TplWelcomeQuestion],
                10,
                false,
            ),
            per_group(
                Key::TplRightsGroupsTitle,
                &[
                    Key::TplRightsParticipation,
                    Key::TplRightsCare,
                    Key::TplRightsProtection,
                    Key::TplRightsAbuse,
                    Key::TplRightsFullLife,
                    Key::TplRightsHealth,
                    Key::TplRightsEducation,
                ],
                45,
            ),
            step(
                Reports,
                Key::TplReportsTitle,
                &[Key::TplReportsQuestion],
                20,
                false,
            ),
            step(
                Voting,
                Key::TplRightsPrioritiseTitle,
                &[Key::TplVotingQuestion],
                15,
                false,
            ),
            step(
                Plenary,
                Key::TplWayForwardTitle,
                &[Key::TplWayForwardQuestion],
                5,
                false,
            ),
        ],
    },
];

impl Template {
    /// The template's steps written out in `lang`, with identifiers from `new_id`.
    pub fn steps_in(&self, lang: Lang, mut new_id: impl FnMut() -> StepId) -> Vec<Step> {
        self.steps
            .iter()
            .map(|s| Step {
                id: new_id(),
                kind: s.kind,
                title: s.title.text(lang).to_string(),
                questions: s
                    .questions
                    .iter()
                    .map(|q| q.text(lang).to_string())
                    .collect(),
                timebox_secs: (s.minutes > 0).then_some(s.minutes * 60),
                notes_open: s.notes_open,
                per_group: s.per_group,
                turns: crate::turns::TurnSettings::default_for(s.kind),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::clean_step;

    #[test]
    fn every_template_step_is_a_valid_step_in_every_language() {
        for template in TEMPLATES {
            for lang in Lang::ALL {
                let steps = template.steps_in(lang, StepId::random);
                assert_eq!(steps.len(), template.steps.len());
                for step in &steps {
                    assert_eq!(
                        &clean_step(step).expect("valid"),
                        step,
                        "{} in {lang:?}",
                        template.slug
                    );
                }
            }
        }
    }

    #[test]
    fn the_child_rights_template_gives_each_of_seven_groups_its_own_theme() {
        let template = TEMPLATES.iter().find(|t| t.slug == "child-rights").unwrap();
        let steps = template.steps_in(Lang::Nb, StepId::random);
        let groups = steps
            .iter()
            .find(|s| s.per_group)
            .expect("a step-group round");
        assert_eq!(groups.questions.len(), 7);
        assert!(groups.questions_for(Some(1))[0].starts_with("Medvirkning"));
        assert!(groups.questions_for(Some(7))[0].starts_with("God utdanning"));
    }

    #[test]
    fn the_dialogue_conference_asks_the_two_classic_questions() {
        let steps = TEMPLATES[0].steps_in(Lang::Nn, StepId::random);
        let questions: Vec<&str> = steps
            .iter()
            .flat_map(|s| s.questions.iter().map(String::as_str))
            .collect();
        assert!(questions.iter().any(|q| q.starts_with("Kvar står vi?")));
        assert!(questions.iter().any(|q| q.starts_with("Kvar bør vi gå?")));
    }
}
