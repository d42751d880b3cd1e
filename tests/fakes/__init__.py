"""Fake platform APIs started by tests on 127.0.0.1."""
