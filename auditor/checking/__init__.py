"""Stage 5, checks: the plugin API (Check, Result, Evidence), discovery of check plugins,
profiles (settings and weights), running the selected checks and scoring them. The checks
themselves live in the top-level ``checks`` package and in third-party packages."""
