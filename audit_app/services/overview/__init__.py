"""The förvaltningschef's overview and the year's plan, from aggregate SQL:

- `units`: one row per unit (last and next follow-up, share uppfyllt, open avvikelser, late
  actions and re-checks) with its status and reasons (domain.cadence); contractor summaries
- `trends`: avvikelser and share uppfyllt per follow-up of a contractor, over time
- `register`: the action register, filtered and counted in SQL
- `planning`: committee meeting dates, commissioned revisions, the cadence's proposals,
  accepting them (followups.plan_followup), the year's plan
- `ics`: a revisor's planned follow-ups as an iCalendar file
"""

from audit_app.services.overview.ics import followup_uid, revisor_calendar
from audit_app.services.overview.planning import (
    COMBINED_LABEL,
    PlanItem,
    Proposal,
    accept_proposal,
    add_commission,
    add_committee_meeting,
    commissions,
    committee_meetings,
    current_contract,
    propose_year,
    remove_committee_meeting,
    year_plan,
)
from audit_app.services.overview.register import (
    OPEN_FILTER,
    OTHER_AREA,
    ActionFilter,
    ActionRegister,
    ActionRow,
    action_areas,
    action_register,
    area_name,
    register_filter,
    register_rows,
)
from audit_app.services.overview.trends import TrendPoint, contractor_trend
from audit_app.services.overview.units import (
    ContractorSummary,
    FollowUpRef,
    OverviewFilter,
    UnitRow,
    contractor_summaries,
    unit_overview,
)

__all__ = [
    "COMBINED_LABEL",
    "OPEN_FILTER",
    "OTHER_AREA",
    "ActionFilter",
    "ActionRegister",
    "ActionRow",
    "ContractorSummary",
    "FollowUpRef",
    "OverviewFilter",
    "PlanItem",
    "Proposal",
    "TrendPoint",
    "UnitRow",
    "accept_proposal",
    "action_areas",
    "action_register",
    "add_commission",
    "add_committee_meeting",
    "area_name",
    "commissions",
    "committee_meetings",
    "contractor_summaries",
    "contractor_trend",
    "current_contract",
    "followup_uid",
    "propose_year",
    "register_filter",
    "register_rows",
    "remove_committee_meeting",
    "revisor_calendar",
    "unit_overview",
    "year_plan",
]
