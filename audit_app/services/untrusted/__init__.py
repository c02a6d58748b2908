"""Files from outside: checked by content and declared size, then parsed in a guarded child.

Modules by concern, in the order a file passes them::

    limits   the limits, each a setting (environment variable) with a default
    errors   FileRejected and GuardLimit: Swedish messages naming the file
    sniff    what a file is by its bytes (never by its name)
    checks   before parsing: size, zip members and ratios, sheet dimensions, CSV rows
    yamlsafe YAML with a size cap, a nesting-depth limit and no alias bombs
    guard    run a parsing function in a child process with memory and time limits

Callers import from the module that holds the code; this package re-exports nothing.
"""
