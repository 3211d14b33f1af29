"""The fast tier: pure modules only, no replica process, no load (`make test-unit`)."""
