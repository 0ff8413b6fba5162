"""Follow-up actions from handovers and observations: an owner, a due date, open until done.
Everyone sees their own actions; leads and managers see their site's; overdue ones are flagged."""
