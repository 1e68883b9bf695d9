"""Application shell: settings, app factory, CLI, background jobs, mail and i18n."""
