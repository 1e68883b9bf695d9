"""Server-rendered pages: templates, static files, translations and page controllers."""
