"""Word documents and Excel exports of follow-ups, by concern.

    render       docxtpl in a sandbox, clean text, pictures, a deterministic zip
    templates    the template in use (shipped or uploaded), upload, validation, reset
    registry     every template in one explicit list, with its sample context
    pdf          PDF through LibreOffice
    filenames    one file-name function per document kind
    data         FollowUpData: everything one follow-up's documents are made from
    parts        pieces the documents of a follow-up share; redact: roles, never names
    minutes      minutes per kind of follow-up; staffing_review: agenda point 2
    committee    the tjänsteskrivelse about one follow-up
    period       the follow-ups of a period; quarterly and yearly reports; reports renders them
    stored       stored documents, downloads, justera_and_store, the page's panel
    exports      Excel exports
    sample       made-up data for template checks and examples

Nothing here is imported by services/followups (justera takes the storing step as a callback).
"""
