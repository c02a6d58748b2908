"""The follow-up page: conduct it in the meeting (autosave per answer) or read it once justerad.

- `page`: header, status and the hand-over and justering dialogs, tabs by the policy's points
- `agenda`: an agenda point's items with answers, proposals decided in place, evidence
- `point1`: the previous meeting's remarks and every open action (agenda point 1)
- `plan`: point 4 (or its own tab): proposals to decide, findings, the action plan
- `versions`: justerade versions and their differences
"""

from audit_app.views.followup.page import render

__all__ = ["render"]
