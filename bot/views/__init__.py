"""Everything the bot shows in Slack: Block Kit and mrkdwn built from domain objects, no I/O.

`kit` holds the building blocks and the guard that keeps every payload inside Slack's limits;
one module per feature builds its messages, modals and buttons. Listeners and workers both
call these, so neither needs the other to say something.
"""
