"""Automation: weekly run, scheduler, history."""
