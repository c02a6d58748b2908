"""The staffing review: contractors' schedule exports checked against the contract's staffing
commitments. Staff names never leave the reading step, except as a count of distinct people.

Modules by concern, in the order data flows::

    rules        StaffingRules, Period, the YAML exchange format (load_rules, rules_to_yaml)
    reading      bytes -> one Arrow table of the columns used (read_table, IPC-ready for a
                 child process): fastexcel for workbooks (python-calamine, openpyxl as
                 fallbacks), polars for CSV; header row (inspect_schedule)
    xlsx_head    the first rows of each .xlsx sheet straight from its XML (no full parse)
    columns      which column holds which field; the required fields (mapping_problems)
    cells        cell values -> clocks, full date-times, dates, breaks, ranges, once per
                 distinct value (Column: codes + distinct values)
    parsing      Arrow table -> shifts without names (read_schedule, schedule_from_table)
    guarded      read_schedule / inspect_schedule for files from outside: checked, then
                 read in a guarded child process (what the page and the CLI call)
    analysis     shifts -> StaffingResult, breaches, coverage per section, summary
    commitments  a contract's commitments per unit id, exchanged as YAML by unit name
    store        stored analyses, column mapping saved per contractor
    findings     breaches -> proposed findings (source bemanning)
    display      what the pages show: panel, labels, figures, tables, heat-map data
    picture      the heat map as a PNG for the minutes

`errors` holds ScheduleError and RulesError. Callers import from the module that holds the code;
this package re-exports nothing.
"""
