"""shequ — 社区台账助手 (residents' committee ledger toolkit)."""

__version__ = "0.1.0"
