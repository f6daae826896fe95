"""Email: the raw-message store, parsing, threading and the inbound adapters."""
