//! The headline figures: NPS with its interval, CSAT and the overall item, as a manager reads
//! them first.

use super::context::Context;
use super::results::*;
use crate::model::{QuestionKind, Role};
use crate::stats::inference;

pub fn nps(cx: &Context) -> Option<NpsResult> {
    let q = cx
        .survey
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::Nps)
        .or_else(|| {
            cx.survey.questions.iter().find(|q| {
                q.role == Some(Role::Recommend)
                    && cx
                        .survey
                        .question_scale(q)
                        .is_some_and(|s| (s.min, s.max) == (0, 10))
            })
        })?;
    let x = cx.value(&q.id)?;
    let value = inference::nps(&x, cx.weights)?;
    Some(NpsResult {
        item: q.id.clone(),
        value,
        weighted: cx.weights.is_some(),
    })
}

pub fn headline(
    cx: &Context,
    items: &[ItemResult],
    choices: &[ChoiceResult],
    csat_top: u8,
) -> Headline {
    let item = |id: &str| items.iter().find(|i| i.id == id);
    let pick = |i: &ItemResult| {
        (
            i.weighted.as_ref().map_or(i.mean, |w| Some(w.mean)),
            i.weighted.as_ref().map_or(i.top2box, |w| w.top2box),
        )
    };
    let csat = cx
        .survey
        .role_item(Role::Overall)
        .and_then(|q| item(&q.id))
        .and_then(|i| {
            let (mean, _) = pick(i);
            // The top `k` points in the good direction of the scale, from the frequencies.
            let k = i64::from(csat_top.max(1));
            let (min, max) = (i.min?, i.max?);
            let ascending = cx
                .survey
                .question(&i.id)
                .and_then(|q| cx.survey.question_scale(q))
                .is_none_or(|s| s.ascending);
            let codes: Vec<i64> = if ascending {
                (max - k + 1..=max).collect()
            } else {
                (min..=min + k - 1).collect()
            };
            let weighted = i.weighted.is_some();
            let share = crate::stats::descriptive::box_share(&i.frequencies, &codes, weighted);
            Some(Csat {
                item: i.id.clone(),
                convention: format!("top{k}box"),
                csat: 100.0 * share,
                mean: mean?,
            })
        });
    let ces = cx
        .survey
        .role_item(Role::Effort)
        .and_then(|q| item(&q.id))
        .map(|i| {
            let (mean, top2) = pick(i);
            HeadlineItem {
                item: i.id.clone(),
                role: "effort".into(),
                mean,
                top2box: top2,
            }
        });
    let loyalty = cx
        .survey
        .questions
        .iter()
        .filter(|q| matches!(q.role, Some(Role::Repurchase) | Some(Role::Recommend)))
        .filter_map(|q| {
            let i = item(&q.id)?;
            let (mean, top2) = pick(i);
            Some(HeadlineItem {
                item: i.id.clone(),
                role: format!("{:?}", q.role?).to_lowercase(),
                mean,
                top2box: top2,
            })
        })
        .collect();
    let complaint = cx
        .survey
        .role_item(Role::Complaint)
        .and_then(|q| choices.iter().find(|c| c.id == q.id))
        .cloned();
    Headline {
        csat,
        ces,
        loyalty,
        complaint,
    }
}
