"""Read-side queries, between the store and the commands: the one department directory,
the one report choice, name matching, and the budget, milestone, audit, digest and
subscription queries every command and the reminders share.

Imports the store and the base modules, never ``handlers``, ``reminders`` or
``bot.replies`` (they sit above; see docs/ARCHITECTURE.md)."""
