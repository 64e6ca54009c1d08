//! Forming groups (tables) from the people in the room, placing late arrivals, and choosing
//! each group's leader, note-taker and reporter.
//!
//! The rules, from the method:
//! - **Mixed** groups spread every role as evenly as the numbers allow: each group gets the
//!   floor or the ceiling of (people in that role ÷ groups), and group sizes differ by at most
//!   one and do not exceed the chosen size — except that nobody is ever left alone at a table
//!   (with size 2 and an odd number of people, one group has three).
//! - **Homogeneous** groups put people with the same role together. A role with only one
//!   person cannot make a group of its own (one person alone is no group); such people are
//!   pooled into mixed groups of their own, and a single leftover person joins the smallest
//!   group.
//! - A **late arrival** goes to the smallest group that fits: for homogeneous groups, one of
//!   their own role (below the chosen size if possible, else below the maximum of 8);
//!   otherwise the smallest with room; a new group if every group is at the maximum. Empty
//!   tables are skipped: nobody is seated alone at one.
//! - The **leader** is a youth when there is one and the facilitator asked for it, so young
//!   people lead adults; note-taker and reporter are two others where the group allows. Where
//!   a youth leads, a youth also **reports** (another youth if there is one, else the leader):
//!   the young people's view is what the plenary hears. Jobs the facilitator chose by hand
//!   are kept when jobs are filled again.
//!
//! Randomness comes in as a seed, so the same seed and people always give the same groups
//! (the server draws the seed; the result travels in an event).

use std::collections::BTreeMap;

use crate::ids::{ParticipantId, RoleId};

/// The most people one group may have, whatever size was chosen.
pub const MAX_GROUP: usize = 8;

/// A small deterministic random number generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next random number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Shuffles `items` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// How many groups `people` people make at `size` per group: as many as the size asks for,
/// but never so many that someone sits alone (with size 2 and an odd number, one group has
/// three).
pub fn group_count(people: usize, size: usize) -> usize {
    people.div_ceil(size.max(1)).min(people / 2).max(1)
}

/// Splits `people` into `count` groups by dealing them out in turn.
fn deal(people: &[ParticipantId], count: usize) -> Vec<Vec<ParticipantId>> {
    let mut groups = vec![Vec::new(); count];
    for (i, person) in people.iter().enumerate() {
        groups[i % count].push(*person);
    }
    groups
}

/// People by role, each role's people shuffled; roles in a fixed order.
fn by_role(
    people: &[(ParticipantId, RoleId)],
    rng: &mut Rng,
) -> BTreeMap<RoleId, Vec<ParticipantId>> {
    let mut roles: BTreeMap<RoleId, Vec<ParticipantId>> = BTreeMap::new();
    for (person, role) in people {
        roles.entry(*role).or_default().push(*person);
    }
    for members in roles.values_mut() {
        members.sort();
        rng.shuffle(members);
    }
    roles
}

/// Mixed groups of at most `size` people (clamped to 1..=[`MAX_GROUP`]).
pub fn mixed(
    people: &[(ParticipantId, RoleId)],
    size: usize,
    seed: u64,
) -> Vec<Vec<ParticipantId>> {
    let size = size.clamp(1, MAX_GROUP);
    if people.is_empty() {
        return Vec::new();
    }
    let mut rng = Rng::new(seed);
    let roles = by_role(people, &mut rng);
    let mut ordered: Vec<&Vec<ParticipantId>> = roles.values().collect();
    // Larger roles first, so the smallest roles are dealt last and land where there is room.
    ordered.sort_by_key(|members| std::cmp::Reverse(members.len()));
    let sequence: Vec<ParticipantId> = ordered.into_iter().flatten().copied().collect();
    deal(&sequence, group_count(people.len(), size))
}

/// Homogeneous groups of at most `size` people (clamped to 2..=[`MAX_GROUP`]).
pub fn homogeneous(
    people: &[(ParticipantId, RoleId)],
    size: usize,
    seed: u64,
) -> Vec<Vec<ParticipantId>> {
    let size = size.clamp(2, MAX_GROUP);
    let mut rng = Rng::new(seed);
    let mut groups = Vec::new();
    let mut pool = Vec::new();
    for members in by_role(people, &mut rng).into_values() {
        if members.len() < 2 {
            pool.extend(members);
        } else {
            groups.extend(deal(&members, group_count(members.len(), size)));
        }
    }
    match pool.len() {
        0 => {}
        1 if !groups.is_empty() => {
            let smallest = (0..groups.len())
                .min_by_key(|i| groups[*i].len())
                .expect("groups exist");
            if groups[smallest].len() < MAX_GROUP {
                groups[smallest].push(pool[0]);
            } else {
                // Every table is full: borrow someone from the largest, so nobody is alone.
                let largest = (0..groups.len())
                    .max_by_key(|i| groups[*i].len())
                    .expect("groups exist");
                let borrowed = groups[largest].pop().expect("a full group has members");
                groups.push(vec![borrowed, pool[0]]);
            }
        }
        n => groups.extend(deal(&pool, group_count(n, size))),
    }
    groups
}

/// Where a late arrival goes: `Some(index)` of an existing group, or `None` for a new one.
pub fn place_late(
    groups: &[Vec<ParticipantId>],
    role_of: impl Fn(ParticipantId) -> Option<RoleId>,
    newcomer_role: RoleId,
    homogeneous: bool,
    size: usize,
) -> Option<usize> {
    let size = size.clamp(1, MAX_GROUP);
    // An empty table is no table: nobody is seated alone at one.
    let smallest = |fits: &dyn Fn(&Vec<ParticipantId>) -> bool| {
        (0..groups.len())
            .filter(|i| !groups[*i].is_empty() && fits(&groups[*i]))
            .min_by_key(|i| (groups[*i].len(), *i))
    };
    let own_role = |group: &Vec<ParticipantId>| {
        let same = group
            .iter()
            .filter(|p| role_of(**p) == Some(newcomer_role))
            .count();
        same * 2 > group.len()
    };
    let found = if homogeneous {
        // Keeping roles together matters more than the chosen size, up to the maximum.
        smallest(&|g| g.len() < size && own_role(g))
            .or_else(|| smallest(&|g| g.len() < MAX_GROUP && own_role(g)))
    } else {
        None
    };
    found
        .or_else(|| smallest(&|g| g.len() < size))
        .or_else(|| smallest(&|g| g.len() < MAX_GROUP))
}

/// Leader, note-taker and reporter for a group. The leader is the first youth (in the
/// group's order) when `prefer_youth` and there is one, otherwise the first member. Where a
/// youth leads, the reporter is the next youth (the leader when there is no other), and the
/// note-taker the first other member; otherwise note-taker and reporter are the next two.
pub fn pick_jobs(
    members: &[ParticipantId],
    is_youth: impl Fn(ParticipantId) -> bool,
    prefer_youth: bool,
) -> (
    Option<ParticipantId>,
    Option<ParticipantId>,
    Option<ParticipantId>,
) {
    let leader = members
        .iter()
        .copied()
        .find(|p| prefer_youth && is_youth(*p))
        .or_else(|| members.first().copied());
    let others: Vec<ParticipantId> = members
        .iter()
        .copied()
        .filter(|p| Some(*p) != leader)
        .collect();
    if prefer_youth && leader.is_some_and(&is_youth) {
        let reporter = others.iter().copied().find(|p| is_youth(*p)).or(leader);
        let note_taker = others
            .iter()
            .copied()
            .find(|p| Some(*p) != reporter)
            .or(reporter);
        return (leader, note_taker, reporter);
    }
    let note_taker = others.first().copied().or(leader);
    let reporter = others.get(1).copied().or(note_taker);
    (leader, note_taker, reporter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn person(n: u128) -> ParticipantId {
        ParticipantId(Uuid::from_u128(n))
    }

    fn role(n: u8) -> RoleId {
        RoleId(Uuid::from_u128(1000 + u128::from(n)))
    }

    /// A room: (person, role) with roles drawn from `mix`.
    fn room(mix: &[u8]) -> Vec<(ParticipantId, RoleId)> {
        mix.iter()
            .enumerate()
            .map(|(i, r)| (person(i as u128 + 1), role(*r)))
            .collect()
    }

    fn everyone_once(groups: &[Vec<ParticipantId>], people: &[(ParticipantId, RoleId)]) {
        let mut placed: Vec<ParticipantId> = groups.iter().flatten().copied().collect();
        placed.sort();
        let mut expected: Vec<ParticipantId> = people.iter().map(|(p, _)| *p).collect();
        expected.sort();
        assert_eq!(placed, expected, "everyone is in exactly one group");
    }

    proptest! {
        #[test]
        fn mixed_groups_are_balanced_in_size_and_role(
            mix in proptest::collection::vec(0u8..6, 0..120),
            size in 2usize..=8,
            seed in any::<u64>(),
        ) {
            let people = room(&mix);
            let groups = mixed(&people, size, seed);
            everyone_once(&groups, &people);
            if people.is_empty() {
                prop_assert!(groups.is_empty());
                return Ok(());
            }
            prop_assert_eq!(groups.len(), group_count(people.len(), size));
            let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
            prop_assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
            prop_assert!(*sizes.iter().max().unwrap() <= size.max(3));
            if people.len() >= 2 {
                prop_assert!(*sizes.iter().min().unwrap() >= 2, "nobody sits alone: {:?}", sizes);
            }
            // Each role is spread as evenly as the numbers allow.
            for r in 0u8..6 {
                let counts: Vec<usize> = groups
                    .iter()
                    .map(|g| g.iter().filter(|p| people.iter().any(|(q, pr)| q == *p && *pr == role(r))).count())
                    .collect();
                prop_assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1, "role {} {:?}", r, counts);
            }
        }

        #[test]
        fn homogeneous_groups_keep_roles_together_and_nobody_alone(
            mix in proptest::collection::vec(0u8..6, 0..120),
            size in 2usize..=8,
            seed in any::<u64>(),
        ) {
            let people = room(&mix);
            let groups = homogeneous(&people, size, seed);
            everyone_once(&groups, &people);
            let role_of = |p: &ParticipantId| people.iter().find(|(q, _)| q == p).unwrap().1;
            for group in &groups {
                prop_assert!(group.len() <= MAX_GROUP);
                let roles: std::collections::BTreeSet<RoleId> = group.iter().map(role_of).collect();
                if roles.len() == 1 {
                    prop_assert!(group.len() <= size.max(3));
                }
            }
            if people.len() >= 2 {
                prop_assert!(groups.iter().all(|g| g.len() >= 2), "nobody sits alone: {:?}", groups.iter().map(Vec::len).collect::<Vec<_>>());
            }
            // Two roles that each have at least two people never share a group: only people
            // alone in their role are seated with others.
            let count = |r: RoleId| people.iter().filter(|(_, pr)| *pr == r).count();
            for group in &groups {
                let big: std::collections::BTreeSet<RoleId> =
                    group.iter().map(role_of).filter(|r| count(*r) >= 2).collect();
                prop_assert!(big.len() <= 1, "{:?}", group);
            }
        }

        #[test]
        fn the_same_seed_gives_the_same_groups(mix in proptest::collection::vec(0u8..6, 0..60), seed in any::<u64>()) {
            let people = room(&mix);
            prop_assert_eq!(mixed(&people, 5, seed), mixed(&people, 5, seed));
            prop_assert_eq!(homogeneous(&people, 5, seed), homogeneous(&people, 5, seed));
        }
    }

    #[test]
    fn a_late_arrival_goes_to_the_smallest_fitting_group() {
        let groups = vec![
            vec![person(1), person(2), person(3)],
            vec![person(4), person(5)],
            vec![person(6), person(7), person(8), person(9)],
        ];
        let roles = |p: ParticipantId| Some(if p.0.as_u128() >= 6 { role(1) } else { role(0) });
        // Mixed: the smallest.
        assert_eq!(place_late(&groups, roles, role(1), false, 5), Some(1));
        // Homogeneous: the smallest of their own role with room.
        assert_eq!(place_late(&groups, roles, role(1), true, 5), Some(2));
        // Own-role group at the chosen size: still with their own role, below the maximum.
        assert_eq!(place_late(&groups, roles, role(1), true, 4), Some(2));
        // No group of their own role: the smallest with room.
        assert_eq!(place_late(&groups, roles, role(3), true, 4), Some(1));
        // Everyone at the maximum: a new group.
        let full = vec![(1..=8).map(person).collect::<Vec<_>>()];
        assert_eq!(place_late(&full, roles, role(0), false, 5), None);
        // Chosen size reached but below the maximum: still placed.
        let five = vec![(1..=5).map(person).collect::<Vec<_>>()];
        assert_eq!(place_late(&five, roles, role(0), false, 5), Some(0));
    }

    #[test]
    fn the_leader_is_a_youth_when_asked_and_jobs_go_to_different_people() {
        let members = [person(1), person(2), person(3)];
        let youth = |p: ParticipantId| p == person(3);
        // The only youth leads, and reports too (see below).
        assert_eq!(
            pick_jobs(&members, youth, true),
            (Some(person(3)), Some(person(1)), Some(person(3)))
        );
        assert_eq!(
            pick_jobs(&members, youth, false),
            (Some(person(1)), Some(person(2)), Some(person(3)))
        );
        assert_eq!(
            pick_jobs(&[person(1)], youth, true),
            (Some(person(1)), Some(person(1)), Some(person(1)))
        );
        assert_eq!(pick_jobs(&[], youth, true), (None, None, None));
    }

    #[test]
    fn where_a_youth_leads_a_youth_reports() {
        // Two youths and a politician: the second youth reports, the politician takes notes.
        let youth = |p: ParticipantId| p == person(1) || p == person(2);
        let members = [person(1), person(2), person(3)];
        assert_eq!(
            pick_jobs(&members, youth, true),
            (Some(person(1)), Some(person(3)), Some(person(2)))
        );
        // All youth but one politician, the politician first in the group's order.
        let youth = |p: ParticipantId| p != person(4);
        let members = [person(4), person(1), person(2), person(3)];
        let (leader, note_taker, reporter) = pick_jobs(&members, youth, true);
        assert_eq!((leader, reporter), (Some(person(1)), Some(person(2))));
        assert_eq!(note_taker, Some(person(4)));
        // The only youth among adults leads and reports.
        let youth = |p: ParticipantId| p == person(2);
        let members = [person(1), person(2), person(3)];
        assert_eq!(
            pick_jobs(&members, youth, true),
            (Some(person(2)), Some(person(1)), Some(person(2)))
        );
        // Without the youth rule: the order of the group.
        assert_eq!(
            pick_jobs(&members, youth, false),
            (Some(person(1)), Some(person(2)), Some(person(3)))
        );
    }

    #[test]
    fn a_lone_person_is_paired_when_every_table_is_full() {
        // Eight pupils at one full table, one politician.
        let mut mix = vec![0u8; 8];
        mix.push(1);
        let people = room(&mix);
        let groups = homogeneous(&people, 8, 3);
        let mut sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        sizes.sort();
        assert_eq!(sizes, vec![2, 7]);
        assert!(
            groups
                .iter()
                .any(|g| g.contains(&person(9)) && g.len() == 2)
        );
    }

    #[test]
    fn one_person_alone_in_a_role_joins_the_smallest_group() {
        // Six pupils, one politician.
        let mut mix = vec![0u8; 6];
        mix.push(1);
        let people = room(&mix);
        let groups = homogeneous(&people, 3, 7);
        assert_eq!(groups.len(), 2);
        assert!(
            groups
                .iter()
                .any(|g| g.contains(&person(7)) && g.len() == 4)
        );
    }
}
