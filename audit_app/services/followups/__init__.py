"""Follow-ups: plan, conduct (answers, findings, actions), lifecycle and reading.

The code lives in one module per concern; this package re-exports the public functions so
callers write `followups.plan_followup(...)`:

- `planning`: plan or re-plan a follow-up, prefill from the previous one
- `lifecycle`: start (agenda frozen), hand over, send back, justera (four eyes), correct
- `assessments`: answers, autosaved, and the proposals they raise
- `findings`: confirm, downgrade, reject, add; the re-check within three months
- `actions`: action plans; review of earlier actions in agenda point 1
- `queries`: reading one follow-up and lists
- `versions`: snapshots of justerade versions and their differences
"""

from audit_app.services.followups.actions import (
    add_action,
    review_action,
    update_action,
)
from audit_app.services.followups.assessments import (
    proposal_text,
    save_assessment,
    save_notes,
)
from audit_app.services.followups.findings import (
    add_finding,
    confirm_all,
    confirm_finding,
    downgrade_finding,
    ensure_recheck,
    reject_finding,
    set_for_committee,
)
from audit_app.services.followups.lifecycle import (
    NOT_WRITING,
    AgendaBuilder,
    HandoverCheck,
    JusteraStep,
    JusteraSummary,
    UnassessedSection,
    assert_editable,
    ensure_started,
    hand_over,
    handover_check,
    justera,
    justera_refusal_for,
    justera_summary,
    may_justera,
    send_back,
    start_correction,
    start_followup,
    writers_of,
)
from audit_app.services.followups.planning import (
    Participant,
    PlanInput,
    plan_followup,
    prefill_from_previous,
    update_plan,
)
from audit_app.services.followups.queries import (
    NOT_AVAILABLE,
    Comparison,
    FollowUpFilter,
    actions_of,
    actions_of_followup,
    agenda_item,
    agenda_of,
    assessments_of,
    carried_actions,
    compare_with_previous,
    findings_of,
    get_finding,
    get_followup,
    is_overdue,
    last_held_of_units,
    list_followups,
    previous_for,
    progress,
    readable_statuses,
    recheck_of,
    reviews_of,
    unit_ids_of,
    unit_names,
    versions_of,
    visible_followup,
)
from audit_app.services.followups.versions import (
    snapshot,
    snapshot_diff,
)

__all__ = [
    "NOT_AVAILABLE",
    "NOT_WRITING",
    "AgendaBuilder",
    "Comparison",
    "FollowUpFilter",
    "HandoverCheck",
    "JusteraStep",
    "JusteraSummary",
    "Participant",
    "PlanInput",
    "UnassessedSection",
    "actions_of",
    "actions_of_followup",
    "add_action",
    "add_finding",
    "agenda_item",
    "agenda_of",
    "assert_editable",
    "assessments_of",
    "carried_actions",
    "compare_with_previous",
    "confirm_all",
    "confirm_finding",
    "downgrade_finding",
    "ensure_recheck",
    "ensure_started",
    "findings_of",
    "get_finding",
    "get_followup",
    "hand_over",
    "handover_check",
    "is_overdue",
    "justera",
    "justera_refusal_for",
    "justera_summary",
    "last_held_of_units",
    "list_followups",
    "may_justera",
    "plan_followup",
    "prefill_from_previous",
    "previous_for",
    "progress",
    "proposal_text",
    "readable_statuses",
    "recheck_of",
    "reject_finding",
    "review_action",
    "reviews_of",
    "save_assessment",
    "save_notes",
    "send_back",
    "set_for_committee",
    "snapshot",
    "snapshot_diff",
    "start_correction",
    "start_followup",
    "unit_ids_of",
    "unit_names",
    "update_action",
    "update_plan",
    "versions_of",
    "visible_followup",
    "writers_of",
]
