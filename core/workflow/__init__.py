"""One workflow kernel: a record moves only along its module's table of allowed steps, each step
audited under one event name, and its page offers only the actions the service accepts."""
