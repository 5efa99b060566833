"""gov-audit: audit a Chinese government website against the rules it must follow."""
__version__ = "0.1.0"
